"""dlt source for the AI Incident Database's snapshot CSVs (incidents.csv, reports.csv).

The snapshot is a local folder (the extracted `backup-*.tar.bz2`) or a base URL serving the two files.
Each incident becomes a short document (its title line, date and description) carrying a structured
incident fact: its AIID incident_id, and the alleged deployers, developers and harmed parties as actors,
so incidents do not depend on text mining. Each report becomes a news document with its own text.

Scheduled runs load incidents and reports numbered above the saved cursors (AIID numbers both in
increasing order), and a URL snapshot is fetched with If-None-Match / If-Modified-Since, so an unchanged
snapshot costs one 304 per file; a backfill keeps the incidents and reports dated inside its window and
leaves the cursors alone. The GraphQL API is not used (see README).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import dlt
import pyarrow as pa

from airace_pipeline.sources.config import AiidSource
from airace_pipeline.sources.http import BudgetSpent, HttpClient, PayloadError
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

RESOURCE_NAME = "aiid_documents"
INCIDENT_COLUMNS = ("incident_id", "date", "title", "description")
ROLE_COLUMNS = {
    "Alleged deployer of AI system": "deployer",
    "Alleged developer of AI system": "developer",
    "Alleged harmed or nearly harmed parties": "harmed_party",
}
REPORT_COLUMNS = ("report_number", "title", "text", "url", "date_published")


@dlt.source(name="aiid_documents", max_table_nesting=0)
def aiid_source(
    specs: Sequence[AiidSource] = (),
    window: FetchWindow | None = None,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> dlt.sources.DltResource:
    return raw_documents_resource(_read(specs, window, valid_from, valid_until), RESOURCE_NAME)


def _read(
    specs: Sequence[AiidSource],
    window: FetchWindow | None,
    valid_from: dt.date | None,
    valid_until: dt.date | None,
) -> Iterator[pa.Table]:
    if not specs or window is None:
        return
    all_state = None if window.backfill else dlt.current.resource_state().setdefault("snapshots", {})
    now = dt.datetime.now(tz=dt.UTC)
    for spec in specs:
        state = all_state.setdefault(spec.name, {}) if all_state is not None else None
        with HttpClient(spec.name, spec.limits.http_settings()) as client:
            incidents = reports = None
            stopped: BudgetSpent | None = None
            try:
                incidents = _table(client, spec, "incidents.csv", INCIDENT_COLUMNS, state)
                reports = _table(client, spec, "reports.csv", REPORT_COLUMNS, state, required=False)
            except BudgetSpent as exc:
                # A file not read counts as unchanged: its validators and cursor stay, the next run
                # reads it in full.
                stopped = exc
        records = list(snapshot_records(spec, window, state, now, incidents, reports))
        note = stop_note(stopped, len(records), scheduled=state is not None)
        if state is not None:
            state["stopped_early"] = note
        yield from arrow_batches(check_range(r, valid_from, valid_until) for r in records)


def snapshot_records(
    spec: AiidSource,
    window: FetchWindow,
    state: dict[str, Any] | None,
    now: dt.datetime,
    incidents: list[dict[str, str]] | None,
    reports: list[dict[str, str]] | None,
) -> Iterator[dict[str, Any]]:
    """Records of the new (scheduled) or in-window (backfill) rows; None for a file means unchanged."""
    last_incident = int((state or {}).get("incident_cursor", 0))
    last_report = int((state or {}).get("report_cursor", 0))
    newest_incident, newest_report = last_incident, last_report
    for row in incidents or []:
        record, number = _incident(spec, row, now)
        if window.backfill and not (record["rejected_reason"] or window.contains(record["published_on"])):
            continue
        if not window.backfill and number is not None and number <= last_incident:
            continue
        newest_incident = max(newest_incident, number or 0)
        yield record
    for row in reports or []:
        record, number = _report(spec, row, now)
        if window.backfill and not (record["rejected_reason"] or window.contains(record["published_on"])):
            continue
        if not window.backfill and number is not None and number <= last_report:
            continue
        newest_report = max(newest_report, number or 0)
        yield record
    if state is not None:
        state["incident_cursor"], state["report_cursor"] = newest_incident, newest_report


def _table(
    client: HttpClient,
    spec: AiidSource,
    name: str,
    required_columns: tuple[str, ...],
    state: dict[str, Any] | None,
    required: bool = True,
) -> list[dict[str, str]] | None:
    """Rows of one CSV of the snapshot, or None when it is unchanged since the last scheduled run."""
    location = f"{spec.snapshot.rstrip('/')}/{name}"
    if spec.is_url:
        validators = (state or {}).get(name, {})
        headers = {}
        if validators.get("etag"):
            headers["If-None-Match"] = validators["etag"]
        if validators.get("last_modified"):
            headers["If-Modified-Since"] = validators["last_modified"]
        response = client.get(
            location, headers=headers, accept_types=("text/csv", "text/plain", "application/")
        )
        if response.not_modified:
            return None
        if state is not None:
            state[name] = {
                "etag": response.headers.get("ETag"),
                "last_modified": response.headers.get("Last-Modified"),
            }
        text = response.text(spec.name)
    else:
        path = Path(location)
        if not path.is_file():
            if required:
                raise PayloadError(spec.name, str(path), "file not found in the snapshot folder")
            return []
        if path.stat().st_size > spec.limits.max_bytes:
            raise PayloadError(spec.name, str(path), f"file exceeds the {spec.limits.max_bytes}-byte cap")
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError as exc:
            raise PayloadError(spec.name, str(path), f"not UTF-8: {exc}") from exc
    csv.field_size_limit(max(spec.limits.max_bytes, 131_072))
    try:
        reader = csv.DictReader(io.StringIO(text, newline=""))
        missing = [c for c in required_columns if c not in (reader.fieldnames or [])]
        if missing:
            raise PayloadError(spec.name, location, f"not an AIID {name}: missing column(s) {missing}")
        return list(reader)
    except csv.Error as exc:
        raise PayloadError(spec.name, location, f"malformed CSV: {exc}") from exc


def _incident(spec: AiidSource, row: dict[str, str], now: dt.datetime) -> tuple[dict[str, Any], int | None]:
    raw_id = (row.get("incident_id") or "").strip()
    origin = f"incident/{raw_id}"
    number = int(raw_id) if raw_id.isdigit() else None
    if number is None:
        return rejected_record(
            spec.name, origin, now, "aiid_incident", f"incident_id {raw_id!r} is not a number"
        ), None
    day = _date(row.get("date"))
    title = " ".join((row.get("title") or "").split()) or f"AIID incident {number}"
    if day is None:
        reason = f"incident {number} has no valid date ({row.get('date')!r})"
        return rejected_record(spec.name, origin, now, "aiid_incident", reason, title=title), number
    actors = [
        {"name": _entity_name(slug), "role": role}
        for column, role in ROLE_COLUMNS.items()
        for slug in _json_list(row.get(column))
    ]
    record = base_record(spec.name, origin, now, "aiid_incident")
    record.update(
        source="AI Incident Database",
        url=f"https://incidentdatabase.ai/cite/{number}",
        collection="news",
        published_on=day,
        date_basis="metadata",
        source_fields=json.dumps(
            {
                "incident_id": number,
                "reports": _json_list(row.get("reports")),
                **{role: _json_list(row.get(column)) for column, role in ROLE_COLUMNS.items()},
            },
            sort_keys=True,
        ),
        structured_facts=facts_json(
            [
                {
                    "fact_type": "incident",
                    "subtype": "other",
                    "name": title,
                    "announced_on": day.isoformat(),
                    "date_precision": "day",
                    "external_ids": {"aiid_incident_id": str(number)},
                    "participants": actors,
                }
            ]
        ),
    )
    return with_text(
        record, f"AIID incident {number}: {title}", html_to_text(row.get("description") or "")
    ), number


def _report(spec: AiidSource, row: dict[str, str], now: dt.datetime) -> tuple[dict[str, Any], int | None]:
    raw = (row.get("report_number") or "").strip()
    number = int(raw) if raw.isdigit() else None
    origin = f"report/{raw}"
    if number is None:
        return rejected_record(
            spec.name, origin, now, "aiid_report", f"report_number {raw!r} is not a number"
        ), None
    url = (row.get("url") or "").strip() or None
    day = _date(row.get("date_published"))
    if day is None:
        reason = f"report {number} has no valid date_published ({row.get('date_published')!r})"
        return rejected_record(
            spec.name, origin, now, "aiid_report", reason, url=url, title=row.get("title")
        ), number
    record = base_record(spec.name, origin, now, "aiid_report")
    record.update(
        source=(row.get("source_domain") or "").strip() or "AI Incident Database",
        url=url,
        collection="news",
        published_on=day,
        date_basis="metadata",
        source_fields=json.dumps({"report_number": number, "language": row.get("language")}),
    )
    return with_text(record, row.get("title"), html_to_text(row.get("text") or "")), number


def _json_list(cell: str | None) -> list[str]:
    """mongoexport writes arrays as JSON in a cell; anything else counts as no entries."""
    try:
        value = json.loads(cell) if cell else []
    except ValueError:
        return []
    return [str(v) for v in value if isinstance(v, str | int)] if isinstance(value, list) else []


def _entity_name(slug: str) -> str:
    """AIID entities are slugs (`openai`, `tesla-drivers`); a readable name the resolver can match."""
    return " ".join(part.capitalize() for part in slug.replace("_", "-").split("-") if part) or slug


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value.strip()[:10]) if value and value.strip() else None
    except ValueError:
        return None
