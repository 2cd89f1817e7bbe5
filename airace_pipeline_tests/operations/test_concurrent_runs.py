"""Runs launched together never fail on the DuckDB lock and never interleave: runs queue, one at a time.

What `dagster dev` runs, as its two services on 127.0.0.1 (the webserver, then the daemon), with the
committed `dagster.yaml` (pool limit 1, one run at a time) in a temporary DAGSTER_HOME. Every step of
`daily_refresh` writes the same working DuckDB file (the last one also the published file), so every step
is in the `duckdb` pool, and a run's publication must never see another run's half-written state.

1. Three runs (one publication month each) are queued through the GraphQL API before the daemon starts.
2. A job backfill over two more months once the first three are done.

(Three and two, not more: each run costs the daemon a process start and a full pipeline, and three runs
queued together already contend for the pool as any larger number does.)

The test then reads the instance: every run succeeded, no two runs were ever in progress together (so no
two steps overlapped), and no DuckDB lock error or run-lock wait happened, not even one retried away.

The runs use the in-process executor (the default, and run config): one process across a run's steps is the stricter
case, since a DuckDB connection a step left open would lock out the next run's step.
"""

from __future__ import annotations

import datetime as dt
import itertools
import os
import shutil
import subprocess
import time
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster._core.events import DagsterEventType

from airace_pipeline.definitions import all_assets
from airace_pipeline.defs.assets.report import report
from airace_pipeline.defs.partitions import DUCKDB_POOL, partition_key_for_day
from airace_pipeline.paths import REPO_ROOT
from airace_pipeline_tests.conftest import write_sources
from airace_pipeline_tests.operations.dagster_services import dagster_service, free_port, graphql

pytestmark = pytest.mark.slow
# One document per monthly partition, the backfilled months apart from each other: a job backfill of
# single-run assets makes one run per contiguous range of partitions, so each month of the backfill is a run.
QUEUED_FIRST = [
    "2024-02-20-moonshot-ai-alibaba-led-1-billion-round.md",
    "2024-06-10-openai-apple-chatgpt-partnership.md",
    "2024-11-11-japan-10-trillion-yen-ai-semiconductor-support.md",
]
BACKFILLED = [
    "2024-01-25-ftc-6b-orders-generative-ai-investments.md",
    "2025-01-13-bis-framework-ai-diffusion-rule.md",
]
LOCATION = {"repositoryName": "__repository__", "repositoryLocationName": "airace_pipeline"}
IN_PROCESS = {"execution": {"config": {"in_process": {}}}}
BACKFILL_DONE = {"COMPLETED", "COMPLETED_SUCCESS", "COMPLETED_FAILED", "FAILED", "CANCELED"}
RUN_DONE = {"SUCCESS", "FAILURE", "CANCELED"}
RANGE_START, RANGE_END = "dagster/asset_partition_range_start", "dagster/asset_partition_range_end"
LOCK_MESSAGES = (
    "could not set lock",
    "conflicting lock",
    "is locked",
    "owns the working file",
    "in use by run",
)
STEP_ENDS = {DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE, DagsterEventType.STEP_UP_FOR_RETRY}

LAUNCH_RUNS = """
mutation Launch($params: [ExecutionParams!]!) {
  launchMultipleRuns(executionParamsList: $params) {
    __typename
    ... on LaunchMultipleRunsResult {
      launchMultipleRunsResult { __typename ... on LaunchRunSuccess { run { runId status } } }
    }
    ... on PythonError { message }
  }
}
"""
RUN_STATUS = """
query Runs($ids: [String!]) {
  runsOrError(filter: {runIds: $ids}) { ... on Runs { results { runId status } } }
}
"""
LAUNCH_BACKFILL = """
mutation Launch($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on PythonError { message stack }
    ... on PartitionSetNotFoundError { message }
  }
}
"""
BACKFILL_STATUS = """
query Status($id: String!) {
  partitionBackfillOrError(backfillId: $id) { ... on PartitionBackfill { status } }
}
"""
BACKFILL_RUNS = """
query Runs($backfill: String!) {
  runsOrError(filter: {tags: [{key: "dagster/backfill", value: $backfill}]}) {
    ... on Runs { results { runId status tags { key value } } }
  }
}
"""


def _logs(tmp: Path) -> str:
    return "\n".join(p.read_text(errors="replace") for p in sorted(tmp.glob("dagster-*.log")))


def _wait_for_ui(base: str, tmp: Path, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while True:
        try:
            if graphql(base, "{ assetNodes { id } }")["assetNodes"]:
                return
        except OSError:
            pass
        assert process.poll() is None, _logs(tmp)[-3000:]
        assert time.monotonic() < deadline, "the Dagster webserver did not come up within 120 s"
        time.sleep(1)


def _days(names: list[str]) -> list[str]:
    """The partition keys (months) of the documents' publication days."""
    return sorted(partition_key_for_day(dt.date.fromisoformat(name[:10])) for name in names)


def _queue_runs(base: str, days: list[str]) -> list[str]:
    """One run of daily_refresh per day, as the schedule makes them (a `dagster/partition` tag)."""
    selector = {**LOCATION, "jobName": "daily_refresh"}
    params = [
        {
            "selector": selector,
            "runConfigData": IN_PROCESS,
            "executionMetadata": {"tags": [{"key": "dagster/partition", "value": day}]},
        }
        for day in days
    ]
    result = graphql(base, LAUNCH_RUNS, {"params": params})["launchMultipleRuns"]
    assert result["__typename"] == "LaunchMultipleRunsResult", result
    launched = result["launchMultipleRunsResult"]
    assert [r["__typename"] for r in launched] == ["LaunchRunSuccess"] * len(days), launched
    assert {r["run"]["status"] for r in launched} == {"QUEUED"}, launched
    return [r["run"]["runId"] for r in launched]


def _wait_for_runs(base: str, tmp: Path, run_ids: list[str], timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    runs: list[dict] = []
    while time.monotonic() < deadline:
        runs = graphql(base, RUN_STATUS, {"ids": run_ids})["runsOrError"]["results"]
        if len(runs) == len(run_ids) and all(r["status"] in RUN_DONE for r in runs):
            return
        time.sleep(2)
    pytest.fail(f"runs not finished after {timeout:.0f} s: {runs}\n{_logs(tmp)[-3000:]}")


def _backfill(base: str, tmp: Path, days: list[str], timeout: float = 300) -> list[str]:
    """A job backfill of daily_refresh over `days`; its run ids once the daemon marks it done (after its
    last run finished)."""
    selector = {"partitionSetName": "daily_refresh_partition_set", "repositorySelector": LOCATION}
    params = {"selector": selector, "partitionNames": days, "runConfigData": IN_PROCESS}
    result = graphql(base, LAUNCH_BACKFILL, {"params": params})["launchPartitionBackfill"]
    assert result["__typename"] == "LaunchBackfillSuccess", result
    backfill_id = result["backfillId"]
    deadline = time.monotonic() + timeout
    status = None
    while time.monotonic() < deadline:
        status = graphql(base, BACKFILL_STATUS, {"id": backfill_id})["partitionBackfillOrError"]["status"]
        if status in BACKFILL_DONE:
            break
        time.sleep(2)
    runs = graphql(base, BACKFILL_RUNS, {"backfill": backfill_id})["runsOrError"]["results"]
    assert status in BACKFILL_DONE, (
        f"backfill still {status} after {timeout:.0f} s: {runs}\n{_logs(tmp)[-3000:]}"
    )
    windows = {
        (tags.get(RANGE_START), tags.get(RANGE_END))
        for tags in ({t["key"]: t["value"] for t in r["tags"]} for r in runs)
    }  # a set: a failed run retried by the daemon (run_retries) is a second run of its day
    assert sorted(windows) == [(day, day) for day in days], f"expected one run per day: {windows}"
    return [r["runId"] for r in runs]


def _step_intervals(instance: dg.DagsterInstance, run_id: str) -> list[tuple[float, float, str]]:
    """[STEP_START, end of the attempt] of every step attempt of a run: the time its code used DuckDB."""
    started: dict[str, float] = {}
    intervals = []
    for entry in instance.all_logs(run_id, of_type={DagsterEventType.STEP_START, *STEP_ENDS}):
        if entry.dagster_event_type == DagsterEventType.STEP_START:
            started[entry.step_key] = entry.timestamp
        else:
            intervals.append((started.pop(entry.step_key), entry.timestamp, f"{run_id[:8]}:{entry.step_key}"))
    assert not started, f"steps of run {run_id} started and never ended: {started}"
    return intervals


def _error(entry: dg.EventLogEntry) -> str:
    """A step failure's chain of error classes, and the message of the innermost."""
    error, classes = entry.dagster_event.step_failure_data.error, []
    while error.cause is not None:
        classes.append(error.cls_name or "?")
        error = error.cause
    return " <- ".join([*classes, f"{error.cls_name}: {' '.join(error.message.split())[:600]}"])


def _max_simultaneous(intervals: list[tuple[float, float]]) -> int:
    edges = sorted([(start, 1) for start, _ in intervals] + [(end, -1) for _, end in intervals])
    running = peak = 0
    for _, change in edges:  # an end sorts before a start at the same instant
        running += change
        peak = max(peak, running)
    return peak


def test_runs_launched_together_queue_and_go_one_at_a_time(tmp_path: Path) -> None:
    # The premise: every step of daily_refresh writes DuckDB (the report reads the published file, and
    # is in the pool too) and is in the pool, so no two may overlap.
    assets = [*all_assets({"local_folder"}), report]
    assert {a.op.name: a.op.pool for a in assets} == {a.op.name: DUCKDB_POOL for a in assets}

    folder = tmp_path / "drop"
    folder.mkdir()
    for name in QUEUED_FIRST + BACKFILLED:
        shutil.copy(REPO_ROOT / "data" / "corpus" / name, folder / name)
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "AIRACE_DUCKDB_PATH": str(tmp_path / "airace.duckdb"),
        "AIRACE_WORK_DUCKDB_PATH": str(tmp_path / "work" / "airace_work.duckdb"),
        "AIRACE_SOURCES": str(write_sources(tmp_path, folder)),
        "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS": "1",
    }
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    workspace = ["-w", str(REPO_ROOT / "workspace.yaml")]
    with dagster_service(
        tmp_path / "dagster-webserver.log",
        "dagster-webserver",
        [*workspace, "-h", "127.0.0.1", "-p", str(port)],
        env,
    ) as web:
        _wait_for_ui(base, tmp_path, web)
        first = _queue_runs(base, _days(QUEUED_FIRST))
        with dagster_service(tmp_path / "dagster-daemon.log", "dagster-daemon", ["run", *workspace], env):
            _wait_for_runs(base, tmp_path, first)
            second = _backfill(base, tmp_path, _days(BACKFILLED))
    log = _logs(tmp_path)

    with dg.DagsterInstance.from_config(str(home)) as instance:
        records = instance.get_run_records()  # the runs launched here and any other (none expected)
        failed = [r.dagster_run for r in records if r.dagster_run.status != dg.DagsterRunStatus.SUCCESS]
        details = [
            f"run {run.run_id[:8]} step {e.step_key}: {_error(e)}"
            for run in failed
            for e in instance.all_logs(run.run_id, of_type=DagsterEventType.STEP_FAILURE)
        ]
        assert not failed, f"{len(failed)} of {len(records)} runs failed:\n" + "\n".join(details)
        assert len(records) == len(first) + len(second) == len(QUEUED_FIRST + BACKFILLED)

        # No two steps of any runs ran at the same time.
        steps = sorted(i for r in records for i in _step_intervals(instance, r.dagster_run.run_id))
        overlaps = [(a, b) for a, b in itertools.pairwise(steps) if b[0] < a[1]]
        assert not overlaps, f"{len(overlaps)} pairs of pool steps ran at the same time: {overlaps[:5]}"
        assert len(steps) == len(records) * len(assets)

        # ... and no two runs were in progress together: the queue held each until the previous ended.
        spans = [(r.start_time, r.end_time) for r in records]
        peak = _max_simultaneous(spans)
        assert peak == 1, f"{peak} runs were in progress together; the queue should run one at a time"
        print(f"{len(records)} runs one at a time; {len(steps)} steps one at a time")

        # No DuckDB lock error anywhere, not even one retried away: the pool, not the retries, serialises.
        retried = [
            e.message
            for r in records
            for e in instance.all_logs(r.dagster_run.run_id, of_type=DagsterEventType.STEP_UP_FOR_RETRY)
        ]
        assert not retried, retried
        texts = [e.message for r in records for e in instance.all_logs(r.dagster_run.run_id)]
        compute_logs = [p for p in (home / "storage").rglob("*") if p.suffix in (".out", ".err")]
        assert compute_logs, "no compute logs to search"
        texts += [p.read_text(errors="replace") for p in compute_logs]
        texts.append(log)
        locked = [
            line[:300]
            for text in texts
            for line in text.splitlines()
            if any(m in line.lower() for m in LOCK_MESSAGES)
        ]
        assert not locked, locked

    conn = duckdb.connect(str(tmp_path / "airace.duckdb"), read_only=True)
    try:
        published = conn.execute("SELECT count(*), count(DISTINCT published_on) FROM documents").fetchone()
    finally:
        conn.close()
    assert published == (len(QUEUED_FIRST + BACKFILLED), len(QUEUED_FIRST + BACKFILLED))
