"""The code location: one Definitions assembled from the modules under `defs/`.

Built inside a `@dg.definitions` function so that importing this module does no work (the dlt asset
needs a dlt pipeline object, whose creation touches the disk); Dagster calls it when it loads the code.
"""

from __future__ import annotations

import dagster as dg
from dagster_dlt import DagsterDltResource

from airace_pipeline.defs.assets.extract import fact_mentions
from airace_pipeline.defs.assets.ingest import build_local_documents_asset, documents
from airace_pipeline.defs.assets.normalise import countries, fact_tables, organisations, quarantine
from airace_pipeline.defs.assets.publish import published_warehouse
from airace_pipeline.defs.resources import ReferenceDataResource, SourcesResource, WarehouseResource
from airace_pipeline.defs.schedules import daily_job, daily_refresh_schedule


def build_resources() -> dict[str, object]:
    return {
        "dlt_resource": DagsterDltResource(),
        "warehouse": WarehouseResource(
            published_path=dg.EnvVar("AIRACE_DUCKDB_PATH"),
            working_path=dg.EnvVar("AIRACE_WORK_DUCKDB_PATH"),
        ),
        "sources": SourcesResource(config_path=dg.EnvVar("AIRACE_SOURCES")),
        "reference": ReferenceDataResource(),
    }


def all_assets() -> list[dg.AssetsDefinition]:
    return [
        build_local_documents_asset(),
        documents,
        fact_mentions,
        countries,
        organisations,
        fact_tables,
        quarantine,
        published_warehouse,
    ]


@dg.definitions
def defs() -> dg.Definitions:
    return dg.Definitions(
        assets=all_assets(),
        jobs=[daily_job],
        schedules=[daily_refresh_schedule],
        resources=build_resources(),
    )
