"""Extract group: the facts each document states, as mentions with provenance, per publication day."""

import time
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from functools import partial

import dagster as dg
import pandas as pd
from pydantic import Field

from airace_pipeline.defs.metadata import schema_check_result_from, schema_check_spec
from airace_pipeline.defs.partitions import DAILY_PARTITIONS, DUCKDB_POOL, SINGLE_RUN, window_dates
from airace_pipeline.defs.resources import (
    ExtractionEngineResource,
    ReferenceDataResource,
    WarehouseResource,
)
from airace_pipeline.defs.retries import retry_transient
from airace_pipeline.engines.distributed import cluster_workers, connect, extract_chunks_on_cluster
from airace_pipeline.engines.process_pool import (
    MIN_DOCUMENTS_FOR_WORKERS,
    ExtractorFactory,
    default_workers,
    extract_chunks,
)
from airace_pipeline.extraction import RuleBasedExtractor
from airace_pipeline.extraction.fingerprint import extraction_fingerprint
from airace_pipeline.extraction.frames import ExtractionBatch
from airace_pipeline.extraction.model import Document
from airace_pipeline.extraction.structured_facts import WithStructuredFacts
from airace_pipeline.reference.policies import DEFAULT_POLICIES_PATH
from airace_pipeline.warehouse.mentions import (
    ExtractionTotals,
    count_mentions,
    count_window_documents,
    document_chunks,
    forget_departed_documents,
    never_extracted,
    pending_in_window,
    prune_orphan_participants,
    store_extraction,
)
from airace_pipeline.warehouse.working import EXTRACT_SCHEMA, FACT_MENTIONS


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
        "changed, or read by older extractor code or reference data, are read again. Documents of other "
        "days never read in their current text are read too (not those read by older code: a backfill "
        "does that). A document the extractor cannot handle is quarantined with the error. Extraction "
        "runs in worker processes on this machine, or on a Dask cluster when AIRACE_DASK_SCHEDULER is set."
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
    extraction_engine: ExtractionEngineResource,
) -> dg.MaterializeResult:
    start, end = window_dates(context)
    fingerprint = extraction_fingerprint(reference.extraction_files())
    label = f"{RuleBasedExtractor.name}/{RuleBasedExtractor.version}"
    totals = ExtractionTotals()
    with warehouse.connect() as conn, ExitStack() as engine_scope:
        forget_departed_documents(conn, start, end)
        in_window = count_window_documents(conn, start, end)
        in_window_pending = pending_in_window(conn, fingerprint, start, end)
        other_days = never_extracted(conn, start, end)
        pending = in_window_pending + other_days
        began = time.monotonic()
        # Nothing pending (a scheduled run with nothing new): no gazetteer read, no extractor built and no
        # cluster contacted, about a second of such a run. Decided here, not in extraction/, whose every
        # edit changes the extractor fingerprint and so re-extracts the archive.
        engine, workers, batches = (
            _start_extraction(
                engine_scope,
                extraction_engine,
                config,
                partial(build_extractor, reference.organisations()),
                document_chunks(conn, pending, config.batch_documents, config.chunk_documents),
                len(pending),
            )
            if pending
            else ("none (nothing to extract)", 0, iter(()))
        )
        context.log.info(
            f"{in_window} documents published {start}..{end}: {len(in_window_pending)} to extract, "
            f"{in_window - len(in_window_pending)} unchanged since their last extraction (fingerprint "
            f"{fingerprint}); {len(other_days)} of other days never extracted as they are; "
            f"extraction engine: {engine}, {workers} worker process(es)"
        )
        for group in _grouped(batches, config.batch_documents):
            store_extraction(conn, group, fingerprint, totals)
            rate = totals.documents / max(time.monotonic() - began, 1e-9)
            context.log.info(f"extracted {totals.documents}/{len(pending)} documents ({rate:.0f}/s)")
        prune_orphan_participants(conn)
        total = count_mentions(conn)

    skipped = in_window - len(in_window_pending)
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
            "other_days_documents_extracted": len(other_days),
            "window_documents_failed": totals.documents_failed,
            "window_mentions_produced": totals.mentions_produced,
            "window_mentions_stored": totals.mentions_stored,
            "window_mentions_quarantined": totals.mentions_quarantined,
            "window_participants_quarantined": totals.participants_quarantined,
            "extractor": label,
            "extractor_fingerprint": fingerprint,
            "extraction_seconds": round(time.monotonic() - began, 3),
            "extraction_engine": engine,
            "extraction_workers": workers,
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


def extractor_code_version() -> str:
    """What a Dask worker must share with this step before it extracts: the extractor's code and the
    reference data it reads from its own disk (the organisations travel with the factory). Module-level,
    so workers run their own copy; paths resolved on each side, as checkouts may differ in place."""
    return extraction_fingerprint([DEFAULT_POLICIES_PATH])


def _start_extraction(
    scope: ExitStack,
    engine: ExtractionEngineResource,
    config: ExtractionConfig,
    factory: ExtractorFactory,
    chunks: Iterable[list[Document]],
    pending: int,
) -> tuple[str, int, Iterator[ExtractionBatch]]:
    """(engine description, worker processes, batches): on the Dask cluster when one is configured,
    whatever the number of documents, since its workers run already; else in local worker processes
    when there are enough documents to pay for starting them, else in this process."""
    if engine.dask_scheduler:
        client = scope.enter_context(connect(engine.dask_scheduler, timeout=engine.connect_timeout_seconds))
        processes, threads = cluster_workers(client)
        batches = extract_chunks_on_cluster(client, factory, chunks, version=extractor_code_version)
        # Closed before the client (the scope unwinds last in, first out): a failed write cancels the
        # chunks still in flight while the client can still say so.
        scope.callback(batches.close)
        return f"dask {engine.dask_scheduler} ({threads} worker thread(s))", processes, batches
    workers = config.workers or default_workers()
    used = workers if pending >= MIN_DOCUMENTS_FOR_WORKERS else 1
    description = "local worker processes" if used > 1 else "this process"
    return description, used, extract_chunks(factory, chunks, workers=workers, expected_documents=pending)


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
