"""Clearing up after a run that was killed (SIGKILL, OOM, a closed laptop) before it could report.

Such a run stays "started" in the instance and keeps its slot in the `duckdb` concurrency pool, so every
later run would wait for that slot forever. The daemon's run monitoring catches this for runs it launched;
runs started from the command line (`make run`, `dagster asset materialize`) have no monitor, so
`python -m airace_pipeline run` calls this first. A run counts as dead only when none of the processes that
logged its events is alive on this machine.
"""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg
from dagster._core.storage.dagster_run import DagsterRunStatus

_UNFINISHED = [DagsterRunStatus.STARTING, DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING]


def alive(pid: int) -> bool:
    """Running, not a zombie: a killed step process whose parent died may linger unreaped, and
    `kill(pid, 0)` alone would call it alive (seen in containers whose init does not reap)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    stat = Path(f"/proc/{pid}/stat")
    try:
        state = stat.read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


def processes_gone(instance: dg.DagsterInstance, run_id: str) -> bool:
    """True when processes logged events for the run and none of them is alive on this machine."""
    pids = {
        entry.dagster_event.pid
        for entry in instance.all_logs(run_id)
        if entry.dagster_event is not None and entry.dagster_event.pid
    }
    return bool(pids) and not any(alive(pid) for pid in pids)


def recover_interrupted_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark unfinished runs whose processes are all gone as failed and free their pool slots."""
    recovered = []
    for run in instance.get_runs(filters=dg.RunsFilter(statuses=_UNFINISHED)):
        if not processes_gone(instance, run.run_id):
            continue
        instance.report_run_failed(run, "its processes are gone (killed before it could finish); cleaned up")
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        recovered.append(run.run_id)
    return recovered
