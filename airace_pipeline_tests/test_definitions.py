"""The code location as Dagster loads it: assets, lineage, checks, schedule, pools, partitions."""

from __future__ import annotations

import datetime as dt

import dagster as dg
import pytest

from airace_pipeline.definitions import defs as load_defs
from airace_pipeline.defs.partitions import DAILY_PARTITIONS, DUCKDB_POOL, PARTITIONS
from airace_pipeline.defs.schedules import daily_refresh_schedule
from airace_pipeline.defs.sensors import late_documents_sensor
from airace_pipeline.warehouse.contract import CONTRACT

EXPECTED_ASSETS = {
    "raw/local_documents",
    "documents",
    "fact_mentions",
    "countries",
    "organisations",
    "investments",
    "investment_participants",
    "alliances",
    "alliance_members",
    "incidents",
    "incident_actors",
    "policies",
    "evidence",
    "quarantine",
    "published_warehouse",
}


@pytest.fixture(scope="module")
def defs() -> dg.Definitions:
    return load_defs()


@pytest.fixture(scope="module")
def graph(defs: dg.Definitions):
    return defs.resolve_asset_graph()


def test_every_contract_table_is_an_asset(graph) -> None:
    keys = {key.to_user_string() for key in graph.get_all_asset_keys()}
    assert keys == EXPECTED_ASSETS | {"report"}  # the report is added beside the pipeline's assets
    assert {t.name for t in CONTRACT} <= keys


def test_lineage_has_no_phantom_or_dangling_assets(graph) -> None:
    keys = set(graph.get_all_asset_keys())
    for key in keys:
        assert set(graph.get(key).parent_keys) <= keys, key
    assert not graph.get(dg.AssetKey(["raw", "local_documents"])).parent_keys
    assert set(graph.get(dg.AssetKey("published_warehouse")).parent_keys) == {
        dg.AssetKey(t.name) for t in CONTRACT
    }
    assert dg.AssetKey("fact_mentions") in graph.get(dg.AssetKey("investments")).parent_keys
    assert set(graph.get(dg.AssetKey("report")).parent_keys) == {dg.AssetKey("published_warehouse")}


def test_groups_kinds_descriptions_and_column_schemas(graph) -> None:
    groups = {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert groups["raw/local_documents"] == groups["documents"] == "ingest"
    assert groups["fact_mentions"] == "extract"
    assert groups["published_warehouse"] == "publish"
    assert {groups[t.name] for t in CONTRACT if t.name != "documents"} == {"normalise"}
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.description, key
        assert node.kinds, key
    for table in CONTRACT:
        schema = graph.get(dg.AssetKey(table.name)).metadata["dagster/column_schema"]
        assert [c.name for c in schema.columns] == table.column_names


def test_every_writer_is_in_the_duckdb_pool_with_single_run_backfills(defs: dg.Definitions) -> None:
    for assets_def in defs.assets:
        assert assets_def.op.pool == DUCKDB_POOL, assets_def.keys
        assert assets_def.backfill_policy == dg.BackfillPolicy.single_run(), assets_def.keys


def test_per_document_assets_are_daily_partitioned(graph) -> None:
    partitioned = {
        key.to_user_string()
        for key in graph.get_all_asset_keys()
        if graph.get(key).partitions_def is not None
    }
    assert partitioned == {
        "raw/local_documents",
        "documents",
        "fact_mentions",
    }
    assert graph.get(dg.AssetKey("documents")).partitions_def == DAILY_PARTITIONS


def test_partitions_are_months_so_a_full_run_records_few_events(graph) -> None:
    """Dagster records one materialisation per partition of a ranged run: months, not ~3,600 days."""
    partitions = graph.get(dg.AssetKey("documents")).partitions_def
    assert partitions == PARTITIONS
    assert isinstance(partitions, dg.MonthlyPartitionsDefinition)
    now = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)
    keys = partitions.get_partition_keys(current_time=now)
    assert (keys[0], keys[-1]) == ("2017-01-01", "2026-12-01")  # the current month is a partition
    assert len(keys) == 120


def test_runs_execute_in_process_unless_configured(
    defs: dg.Definitions, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No process per step: every step is in the one-slot duckdb pool, so they never run side by side."""
    for job in (defs.resolve_job_def("daily_refresh"), defs.resolve_implicit_global_asset_job_def()):
        executor = job.executor_def
        assert executor.name == "in_process_by_default", job.name
        config = executor.config_schema.as_field()
        assert config.default_value == {"in_process": {}}, job.name
    for name in ("AIRACE_DUCKDB_PATH", "AIRACE_WORK_DUCKDB_PATH", "AIRACE_SOURCES"):
        monkeypatch.setenv(name, "unused")  # resource config is validated too
    job = defs.resolve_job_def("daily_refresh")
    for choice in ("multiprocess", "in_process"):  # either can still be chosen for one run
        assert dg.validate_run_config(job, {"execution": {"config": {choice: {}}}})


def test_schema_checks_on_every_table_and_conservation_checks(graph) -> None:
    checks = {(k.asset_key.to_user_string(), k.name) for k in graph.asset_check_keys}
    for table in CONTRACT:
        assert (table.name, "pandera_schema") in checks
    assert ("fact_mentions", "pandera_schema") in checks
    assert ("fact_mentions", "row_conservation") in checks
    assert ("evidence", "row_conservation") in checks
    assert ("published_warehouse", "keys_and_foreign_keys") in checks


def test_daily_schedule_targets_the_previous_day(defs: dg.Definitions) -> None:
    schedule = defs.get_schedule_def("daily_refresh_schedule")
    assert schedule.cron_schedule == "30 1 * * *"
    assert schedule.job_name == "daily_refresh"
    context = dg.build_schedule_context(
        scheduled_execution_time=dt.datetime(2025, 3, 2, 1, 30, tzinfo=dt.UTC)
    )
    request = daily_refresh_schedule(context)
    assert request.partition_key == "2025-03-01"
    assert request.run_key == "daily-2025-03-01"
    # On the first of a month, the day that just ended belongs to the previous month's partition.
    context = dg.build_schedule_context(
        scheduled_execution_time=dt.datetime(2025, 3, 1, 1, 30, tzinfo=dt.UTC)
    )
    request = daily_refresh_schedule(context)
    assert (request.partition_key, request.run_key) == ("2025-02-01", "daily-2025-02-28")


def test_schedule_and_sensor_are_on_by_default(defs: dg.Definitions) -> None:
    assert defs.get_schedule_def("daily_refresh_schedule").default_status == dg.DefaultScheduleStatus.RUNNING
    assert late_documents_sensor.default_status == dg.DefaultSensorStatus.RUNNING


def test_importing_the_module_does_no_work() -> None:
    import importlib

    module = importlib.import_module("airace_pipeline.definitions")
    assert not isinstance(module.defs, dg.Definitions)  # built when Dagster loads it, not at import


LIVE_RAW = {
    "raw/rss_documents",
    "raw/federal_register_documents",
    "raw/aiid_documents",
    "raw/eurlex_documents",
}
LIVE_FETCHED = {key.replace("raw/", "fetched/") for key in LIVE_RAW}


def test_only_enabled_sources_get_raw_assets_and_feed_documents() -> None:
    from airace_pipeline.definitions import all_assets, build_resources

    everything = dg.Definitions(
        assets=all_assets(["local_folder", "rss", "federal_register", "aiid", "eurlex"]),
        resources=build_resources(),
    ).resolve_asset_graph()
    keys = {k.to_user_string() for k in everything.get_all_asset_keys()}
    assert keys == EXPECTED_ASSETS | LIVE_RAW | LIVE_FETCHED
    raw = {dg.AssetKey.from_user_string(k) for k in LIVE_RAW | {"raw/local_documents"}}
    assert raw <= set(everything.get(dg.AssetKey("documents")).parent_keys)
    assert raw <= set(everything.get(dg.AssetKey("quarantine")).parent_keys)
    for key in raw:
        assert everything.get(key).partitions_def == DAILY_PARTITIONS

    only_feeds = dg.Definitions(assets=all_assets(["rss"]), resources=build_resources()).resolve_asset_graph()
    names = {k.to_user_string() for k in only_feeds.get_all_asset_keys()}
    assert "raw/rss_documents" in names and "raw/local_documents" not in names


def test_live_sources_fetch_outside_the_duckdb_pool_and_load_within_it() -> None:
    """A live source's network time (up to `source_deadline_s`) must not hold the one writer slot: the
    fetch step is in no pool, the load that writes the working file is in `duckdb` and depends on it."""
    from airace_pipeline.definitions import all_assets, build_resources

    assets = all_assets(["rss", "federal_register", "aiid", "eurlex"])
    by_key = {key.to_user_string(): a for a in assets for key in a.keys}
    graph = dg.Definitions(assets=assets, resources=build_resources()).resolve_asset_graph()
    for raw in LIVE_RAW:
        fetched = raw.replace("raw/", "fetched/")
        assert by_key[fetched].op.pool is None, fetched
        assert by_key[raw].op.pool == DUCKDB_POOL, raw
        assert set(graph.get(dg.AssetKey.from_user_string(raw)).parent_keys) == {
            dg.AssetKey.from_user_string(fetched)
        }
        assert graph.get(dg.AssetKey.from_user_string(fetched)).group_name == "ingest"
        assert graph.get(dg.AssetKey.from_user_string(fetched)).partitions_def == DAILY_PARTITIONS
        assert by_key[fetched].backfill_policy == dg.BackfillPolicy.single_run()
    for writer in assets:
        if not any(key.path[0] == "fetched" for key in writer.keys):
            assert writer.op.pool == DUCKDB_POOL, writer.keys
