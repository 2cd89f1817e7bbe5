"""How the extract tables are written: `fact_mentions`, `mention_participants`, `document_runs` and the
extract stage's quarantine rows, always replaced per document in one transaction.

`document_runs` records which text (content_sha256, publication day) each document was read in and with
which extractor fingerprint: it is what lets a run skip documents already read as they are.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from airace_pipeline.extraction.frames import ExtractionBatch
from airace_pipeline.extraction.model import Document
from airace_pipeline.validation.quarantine import ValidationSplit, quarantine_rows, split_valid
from airace_pipeline.validation.schemas import FactMentionsModel, MentionParticipantsModel
from airace_pipeline.warehouse.working import (
    DOCUMENT_RUNS,
    EXTRACT_SCHEMA,
    FACT_MENTIONS,
    MENTION_PARTICIPANTS,
    STAGE_QUARANTINE,
)
from airace_pipeline.warehouse.writes import insert_frame

# The quarantine rows the extract stage owns (documents the extractor failed on, mentions failing pandera).
_EXTRACT_QUARANTINE = (
    "((stage = 'extract' AND table_name = 'documents') "
    "OR (stage = 'validate' AND table_name IN ('fact_mentions', 'mention_participants')))"
)


@dataclass
class ExtractionTotals:
    """Running figures of one extraction, for the row-conservation check and the metadata."""

    documents: int = 0
    documents_failed: int = 0
    mentions_produced: int = 0
    mentions_stored: int = 0
    mentions_quarantined: int = 0
    participants_quarantined: int = 0
    failure_sample: list[dict[str, str]] = field(default_factory=list)


def forget_departed_documents(conn: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date) -> None:
    """Drop what documents no longer in `documents` (or no longer in this window) left behind."""
    departed = (
        "document_id NOT IN (SELECT document_id FROM main.documents) OR (published_on >= ? AND published_on < ? "
        "AND document_id NOT IN (SELECT document_id FROM main.documents WHERE published_on >= ? AND published_on < ?))"
    )
    conn.execute("BEGIN TRANSACTION")
    for table in (FACT_MENTIONS.name, DOCUMENT_RUNS.name):
        conn.execute(f"DELETE FROM {EXTRACT_SCHEMA}.{table} WHERE {departed}", [start, end, start, end])
    conn.execute(
        f"DELETE FROM {EXTRACT_SCHEMA}.{STAGE_QUARANTINE.name} WHERE {_EXTRACT_QUARANTINE} AND ({departed})",
        [start, end, start, end],
    )
    conn.execute(
        f"DELETE FROM {EXTRACT_SCHEMA}.{MENTION_PARTICIPANTS.name} "
        f"WHERE document_id NOT IN (SELECT document_id FROM {EXTRACT_SCHEMA}.{DOCUMENT_RUNS.name})"
    )
    conn.execute("COMMIT")


def count_window_documents(conn: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date) -> int:
    return conn.execute(
        "SELECT count(*) FROM main.documents WHERE published_on >= ? AND published_on < ?", [start, end]
    ).fetchone()[0]


def pending_in_window(
    conn: duckdb.DuckDBPyConnection, fingerprint: str, start: dt.date, end: dt.date
) -> list[str]:
    """Ids of the window's documents not yet read as they are now by this extractor code and reference
    data: a scheduled run reads only what is new, a run with nothing new reads nothing."""
    return (
        conn.execute(
            "SELECT d.document_id FROM main.documents d LEFT JOIN extract.document_runs r "
            "ON r.document_id = d.document_id AND r.content_sha256 = d.content_sha256 "
            "AND r.published_on = d.published_on AND r.fingerprint = ? AND r.error IS NULL "
            "WHERE d.published_on >= ? AND d.published_on < ? AND r.document_id IS NULL "
            "ORDER BY d.document_id",
            [fingerprint, start, end],
        )
        .fetchnumpy()["document_id"]
        .tolist()
    )


def never_extracted(conn: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date) -> list[str]:
    """Ids of the documents outside [start, end) never read in their current text and day, by any
    extractor: those a live source loaded dated before the window, or a killed backfill left unread.

    Outside the window a document read by older extractor code or reference data is not read again:
    that is a backfill's job (`make run`), so a daily run stays as cheap as its new documents.
    """
    return (
        conn.execute(
            "SELECT d.document_id FROM main.documents d WHERE NOT (d.published_on >= ? AND d.published_on < ?) "
            f"AND NOT EXISTS (SELECT 1 FROM {EXTRACT_SCHEMA}.{DOCUMENT_RUNS.name} r "
            "WHERE r.document_id = d.document_id AND r.content_sha256 = d.content_sha256 "
            "AND r.published_on = d.published_on) ORDER BY d.document_id",
            [start, end],
        )
        .fetchnumpy()["document_id"]
        .tolist()
    )


def document_chunks(
    conn: duckdb.DuckDBPyConnection, ids: list[str], batch: int, chunk: int
) -> Iterator[list[Document]]:
    """The pending documents, read `batch` at a time (never the window's whole text), in chunks."""
    for offset in range(0, len(ids), batch):
        rows = conn.execute(
            "SELECT document_id, title, text, published_on, collection, source, structured_facts, "
            "date_basis FROM main.documents WHERE document_id IN (SELECT unnest(?::VARCHAR[])) "
            "ORDER BY document_id",
            [ids[offset : offset + batch]],
        ).fetchall()
        documents = [_document(row) for row in rows]
        for i in range(0, len(documents), chunk):
            yield documents[i : i + chunk]


def store_extraction(
    conn: duckdb.DuckDBPyConnection, batch: ExtractionBatch, fingerprint: str, totals: ExtractionTotals
) -> None:
    """Validate one group and replace its documents' rows in one transaction (crash-safe per group)."""
    ids = batch.document_runs["document_id"].tolist()
    mentions_split = split_valid(batch.mentions, FactMentionsModel)
    kept_ids = set(mentions_split.valid["mention_id"])
    participants = batch.participants[batch.participants["mention_id"].isin(kept_ids)]
    participants_split = split_valid(participants, MentionParticipantsModel)
    hashes = dict(
        conn.execute(
            "SELECT document_id, content_sha256 FROM main.documents "
            "WHERE document_id IN (SELECT unnest(?::VARCHAR[]))",
            [ids],
        ).fetchall()
    )
    runs = _with_rejections(batch.document_runs, mentions_split.rejected).assign(
        content_sha256=lambda f: f["document_id"].map(hashes), fingerprint=fingerprint
    )
    quarantine = extraction_quarantine(batch.document_runs, mentions_split, participants_split)

    conn.execute("BEGIN TRANSACTION")
    _delete_documents_rows(conn, ids)
    insert_frame(conn, EXTRACT_SCHEMA, FACT_MENTIONS.name, mentions_split.valid[FACT_MENTIONS.column_names])
    insert_frame(
        conn,
        EXTRACT_SCHEMA,
        MENTION_PARTICIPANTS.name,
        participants_split.valid[MENTION_PARTICIPANTS.column_names],
    )
    insert_frame(conn, EXTRACT_SCHEMA, DOCUMENT_RUNS.name, runs[DOCUMENT_RUNS.column_names])
    insert_frame(conn, EXTRACT_SCHEMA, STAGE_QUARANTINE.name, quarantine)
    conn.execute("COMMIT")

    totals.documents += len(ids)
    totals.documents_failed += int(batch.document_runs["error"].notna().sum())
    totals.mentions_produced += len(batch.mentions)
    totals.mentions_stored += len(mentions_split.valid)
    totals.mentions_quarantined += mentions_split.failure_count
    totals.participants_quarantined += participants_split.failure_count
    if len(totals.failure_sample) < 5:
        totals.failure_sample.extend(mentions_split.sample(5 - len(totals.failure_sample)))


def _delete_documents_rows(conn: duckdb.DuckDBPyConnection, ids: list[str]) -> None:
    for table in (FACT_MENTIONS.name, DOCUMENT_RUNS.name, MENTION_PARTICIPANTS.name):
        conn.execute(
            f"DELETE FROM {EXTRACT_SCHEMA}.{table} WHERE document_id IN (SELECT unnest(?::VARCHAR[]))",
            [ids],
        )
    conn.execute(
        f"DELETE FROM {EXTRACT_SCHEMA}.{STAGE_QUARANTINE.name} WHERE {_EXTRACT_QUARANTINE} "
        "AND document_id IN (SELECT unnest(?::VARCHAR[]))",
        [ids],
    )


def prune_orphan_participants(conn: duckdb.DuckDBPyConnection) -> None:
    """Participants of mentions that are gone (a document re-read or removed) go with them."""
    conn.execute("BEGIN TRANSACTION")
    conn.execute(
        f"DELETE FROM {EXTRACT_SCHEMA}.{MENTION_PARTICIPANTS.name} "
        f"WHERE mention_id NOT IN (SELECT mention_id FROM {EXTRACT_SCHEMA}.{FACT_MENTIONS.name})"
    )
    conn.execute("COMMIT")


def count_mentions(conn: duckdb.DuckDBPyConnection) -> int:
    return conn.execute(f"SELECT count(*) FROM {EXTRACT_SCHEMA}.{FACT_MENTIONS.name}").fetchone()[0]


def _document(row: tuple) -> Document:
    document_id, title, text, published_on, collection, source, structured_facts, date_basis = row
    return Document(
        document_id=document_id,
        title=title or "",
        text=text,
        published_on=published_on,
        collection=collection,
        source=source or "",
        structured_facts=structured_facts,
        # A file's modification time orders the document in its partition; it dates no fact.
        date_known=date_basis != "file_modified",
    )


def _with_rejections(runs: pd.DataFrame, rejected: pd.DataFrame) -> pd.DataFrame:
    if rejected.empty:
        return runs
    counts = rejected.groupby("document_id").size()
    runs = runs.copy()
    rejected_per_doc = runs["document_id"].map(counts).fillna(0).astype(int)
    runs["rejected_mentions"] = rejected_per_doc
    runs["mention_count"] = runs["mention_count"] - rejected_per_doc
    return runs


def extraction_quarantine(
    runs: pd.DataFrame, mentions: ValidationSplit, participants: ValidationSplit
) -> pd.DataFrame:
    """Quarantine rows of one group: documents the extractor failed on, and rows failing validation."""
    failed = runs[runs["error"].notna()]
    extractor_failures = pd.DataFrame(
        {
            "stage": "extract",
            "record": [json.dumps({"document_id": d}) for d in failed["document_id"]],
            "reason": "extractor failed: " + failed["error"],
            "document_id": failed["document_id"],
            "quarantined_at": dt.datetime.now(tz=dt.UTC),
            "table_name": "documents",
        }
    )
    out = pd.concat(
        [
            extractor_failures,
            quarantine_rows(mentions, stage="validate", table_name="fact_mentions"),
            quarantine_rows(participants, stage="validate", table_name="mention_participants"),
        ],
        ignore_index=True,
    )
    out["published_on"] = out["document_id"].map(
        dict(zip(runs["document_id"], runs["published_on"], strict=True))
    )
    return out
