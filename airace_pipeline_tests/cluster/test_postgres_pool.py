"""Two runs starting together on a new PostgreSQL instance both create the `duckdb` pool's limit row.
Dagster's own fallback fails on PostgreSQL (its UPDATE runs in the aborted transaction), which failed one
of two runs started at the same moment; `ensure_pool_limit`, called before every CLI run, tolerates it."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import pytest

from airace_pipeline.__main__ import ensure_pool_limit
from airace_pipeline.cluster.postgres import PostgresCluster
from airace_pipeline.paths import REPO_ROOT
from airace_pipeline_tests.cluster.fixtures import fresh_database
from airace_pipeline_tests.cluster.together import run_together


@pytest.mark.parametrize("attempt", range(4))
def test_two_processes_creating_the_pool_row_at_once_both_go_on(
    postgres_cluster: PostgresCluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, attempt: int
) -> None:
    shutil.copy(REPO_ROOT / "deploy" / "dagster-postgres.yaml", tmp_path / "dagster.yaml")
    monkeypatch.setenv(
        "AIRACE_DAGSTER_PG_URL", postgres_cluster.dagster_url(fresh_database(postgres_cluster))
    )
    instances = [dg.DagsterInstance.from_config(str(tmp_path)) for _ in range(2)]
    for instance in instances:  # tables created first, as a run's start does before its steps
        instance.event_log_storage.get_concurrency_keys()
    _, errors = run_together(ensure_pool_limit, instances, timeout=60)
    try:
        assert not errors, errors
        assert instances[0].event_log_storage.get_concurrency_info("duckdb").slot_count == 1
    finally:
        for instance in instances:
            instance.dispose()
