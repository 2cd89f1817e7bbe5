"""Report group: the analysts' HTML report, rebuilt from the published file after every publication."""

import dagster as dg

from airace_pipeline.defs.partitions import DUCKDB_POOL, SINGLE_RUN
from airace_pipeline.defs.resources import ReportResource
from airace_pipeline.report.build import build_report
from airace_pipeline.report.facts import Limits


@dg.asset(
    deps=["published_warehouse"],
    group_name="report",
    backfill_policy=SINGLE_RUN,
    # It only reads the published file, but every step of a run shares the one slot anyway (README,
    # "Backfills"), and two report builds then never race for the same folder.
    pool=DUCKDB_POOL,
    kinds={"html"},
    description=(
        "A static HTML report of the published file (AIRACE_REPORT_DIR, default data/report/index.html): "
        "investments, alliances, incidents, policies and data health, every chart mark linking to the facts "
        "behind it and the sentences that state them. Opens from the file system with no network; "
        "replaced whole after every publication."
    ),
)
def report(context: dg.AssetExecutionContext, report_files: ReportResource) -> dg.MaterializeResult:
    built = build_report(
        report_files.published,
        report_files.folder,
        Limits(max_facts=report_files.max_facts, evidence_per_fact=report_files.evidence_per_fact),
    )
    context.log.info(f"Report of run {built.run_id} written to {built.index}")
    return dg.MaterializeResult(
        metadata={
            "report": dg.MetadataValue.url(built.index.resolve().as_uri()),
            "path": dg.MetadataValue.path(str(built.index)),
            "pages": built.pages,
            "charts": built.charts,
            "facts_listed": built.facts,
            "published_run": built.run_id or "none",
        }
    )
