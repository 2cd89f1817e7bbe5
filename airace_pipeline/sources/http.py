"""The one HTTP client every live source uses: timeouts, retries, byte caps and errors that say where.

Retries are urllib3's `Retry` (exponential backoff with jitter, Retry-After honoured, 429 and 5xx and
connection errors retried, GET only) rather than a hand-written loop: it is the well-tested code requests
itself relies on. What urllib3 does not do is bound the *decompressed* size of a body (a gzip bomb is
small on the wire), check the content type, or name the source in its errors; that is this module.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

USER_AGENT = "airace_pipeline/0.1 (+https://github.com/airace/airace_pipeline)"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_CHUNK = 64 * 1024


class SourceError(Exception):
    """Something went wrong for one source; the message names the source, the URL and the status."""

    def __init__(self, source: str, url: str, problem: str, status: int | None = None) -> None:
        self.source, self.url, self.status, self.problem = source, url, status, problem
        status_text = f" (HTTP {status})" if status is not None else ""
        super().__init__(f"source {source!r}: {url}{status_text}: {problem}")


class FetchError(SourceError):
    """The server could not be reached or kept failing (after retries): the source's run fails."""


class PayloadError(SourceError):
    """The server answered, but with something unusable (too large, wrong type, not decodable).

    Sources turn these into quarantine rows for the item or feed concerned, so one bad payload does
    not stop the rest of the run.
    """


@dataclass(frozen=True)
class HttpSettings:
    """Per-source limits; the defaults suit a scheduled run against a public API."""

    timeout_s: float = 30.0
    retries: int = 4
    backoff_s: float = 1.0
    backoff_max_s: float = 60.0
    max_bytes: int = 20_000_000
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


class HttpClient:
    """A requests session for one source. Use as a context manager so its connections are closed."""

    def __init__(self, source: str, settings: HttpSettings | None = None) -> None:
        self.source = source
        self.settings = settings or HttpSettings()
        self.requests_made = 0
        self._session = requests.Session()
        retry = Retry(
            total=self.settings.retries,
            connect=self.settings.retries,
            read=self.settings.retries,
            status=self.settings.retries,
            backoff_factor=self.settings.backoff_s,
            backoff_max=self.settings.backoff_max_s,
            backoff_jitter=self.settings.backoff_s,
            status_forcelist=sorted(RETRY_STATUSES),
            allowed_methods=frozenset({"GET"}),
            respect_retry_after_header=True,
            retry_after_max=int(self.settings.backoff_max_s),  # a "Retry-After: 86400" must not stall a run
            raise_on_status=False,  # we raise ourselves, naming the source
        )
        adapter = HTTPAdapter(max_retries=retry)
        self._session.mount("http://", adapter)
        self._session.mount("https://", adapter)
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
        The body is read in chunks after decompression and abandoned past `max_bytes`.
        """
        self.requests_made += 1
        try:
            resp = self._session.get(
                url, params=params, headers=dict(headers or {}), timeout=self.settings.timeout_s, stream=True
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
        with resp:
            final_url = resp.url or url
            if resp.status_code == 304:
                return Response(final_url, 304, dict(resp.headers), b"")
            if not 200 <= resp.status_code < 300:
                raise FetchError(self.source, final_url, f"server answered {resp.reason}", resp.status_code)
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
