"""Extract group: the facts each document states, as mentions with provenance, per publication day."""

import datetime as dt
import json
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial

import dagster as dg
import duckdb
import pandas as pd
from pydantic import Field

from airace_pipeline.defs.metadata import schema_check_result_from, schema_check_spec
from airace_pipeline.defs.partitions import DAILY_PARTITIONS, DUCKDB_POOL, SINGLE_RUN, window_dates
from airace_pipeline.defs.resources import ReferenceDataResource, WarehouseResource
from airace_pipeline.defs.retries import retry_transient
from airace_pipeline.extraction import RuleBasedExtractor
from airace_pipeline.extraction.fingerprint import extraction_fingerprint
from airace_pipeline.extraction.frames import ExtractionBatch
from airace_pipeline.extraction.model import Document
from airace_pipeline.extraction.parallel import MIN_DOCUMENTS_FOR_WORKERS, default_workers, extract_chunks
from airace_pipeline.sources.structured_facts import WithStructuredFacts
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


class ExtractionConfig(dg.Config):
    """How the extraction step uses the machine; the defaults suit a laptop and a 2-core server alike."""

    workers: int = Field(default=0, description="Worker processes; 0 = one per CPU core.")
    chunk_documents: int = Field(default=250, description="Documents per task sent to a worker.")
    batch_documents: int = Field(
        default=10_000,
        description="Documents read and written per transaction; bounds memory, and a crash loses at "
        "most one batch of work (the next run skips what was stored).",
    )


@dg.asset(
    deps=["documents"],
    group_name="extract",
    partitions_def=DAILY_PARTITIONS,
    backfill_policy=SINGLE_RUN,
    pool=DUCKDB_POOL,
    kinds={"python", "duckdb", "pandera"},
    description=(
        "Facts as stated in each sentence (extract.fact_mentions, extract.mention_participants), with the "
        "document, sentence and character span. Per publication day; only documents that are new or "
        "changed, or read by older extractor code or reference data, are read again. A document the "
        "extractor cannot handle is quarantined with the error."
    ),
    metadata={"dagster/table_name": f"{EXTRACT_SCHEMA}.{FACT_MENTIONS.name}"},
    check_specs=[
        schema_check_spec("fact_mentions", "FactMentionsModel"),
        dg.AssetCheckSpec(
            "row_conservation",
            asset="fact_mentions",
            description="Documents to extract = documents extracted; mentions produced = stored + quarantined.",
        ),
    ],
)
@retry_transient
def fact_mentions(
    context: dg.AssetExecutionContext,
    config: ExtractionConfig,
    warehouse: WarehouseResource,
    reference: ReferenceDataResource,
) -> dg.MaterializeResult:
    start, end = window_dates(context)
    fingerprint = extraction_fingerprint(reference.extraction_files())
    label = f"{RuleBasedExtractor.name}/{RuleBasedExtractor.version}"
    totals = _Totals()
    with warehouse.connect() as conn:
        conn.execute("BEGIN TRANSACTION")
        _forget_departed_documents(conn, start, end)
        conn.execute("COMMIT")
        in_window = conn.execute(
            "SELECT count(*) FROM main.documents WHERE published_on >= ? AND published_on < ?", [start, end]
        ).fetchone()[0]
        # Documents already read as they are now, by this extractor code with this reference data, are
        # skipped: a scheduled run reads only what is new, a run with nothing new reads nothing.
        pending = (
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
        workers = config.workers or default_workers()
        context.log.info(
            f"{in_window} documents published {start}..{end}: {len(pending)} to extract, "
            f"{in_window - len(pending)} unchanged since their last extraction (fingerprint {fingerprint}); "
            f"{workers if len(pending) >= MIN_DOCUMENTS_FOR_WORKERS else 1} worker process(es)"
        )
        began = time.monotonic()
        batches = extract_chunks(
            partial(build_extractor, reference.organisations()),
            _document_chunks(conn, pending, config.batch_documents, config.chunk_documents),
            workers=workers,
            expected_documents=len(pending),
        )
        for group in _grouped(batches, config.batch_documents):
            _store(conn, group, fingerprint, totals)
            rate = totals.documents / max(time.monotonic() - began, 1e-9)
            context.log.info(f"extracted {totals.documents}/{len(pending)} documents ({rate:.0f}/s)")
        conn.execute("BEGIN TRANSACTION")
        conn.execute(
            f"DELETE FROM {EXTRACT_SCHEMA}.{MENTION_PARTICIPANTS.name} "
            f"WHERE mention_id NOT IN (SELECT mention_id FROM {EXTRACT_SCHEMA}.{FACT_MENTIONS.name})"
        )
        conn.execute("COMMIT")
        total = conn.execute(f"SELECT count(*) FROM {EXTRACT_SCHEMA}.{FACT_MENTIONS.name}").fetchone()[0]

    skipped = in_window - len(pending)
    conserved = (
        len(pending) == totals.documents
        and totals.mentions_produced == totals.mentions_stored + totals.mentions_quarantined
    )
    context.log.info(
        f"{totals.mentions_produced} mentions from {totals.documents} documents; "
        f"{totals.mentions_quarantined} mentions and {totals.documents_failed} documents quarantined"
    )
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": total,
            "window_documents_in": in_window,
            "documents_extracted": totals.documents,
            "documents_skipped_unchanged": skipped,
            "window_documents_failed": totals.documents_failed,
            "window_mentions_produced": totals.mentions_produced,
            "window_mentions_stored": totals.mentions_stored,
            "window_mentions_quarantined": totals.mentions_quarantined,
            "window_participants_quarantined": totals.participants_quarantined,
            "extractor": label,
            "extractor_fingerprint": fingerprint,
            "extraction_seconds": round(time.monotonic() - began, 3),
        },
        check_results=[
            schema_check_result_from(totals.mentions_quarantined, totals.failure_sample, "fact_mentions"),
            dg.AssetCheckResult(
                check_name="row_conservation",
                asset_key=dg.AssetKey("fact_mentions"),
                passed=conserved,
                metadata={
                    "documents_to_extract": len(pending),
                    "documents_extracted": totals.documents,
                    "documents_skipped_unchanged": skipped,
                    "mentions_produced": totals.mentions_produced,
                },
            ),
        ],
    )


def build_extractor(organisations: list) -> WithStructuredFacts:
    """The extractor the pipeline runs (module-level, so worker processes can build their own)."""
    return WithStructuredFacts(RuleBasedExtractor(organisations))


@dataclass
class _Totals:
    documents: int = 0
    documents_failed: int = 0
    mentions_produced: int = 0
    mentions_stored: int = 0
    mentions_quarantined: int = 0
    participants_quarantined: int = 0
    failure_sample: list[dict[str, str]] = field(default_factory=list)


def _document_chunks(
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


def _grouped(batches: Iterator[ExtractionBatch], size: int) -> Iterator[ExtractionBatch]:
    """Chunks' results gathered into groups of about `size` documents, one transaction each."""
    group: list[ExtractionBatch] = []
    count = 0
    for batch in batches:
        group.append(batch)
        count += len(batch.document_runs)
        if count >= size:
            yield _concat(group)
            group, count = [], 0
    if group:
        yield _concat(group)


def _concat(batches: list[ExtractionBatch]) -> ExtractionBatch:
    return ExtractionBatch(
        *(
            pd.concat([getattr(b, f) for b in batches], ignore_index=True)
            for f in ("mentions", "participants", "document_runs")
        )
    )


def _store(
    conn: duckdb.DuckDBPyConnection, batch: ExtractionBatch, fingerprint: str, totals: _Totals
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
    quarantine = _quarantine(batch.document_runs, mentions_split, participants_split)

    conn.execute("BEGIN TRANSACTION")
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


# The quarantine rows the extract stage owns (documents the extractor failed on, mentions failing pandera).
_EXTRACT_QUARANTINE = (
    "((stage = 'extract' AND table_name = 'documents') "
    "OR (stage = 'validate' AND table_name IN ('fact_mentions', 'mention_participants')))"
)


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


def _quarantine(runs: pd.DataFrame, mentions: ValidationSplit, participants: ValidationSplit) -> pd.DataFrame:
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


def _forget_departed_documents(conn: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date) -> None:
    """Drop what documents no longer in `documents` (or no longer in this window) left behind."""
    departed = (
        "document_id NOT IN (SELECT document_id FROM main.documents) OR (published_on >= ? AND published_on < ? "
        "AND document_id NOT IN (SELECT document_id FROM main.documents WHERE published_on >= ? AND published_on < ?))"
    )
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
