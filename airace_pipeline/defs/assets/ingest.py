"""Ingest group: dlt loads each source's documents into the raw dataset; `documents` unions them.

The dlt asset is built inside a function called when the definitions load (not at import): dagster-dlt
needs a dlt pipeline object for its specs, and creating one touches the disk. The live sources' assets
(fetched without the `duckdb` pool, loaded within it) are in `live.py`.
"""

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

import dagster as dg
import dlt
from dagster_dlt import DagsterDltResource, DagsterDltTranslator, dlt_assets
from dagster_dlt.translator import DltResourceTranslatorData

from airace_pipeline.defs.metadata import schema_check_result_from, schema_check_spec, table_metadata
from airace_pipeline.defs.partitions import (
    DAILY_PARTITIONS,
    DUCKDB_POOL,
    PARTITIONS_START,
    SINGLE_RUN,
    last_partition_day,
    window_dates,
)
from airace_pipeline.defs.resources import SourcesResource, WarehouseResource
from airace_pipeline.defs.retries import retry_transient
from airace_pipeline.sources.local_folder import RESOURCE_NAME, local_documents_source
from airace_pipeline.warehouse.connection import lock_errors_as_transient
from airace_pipeline.warehouse.contract import DOCUMENTS
from airace_pipeline.warehouse.documents import (
    copy_unprocessed,
    copy_window,
    count_documents,
    keep_enabled_sources,
    unprocessed_raw_rows,
)
from airace_pipeline.warehouse.raw import RAW_DATASET, ingest_counts

LOCAL_PIPELINE_NAME = "airace_local_documents"


class RawDocumentsTranslator(DagsterDltTranslator):
    """Names dlt resources `raw/<resource>` in the ingest group, with no upstream phantom asset."""

    def get_asset_spec(self, data: DltResourceTranslatorData) -> dg.AssetSpec:
        default = super().get_asset_spec(data)
        return default.replace_attributes(
            key=dg.AssetKey(["raw", data.resource.name]),
            deps=[],
            group_name="ingest",
            description=(
                "Raw documents as loaded by dlt, merged on document_id, including files that could not be "
                "used (rejected_reason set; they surface in `quarantine`)."
            ),
            kinds={"dlt", "duckdb"},
        )


def build_local_documents_asset() -> dg.AssetsDefinition:
    spec_pipeline = dlt.pipeline(
        pipeline_name=LOCAL_PIPELINE_NAME, destination="duckdb", dataset_name=RAW_DATASET
    )

    @dlt_assets(
        dlt_source=local_documents_source(),
        dlt_pipeline=spec_pipeline,
        name="raw_local_documents",
        dagster_dlt_translator=RawDocumentsTranslator(),
        partitions_def=DAILY_PARTITIONS,
        backfill_policy=SINGLE_RUN,
        pool=DUCKDB_POOL,
    )
    @retry_transient
    def raw_local_documents(
        context: dg.AssetExecutionContext,
        dlt_resource: DagsterDltResource,
        sources: SourcesResource,
        warehouse: WarehouseResource,
    ) -> Iterator[Any]:
        start, end = window_dates(context)
        folders = [(s.name, str(s.path)) for s in sources.load().enabled("local_folder")]
        context.log.info(f"Reading {len(folders)} local folder source(s) for {start}..{end} (end exclusive)")
        pipeline = dlt.pipeline(
            pipeline_name=LOCAL_PIPELINE_NAME,
            destination=warehouse.dlt_destination(),
            dataset_name=RAW_DATASET,
            pipelines_dir=str(warehouse.dlt_pipelines_dir),
        )
        source = local_documents_source(
            folders=folders,
            window_start=start,
            window_end=end,
            valid_from=PARTITIONS_START,
            valid_until=last_partition_day(),
        )
        with lock_errors_as_transient(warehouse.working):
            for event in dlt_resource.run(context=context, dlt_source=source, dlt_pipeline=pipeline):
                if isinstance(event, dg.MaterializeResult):
                    event = with_ingest_counts(event, warehouse, RESOURCE_NAME)
                yield event

    return raw_local_documents


def with_ingest_counts(
    event: dg.MaterializeResult,
    warehouse: WarehouseResource,
    table: str,
    fetched_since: dt.datetime | None = None,
    mode: str | None = None,
) -> dg.MaterializeResult:
    """Add what users ask first after a load: how many documents are usable and how many were rejected
    (and, for a live source, how many of them were fetched for this load: stamped since `fetched_since`)."""
    with warehouse.connect() as conn:
        counts = ingest_counts(conn, table, fetched_since)
    if counts is None:
        return event
    usable, rejected, loaded_now, rejected_now = counts
    metadata = {**(event.metadata or {}), "usable_documents_total": usable, "rejected_files_total": rejected}
    if fetched_since is not None:
        metadata |= {"mode": mode, "rows_loaded_this_run": loaded_now, "rejected_this_run": rejected_now}
    return dg.MaterializeResult(asset_key=event.asset_key, metadata=metadata)


def build_documents_asset(raw_keys: Sequence[dg.AssetKey]) -> dg.AssetsDefinition:
    """`documents` depends on the raw assets of the enabled sources only, so lineage shows no phantom."""
    return dg.asset(
        name="documents",
        deps=list(raw_keys),
        group_name="ingest",
        partitions_def=DAILY_PARTITIONS,
        backfill_policy=SINGLE_RUN,
        pool=DUCKDB_POOL,
        kinds={"duckdb", "pandera"},
        description=DOCUMENTS.description
        + " Each run rewrites its publication days from the raw tables, then copies every other raw row "
        "not yet here as it is now (whatever its day), and drops the documents of entries no longer "
        "enabled in the sources file (warehouse/documents.py).",
        metadata=table_metadata(DOCUMENTS),
        check_specs=[
            schema_check_spec("documents", "DocumentsModel"),
            dg.AssetCheckSpec(
                RAW_ROWS_CHECK,
                asset="documents",
                description="Every usable raw row of an enabled source is in documents or in quarantine as "
                "it is now (a row left behind would never reach the facts or the published file).",
            ),
        ],
    )(retry_transient(_documents))


RAW_ROWS_CHECK = "raw_rows_processed"


def _documents(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource, sources: SourcesResource
) -> dg.MaterializeResult:
    start, end = window_dates(context)
    enabled = [spec.name for spec in sources.load().sources if spec.enabled]
    with warehouse.connect() as conn:
        removed = keep_enabled_sources(conn, enabled)
        context.log.info(f"documents: copying the raw rows of {start}..{end}")
        window = copy_window(conn, start, end)
        outside = copy_unprocessed(conn)
        left, left_sample = unprocessed_raw_rows(conn)
        total = count_documents(conn)
    quarantined = window.rows_quarantined + outside.rows_quarantined
    context.log.info(
        f"{window.rows_out} documents in {start}..{end}, {outside.rows_out} from other days not copied "
        f"before; {quarantined} quarantined; {removed} removed with their source entry"
    )
    return dg.MaterializeResult(
        metadata={
            "dagster/row_count": total,
            "window_rows_in": window.rows_in,
            "window_rows_out": window.rows_out,
            "window_rows_quarantined": window.rows_quarantined,
            "other_days_rows_in": outside.rows_in,
            "other_days_rows_out": outside.rows_out,
            "other_days_rows_quarantined": outside.rows_quarantined,
            "documents_of_removed_sources": removed,
        },
        check_results=[
            schema_check_result_from(quarantined, (window.failure_sample + outside.failure_sample)[:5]),
            dg.AssetCheckResult(
                check_name=RAW_ROWS_CHECK,
                passed=left == 0,
                severity=dg.AssetCheckSeverity.ERROR,
                metadata={"unprocessed_rows": left, "sample_document_ids": left_sample},
            ),
        ],
    )
