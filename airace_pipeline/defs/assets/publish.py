"""Publish group: the reader file, replaced atomically after every successful run."""

import dagster as dg

from airace_pipeline.defs.partitions import DUCKDB_POOL, SINGLE_RUN
from airace_pipeline.defs.resources import WarehouseResource
from airace_pipeline.defs.retries import retry_transient
from airace_pipeline.warehouse.contract import CONTRACT
from airace_pipeline.warehouse.raw import raw_documents_union


@dg.asset(
    deps=[t.name for t in CONTRACT],
    group_name="publish",
    backfill_policy=SINGLE_RUN,
    pool=DUCKDB_POOL,
    kinds={"duckdb"},
    description=(
        "The DuckDB file SQL readers open (AIRACE_DUCKDB_PATH, default data/airace.duckdb): every contract "
        "table, written aside and renamed into place, so a reader never meets a lock or half a run. "
        "Readers see a new run when they reconnect. The new file starts from a copy of the previous one "
        "and rewrites only what changed; a run that changed nothing leaves the file as it is. With "
        "AIRACE_LAKE_CATALOG set, the same tables then go into a DuckLake (docs/scaling-lake.md)."
    ),
    check_specs=[
        dg.AssetCheckSpec(
            "keys_and_foreign_keys",
            asset="published_warehouse",
            description=(
                "Primary keys unique, foreign keys resolve, every fact has evidence, and every table holds "
                "the working tables' rows (count and content), checked on the staged file before it is "
                "renamed into place; a failed check fails the asset and leaves the previous file."
            ),
        )
    ],
)
@retry_transient
def published_warehouse(
    context: dg.AssetExecutionContext, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    with warehouse.connect() as conn:
        raw = raw_documents_union(conn) or "SELECT NULL AS document_id WHERE false"
        publication = warehouse.publish(conn, context.run.run_id, raw)
    # The lake (when configured) gets the file just published and verified, never the working tables.
    lake = warehouse.publish_to_lake()
    if lake is not None:
        context.log.info(
            f"Lake snapshot {lake.snapshot_id}: tables replaced {', '.join(lake.tables_replaced) or 'none'}"
        )
    checked = publication.verification
    summary = ", ".join(f"{name} {count}" for name, count in publication.counts.items())
    context.log.info(
        f"Published {warehouse.published} ({publication.mode}: {publication.reason}; tables rewritten: "
        f"{', '.join(publication.tables_rewritten) or 'none'}; documents removed "
        f"{publication.documents_removed}, written {publication.documents_written}): {summary}"
    )
    return dg.MaterializeResult(
        metadata={
            "path": str(warehouse.published),
            "publish_mode": publication.mode,
            "publish_reason": publication.reason,
            "tables_rewritten": list(publication.tables_rewritten),
            "documents_removed": publication.documents_removed,
            "documents_written": publication.documents_written,
            **{f"rows/{name}": n for name, n in publication.counts.items()},
            **(
                {}
                if lake is None
                else {
                    "lake_snapshot_id": lake.snapshot_id,
                    "lake_tables_replaced": list(lake.tables_replaced),
                    "lake_rows": lake.rows,
                }
            ),
        },
        check_results=[
            dg.AssetCheckResult(
                check_name="keys_and_foreign_keys",
                passed=True,  # publication raises (failing the asset) when a check fails
                metadata={
                    "checked_file": checked.file,
                    "violations": "none",
                    "integrity_rules": checked.integrity_rules,
                    "rows_conserved": checked.rows_conserved,
                },
            )
        ],
    )
