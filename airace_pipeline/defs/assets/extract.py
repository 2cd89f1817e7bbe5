"""Extract group: the facts each document states, as mentions with provenance, per publication day."""

import datetime as dt
import json

import dagster as dg
import duckdb
import pandas as pd

from airace_pipeline.defs.metadata import schema_check_result, schema_check_spec
from airace_pipeline.defs.partitions import DAILY_PARTITIONS, DUCKDB_POOL, SINGLE_RUN, window_dates
from airace_pipeline.defs.resources import ReferenceDataResource, WarehouseResource
from airace_pipeline.defs.retries import retry_transient
from airace_pipeline.extraction import RuleBasedExtractor
from airace_pipeline.extraction.frames import extract_documents
from airace_pipeline.extraction.model import Document
from airace_pipeline.sources.structured_facts import WithStructuredFacts
from airace_pipeline.validation.quarantine import ValidationSplit, quarantine_rows, split_valid
from airace_pipeline.validation.schemas import FactMentionsModel, MentionParticipantsModel
from airace_pipeline.warehouse.working import (
    DOCUMENT_RUNS,
    EXTRACT_SCHEMA,
    FACT_MENTIONS,
    MENTION_PARTICIPANTS,
)
from airace_pipeline.warehouse.writes import insert_frame, replace_window_quarantine


@dg.asset(
    deps=["documents"],
    group_name="extract",
    partitions_def=DAILY_PARTITIONS,
    backfill_policy=SINGLE_RUN,
    pool=DUCKDB_POOL,
    kinds={"python", "duckdb", "pandera"},
    description=(
        "Facts as stated in each sentence (extract.fact_mentions, extract.mention_participants), with the "
        "document, sentence and character span. Rebuilt per publication day; a document the extractor "
        "cannot handle is quarantined with the error."
    ),
    metadata={"dagster/table_name": f"{EXTRACT_SCHEMA}.{FACT_MENTIONS.name}"},
    check_specs=[
        schema_check_spec("fact_mentions", "FactMentionsModel"),
        dg.AssetCheckSpec(
            "row_conservation",
            asset="fact_mentions",
            description="Documents in = documents extracted + quarantined; mentions out = stored + quarantined.",
        ),
    ],
)
@retry_transient
def fact_mentions(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, reference: ReferenceDataResource
) -> dg.MaterializeResult:
    start, end = window_dates(context)
    rule_based = RuleBasedExtractor(reference.organisations())
    with warehouse.connect() as conn:
        docs = conn.execute(
            "SELECT document_id, title, text, published_on, collection, source, structured_facts "
            "FROM main.documents WHERE published_on >= ? AND published_on < ? ORDER BY document_id",
            [start, end],
        ).df()
        # Facts the sources state as data (EOs, AIID incidents, EUR-Lex acts) join the text's mentions.
        with_facts = docs[docs["structured_facts"].notna()]
        extractor = WithStructuredFacts(
            rule_based, dict(zip(with_facts["document_id"], with_facts["structured_facts"], strict=True))
        )
        context.log.info(f"Extracting {len(docs)} documents published {start}..{end} with {extractor.name}")
        batch = extract_documents(
            extractor,
            (_document(row) for row in docs.itertuples(index=False)),
            progress=lambda n: context.log.info(f"extracted {n}/{len(docs)} documents"),
        )
        mentions_split = split_valid(batch.mentions, FactMentionsModel)
        kept_ids = set(mentions_split.valid["mention_id"])
        participants = batch.participants[batch.participants["mention_id"].isin(kept_ids)]
        participants_split = split_valid(participants, MentionParticipantsModel)
        runs = _with_rejections(batch.document_runs, mentions_split.rejected)
        quarantine = _quarantine(batch.document_runs, mentions_split, participants_split, docs)

        conn.execute("BEGIN TRANSACTION")
        _delete_window(conn, start, end, docs["document_id"].tolist())
        insert_frame(
            conn, EXTRACT_SCHEMA, FACT_MENTIONS.name, mentions_split.valid[FACT_MENTIONS.column_names]
        )
        insert_frame(
            conn,
            EXTRACT_SCHEMA,
            MENTION_PARTICIPANTS.name,
            participants_split.valid[MENTION_PARTICIPANTS.column_names],
        )
        insert_frame(conn, EXTRACT_SCHEMA, DOCUMENT_RUNS.name, runs)
        for stage, table in (
            ("extract", "documents"),
            ("validate", "fact_mentions"),
            ("validate", "mention_participants"),
        ):
            part = quarantine[(quarantine["stage"] == stage) & (quarantine["table_name"] == table)]
            replace_window_quarantine(conn, part, stage=stage, table_name=table, start=start, end=end)
        conn.execute("COMMIT")
        total = conn.execute(f"SELECT count(*) FROM {EXTRACT_SCHEMA}.{FACT_MENTIONS.name}").fetchone()[0]

    failed_docs = int(batch.document_runs["error"].notna().sum())
    produced = len(batch.mentions)
    conserved = (
        len(docs) == len(batch.document_runs)
        and produced == len(mentions_split.valid) + mentions_split.failure_count
    )
    context.log.info(
        f"{produced} mentions from {len(docs)} documents; {mentions_split.failure_count} mentions and "
        f"{failed_docs} documents quarantined"
    )
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": total,
            "window_documents_in": len(docs),
            "window_documents_failed": failed_docs,
            "window_mentions_produced": produced,
            "window_mentions_stored": len(mentions_split.valid),
            "window_mentions_quarantined": mentions_split.failure_count,
            "window_participants_quarantined": participants_split.failure_count,
            "extractor": f"{extractor.name}/{extractor.version}",
        },
        check_results=[
            schema_check_result(mentions_split, "fact_mentions"),
            dg.AssetCheckResult(
                check_name="row_conservation",
                asset_key=dg.AssetKey("fact_mentions"),
                passed=conserved,
                metadata={"documents_in": len(docs), "mentions_produced": produced},
            ),
        ],
    )


def _document(row: tuple) -> Document:
    published = row.published_on.date() if isinstance(row.published_on, pd.Timestamp) else row.published_on
    return Document(
        document_id=row.document_id,
        title=row.title or "",
        text=row.text,
        published_on=published,
        collection=row.collection,
        source=row.source or "",
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


def _quarantine(
    runs: pd.DataFrame, mentions: ValidationSplit, participants: ValidationSplit, docs: pd.DataFrame
) -> pd.DataFrame:
    """Quarantine rows of this window: documents the extractor failed on, and rows failing validation."""
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
        dict(zip(docs["document_id"], docs["published_on"], strict=True))
    )
    return out


def _delete_window(
    conn: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date, document_ids: list[str]
) -> None:
    """Drop what this window produced before, and what documents that left `documents` left behind."""
    for table in (FACT_MENTIONS.name, DOCUMENT_RUNS.name):
        conn.execute(
            f"DELETE FROM {EXTRACT_SCHEMA}.{table} WHERE (published_on >= ? AND published_on < ?) "
            "OR document_id IN (SELECT unnest(?::VARCHAR[])) "
            "OR document_id NOT IN (SELECT document_id FROM main.documents)",
            [start, end, document_ids],
        )
    conn.execute(
        f"DELETE FROM {EXTRACT_SCHEMA}.{MENTION_PARTICIPANTS.name} "
        f"WHERE mention_id NOT IN (SELECT mention_id FROM {EXTRACT_SCHEMA}.{FACT_MENTIONS.name})"
    )
