"""dlt source for folders of local documents (the bundled corpus, or whatever a user drops in).

Loads one row per document into the raw dataset, merged on `document_id`, so re-running a window never
duplicates. A run reads the folders and keeps the documents published inside the partition window being
materialised; files that cannot be used at all (unreadable, no text, a date outside the partitioned
range) are loaded on every run with `rejected_reason` set, where the quarantine asset picks them up.

A file index in the resource state (size, modification time and the publication days a file holds) lets
a run skip files that are unchanged and hold no document of its window, so the daily run over years of
archives opens only the new files. dlt saves the state with the load package: a failed load leaves the
index as it was, and the files are read again next time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path

import dlt
import pyarrow as pa

from airace_pipeline.sources.local_folder.readers import SUPPORTED_SUFFIXES, FileContext, read_file
from airace_pipeline.sources.records import arrow_batches, check_range, raw_documents_resource

RESOURCE_NAME = "local_documents"


@dlt.source(name="local_documents", max_table_nesting=0)
def local_documents_source(
    folders: Sequence[tuple[str, str]] = (),
    window_start: dt.date | None = None,
    window_end: dt.date | None = None,
    valid_from: dt.date | None = None,
    valid_until: dt.date | None = None,
    batch_size: int = 2_000,
) -> dlt.sources.DltResource:
    """Documents of `folders` ((source name, path) pairs) published in [window_start, window_end).

    `valid_from`/`valid_until` bound the dates the pipeline can partition; a document dated outside them
    is rejected with that reason rather than silently never loaded.
    """
    # Ids are unique within a load: a hash of the entry's name (unique in the sources file) and the
    # document's origin (its file's relative path, with its line or item number in a JSON file).
    return raw_documents_resource(
        _read_folders(folders, window_start, window_end, valid_from, valid_until, batch_size),
        RESOURCE_NAME,
        unique_ids=True,
    )


def _read_folders(
    folders: Sequence[tuple[str, str]],
    window_start: dt.date | None,
    window_end: dt.date | None,
    valid_from: dt.date | None,
    valid_until: dt.date | None,
    batch_size: int,
) -> Iterator[pa.Table]:
    ingested_at = dt.datetime.now(tz=dt.UTC)
    index: dict[str, str] = dlt.current.resource_state().setdefault("files", {})
    records = (
        record
        for source_name, folder in folders
        for record in _read_folder(
            source_name,
            Path(folder),
            index,
            (window_start, window_end),
            (valid_from, valid_until),
            ingested_at,
        )
    )
    kept = (
        r
        for r in records
        if r["rejected_reason"] is not None or _in_window(r["published_on"], window_start, window_end)
    )
    # Arrow batches, not row dicts: dlt's normaliser is an order of magnitude faster on them.
    yield from arrow_batches(kept, batch_size)


def _read_folder(
    source_name: str,
    folder: Path,
    index: dict[str, str],
    window: tuple[dt.date | None, dt.date | None],
    valid: tuple[dt.date | None, dt.date | None],
    ingested_at: dt.datetime,
) -> Iterator[dict]:
    """Records of the folder's files, skipping indexed files that cannot hold a document of the window.

    Index entries are "size:mtime_ns:first_day:last_day" strings keyed by source and relative path; kept
    compact because dlt stores the whole state with every load. Files with a rejected record are never
    indexed, so they are read (and their rejection loaded) on every run, as before the index existed.
    """
    seen: set[str] = set()
    for path in document_files(folder):
        key = f"{source_name}:{path.relative_to(folder).as_posix()}"
        seen.add(key)
        stat = path.stat()
        signature = f"{stat.st_size}:{stat.st_mtime_ns}"
        entry = index.get(key, "")
        if entry.startswith(f"{signature}:") and not _overlaps(entry, *window):
            continue
        days: list[dt.date] = []
        clean = True
        for record in read_file(FileContext(source_name, folder, path, ingested_at)):
            record = check_range(record, *valid)
            clean = clean and record["rejected_reason"] is None
            if record["published_on"] is not None:
                days.append(record["published_on"])
            yield record
        if clean and days:
            index[key] = f"{signature}:{min(days).isoformat()}:{max(days).isoformat()}"
        else:
            index.pop(key, None)
    for gone in [k for k in index if k.startswith(f"{source_name}:") and k not in seen]:
        del index[gone]


def _overlaps(entry: str, start: dt.date | None, end: dt.date | None) -> bool:
    first, last = (dt.date.fromisoformat(day) for day in entry.split(":")[2:4])
    return (end is None or first < end) and (start is None or last >= start)


def document_files(folder: Path) -> list[Path]:
    return sorted(
        p
        for p in folder.rglob("*")
        if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith(".")
    )


def _in_window(published: dt.date | None, start: dt.date | None, end: dt.date | None) -> bool:
    if published is None:
        return False
    return (start is None or published >= start) and (end is None or published < end)
