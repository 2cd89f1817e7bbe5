"""The code location: one Definitions assembled from the modules under `defs/`.

Built inside a `@dg.definitions` function so that importing this module does no work (the dlt asset
needs a dlt pipeline object, whose creation touches the disk); Dagster calls it when it loads the code.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from functools import cache

import dagster as dg
from dagster_dlt import DagsterDltResource

from airace_pipeline.defs.assets.extract import fact_mentions
from airace_pipeline.defs.assets.ingest import build_documents_asset, build_local_documents_asset
from airace_pipeline.defs.assets.live import LIVE_SOURCES, build_live_source_assets
from airace_pipeline.defs.assets.normalise import (
    build_quarantine_asset,
    countries,
    fact_tables,
    organisations,
)
from airace_pipeline.defs.assets.publish import published_warehouse
from airace_pipeline.defs.assets.report import report
from airace_pipeline.defs.executor import in_process_by_default
from airace_pipeline.defs.resources import (
    ExtractionEngineResource,
    ReferenceDataResource,
    ReportResource,
    SourcesResource,
    WarehouseResource,
)
from airace_pipeline.defs.schedules import daily_job, daily_refresh_schedule
from airace_pipeline.defs.sensors import late_documents_sensor
from airace_pipeline.engines.distributed import SCHEDULER_ENV_VAR
from airace_pipeline.sources.config import load_sources_config
from airace_pipeline.warehouse.lake import LAKE_CATALOG_ENV, LAKE_DATA_PATH_ENV


def build_resources() -> dict[str, object]:
    return {
        "dlt_resource": DagsterDltResource(),
        "warehouse": WarehouseResource(
            published_path=dg.EnvVar("AIRACE_DUCKDB_PATH"),
            working_path=dg.EnvVar("AIRACE_WORK_DUCKDB_PATH"),
            # Optional, as the Dask scheduler and the report folder below: unset means no lake.
            lake_catalog=_optional_env(LAKE_CATALOG_ENV),
            lake_data_path=_optional_env(LAKE_DATA_PATH_ENV),
        ),
        "sources": SourcesResource(config_path=dg.EnvVar("AIRACE_SOURCES")),
        "reference": ReferenceDataResource(),
        # Unset: extraction in local worker processes (docs/scaling-dask.md).
        "extraction_engine": ExtractionEngineResource(dask_scheduler=_optional_env(SCHEDULER_ENV_VAR)),
        "report_files": ReportResource(
            published_path=dg.EnvVar("AIRACE_DUCKDB_PATH"), report_dir=_optional_env("AIRACE_REPORT_DIR")
        ),
    }


def _optional_env(name: str) -> dg.EnvVar | str:
    """The variable when it is set (shown as such in the UI), else "" for the resource's default.

    For the optional settings (the Dask scheduler, the lake, the report folder): `dg.EnvVar` of an unset
    variable stops every run, so it is used only when the variable is set when Dagster loads the code
    (its value is still read at launch, and never shown in the UI). AIRACE_REPORT_DIR's default follows
    AIRACE_DUCKDB_PATH, so a run on other files (the tests' `dagster` runs, your own published file)
    writes its report beside that file instead of over the default one.
    """
    return dg.EnvVar(name) if os.environ.get(name) else ""


def enabled_source_kinds() -> set[str]:
    """The source kinds enabled in the sources file (AIRACE_SOURCES), read when Dagster loads the code.

    Only enabled kinds get a raw asset: a disabled source has nothing to show in the lineage, and each
    partitioned asset costs Dagster one event per partition (month) of a ranged run. Enabling a source means editing the file and reloading the code location.
    """
    config = load_sources_config(os.environ.get("AIRACE_SOURCES", "data/sources.yaml"))
    return {spec.kind for spec in config.sources if spec.enabled}


def all_assets(source_kinds: Collection[str] | None = None) -> list[dg.AssetsDefinition]:
    """The pipeline's assets, from the sources to the published file. The report is added in `defs`: it
    needs a resource of its own, and the tests that run the pipeline on its own do not render it."""
    kinds = enabled_source_kinds() if source_kinds is None else source_kinds
    return list(_assets_for(frozenset(kinds)))


@cache
def _assets_for(kinds: frozenset[str]) -> tuple[dg.AssetsDefinition, ...]:
    """Built once per set of enabled kinds and process. One `dagster asset materialize` loads the code
    location six times (the CLI, the job, the run's plan...), and building the dlt assets each time cost
    about 0.15 s apiece; the definitions depend on nothing but the kinds (the sources file is still read
    on every load)."""
    ingest = [build_local_documents_asset()] if "local_folder" in kinds else []
    for live in LIVE_SOURCES:
        if live.kind in kinds:
            ingest += build_live_source_assets(live)
    # `documents` and `quarantine` read the raw tables; the fetched packages reach them through `raw/*`.
    raw_keys = [key for assets_def in ingest for key in assets_def.keys if key.path[0] == "raw"]
    return (
        *ingest,
        build_documents_asset(raw_keys),
        fact_mentions,
        countries,
        organisations,
        fact_tables,
        build_quarantine_asset(raw_keys),
        published_warehouse,
    )


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(
        assets=[*all_assets(), report],
        jobs=[daily_job],
        schedules=[daily_refresh_schedule],
        sensors=[late_documents_sensor],
        resources=build_resources(),
        executor=in_process_by_default,
    )
