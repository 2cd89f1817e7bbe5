"""How `main.documents` is written: the usable raw rows of the enabled sources, validated.

A run copies its partition window whole (so a backfill rewrites exactly its days), then every other
usable raw row not yet in `documents` as it is now: a new id, or a changed text (content_sha256) or
publication day, whatever that day is. Live sources load items dated months before the scheduled
window (an AIID incident, an RSS item, a Federal Register document published today), and a backfill
killed half-way leaves its days part-copied; both reach `documents` on the next run of any day. Other
changes to a row outside the window (a new title, say) wait for a backfill of its day, so a daily run
compares three columns rather than the text of every document.

Rows failing `DocumentsModel` go to the stage quarantine (`stage = 'ingest'`) instead; rows in equals
rows out plus rows quarantined. A row counts as processed once it is in `documents` or in the quarantine
as it is now; `unprocessed_raw_rows` counts the others (always none after a run).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb

from airace_pipeline.validation.quarantine import quarantine_rows, split_valid
from airace_pipeline.validation.schemas import DocumentsModel
from airace_pipeline.warehouse.connection import reader_cursor
from airace_pipeline.warehouse.contract import DOCUMENTS
from airace_pipeline.warehouse.raw import raw_documents_union
from airace_pipeline.warehouse.working import ENABLED_SOURCES, EXTRACT_SCHEMA, STAGE_QUARANTINE
from airace_pipeline.warehouse.writes import delete_window_quarantine, insert_frame

# DuckDB vectors (2,048 rows each) validated and inserted at a time, so the window's text is never in
# memory all at once.
_DOCUMENT_BATCH_VECTORS = 10


@dataclass
class DocumentsCopy:
    """What one copy from raw into `documents` did: rows in = rows out + rows quarantined."""

    rows_in: int = 0
    rows_out: int = 0
    rows_quarantined: int = 0
    failure_sample: list[dict[str, str]] = field(default_factory=list)


def copy_window(conn: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date) -> DocumentsCopy:
    """Replace the documents published in [start, end) with the window's usable raw rows.

    Idempotent per window: the window's rows (and any row since moved here or rejected at ingest) are
    dropped first, so re-running a window gives the same table.
    """
    union = raw_documents_union(conn)
    _clear_window(conn, union, start, end)
    copied = DocumentsCopy()
    if union is not None:
        _insert_raw_rows(
            conn,
            f"SELECT * EXCLUDE (rejected_reason) FROM ({union}) WHERE rejected_reason IS NULL "
            "AND published_on >= ? AND published_on < ?",
            [start, end],
            copied,
        )
    return copied


def keep_enabled_sources(conn: duckdb.DuckDBPyConnection, names: list[str]) -> int:
    """Record the enabled entries of the sources file and drop the documents of any other entry.

    A document whose entry was removed from the file (or disabled) leaves `documents` here, with its
    ingest quarantine rows; the extract stage then drops its mentions (they have no document) and the
    fact tables re-cluster without them. Its raw rows stay, unread. Returns the documents removed.
    """
    conn.execute("BEGIN TRANSACTION")
    conn.execute(f"DELETE FROM {EXTRACT_SCHEMA}.{ENABLED_SOURCES.name}")
    conn.execute(
        f"INSERT INTO {EXTRACT_SCHEMA}.{ENABLED_SOURCES.name} SELECT DISTINCT unnest(?::VARCHAR[])", [names]
    )
    enabled = f"(SELECT source_name FROM {EXTRACT_SCHEMA}.{ENABLED_SOURCES.name})"
    # Counted, then deleted: a DuckLake table (the working state in the lake) has no DELETE ... RETURNING.
    (removed,) = conn.execute(
        f"SELECT count(*) FROM main.documents WHERE source_name NOT IN {enabled}"
    ).fetchone()
    conn.execute(f"DELETE FROM main.documents WHERE source_name NOT IN {enabled}")
    conn.execute(
        f"DELETE FROM {EXTRACT_SCHEMA}.{STAGE_QUARANTINE.name} WHERE stage = 'ingest' "
        "AND table_name = 'documents' "
        f"AND coalesce(json_extract_string(record, '$.source_name'), '') NOT IN {enabled}"
    )
    conn.execute("COMMIT")
    return removed


# A usable raw row (alias r) that is neither in `documents` nor in the ingest quarantine as it is now.
_UNPROCESSED = f"""r.rejected_reason IS NULL
AND NOT EXISTS (SELECT 1 FROM main.documents d WHERE d.document_id = r.document_id
    AND d.content_sha256 = r.content_sha256 AND d.published_on = r.published_on)
AND NOT EXISTS (SELECT 1 FROM {EXTRACT_SCHEMA}.{STAGE_QUARANTINE.name} q
    WHERE q.stage = 'ingest' AND q.table_name = 'documents'
    AND q.document_id IS NOT DISTINCT FROM r.document_id
    AND json_extract_string(q.record, '$.content_sha256') IS NOT DISTINCT FROM r.content_sha256
    AND q.published_on IS NOT DISTINCT FROM r.published_on)"""


def copy_unprocessed(conn: duckdb.DuckDBPyConnection) -> DocumentsCopy:
    """Copy every usable raw row not yet in `documents` as it is now, whatever its publication day.

    Their old rows (documents and ingest quarantine) are dropped first in one transaction; a crash
    before the copy finishes leaves them unprocessed, and the next run copies them.
    """
    copied = DocumentsCopy()
    union = raw_documents_union(conn)
    if union is None:
        return copied
    ids = (
        conn.execute(f"SELECT r.document_id FROM ({union}) r WHERE {_UNPROCESSED}")
        .fetchnumpy()["document_id"]
        .tolist()
    )
    if not ids:
        return copied
    conn.execute("BEGIN TRANSACTION")
    conn.execute("DELETE FROM main.documents WHERE document_id IN (SELECT unnest(?::VARCHAR[]))", [ids])
    conn.execute(
        f"DELETE FROM {EXTRACT_SCHEMA}.{STAGE_QUARANTINE.name} WHERE stage = 'ingest' "
        "AND table_name = 'documents' AND document_id IN (SELECT unnest(?::VARCHAR[]))",
        [ids],
    )
    conn.execute("COMMIT")
    _insert_raw_rows(
        conn,
        f"SELECT * EXCLUDE (rejected_reason) FROM ({union}) WHERE rejected_reason IS NULL "
        "AND document_id IN (SELECT unnest(?::VARCHAR[]))",
        [ids],
        copied,
    )
    return copied


def unprocessed_raw_rows(conn: duckdb.DuckDBPyConnection, sample: int = 10) -> tuple[int, list[str]]:
    """How many usable raw rows of the enabled sources are neither in `documents` nor quarantined as
    they are now, and a few of their ids (for the check's metadata)."""
    union = raw_documents_union(conn)
    if union is None:
        return 0, []
    rows = conn.execute(
        f"SELECT r.document_id, count(*) OVER () FROM ({union}) r WHERE {_UNPROCESSED} "
        "ORDER BY r.document_id LIMIT ?",
        [sample],
    ).fetchall()
    return (rows[0][1] if rows else 0), [document_id for document_id, _ in rows]


def count_documents(conn: duckdb.DuckDBPyConnection) -> int:
    return conn.execute("SELECT count(*) FROM main.documents").fetchone()[0]


def _clear_window(conn: duckdb.DuckDBPyConnection, union: str | None, start: dt.date, end: dt.date) -> None:
    rejected_ids: list[str] = []
    if union is not None:
        rejected_ids = (
            conn.execute(f"SELECT document_id FROM ({union}) WHERE rejected_reason IS NOT NULL")
            .fetchnumpy()["document_id"]
            .tolist()
        )
    conn.execute("BEGIN TRANSACTION")
    conn.execute(
        "DELETE FROM main.documents WHERE (published_on >= ? AND published_on < ?) "
        "OR document_id IN (SELECT unnest(?::VARCHAR[]))",
        [start, end, rejected_ids],
    )
    delete_window_quarantine(conn, stage="ingest", table_name="documents", start=start, end=end)
    if union is not None:
        # A document that moved into this window from another day replaces its old row: one set-based
        # delete here, not one per batch (each of those scanned the whole table).
        conn.execute(
            f"DELETE FROM main.documents WHERE document_id IN (SELECT document_id FROM ({union}) "
            "WHERE rejected_reason IS NULL AND published_on >= ? AND published_on < ?)",
            [start, end],
        )
    conn.execute("COMMIT")


def _insert_raw_rows(
    conn: duckdb.DuckDBPyConnection, select_sql: str, params: list, copied: DocumentsCopy
) -> None:
    """Validate and insert the rows `select_sql` returns, a few vectors per transaction.

    Each batch is committed on its own. DuckDB keeps a transaction's uncommitted inserts in memory,
    beyond memory_limit: one transaction over a million documents' text took 4 GB. A crash between
    batches leaves the rows part-written, and the re-run writes them again.
    """
    # A second connection streams the raw rows while this one writes (the raw tables are not written
    # here, so the reader's snapshot is the same as the writer's).
    reader = reader_cursor(conn)
    try:
        reader.execute(select_sql, params)
        while not (incoming := reader.fetch_df_chunk(_DOCUMENT_BATCH_VECTORS)).empty:
            conn.execute("BEGIN TRANSACTION")
            split = split_valid(incoming, DocumentsModel)
            quarantine = quarantine_rows(split, stage="ingest", table_name="documents")
            quarantine["published_on"] = split.rejected["published_on"].to_numpy()
            insert_frame(conn, "main", DOCUMENTS.name, split.valid[DOCUMENTS.column_names])
            insert_frame(conn, EXTRACT_SCHEMA, STAGE_QUARANTINE.name, quarantine)
            conn.execute("COMMIT")
            copied.rows_in += len(incoming)
            copied.rows_out += len(split.valid)
            copied.rows_quarantined += split.failure_count
            copied.failure_sample.extend(split.sample(max(0, 5 - len(copied.failure_sample))))
    finally:
        reader.close()
