"""dlt source for the US Federal Register documents API (`/documents.json`, public, no key).

Searches each configured term for the configured document types over a publication-date window, follows
`next_page_url`, and fetches each document's full text (`raw_text_url`, else `body_html_url`). The API
serves at most 50 pages per query (past that it silently starts again at page 1), so a window whose
`total_pages` exceeds that is split in halves until each part fits.

Scheduled runs continue each term from its saved cursor (the newest publication date loaded, and the
document numbers loaded on that date, whose full text is not fetched again); a backfill queries exactly
its window and leaves the cursors alone. A run that spends its page budget (`max_pages`) or its deadline
stops there without failing: what it loaded is kept and the next run continues from the cursor. A
document whose own URL fails for good (404, a refused redirect, too large, too slow) is quarantined with
the reason; the others load. Executive orders, rules and proposed rules carry structured policy facts
(EO number, document number, signing date) so their policies do not depend on text mining.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit

import dlt
import pyarrow as pa

from airace_pipeline.sources.config import FederalRegisterSource
from airace_pipeline.sources.http import (
    BudgetSpent,
    HttpClient,
    ItemError,
    PayloadError,
    SourceError,
    UrlRefused,
)
from airace_pipeline.sources.records import (
    arrow_batches,
    base_record,
    check_range,
    facts_json,
    html_to_text,
    raw_documents_resource,
    rejected_record,
    with_text,
)
from airace_pipeline.sources.stops import stop_note
from airace_pipeline.sources.window import FetchWindow

RESOURCE_NAME = "federal_register_documents"
API_PAGE_LIMIT = 50
FIELDS = (
    "document_number",
    "type",
    "subtype",
    "title",
    "abstract",
    "publication_date",
    "signing_date",
    "effective_on",
    "agencies",
    "citation",
    "executive_order_number",
    "presidential_document_type",
    "html_url",
    "raw_text_url",
    "body_html_url",
)
NATIVE_FIELDS = (
    "document_number",
    "type",
    "subtype",
    "executive_order_number",
    "agencies",
    "citation",
    "signing_date",
    "effective_on",
    "publication_date",
)


class PageBudget:
    """Requests left this run (`max_pages`): a runaway window cannot turn into thousands of requests.

    Spending it is not a failure: the first run of a new source searches from 2017 and always spends it.
    The source stops where it is (BudgetSpent), keeps what it loaded and continues there next run.
    """

    def __init__(self, source: str, pages: int) -> None:
        self.source, self.pages, self.left = source, pages, pages

    def take(self, url: str) -> None:
        if self.left <= 0:
            raise BudgetSpent(
                self.source,
                f"page budget for this run (max_pages={self.pages}) spent before {url}",
            )
        self.left -= 1


@dlt.source(name="federal_register_documents", max_table_nesting=0)
def federal_register_source(
    specs: Sequence[FederalRegisterSource] = (),
    window: FetchWindow | None = None,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> dlt.sources.DltResource:
    return raw_documents_resource(_read(specs, window, valid_from, valid_until), RESOURCE_NAME)


def _read(
    specs: Sequence[FederalRegisterSource],
    window: FetchWindow | None,
    valid_from: dt.date | None,
    valid_until: dt.date | None,
) -> Iterator[pa.Table]:
    if not specs or window is None:
        return
    all_state = None if window.backfill else dlt.current.resource_state().setdefault("cursors", {})
    today = dt.datetime.now(tz=dt.UTC).date()
    for spec in specs:
        state = all_state.setdefault(spec.name, {}) if all_state is not None else None
        records = fetch_documents(spec, window, today, state)
        yield from arrow_batches(check_range(r, valid_from, valid_until) for r in records)


def fetch_documents(
    spec: FederalRegisterSource, window: FetchWindow, today: dt.date, state: dict[str, Any] | None
) -> list[dict[str, Any]]:
    """Records of the documents each term finds; scheduled runs (`state` given) continue each term from
    its cursor and move it.

    Each term has its own cursor because each is searched oldest first on its own: when the run stops
    part-way through the second term, the first term's cursor must not carry the second past documents
    it has not listed yet. When the run's allowance (pages, deadline) is spent the records so far are
    kept, the cursors say where to continue, and `stopped_early` in the state says why (None after a
    run that finished).
    """
    now = dt.datetime.now(tz=dt.UTC)
    budget = PageBudget(spec.name, spec.limits.max_pages)
    done: set[str] = set()
    records: list[dict[str, Any]] = []
    stopped: BudgetSpent | None = None
    with HttpClient(spec.name, spec.limits.http_settings()) as client:
        for term in spec.terms:
            cursor = _term_cursor(state, spec, term)
            if state is None:
                start, last = window.start, window.end - dt.timedelta(days=1)
            else:
                start = dt.date.fromisoformat(cursor["cursor"]) if cursor.get("cursor") else window.start
                last = max(today, window.end - dt.timedelta(days=1))
            listed: list[dict[str, Any]] = []
            try:
                for result in _search(client, spec, term, start, last, budget):
                    number = result.get("document_number")
                    if not isinstance(number, str) or not number:
                        continue
                    day = _date(result.get("publication_date"))
                    if day is not None and not start <= day <= last:
                        continue  # the API filters by date already; never trust a page to stay in its window
                    if number in done or number in cursor.get("seen", ()):
                        listed.append({"origin": number, "published_on": day, "rejected_reason": None})
                        continue
                    done.add(number)
                    record = _record(client, spec, result, now, budget)
                    records.append(record)
                    listed.append(record)
            except BudgetSpent as exc:
                stopped = exc
            if state is not None:
                _advance(cursor, listed)
            if stopped is not None:
                break
    note = stop_note(stopped, len(records), scheduled=state is not None)
    if state is not None:
        state["stopped_early"] = note
    return records


def _term_cursor(state: dict[str, Any] | None, spec: FederalRegisterSource, term: str) -> dict[str, Any]:
    """The term's cursor in the state ({} on a backfill, which neither reads nor moves cursors).

    State written before cursors were per term holds one cursor for the source: it becomes every
    configured term's (a term added later starts from the window's start, so its history is loaded).
    """
    if state is None:
        return {}
    terms = state.setdefault("terms", {})
    if "cursor" in state:
        legacy = {"cursor": state.pop("cursor"), "seen": state.pop("seen", [])}
        for name in spec.terms:
            terms.setdefault(name, dict(legacy))
    return terms.setdefault(term, {})


def _advance(cursor: dict[str, Any], listed: list[dict[str, Any]]) -> None:
    """Move the term's cursor to the newest publication date of the usable documents it listed, with the
    numbers of those on that date (not fetched again when the next run lists that date again)."""
    dated = [r for r in listed if r["published_on"] is not None and r["rejected_reason"] is None]
    if not dated:
        return
    newest = max(r["published_on"] for r in dated)
    numbers = {r["origin"] for r in dated if r["published_on"] == newest}
    if newest.isoformat() == cursor.get("cursor"):
        numbers |= set(cursor.get("seen", []))
    cursor["cursor"], cursor["seen"] = newest.isoformat(), sorted(numbers)


def _search(
    client: HttpClient,
    spec: FederalRegisterSource,
    term: str,
    start: dt.date,
    last: dt.date,
    budget: PageBudget,
) -> Iterator[dict[str, Any]]:
    url = f"{spec.base_url}/documents.json"
    params: list[tuple[str, object]] = [
        ("conditions[term]", term),
        ("conditions[publication_date][gte]", start.isoformat()),
        ("conditions[publication_date][lte]", last.isoformat()),
        ("per_page", spec.per_page),
        ("order", "oldest"),
        *[("conditions[type][]", t) for t in spec.types],
        *[("fields[]", f) for f in FIELDS],
    ]
    budget.take(url)
    page = _json_page(client, url, params)
    if int(page.get("total_pages") or 0) > API_PAGE_LIMIT and start < last:
        # The API restarts at page 1 past page 50: split the window and query each half.
        middle = start + (last - start) // 2
        yield from _search(client, spec, term, start, middle, budget)
        yield from _search(client, spec, term, middle + dt.timedelta(days=1), last, budget)
        return
    pages = 1
    while True:
        yield from (r for r in page.get("results") or [] if isinstance(r, dict))
        next_url = page.get("next_page_url")
        if not next_url or pages >= API_PAGE_LIMIT:
            return
        _same_origin(spec, next_url)
        budget.take(next_url)
        page = _json_page(client, next_url, None)
        pages += 1


def _json_page(client: HttpClient, url: str, params: list[tuple[str, object]] | None) -> dict[str, Any]:
    response = client.get(url, params=params, accept_types=("application/json",))
    try:
        page = json.loads(response.text(client.source))
    except ValueError as exc:
        raise PayloadError(client.source, response.url, f"malformed JSON: {exc}", response.status) from exc
    if not isinstance(page, dict) or not isinstance(page.get("results", []), list):
        raise PayloadError(client.source, response.url, "not a Federal Register envelope (count, results)")
    return page


def _same_origin(spec: FederalRegisterSource, url: str) -> None:
    """Only follow links to the API's own host: a tampered response must not send us elsewhere."""
    base, other = urlsplit(spec.base_url), urlsplit(url)
    if (base.scheme, base.netloc) != (other.scheme, other.netloc):
        raise UrlRefused(spec.name, url, f"refusing to follow a link off {base.netloc}")


def _record(
    client: HttpClient, spec: FederalRegisterSource, r: dict[str, Any], now: dt.datetime, budget: PageBudget
) -> dict[str, Any]:
    number = r["document_number"]
    native = {k: r.get(k) for k in NATIVE_FIELDS}
    published = _date(r.get("publication_date"))
    if published is None:
        return rejected_record(
            spec.name,
            number,
            now,
            "federal_register",
            f"no valid publication_date: {r.get('publication_date')!r}",
        )
    body, problem = "", None
    if spec.full_text:
        body, problem = _full_text(client, spec, r, budget)
    if problem:
        return rejected_record(
            spec.name, number, now, "federal_register", problem, url=r.get("html_url"), title=r.get("title")
        )
    record = base_record(spec.name, number, now, "federal_register")
    record.update(
        source="Federal Register",
        url=r.get("html_url"),
        collection="policy_text",
        published_on=published,
        date_basis="metadata",
        source_fields=json.dumps(native, sort_keys=True, default=str),
        structured_facts=facts_json(_facts(r, published)),
    )
    abstract = r.get("abstract") or ""
    return with_text(record, _title_line(r), "\n\n".join(p for p in (abstract, body) if p))


def _title_line(r: dict[str, Any]) -> str:
    """The first line of the text; structured facts cite it, so it states the identifiers."""
    title = str(r.get("title") or r["document_number"])
    if r.get("executive_order_number"):
        return f"Executive Order {r['executive_order_number']}: {title}"
    return title


def _full_text(
    client: HttpClient, spec: FederalRegisterSource, r: dict[str, Any], budget: PageBudget
) -> tuple[str, str | None]:
    url = r.get("raw_text_url") or r.get("body_html_url")
    if not url:
        return "", None
    try:
        _same_origin(spec, url)
        budget.take(url)
        response = client.get(url, accept_types=("text/plain", "text/html", "application/xhtml+xml"))
        text = response.text(spec.name)
    except ItemError as exc:
        # This document's own URL is gone, refused, too large or too slow: quarantine it, load the rest.
        # A transient failure (5xx, timeouts after the retries) still fails the run, to be tried again.
        return "", str(exc)
    return (text if response.content_type == "text/plain" else html_to_text(text)), None


def _facts(r: dict[str, Any], published: dt.date) -> list[dict[str, Any]]:
    ids = {"fr_document_number": r["document_number"]}
    kind = r.get("type")
    is_eo = bool(r.get("executive_order_number")) or r.get("presidential_document_type") == "executive_order"
    if kind in ("Presidential Document", "PRESDOCU") and is_eo:
        if r.get("executive_order_number"):
            ids["eo_number"] = str(r["executive_order_number"])
        subtype, status, day = "executive_order", "adopted", _date(r.get("signing_date")) or published
    elif kind in ("Rule", "RULE"):
        subtype, status, day = "regulation", "adopted", published
    elif kind in ("Proposed Rule", "PRORULE"):
        subtype, status, day = "regulation", "proposed", published
    else:
        return []
    return [
        {
            "fact_type": "policy",
            "subtype": subtype,
            "name": " ".join(str(r.get("title") or "").split()) or None,
            "announced_on": day.isoformat(),
            "date_precision": "day",
            "country_code": "US",
            "status": status,
            "external_ids": ids,
            "participants": [],
        }
    ]


def _date(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


__all__ = ["RESOURCE_NAME", "SourceError", "federal_register_source", "fetch_documents"]
