"""The pipeline with its Dagster instance on PostgreSQL, through the real CLI as `make run` and
`make backfill` call it: a full run and a backfill over a few bundled documents, recorded in the
session's throwaway cluster, publishing the same tables as an embedded run of the same documents.

The module runs the pipeline four times (full on PostgreSQL, embedded in process for comparison, the
backfill on PostgreSQL, and `make run-scaled`'s entry point) and the tests read what they left.
"""

from __future__ import annotations

import re
import shutil
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import psycopg2
import pytest

from airace_pipeline.cluster.postgres import PostgresCluster
from airace_pipeline.defs.partitions import PARTITIONS
from airace_pipeline.paths import REPO_ROOT
from airace_pipeline_tests.cluster.fixtures import fresh_database
from airace_pipeline_tests.conftest import (
    RANGE_END,
    RANGE_START,
    make_resources,
    materialize_range,
    table_hashes,
    write_sources,
)
from airace_pipeline_tests.operations.dagster_services import cli_env

pytestmark = pytest.mark.slow

# Six documents over four months; the backfill covers two of them (2024-02 and 2024-03).
DOCUMENTS = (
    "2017-03-22-canada-pan-canadian-ai-strategy-125-million.md",
    "2024-01-25-ftc-6b-orders-generative-ai-investments.md",
    "2024-02-20-moonshot-ai-alibaba-led-1-billion-round.md",
    "2024-03-07-indiaai-mission-cabinet-approves-10371-crore.md",
    "2024-03-13-eu-parliament-adopts-ai-act.md",
    "2025-01-21-stargate-project-openai-announcement.md",
)
BACKFILL = ("2024-02-10", "2024-03-20")
PARTITIONED = ("raw/local_documents", "documents", "fact_mentions")


@dataclass(frozen=True)
class Runs:
    pg_url: str  # psycopg2's (libpq's) URL of the instance's database
    dagster_url: str  # the same, as AIRACE_DAGSTER_PG_URL holds it
    pg_home: Path
    pg_published: Path
    sqlite_published: Path
    full_hashes: dict[str, str]
    backfill_hashes: dict[str, str]
    sources: Path


def _env(tmp: Path, sources: Path, pg_url: str | None) -> dict[str, str]:
    env = cli_env(tmp)
    env["AIRACE_SOURCES"] = str(sources)
    env.pop("AIRACE_DAGSTER_PG_URL", None)
    if pg_url:
        shutil.copy(
            REPO_ROOT / "deploy" / "dagster-postgres.yaml", Path(env["DAGSTER_HOME"]) / "dagster.yaml"
        )
        env["AIRACE_DAGSTER_PG_URL"] = pg_url
    return env


def _run(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "airace_pipeline", "run", *args],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


@pytest.fixture(scope="module")
def runs(postgres_cluster: PostgresCluster, tmp_path_factory: pytest.TempPathFactory) -> Runs:
    docs = tmp_path_factory.mktemp("pg_docs")
    for name in DOCUMENTS:
        shutil.copy(REPO_ROOT / "data" / "corpus" / name, docs / name)
    sources = write_sources(tmp_path_factory.mktemp("pg_sources"), docs)
    pg_tmp, sqlite_tmp = tmp_path_factory.mktemp("on_postgres"), tmp_path_factory.mktemp("on_sqlite")
    database = fresh_database(postgres_cluster, "dagster")
    pg_env = _env(pg_tmp, sources, postgres_cluster.dagster_url(database))
    _run(pg_env)
    # The same documents in process on an ephemeral instance: the embedded run's tables, without a third
    # CLI start-up (the instance storage cannot change what a run publishes).
    assert materialize_range(make_resources(sqlite_tmp, sources), "2017-01-01", "2025-12-31").success
    full_hashes = table_hashes(pg_tmp / "airace.duckdb")
    _run(pg_env, "--start", BACKFILL[0], "--end", BACKFILL[1])
    return Runs(
        postgres_cluster.url(database),
        postgres_cluster.dagster_url(database),
        Path(pg_env["DAGSTER_HOME"]),
        pg_tmp / "airace.duckdb",
        sqlite_tmp / "airace.duckdb",
        full_hashes,
        table_hashes(pg_tmp / "airace.duckdb"),
        sources,
    )


def _query(url: str, sql: str, params: tuple = ()) -> list[tuple]:
    with psycopg2.connect(url) as conn, conn.cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def _materialised_partitions(url: str, run_id: str, asset: str) -> set[str]:
    rows = _query(
        url,
        "SELECT partition FROM event_logs WHERE run_id = %s AND asset_key = %s "
        "AND dagster_event_type = 'ASSET_MATERIALIZATION'",
        (run_id, dg.AssetKey.from_user_string(asset).to_string()),
    )
    return {partition for (partition,) in rows}


def _runs_in_postgres(url: str) -> list[tuple[str, str, dict]]:
    """(run_id, status, range tags) of every run, oldest first, read from PostgreSQL's tables."""
    rows = _query(url, "SELECT run_id, status FROM runs ORDER BY id")
    tags = _query(
        url, "SELECT run_id, key, value FROM run_tags WHERE key IN (%s, %s)", (RANGE_START, RANGE_END)
    )
    by_run: dict[str, dict[str, str]] = {}
    for run_id, key, value in tags:
        by_run.setdefault(run_id, {})[key] = value
    return [(run_id, status, by_run.get(run_id, {})) for run_id, status in rows]


def test_runs_and_their_events_are_in_postgres(runs: Runs) -> None:
    recorded = _runs_in_postgres(runs.pg_url)
    assert [status for _, status, _ in recorded] == ["SUCCESS", "SUCCESS"]
    full_run, tags = recorded[0][0], recorded[0][2]
    every_month = PARTITIONS.get_partition_keys()
    assert tags == {RANGE_START: every_month[0], RANGE_END: every_month[-1]}
    for asset in PARTITIONED:
        assert _materialised_partitions(runs.pg_url, full_run, asset) == set(every_month), asset
    # Nothing went to SQLite files in DAGSTER_HOME.
    assert not list(runs.pg_home.rglob("*.db"))


def test_the_instance_reads_its_storage_from_the_url(runs: Runs) -> None:
    from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage, PostgresScheduleStorage

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AIRACE_DAGSTER_PG_URL", runs.dagster_url)
        with dg.DagsterInstance.from_config(str(runs.pg_home)) as instance:
            assert isinstance(instance.run_storage, PostgresRunStorage)
            assert isinstance(instance.event_log_storage, PostgresEventLogStorage)
            assert isinstance(instance.schedule_storage, PostgresScheduleStorage)
            assert len(instance.get_runs()) == 2
            assert instance.event_log_storage.get_concurrency_info("duckdb").slot_count == 1
            assert set(instance.get_materialized_partitions(dg.AssetKey("documents"))) == set(
                PARTITIONS.get_partition_keys()
            )


def test_published_tables_equal_the_same_run_on_sqlite(runs: Runs) -> None:
    assert runs.full_hashes == table_hashes(runs.sqlite_published)


def test_backfill_is_recorded_in_postgres_and_changes_nothing(runs: Runs) -> None:
    backfill_run, status, tags = _runs_in_postgres(runs.pg_url)[-1]
    assert status == "SUCCESS"
    assert tags == {RANGE_START: "2024-02-01", RANGE_END: "2024-03-01"}
    for asset in PARTITIONED:
        assert _materialised_partitions(runs.pg_url, backfill_run, asset) == {"2024-02-01", "2024-03-01"}, (
            asset
        )
    assert runs.backfill_hashes == runs.full_hashes


def test_run_scaled_publishes_the_same_tables_and_stops_everything_it_started(
    runs: Runs, tmp_path: Path
) -> None:
    """`make run-scaled`'s entry point over the same documents: its own PostgreSQL, a Dask scheduler and
    two worker processes; the published tables equal the SQLite run's, and nothing it started is left."""
    env = _env(tmp_path, runs.sources, None)
    published = tmp_path / "scaled.duckdb"
    env["AIRACE_DUCKDB_PATH"] = str(published)
    result = subprocess.run(
        [sys.executable, "-m", "airace_pipeline.cluster.scaled_run", "--workers", "2"],
        cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=900, check=False,
    )  # fmt: skip
    out = result.stdout + result.stderr
    assert result.returncode == 0, out[-4000:]
    assert "extraction engine: dask tcp://127.0.0.1:" in out, out[-4000:]
    assert table_hashes(published) == table_hashes(runs.sqlite_published)
    started = re.search(r"pids of the scheduler and workers: ([\d, ]+)\)", out)
    folder = re.search(r"(/\S*airace-scaled-\S+) removed", out)
    assert started and folder, out[-2000:]
    for pid in (int(p) for p in started.group(1).split(", ")):
        assert not Path(f"/proc/{pid}").exists(), f"Dask process {pid} outlived run-scaled"
    assert not Path(folder.group(1)).exists()
    port = re.search(r"PostgreSQL on 127\.0\.0\.1:(\d+)", out)
    assert port, out[-2000:]
    with pytest.raises(OSError), socket.create_connection(("127.0.0.1", int(port.group(1))), timeout=2):
        pass
