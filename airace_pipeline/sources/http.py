"""The one HTTP client every live source uses: timeouts, retries, byte caps and errors that say where.

Retries are urllib3's `Retry` (exponential backoff with jitter, Retry-After honoured, 408, 429 and 5xx
and connection errors retried, GET only) rather than a hand-written loop: it is the well-tested code
requests itself relies on. What urllib3 does not do is bound the *decompressed* size of a body (a gzip
bomb is small on the wire), check the content type, bound a whole response in time (`deadline.py`), vet
redirect targets (`redirects.py`) or name the source in its errors; that is this module.

Redirects are followed here, by hand, rather than by requests: requests would follow up to 30 of them to
any scheme it has an adapter for and any address, with no hook to refuse one before it is requested.

Errors say what a source should do about them:

* `ItemError` (a `PayloadError`, a 4xx other than 408/429, a refused URL or redirect, a request deadline
  spent on every attempt): asking again will not help this URL. A source that fetches per item or
  document quarantines that one (a row with `rejected_reason`) and goes on; for the URL of a whole
  source (a search page, a snapshot file) the source's run fails with the message.
* `FetchError` that is not an `ItemError` (unreachable, 5xx or timeouts after the retries): transient;
  the source's run fails, the next run tries again from the same saved position.
* `BudgetSpent`: the source's allowance for this run (its total deadline, or `max_pages`) is used up; the
  source stops where it is, keeps what it loaded and saves its position.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import requests
from requests.adapters import HTTPAdapter
from requests.utils import requote_uri
from urllib3.util.retry import Retry

from airace_pipeline.sources.deadline import DeadlinePassed, Watch, watched_pool_classes
from airace_pipeline.sources.redirects import allowed_classes, redirect_refusal, scheme_refusal

USER_AGENT = "airace_pipeline/0.1 (+https://github.com/airace/airace_pipeline)"
RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024


class SourceError(Exception):
    """Something went wrong for one source; the message names the source, the URL and the status."""

    def __init__(self, source: str, url: str, problem: str, status: int | None = None) -> None:
        self.source, self.url, self.status, self.problem = source, url, status, problem
        status_text = f" (HTTP {status})" if status is not None else ""
        super().__init__(f"source {source!r}: {url}{status_text}: {problem}")


class ItemError(SourceError):
    """Asking this URL again will not help: a source quarantines the item or document it was for."""


class FetchError(SourceError):
    """The server could not be reached, kept failing (after retries) or refused the request."""


class PayloadError(ItemError):
    """The server answered, but with something unusable (too large, wrong type, not decodable).

    Sources turn these into quarantine rows for the item or feed concerned, so one bad payload does
    not stop the rest of the run.
    """


class StatusError(FetchError, ItemError):
    """A 4xx other than 408 and 429 (404 Not Found, 410 Gone, 403, ...): not retried, not transient."""


class UrlRefused(FetchError, ItemError):
    """The URL, or a redirect target, is not one this client fetches (scheme, address, too many hops)."""


class DeadlineExceeded(FetchError, ItemError):
    """Every attempt at the request ran past its total deadline (`request_deadline_s`)."""


class BudgetSpent(Exception):
    """The source's allowance for this run (`source_deadline_s` or `max_pages`) is used up.

    Not a `SourceError`, so a handler that quarantines one item's failure never swallows it: the
    source's own loop catches it, stops, keeps what it loaded and saves its position.
    """

    def __init__(self, source: str, problem: str) -> None:
        self.source, self.problem = source, problem
        super().__init__(f"source {source!r}: {problem}")


@dataclass(frozen=True)
class HttpSettings:
    """Per-source limits; the defaults suit a scheduled run against a public API."""

    timeout_s: float = 30.0
    retries: int = 4
    backoff_s: float = 1.0
    backoff_max_s: float = 60.0
    max_bytes: int = 20_000_000
    request_deadline_s: float = 300.0
    source_deadline_s: float = 3600.0
    headers: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Response:
    url: str
    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";")[0].strip().lower()

    def text(self, source: str) -> str:
        """The body as text: the declared charset, else UTF-8; undecodable bytes are a PayloadError."""
        charset = "utf-8"
        for part in self.headers.get("Content-Type", "").split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                charset = value.strip("\"'")
        try:
            return self.body.decode(charset)
        except (UnicodeDecodeError, LookupError) as exc:
            raise PayloadError(source, self.url, f"body is not valid {charset}: {exc}", self.status) from exc


class _WatchedAdapter(HTTPAdapter):
    """requests' adapter with connections that register with the attempt in progress (`deadline.py`)."""

    def __init__(self, client: HttpClient, **kwargs: Any) -> None:
        self._pool_classes = watched_pool_classes(lambda: client.watch)
        super().__init__(**kwargs)  # calls init_poolmanager, so the pool classes are set first

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = self._pool_classes


class HttpClient:
    """A requests session for one source. Use as a context manager so its connections are closed.

    The source's total deadline (`source_deadline_s`) runs from the client's creation: one client is
    one source's run.
    """

    def __init__(self, source: str, settings: HttpSettings | None = None) -> None:
        self.source = source
        self.settings = settings or HttpSettings()
        self.requests_made = 0
        self.watch: Watch | None = None
        self._source_deadline = time.monotonic() + self.settings.source_deadline_s
        self._session = requests.Session()
        retry = Retry(
            total=self.settings.retries,
            connect=self.settings.retries,
            read=self.settings.retries,
            status=self.settings.retries,
            redirect=0,  # followed by hand in _follow
            backoff_factor=self.settings.backoff_s,
            backoff_max=self.settings.backoff_max_s,
            backoff_jitter=self.settings.backoff_s,
            status_forcelist=sorted(RETRY_STATUSES),
            allowed_methods=frozenset({"GET"}),
            respect_retry_after_header=True,
            retry_after_max=int(self.settings.backoff_max_s),  # a "Retry-After: 86400" must not stall a run
            raise_on_status=False,  # we raise ourselves, naming the source
            raise_on_redirect=False,
        )
        self._adapter = _WatchedAdapter(self, max_retries=retry)
        self._session.mount("http://", self._adapter)
        self._session.mount("https://", self._adapter)
        self._session.headers.update({"User-Agent": USER_AGENT, **self.settings.headers})

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self._session.close()

    def get(
        self,
        url: str,
        *,
        params: Mapping[str, object] | list[tuple[str, object]] | None = None,
        headers: Mapping[str, str] | None = None,
        accept_types: tuple[str, ...] = (),
    ) -> Response:
        """GET `url`; 304 is returned as is (conditional GET), any other non-2xx raises FetchError.

        `accept_types` are content-type prefixes the caller can parse; another type is a PayloadError.
        The body is read in chunks after decompression and abandoned past `max_bytes`. Each attempt
        (redirects and body included) must finish within `request_deadline_s`; an attempt cut short is
        tried again like a timeout, up to `retries` times. Nothing is requested once the source's
        `source_deadline_s` has passed (BudgetSpent).
        """
        self.requests_made += 1
        if problem := scheme_refusal(url):
            raise UrlRefused(self.source, url, problem)
        settings = self.settings
        for attempt in range(settings.retries + 1):
            now = time.monotonic()
            if now >= self._source_deadline:
                raise BudgetSpent(
                    self.source,
                    f"the source's deadline for this run ({settings.source_deadline_s:g}s, "
                    f"source_deadline_s) has passed; {url} was not fetched",
                )
            with Watch(min(now + settings.request_deadline_s, self._source_deadline)) as watch:
                self.watch = watch
                try:
                    response = self._follow(url, params, dict(headers or {}), accept_types)
                except (SourceError, DeadlinePassed) as exc:
                    if not watch.expired:
                        raise
                    cause: BaseException | None = exc
                else:
                    if not watch.expired:  # a body cut short by the watch may look complete
                        return response
                    cause = None
                finally:
                    self.watch = None
            # The watch closed the attempt's sockets; a kept-alive connection holding one must not be
            # taken from the pool again.
            self._adapter.poolmanager.clear()
            if time.monotonic() >= self._source_deadline:
                raise BudgetSpent(
                    self.source,
                    f"the source's deadline for this run ({settings.source_deadline_s:g}s, "
                    f"source_deadline_s) passed while fetching {url}",
                ) from cause
            if attempt < settings.retries:
                time.sleep(min(settings.backoff_s * 2**attempt, settings.backoff_max_s))
        raise DeadlineExceeded(
            self.source,
            url,
            f"no complete response within the {settings.request_deadline_s:g}s request deadline "
            f"(request_deadline_s), {settings.retries + 1} attempt(s)",
        )

    def _follow(
        self,
        url: str,
        params: Mapping[str, object] | list[tuple[str, object]] | None,
        headers: dict[str, Any],
        accept_types: tuple[str, ...],
    ) -> Response:
        """Request `url`, following at most MAX_REDIRECTS redirects, each one vetted before it is fetched."""
        current, visited = url, [url]  # `here` (with the query) joins it after each response
        allowed: frozenset[str] | None = None
        for hop in range(MAX_REDIRECTS + 1):
            resp = self._send(current, params if hop == 0 else None, headers)
            with resp:
                location = self._session.get_redirect_target(resp)
                if location is None:
                    return self._response(resp, resp.url or current, accept_types)
                here = resp.url or current
                status = resp.status_code
            visited.append(here)
            target = requote_uri(urljoin(here, location))
            if target in visited:
                raise UrlRefused(
                    self.source, url, f"redirect loop: {here} redirects back to {target}", status
                )
            if hop == MAX_REDIRECTS:
                raise UrlRefused(
                    self.source, url, f"more than {MAX_REDIRECTS} redirects (the last to {target})", status
                )
            if allowed is None:
                allowed = allowed_classes(url)
            try:
                problem = redirect_refusal(target, allowed)
            except OSError as exc:
                raise FetchError(
                    self.source, url, f"redirect target {target} does not resolve: {exc}"
                ) from exc
            if problem:
                raise UrlRefused(self.source, url, f"redirect to {target} refused: {problem}", status)
            if self._session.should_strip_auth(here, target):
                headers = {**headers, "Authorization": None}  # as requests does when the host changes
            current = target
        raise AssertionError("unreachable: the loop returns or raises")

    def _send(
        self,
        url: str,
        params: Mapping[str, object] | list[tuple[str, object]] | None,
        headers: Mapping[str, Any],
    ) -> requests.Response:
        try:
            return self._session.get(
                url,
                params=params,
                headers=dict(headers),
                timeout=self.settings.timeout_s,
                stream=True,
                allow_redirects=False,
            )
        except requests.exceptions.RetryError as exc:
            raise FetchError(
                self.source, url, f"gave up after {self.settings.retries} retries: {exc}"
            ) from exc
        except requests.exceptions.Timeout as exc:
            raise FetchError(
                self.source, url, f"timed out after {self.settings.timeout_s}s (and retries): {exc}"
            ) from exc
        except requests.exceptions.RequestException as exc:
            raise FetchError(self.source, url, f"request failed: {type(exc).__name__}: {exc}") from exc

    def _response(self, resp: requests.Response, final_url: str, accept_types: tuple[str, ...]) -> Response:
        if resp.status_code == 304:
            return Response(final_url, 304, dict(resp.headers), b"")
        if not 200 <= resp.status_code < 300:
            error = (
                StatusError
                if 400 <= resp.status_code < 500 and resp.status_code not in RETRY_STATUSES
                else FetchError
            )
            raise error(self.source, final_url, f"server answered {resp.reason}", resp.status_code)
        response = Response(final_url, resp.status_code, dict(resp.headers), b"")
        if accept_types and not response.content_type.startswith(accept_types):
            raise PayloadError(
                self.source,
                final_url,
                f"unexpected content type {response.content_type or '(none)'!r}; "
                f"expected {', '.join(accept_types)}",
                resp.status_code,
            )
        body = self._read_capped(resp, final_url)
        return Response(final_url, response.status, response.headers, body)

    def _read_capped(self, resp: requests.Response, url: str) -> bytes:
        cap = self.settings.max_bytes
        declared = resp.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > cap:
            raise PayloadError(self.source, url, f"response of {declared} bytes exceeds the {cap}-byte cap")
        chunks: list[bytes] = []
        size = 0
        try:
            # iter_content decompresses gzip/deflate, so this counts (and caps) the decompressed bytes.
            for chunk in resp.iter_content(_CHUNK):
                size += len(chunk)
                if size > cap:
                    raise PayloadError(
                        self.source, url, f"response exceeds the {cap}-byte cap (after decompression)"
                    )
                chunks.append(chunk)
        except requests.exceptions.RequestException as exc:
            raise FetchError(
                self.source, url, f"reading the body failed: {type(exc).__name__}: {exc}", resp.status_code
            ) from exc
        return b"".join(chunks)
