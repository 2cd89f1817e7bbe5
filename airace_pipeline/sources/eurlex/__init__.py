"""dlt source for EUR-Lex acts by CELEX number, fetched as XHTML from CELLAR.

Each act becomes a `policy_text` document keeping its CELEX and ELI, with a structured policy fact (CELEX,
date of the act, EU) so the policy row has its identifier without text mining. Scheduled runs use
If-None-Match / If-Modified-Since per act, so an unchanged act costs one 304; a backfill fetches every act
and keeps those dated inside its window, leaving the validators alone. An act whose URL fails for good
(404, 410, a refused redirect, too large, too slow) is quarantined with the reason and the others load;
a run that spends its deadline stops there, keeping the acts it read.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator, Sequence
from typing import Any

import dlt
import pyarrow as pa
from bs4 import BeautifulSoup

from airace_pipeline.sources.config import EurLexSource
from airace_pipeline.sources.http import BudgetSpent, HttpClient, ItemError, PayloadError
from airace_pipeline.sources.local_folder.readers import find_stated_date
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
from airace_pipeline.sources.xml_safety import UnsafeXml, check_xml

RESOURCE_NAME = "eurlex_documents"
XHTML_TYPES = ("application/xhtml+xml", "text/html", "application/xml", "text/xml")
_ELI = re.compile(r"https?://data\.europa\.eu/eli/[a-z_]+/\d{4}/\d+(?:/[a-z0-9_]+)*")
_CELEX_PARTS = re.compile(r"^3(\d{4})([RLD])(\d{4})$")
_ELI_TYPES = {"R": "reg", "L": "dir", "D": "dec"}
_INSTRUMENT = {"R": "regulation", "L": "law", "D": "regulation"}


@dlt.source(name="eurlex_documents", max_table_nesting=0)
def eurlex_source(
    specs: Sequence[EurLexSource] = (),
    window: FetchWindow | None = None,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> dlt.sources.DltResource:
    return raw_documents_resource(_read(specs, window, valid_from, valid_until), RESOURCE_NAME)


def _read(
    specs: Sequence[EurLexSource],
    window: FetchWindow | None,
    valid_from: dt.date | None,
    valid_until: dt.date | None,
) -> Iterator[pa.Table]:
    if not specs or window is None:
        return
    resource_state = None if window.backfill else dlt.current.resource_state()
    state = None if resource_state is None else resource_state.setdefault("acts", {})
    now = dt.datetime.now(tz=dt.UTC)
    for spec in specs:
        records = []
        stopped: BudgetSpent | None = None
        with HttpClient(spec.name, spec.limits.http_settings()) as client:
            try:
                for celex in spec.celex[: spec.limits.max_pages]:
                    record = fetch_act(client, spec, celex, state, now)
                    if record is None:
                        continue
                    if window.backfill and not (
                        record["rejected_reason"] or window.contains(record["published_on"])
                    ):
                        continue
                    records.append(record)
            except BudgetSpent as exc:
                # The acts fetched so far keep their validators; the others are fetched next run.
                stopped = exc
        note = stop_note(stopped, len(records), scheduled=resource_state is not None)
        if resource_state is not None:
            resource_state.setdefault("stopped_early", {})[spec.name] = note
        yield from arrow_batches(check_range(r, valid_from, valid_until) for r in records)


def fetch_act(
    client: HttpClient, spec: EurLexSource, celex: str, state: dict[str, Any] | None, now: dt.datetime
) -> dict[str, Any] | None:
    """The act's record; None when unchanged since the last scheduled run (the server said 304)."""
    url = f"{spec.base_url}/{celex}"
    key = f"{spec.name}:{celex}"
    validators = (state or {}).get(key, {})
    headers = {"Accept": "application/xhtml+xml, text/html;q=0.9", "Accept-Language": spec.language}
    if validators.get("etag"):
        headers["If-None-Match"] = validators["etag"]
    if validators.get("last_modified"):
        headers["If-Modified-Since"] = validators["last_modified"]
    try:
        response = client.get(url, headers=headers, accept_types=XHTML_TYPES)
        if response.not_modified:
            return None
        markup = response.text(spec.name)
        if "xml" in response.content_type:
            try:
                check_xml(response.body)
            except UnsafeXml as exc:
                raise PayloadError(spec.name, response.url, str(exc), response.status) from exc
    except ItemError as exc:
        # This act's URL is gone (404/410), refused, unusable or too slow: quarantine it, load the others.
        # A transient failure (5xx, timeouts after the retries) still fails the run, to be tried again.
        return rejected_record(spec.name, celex, now, "eurlex", str(exc), url=url)
    if state is not None:
        state[key] = {
            "etag": response.headers.get("ETag"),
            "last_modified": response.headers.get("Last-Modified"),
        }
    soup = BeautifulSoup(markup, "html.parser")
    title_tag = soup.find("title")
    title = " ".join(title_tag.get_text(" ").split()) if title_tag else celex
    body = html_to_text(markup)
    day = find_stated_date(body[:2000])
    eli = _eli(markup, celex)
    if day is None:
        return rejected_record(
            spec.name, celex, now, "eurlex", f"no date of the act found in {url}", url=url, title=title
        )
    record = base_record(spec.name, celex, now, "eurlex")
    record.update(
        source="EUR-Lex",
        url=eli or url,
        collection="policy_text",
        published_on=day,
        date_basis="text",
        source_fields=json.dumps({"celex": celex, "eli": eli}),
        structured_facts=facts_json(
            [
                {
                    "fact_type": "policy",
                    "subtype": _INSTRUMENT.get(celex[5:6], "other"),
                    "name": title,
                    "announced_on": day.isoformat(),
                    "date_precision": "day",
                    "country_code": "EU",
                    "status": "adopted",
                    "external_ids": {"celex": celex},
                    "participants": [],
                }
            ]
        ),
    )
    return with_text(record, f"{title} (CELEX {celex})", body)


def _eli(markup: str, celex: str) -> str | None:
    """The ELI stated in the act, else the one its CELEX number implies (regulations, directives, decisions)."""
    if found := _ELI.search(markup):
        return found.group(0)
    if parts := _CELEX_PARTS.match(celex):
        year, kind, number = parts.groups()
        return f"http://data.europa.eu/eli/{_ELI_TYPES[kind]}/{year}/{int(number)}/oj"
    return None
