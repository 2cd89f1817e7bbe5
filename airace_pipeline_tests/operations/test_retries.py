"""A working file locked by another process is a transient failure: the step retries with backoff."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from airace_pipeline.defs import retries
from airace_pipeline.defs.assets.normalise import countries
from airace_pipeline.defs.resources import WarehouseResource
from airace_pipeline.errors import TransientError

HOLD = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('locked', flush=True); time.sleep(float(sys.argv[2]))"


def _warehouse(tmp_path: Path) -> WarehouseResource:
    return WarehouseResource(
        published_path=str(tmp_path / "airace.duckdb"),
        working_path=str(tmp_path / "work.duckdb"),
        lock_attempts=1,
    )


def test_lock_held_by_another_process_is_retried_until_it_is_released(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(retries, "BASE_DELAY_SECONDS", 1.0)  # seconds, not minutes, in a test
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path / "work.duckdb"), "2.5"], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "locked"
    started = time.monotonic()
    result = dg.materialize([countries], resources={"warehouse": _warehouse(tmp_path)}, raise_on_error=False)
    holder.wait(timeout=30)
    assert result.success
    retried = [e for e in result.all_events if e.event_type_value == "STEP_UP_FOR_RETRY"]
    assert retried, "the locked attempt should have been retried"
    assert time.monotonic() - started >= 2.0
    conn = duckdb.connect(str(tmp_path / "work.duckdb"), read_only=True)
    try:
        assert conn.execute("SELECT count(*) FROM countries").fetchone()[0] > 240
    finally:
        conn.close()


def test_a_non_transient_error_is_not_retried(tmp_path: Path) -> None:
    (tmp_path / "work.duckdb").write_text("not a duckdb file")
    result = dg.materialize([countries], resources={"warehouse": _warehouse(tmp_path)}, raise_on_error=False)
    assert not result.success
    assert not [e for e in result.all_events if e.event_type_value == "STEP_UP_FOR_RETRY"]


def test_lock_error_is_transient_and_says_what_to_do() -> None:
    from airace_pipeline.warehouse.connection import WarehouseLockedError

    assert issubclass(WarehouseLockedError, TransientError)


def test_dlt_load_into_a_locked_working_file_is_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """dlt opens the working file itself; its lock error must be transient too, not fail the run."""
    from dagster_dlt import DagsterDltResource

    from airace_pipeline.defs.assets.ingest import build_local_documents_asset
    from airace_pipeline.defs.resources import SourcesResource
    from airace_pipeline.paths import REPO_ROOT
    from airace_pipeline_tests.conftest import RANGE_END, RANGE_START, write_sources

    monkeypatch.setattr(retries, "BASE_DELAY_SECONDS", 1.0)
    drop = tmp_path / "drop"
    drop.mkdir()
    name = "2024-06-11-mistral-ai-600-million-euros-general-catalyst.md"
    (drop / name).write_bytes((REPO_ROOT / "data" / "corpus" / name).read_bytes())
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path / "work.duckdb"), "2.5"], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout.readline().strip() == "locked"
    result = dg.materialize(
        [build_local_documents_asset()],
        resources={
            "dlt_resource": DagsterDltResource(),
            "warehouse": _warehouse(tmp_path),
            "sources": SourcesResource(config_path=str(write_sources(tmp_path, drop))),
        },
        tags={RANGE_START: "2024-06-01", RANGE_END: "2024-06-01"},  # the month holding the document
        raise_on_error=False,
    )
    holder.wait(timeout=30)
    assert result.success
    assert [e for e in result.all_events if e.event_type_value == "STEP_UP_FOR_RETRY"]
    conn = duckdb.connect(str(tmp_path / "work.duckdb"), read_only=True)
    try:
        assert conn.execute("SELECT count(*) FROM raw.local_documents").fetchone()[0] == 1
    finally:
        conn.close()
