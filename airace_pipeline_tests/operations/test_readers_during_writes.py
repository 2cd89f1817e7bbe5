"""A reader querying the published file throughout a backfill never meets a lock or half a run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from airace_pipeline.paths import REPO_ROOT
from airace_pipeline_tests.conftest import make_resources, materialize_range

pytestmark = pytest.mark.slow

# A backfill of 2024 in several runs, as a backfill of ranges launches them.
RUNS = [
    ("2024-01-01", "2024-03-31"),
    ("2024-04-01", "2024-06-30"),
    ("2024-07-01", "2024-09-30"),
    ("2024-10-01", "2024-12-31"),
]


def test_reader_sees_only_whole_consistent_snapshots(tmp_path: Path) -> None:
    resources = make_resources(tmp_path)
    assert materialize_range(resources, "2023-10-01", "2023-12-31").success
    stop = tmp_path / "stop"
    readers = {
        mode: subprocess.Popen(
            [sys.executable, "-m", "airace_pipeline_tests.operations.reader_loop", mode,
             str(tmp_path / "airace.duckdb"), str(stop), str(tmp_path / f"{mode}.json")],
            cwd=REPO_ROOT,
        )
        for mode in ("poll", "hold")
    }  # fmt: skip
    try:
        for start, end in RUNS:
            assert materialize_range(resources, start, end).success
    finally:
        stop.touch()
        for reader in readers.values():
            reader.wait(timeout=60)
    poll = json.loads((tmp_path / "poll.json").read_text())
    assert poll["errors"] == []
    assert poll["snapshots"] > len(RUNS)
    assert len(poll["run_ids"]) >= 3  # reconnecting, it saw the new runs as they landed
    hold = json.loads((tmp_path / "hold.json").read_text())
    assert hold["errors"] == []
    assert len(hold["run_ids"]) == 1  # the connection it held kept its snapshot, and blocked no writer
