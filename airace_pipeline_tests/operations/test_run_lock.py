"""Two pipeline runs on one working file never interleave: the second waits for the first or stops clearly.

Both are real `dagster asset materialize` runs (what `make run` calls) started together, with one
DAGSTER_HOME holding the committed `dagster.yaml`, on temporary DuckDB files. The `duckdb` pool alone lets
their steps alternate; the run lock must keep each run's steps together, and the published file must be
the one a single clean run writes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import dagster as dg
import pytest
from dagster._core.events import DagsterEventType

from airace_pipeline.paths import REPO_ROOT
from airace_pipeline.warehouse.run_lock import lock_path, read_owner
from airace_pipeline_tests.conftest import table_hashes
from airace_pipeline_tests.operations.dagster_services import cli_env

START = END = "2024-06-01"  # the month partition of June 2024
STEP_ENDS = {DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE, DagsterEventType.STEP_UP_FOR_RETRY}


def _materialize(tmp: Path, log: Path) -> subprocess.Popen:
    command = [
        str(Path(sys.executable).with_name("dagster")), "asset", "materialize", "-m", "airace_pipeline.definitions",
        "--select", "*", "--partition-range", f"{START}...{END}",
    ]  # fmt: skip
    with open(log, "w") as out:
        return subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=cli_env(tmp),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def _span(instance: dg.DagsterInstance, run_id: str) -> tuple[float, float] | None:
    """From the start of the run's first step that succeeded to the end of its last: when it wrote.

    Only succeeded steps: a step stopped by the run lock fails before its code runs."""
    started: dict[str, float] = {}
    intervals = []
    for entry in instance.all_logs(run_id, of_type={DagsterEventType.STEP_START, *STEP_ENDS}):
        if entry.dagster_event_type == DagsterEventType.STEP_START:
            started[entry.step_key] = entry.timestamp
        elif entry.dagster_event_type == DagsterEventType.STEP_SUCCESS:
            intervals.append((started[entry.step_key], entry.timestamp))
    return (min(i[0] for i in intervals), max(i[1] for i in intervals)) if intervals else None


def _failures(instance: dg.DagsterInstance, run_id: str) -> str:
    texts = []
    for entry in instance.all_logs(run_id, of_type=DagsterEventType.STEP_FAILURE):
        error = entry.dagster_event.step_failure_data.error
        while error is not None:
            texts.append(error.message)
            error = error.cause
    return "\n".join(texts)


@pytest.fixture(scope="module")
def clean_run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    tmp = tmp_path_factory.mktemp("clean_run")
    process = _materialize(tmp, tmp / "run.log")
    assert process.wait(timeout=900) == 0, (tmp / "run.log").read_text()[-3000:]
    return table_hashes(tmp / "airace.duckdb")


@pytest.mark.slow
def test_two_runs_started_together_do_not_interleave(tmp_path: Path, clean_run: dict[str, str]) -> None:
    logs = [tmp_path / "first.log", tmp_path / "second.log"]
    # The instance's storage exists before the runs start, as in any DAGSTER_HOME used once: two
    # processes creating its SQLite schema at the same moment is a race of the set-up, not of the runs.
    cli_env(tmp_path)
    dg.DagsterInstance.from_config(str(tmp_path / "dagster_home")).dispose()
    processes = [_materialize(tmp_path, logs[0])]
    time.sleep(1.0)
    processes.append(_materialize(tmp_path, logs[1]))
    try:
        codes = [p.wait(timeout=900) for p in processes]
    finally:
        for p in processes:
            if p.poll() is None:
                os.killpg(p.pid, 9)
    output = "\n".join(f"--- {log.name}\n{log.read_text()[-4000:]}" for log in logs)

    with dg.DagsterInstance.from_config(str(tmp_path / "dagster_home")) as instance:
        runs = sorted(
            (r.dagster_run for r in instance.get_run_records()),
            key=lambda run: _span(instance, run.run_id) or (0,),
        )
        assert len(runs) == 2, output
        spans = {run.run_id: _span(instance, run.run_id) for run in runs}
        statuses = {run.run_id: run.status for run in runs}
        failures = {run.run_id: _failures(instance, run.run_id) for run in runs}
        waits = {
            run.run_id: [
                e.message for e in instance.all_logs(run.run_id) if "it owns the working file" in e.message
            ]
            for run in runs
        }

    succeeded = [run for run in runs if statuses[run.run_id] == dg.DagsterRunStatus.SUCCESS]
    assert succeeded, f"neither run succeeded: {statuses}\n{failures}\n{output}"
    first = succeeded[0]
    (other,) = [run for run in runs if run is not first]
    if statuses[other.run_id] == dg.DagsterRunStatus.SUCCESS:
        # It waited: every one of its steps ran after the first run's last step.
        assert spans[other.run_id][0] >= spans[first.run_id][1], f"the runs interleaved: {spans}\n{output}"
        assert any(first.run_id in message for message in waits[other.run_id]), waits
    else:
        # It stopped, saying which run owns the working file and that it stopped so as not to interleave.
        message = failures[other.run_id]
        assert f"the working file is in use by run {first.run_id}" in message, f"{message}\n{output}"
        assert "this run stops so the two runs do not interleave" in message, message
        other_span = spans[other.run_id]
        first_span = spans[first.run_id]
        assert other_span is None or other_span[1] <= first_span[0] or other_span[0] >= first_span[1], (
            f"steps of the stopped run ran while the other run owned the file: {spans}\n{output}"
        )
    assert sorted(codes) == ([0, 0] if len(succeeded) == 2 else [0, 1]), output

    assert table_hashes(tmp_path / "airace.duckdb") == clean_run
    owner = read_owner(lock_path(tmp_path / "work" / "airace_work.duckdb"))
    assert owner is not None and owner.pid == 0, (
        f"the claim should stay with a run, held by no process: {owner}"
    )
    print(
        f"statuses {[s.value for s in statuses.values()]}; waits {sum(map(len, waits.values()))}; spans {spans}"
    )


# A real process that claims the working file for a run of another Dagster instance and stays alive.
HOLDER = """
import sys
from pathlib import Path
from airace_pipeline.warehouse.run_lock import acquire
acquire(Path(sys.argv[1]), "run-of-another-instance", lambda o: None, lambda o: None, 1, 1, print)
print("claimed", flush=True)
sys.stdin.read()
"""


def test_a_run_waits_for_a_live_owner_and_takes_over_from_a_dead_one(tmp_path: Path) -> None:
    from airace_pipeline.defs.assets.normalise import countries
    from airace_pipeline.defs.resources import WarehouseResource

    warehouse = WarehouseResource(
        published_path=str(tmp_path / "airace.duckdb"),
        working_path=str(tmp_path / "work" / "airace_work.duckdb"),
        run_lock_timeout_seconds=3,
        run_lock_poll_seconds=0.5,
    )
    lock = lock_path(warehouse.working)
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "claimed"
        began = time.monotonic()
        with pytest.raises(dg.DagsterResourceFunctionError) as stopped:
            dg.materialize([countries], resources={"warehouse": warehouse})
        waited = time.monotonic() - began
    finally:
        holder.communicate("")
    cause = str(stopped.value.__cause__)
    assert "the working file is still in use by run run-of-another-instance" in cause, cause
    assert f"pid {holder.pid}" in cause and "after 3 s" in cause, cause
    assert waited >= 3, "the run stopped without waiting"
    assert not warehouse.working.exists(), "the waiting run opened the working file"

    # The holder's process is gone now: the next run takes its claim over and runs.
    with dg.DagsterInstance.ephemeral() as instance:
        result = dg.materialize([countries], resources={"warehouse": warehouse}, instance=instance)
        took_over = [
            e.message
            for e in instance.all_logs(result.run_id)
            if e.message and "took over" in e.message and f"process {holder.pid} is gone" in e.message
        ]
    assert result.success
    assert took_over, "no log line says whose claim was taken over and why"
    assert read_owner(lock).run_id == result.run_id
