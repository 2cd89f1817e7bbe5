"""How `main.documents` is written: the usable raw rows, validated, per publication-day window.

Rows failing `DocumentsModel` go to the stage quarantine (`stage = 'ingest'`) instead; rows in equals
rows out plus rows quarantined.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb

from airace_pipeline.validation.quarantine import quarantine_rows, split_valid
from airace_pipeline.validation.schemas import DocumentsModel
from airace_pipeline.warehouse.contract import DOCUMENTS
from airace_pipeline.warehouse.raw import raw_documents_union
from airace_pipeline.warehouse.working import EXTRACT_SCHEMA, STAGE_QUARANTINE
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
    reader = conn.cursor()
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
