"""Live sources: `fetched/<resource>` waits on the network outside the `duckdb` pool, `raw/<resource>`
loads what it fetched within it.

Every asset that writes the working file is in the `duckdb` pool (one step at a time). A live source used
to hold that slot for its whole dlt run, network included (up to `source_deadline_s`, an hour by
default), so every other writer waited on a remote service. Now the fetch step runs dlt's extract and
normalize, which write only dlt's local folder beside the working file (`warehouse/dlt_packages.py`), and
the raw step, in the pool, only loads the pending packages. The fetch step still sets up the `warehouse`
resource, so it claims the run lock: two runs never write one dlt folder at once.

Built inside functions called when the definitions load (not at import): dagster-dlt needs a dlt
pipeline object for the raw asset's specs, and creating one touches the disk.
"""

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import dagster as dg
import dlt
from dagster_dlt import dlt_assets
from dagster_dlt.translator import DltResourceTranslatorData
from dlt.common.pipeline import LoadInfo

from airace_pipeline.defs.assets.ingest import RawDocumentsTranslator, with_ingest_counts
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
from airace_pipeline.sources import aiid, eurlex, federal_register, rss
from airace_pipeline.sources.stops import stopped_early_notes
from airace_pipeline.sources.window import fetch_window
from airace_pipeline.warehouse.connection import lock_errors_as_transient
from airace_pipeline.warehouse.dlt_packages import fetch_packages, load_packages, open_pipeline
from airace_pipeline.warehouse.raw import RAW_DATASET


@dataclass(frozen=True)
class LiveSource:
    """One live source kind: its config kind, dlt source factory, raw table and (unique) dlt pipeline."""

    kind: str
    resource_name: str
    pipeline_name: str
    factory: Callable[..., Any]
    description: str

    @property
    def fetched_key(self) -> dg.AssetKey:
        return dg.AssetKey(["fetched", self.resource_name])

    @property
    def raw_key(self) -> dg.AssetKey:
        return dg.AssetKey(["raw", self.resource_name])


LIVE_SOURCES: tuple[LiveSource, ...] = (
    LiveSource("rss", rss.RESOURCE_NAME, "airace_rss", rss.rss_source, "RSS 2.0 / Atom feed items."),
    LiveSource(
        "federal_register",
        federal_register.RESOURCE_NAME,
        "airace_federal_register",
        federal_register.federal_register_source,
        "US Federal Register documents (executive orders, rules, proposed rules, notices).",
    ),
    LiveSource(
        "aiid",
        aiid.RESOURCE_NAME,
        "airace_aiid",
        aiid.aiid_source,
        "AI Incident Database incidents and reports.",
    ),
    LiveSource(
        "eurlex",
        eurlex.RESOURCE_NAME,
        "airace_eurlex",
        eurlex.eurlex_source,
        "EUR-Lex acts by CELEX number.",
    ),
)


def build_live_source_assets(live: LiveSource) -> list[dg.AssetsDefinition]:
    """The fetch (no pool) and the load (pool) of one live source kind, so a failing service never blocks
    the others and its network time never blocks a writer."""
    return [_build_fetched_asset(live), _build_raw_asset(live)]


def _pipeline(live: LiveSource, warehouse: WarehouseResource) -> dlt.Pipeline:
    return open_pipeline(live.pipeline_name, warehouse.dlt_destination(), warehouse.dlt_pipelines_dir)


def _build_fetched_asset(live: LiveSource) -> dg.AssetsDefinition:
    """A window reaching today is a scheduled run (continue from the saved cursors); an older window is a
    backfill of exactly that window (`sources/window.py`). All enabled entries of the kind fetch together
    through one dlt pipeline, whose state (cursors, ETags) lives in its local folder."""

    @dg.asset(
        key=live.fetched_key,
        group_name="ingest",
        partitions_def=DAILY_PARTITIONS,
        backfill_policy=SINGLE_RUN,
        kinds={"dlt"},
        description=f"{live.description} Fetched by dlt into load packages in its local folder beside the "
        f"working file, waiting for `raw/{live.resource_name}` to load them. Outside the `duckdb` pool: "
        "it never opens the working file. Disabled unless enabled in the sources YAML.",
    )
    @retry_transient
    def _fetched(
        context: dg.AssetExecutionContext, sources: SourcesResource, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        start, end = window_dates(context)
        window = fetch_window(start, end)
        specs = sources.load().enabled(live.kind)
        mode = "backfill" if window.backfill else "scheduled"
        context.log.info(f"{live.kind}: {len(specs)} enabled source(s), {mode} fetch for {start}..{end}")
        if not specs:
            # Disabled (the default): no dlt run at all, so `make run` stays offline and fast.
            return dg.MaterializeResult(metadata={"enabled_sources": 0})
        source = live.factory(
            specs=specs, window=window, valid_from=PARTITIONS_START, valid_until=last_partition_day()
        )
        fetched = fetch_packages(_pipeline(live, warehouse), source, warehouse.working_exists())
        if fetched.started_afresh:
            context.log.warning(
                f"{live.kind}: the working file is gone, so dlt's saved cursors were dropped: fetching afresh"
            )
        rows = fetched.rows_fetched.get(live.resource_name, 0)
        context.log.info(
            f"{live.kind}: fetched {rows} row(s); {len(fetched.pending_load_ids)} package(s) to load"
        )
        return dg.MaterializeResult(
            metadata={
                "mode": mode,
                "rows_fetched": rows,
                "pending_load_ids": fetched.pending_load_ids,
                "started_afresh": fetched.started_afresh,
            }
        )

    return _fetched


def _build_raw_asset(live: LiveSource) -> dg.AssetsDefinition:
    """dagster-dlt builds the specs (key, column schema, kinds) from the source; the body only loads."""
    spec_pipeline = dlt.pipeline(
        pipeline_name=live.pipeline_name, destination="duckdb", dataset_name=RAW_DATASET
    )

    class _Translator(RawDocumentsTranslator):
        def get_asset_spec(self, data: DltResourceTranslatorData) -> dg.AssetSpec:
            return (
                super()
                .get_asset_spec(data)
                .replace_attributes(
                    deps=[live.fetched_key],
                    description=f"{live.description} Loaded by dlt into raw.{live.resource_name} from the "
                    f"packages `fetched/{live.resource_name}` left, merged on document_id; unusable items "
                    "and payloads have rejected_reason set and surface in `quarantine`. Disabled unless "
                    "enabled in the sources YAML.",
                )
            )

    @dlt_assets(
        dlt_source=live.factory(),
        dlt_pipeline=spec_pipeline,
        name=f"raw_{live.resource_name}",
        dagster_dlt_translator=_Translator(),
        partitions_def=DAILY_PARTITIONS,
        backfill_policy=SINGLE_RUN,
        pool=DUCKDB_POOL,
    )
    @retry_transient
    def _raw(
        context: dg.AssetExecutionContext, sources: SourcesResource, warehouse: WarehouseResource
    ) -> Iterator[dg.MaterializeResult]:
        start, end = window_dates(context)
        mode = "backfill" if fetch_window(start, end).backfill else "scheduled"
        if not sources.load().enabled(live.kind):
            yield dg.MaterializeResult(asset_key=live.raw_key, metadata={"enabled_sources": 0})
            return
        pipeline = _pipeline(live, warehouse)
        with lock_errors_as_transient(warehouse.working):
            info, fetched_since = load_packages(pipeline)
        load_ids = list(info.loads_ids) if info is not None else []
        context.log.info(f"{live.kind}: loaded {len(load_ids)} package(s) into raw.{live.resource_name}")
        event = dg.MaterializeResult(asset_key=live.raw_key, metadata=_load_metadata(live, info, pipeline))
        since = fetched_since or dt.datetime.now(tz=dt.UTC)  # nothing loaded: nothing of this run
        event = with_ingest_counts(event, warehouse, live.resource_name, since, mode)
        yield _with_stop_notes(context, event, pipeline)

    return _raw


def _load_metadata(live: LiveSource, info: LoadInfo | None, pipeline: dlt.Pipeline) -> dict[str, Any]:
    """What dagster-dlt reported for a `run()`: the load's times, destination, the table's jobs, column
    schema and name. Its `rows_loaded` came from the normalize step of the same trace, which is now another
    step's; `with_ingest_counts` counts the rows these packages brought (rows_loaded_this_run) instead."""
    if info is None:
        return {"packages_loaded": 0}
    loaded = json.loads(json.dumps(info.asdict(), default=str))
    table = pipeline.default_schema.naming.normalize_table_identifier(live.resource_name)
    jobs = [
        job
        for package in loaded.get("load_packages", [])
        for job in package.get("jobs", [])
        if job.get("table_name") == table
    ]
    columns = (
        pipeline.default_schema.get_table_columns(table) if table in pipeline.default_schema.tables else {}
    )
    schema = dg.TableSchema(
        columns=[
            dg.TableColumn(name=name, type=str(column.get("data_type", "string")))
            for name, column in columns.items()
        ]
    )
    keys = ("first_run", "started_at", "finished_at", "dataset_name", "destination_name", "destination_type")
    return {
        **{k: loaded[k] for k in keys if k in loaded},
        "packages_loaded": len(info.loads_ids),
        "jobs": jobs,
        "dagster/column_schema": schema,
        "dagster/table_name": f"{loaded.get('destination_name')}.{info.dataset_name}.{table}",
        "dagster/storage_kind": loaded.get("destination_name"),
    }


def _with_stop_notes(
    context: dg.AssetExecutionContext, event: dg.MaterializeResult, pipeline: dlt.Pipeline
) -> dg.MaterializeResult:
    """Show in the run (a warning) and on the asset (metadata) that a source spent its page or time
    allowance: the run succeeds, so without this the user would not know the source is still catching up.
    The state is the one the fetch step saved in the local folder."""
    notes = stopped_early_notes(pipeline.state.get("sources", {}))
    for note in notes:
        context.log.warning(f"source stopped early: {note}")
    metadata = {**(event.metadata or {}), "stopped_early": notes or "no"}
    return dg.MaterializeResult(asset_key=event.asset_key, metadata=metadata)
