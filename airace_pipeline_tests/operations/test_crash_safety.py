"""SIGKILL the run's processes at different points, run again, and get the tables of a run that never crashed.

The runs go through Dagster's own CLI with a real SQLite instance in a temporary DAGSTER_HOME, as a user's
`make run` does; the kill hits the whole process group (the CLI and its step subprocesses).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from airace_pipeline.__main__ import partition_range
from airace_pipeline.paths import REPO_ROOT
from airace_pipeline_tests.conftest import table_hashes
from airace_pipeline_tests.operations.dagster_services import cli_env

pytestmark = pytest.mark.slow
START, END = "2024-06-01", "2024-06-30"  # publication days: one month, one partition


def _run(tmp: Path) -> None:
    """The recovery path users take: `python -m airace_pipeline run` (what `make run` calls)."""
    subprocess.run(
        [sys.executable, "-m", "airace_pipeline", "run", "--start", START, "--end", END],
        cwd=REPO_ROOT, env=cli_env(tmp), check=True, capture_output=True, timeout=600,
    )  # fmt: skip


def _daily_refresh(tmp: Path) -> None:
    """The scheduled run: the `daily_refresh` job for yesterday's partition, after the clean-up the
    daemon's run monitoring does for a killed run (it frees the dead run's pool slot)."""
    recover = (
        "import dagster as dg; from airace_pipeline.recovery import recover_interrupted_runs; "
        "recover_interrupted_runs(dg.DagsterInstance.get())"
    )
    subprocess.run([sys.executable, "-c", recover], cwd=REPO_ROOT, env=cli_env(tmp), check=True, timeout=120)
    day = (dt.datetime.now(tz=dt.UTC).date() - dt.timedelta(days=1)).isoformat()
    command = [
        str(Path(sys.executable).with_name("dagster")), "job", "execute", "-m", "airace_pipeline.definitions",
        "-j", "daily_refresh", "--tags", json.dumps({"dagster/partition": day}),
    ]  # fmt: skip
    subprocess.run(command, cwd=REPO_ROOT, env=cli_env(tmp), check=True, capture_output=True, timeout=600)


def _run_and_kill(tmp: Path, marker: str, delay: float) -> None:
    """Start a run and SIGKILL its process group `delay` seconds after `marker` appears in its log."""
    command = [
        str(Path(sys.executable).with_name("dagster")), "asset", "materialize", "-m", "airace_pipeline.definitions",
        "--select", "*", "--partition-range", partition_range(START, END),
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=REPO_ROOT, env=cli_env(tmp), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
        text=True, start_new_session=True,
    )  # fmt: skip
    seen = []
    try:
        for line in process.stdout:
            seen.append(line)
            assert "RUN_SUCCESS" not in line, f"the run finished before the kill at {marker!r}"
            if marker in line:
                time.sleep(delay)
                os.killpg(process.pid, signal.SIGKILL)
                break
        else:
            pytest.fail(f"{marker!r} never appeared:\n{''.join(seen[-20:])}")
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("never_crashed")
    _run(tmp)
    return table_hashes(tmp / "airace.duckdb")


@pytest.mark.parametrize(
    ("marker", "delay"),
    [
        ("Reading 1 local folder source(s)", 0.5),  # inside the dlt extract/normalise/load
        ('STEP_START - Started execution of step "fact_tables"', 0.5),  # rewriting the fact tables
        ('STEP_START - Started execution of step "published_warehouse"', 0.3),  # writing the reader file
    ],
    ids=["dlt_load", "normalised_tables", "publication"],
)
def test_killed_run_then_rerun_equals_a_clean_run(
    tmp_path: Path, reference: dict[str, str], marker: str, delay: float
) -> None:
    _run_and_kill(tmp_path, marker, delay)
    _run(tmp_path)
    assert table_hashes(tmp_path / "airace.duckdb") == reference
    assert not list(tmp_path.glob(".airace.duckdb.*.tmp*")), "an abandoned staging file was left behind"
    conn = duckdb.connect(str(tmp_path / "airace.duckdb"), read_only=True)
    try:
        duplicates = conn.execute(
            "SELECT count(*) - count(DISTINCT content_sha256 || source_name || origin) FROM documents"
        ).fetchone()[0]
        assert duplicates == 0
    finally:
        conn.close()


@pytest.fixture(scope="module")
def scheduled_reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The tables after a backfill that was never killed, then the scheduled run."""
    tmp = tmp_path_factory.mktemp("never_crashed_then_scheduled")
    _run(tmp)
    _daily_refresh(tmp)
    return table_hashes(tmp / "airace.duckdb")


def test_backfill_killed_inside_documents_then_the_scheduled_run_equals_a_clean_run(
    tmp_path: Path, scheduled_reference: dict[str, str]
) -> None:
    """The scheduled run covers other days only; it still finishes what the killed backfill left."""
    _run_and_kill(tmp_path, "documents: copying the raw rows of 2024-06-01..2024-07-01", 0.0)
    _daily_refresh(tmp_path)
    assert table_hashes(tmp_path / "airace.duckdb") == scheduled_reference
