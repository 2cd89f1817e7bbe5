"""dlt source for RSS 2.0 and Atom feeds: each item is a document whose `source` is the feed's name.

Per feed, the resource state keeps the ETag / Last-Modified of the last fetch (so an unchanged feed costs
one request answered 304) and a cursor: the newest item date seen and the ids of the items at that date.
That is hand-written rather than `dlt.sources.incremental` because a resource's incremental holds one
cursor, and feeds advance independently (a quiet feed must not lose items to a busy one's cursor).
State is only read and written on scheduled runs; a backfill keeps the items dated inside its window.
dlt saves the state with the load package, so a failed run leaves the cursors where they were. A feed
that fails or redirects somewhere refused is quarantined and the others load; a run that spends its
deadline stops after the feeds it has read, and the next run reads the rest.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from typing import Any

import dlt
import feedparser
import pyarrow as pa

from airace_pipeline.sources.config import RssSource
from airace_pipeline.sources.http import BudgetSpent, HttpClient, PayloadError, SourceError
from airace_pipeline.sources.records import (
    arrow_batches,
    base_record,
    check_range,
    html_to_text,
    raw_documents_resource,
    rejected_record,
    with_text,
)
from airace_pipeline.sources.stops import stop_note
from airace_pipeline.sources.window import FetchWindow
from airace_pipeline.sources.xml_safety import UnsafeXml, check_xml

RESOURCE_NAME = "rss_documents"
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/rdf+xml",
)


@dlt.source(name="rss_documents", max_table_nesting=0)
def rss_source(
    specs: Sequence[RssSource] = (),
    window: FetchWindow | None = None,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
) -> dlt.sources.DltResource:
    return raw_documents_resource(_read_feeds(specs, window, valid_from, valid_until), RESOURCE_NAME)


def _read_feeds(
    specs: Sequence[RssSource],
    window: FetchWindow | None,
    valid_from: dt.date | None,
    valid_until: dt.date | None,
) -> Iterator[pa.Table]:
    if not specs or window is None:
        return
    resource_state = None if window.backfill else dlt.current.resource_state()
    state = None if resource_state is None else resource_state.setdefault("feeds", {})
    now = dt.datetime.now(tz=dt.UTC)
    for spec in specs:
        kept = 0
        stopped: BudgetSpent | None = None
        with HttpClient(spec.name, spec.limits.http_settings()) as client:
            for feed in spec.feeds[: spec.limits.max_pages]:
                try:
                    records = fetch_feed(client, spec, feed.url, feed.name, window, state, now)
                except BudgetSpent as exc:
                    # The feeds read so far keep their cursors; this one and the rest are read next run.
                    stopped = exc
                    break
                kept += len(records)
                yield from arrow_batches(check_range(r, valid_from, valid_until) for r in records)
        note = stop_note(stopped, kept, scheduled=resource_state is not None)
        if resource_state is not None:
            resource_state.setdefault("stopped_early", {})[spec.name] = note


def fetch_feed(
    client: HttpClient,
    spec: RssSource,
    url: str,
    label: str | None,
    window: FetchWindow,
    state: dict[str, Any] | None,
    now: dt.datetime,
) -> list[dict[str, Any]]:
    """Records of one feed's new items (or one rejected record for the feed if it cannot be used)."""
    feed_state = state.get(url, {}) if state is not None else {}
    headers = {}
    if feed_state.get("etag"):
        headers["If-None-Match"] = feed_state["etag"]
    if feed_state.get("last_modified"):
        headers["If-Modified-Since"] = feed_state["last_modified"]
    try:
        response = client.get(url, headers=headers, accept_types=FEED_TYPES)
        if response.not_modified:
            return []
        try:
            check_xml(response.body)
        except UnsafeXml as exc:
            raise PayloadError(spec.name, response.url, str(exc), response.status) from exc
    except SourceError as exc:
        # One bad feed must not stop the others: it is quarantined (origin = the feed URL) with why.
        # (A spent source deadline is a BudgetSpent, not a SourceError: it stops the source instead.)
        return [rejected_record(spec.name, f"feed:{url}", now, "feed", str(exc), url=url)]
    parsed = feedparser.parse(
        response.body, response_headers={"content-type": response.headers.get("Content-Type", "")}
    )
    source = label or parsed.feed.get("title") or spec.name
    cursor = feed_state.get("cursor")
    seen = set(feed_state.get("seen", []))
    records, newest, newest_ids = [], cursor, set(seen)
    for entry in parsed.entries[: spec.max_items_per_feed]:
        record, stamp, item_id = _entry_record(spec, url, source, entry, now)
        if record["rejected_reason"] is None:
            if window.backfill:
                if not window.contains(record["published_on"]):
                    continue
            elif cursor and (stamp < cursor or (stamp == cursor and item_id in seen)):
                continue
            if newest is None or stamp > newest:
                newest, newest_ids = stamp, {item_id}
            elif stamp == newest:
                newest_ids.add(item_id)
        records.append(record)
    if state is not None:
        state[url] = {
            "etag": response.headers.get("ETag"),
            "last_modified": response.headers.get("Last-Modified"),
            "cursor": newest,
            "seen": sorted(newest_ids),
        }
    return records


def _entry_record(
    spec: RssSource, feed_url: str, source: str, entry: Any, now: dt.datetime
) -> tuple[dict[str, Any], str, str]:
    link = entry.get("link")
    title = entry.get("title")
    item_id = entry.get("id") or link or _digest(feed_url, title or "", entry.get("summary", ""))
    origin = link or f"{feed_url}#{item_id}"
    parsed_time = entry.get("published_parsed") or entry.get("updated_parsed")
    stamp = ""
    published = None
    if parsed_time:
        moment = dt.datetime.fromtimestamp(calendar.timegm(parsed_time), tz=dt.UTC)
        stamp, published = moment.isoformat(), moment.date()
    if not link:
        return (
            rejected_record(spec.name, origin, now, "feed_item", "feed item has no link", title=title),
            "",
            item_id,
        )
    if published is None:
        return (
            rejected_record(
                spec.name, origin, now, "feed_item", "feed item has no date", url=link, title=title
            ),
            "",
            item_id,
        )
    content = entry.get("content") or []
    html = content[0].get("value", "") if content else entry.get("summary", "")
    record = base_record(spec.name, origin, now, "feed_item")
    record.update(
        source=source, url=link, collection=spec.collection, published_on=published, date_basis="metadata"
    )
    return with_text(record, title, html_to_text(html or "")), stamp, item_id


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "replace")).hexdigest()[:24]
