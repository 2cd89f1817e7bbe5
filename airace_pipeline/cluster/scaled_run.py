"""`make run-scaled`: the main job on a one-machine stand-in for a cluster, then everything stopped.

The same assets and the same `python -m airace_pipeline run` as `make run`, with the scale-out parts
switched on by their environment variables, each a real server on 127.0.0.1 started here:

- Dagster's instance on a throwaway PostgreSQL (`AIRACE_DAGSTER_PG_URL`, deploy/dagster-postgres.yaml);
- extraction on a Dask scheduler with separate worker processes (`AIRACE_DASK_SCHEDULER`);
- the shared warehouse: the working state and the published contract in two DuckLakes whose catalog is
  the same PostgreSQL and whose Parquet files are in this run's folder (`AIRACE_LAKE_CATALOG`,
  `AIRACE_LAKE_DATA_PATH`; docs/scaling-lake.md).

Why a fresh lake and working folder, in a temporary folder: the run must do its work on the cluster.
With `make run`'s working state it would find every document already extracted and send nothing to
Dask. The published file is the one `make run` writes (`AIRACE_DUCKDB_PATH`), so the two can be compared table by
table; on the bundled corpus their content is equal, ids included (a test checks it on a sample).
Everything the run starts lives in that folder and is stopped and deleted at the end, even on failure.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

from airace_pipeline.cluster.dask_cluster import LocalDaskCluster, local_dask_cluster
from airace_pipeline.cluster.postgres import PostgresCluster, throwaway_postgres
from airace_pipeline.engines.distributed import SCHEDULER_ENV_VAR
from airace_pipeline.paths import REPO_ROOT

PG_INSTANCE_YAML = REPO_ROOT / "deploy" / "dagster-postgres.yaml"
DATABASES = ("dagster", "warehouse")


def scaled_environment(
    base: Mapping[str, str], folder: Path, postgres: PostgresCluster, dask: LocalDaskCluster
) -> dict[str, str]:
    """The environment of the run: the caller's, plus the cluster's addresses and this run's folders."""
    home = folder / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(PG_INSTANCE_YAML, home / "dagster.yaml")
    return {
        **base,
        "DAGSTER_HOME": str(home),
        "AIRACE_DAGSTER_PG_URL": postgres.dagster_url("dagster"),
        SCHEDULER_ENV_VAR: dask.address,
        "AIRACE_WORK_DUCKDB_PATH": str(folder / "work" / "airace_work.duckdb"),
        "AIRACE_LAKE_CATALOG": postgres.url("warehouse"),
        "AIRACE_LAKE_DATA_PATH": str(folder / "lake"),
    }


def run_scaled(
    workers: int = 2, start: str | None = None, end: str | None = None, base: Mapping[str, str] | None = None
) -> int:
    """Start PostgreSQL and a Dask cluster of `workers` worker processes, run the main job on them, stop
    both; the run's exit code."""
    base = dict(os.environ if base is None else base)
    began = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="airace-scaled-") as tmp:
        folder = Path(tmp)
        with throwaway_postgres(databases=DATABASES) as postgres, local_dask_cluster(workers) as dask:
            print(
                f"run-scaled: PostgreSQL on {postgres.host}:{postgres.port} (Dagster instance, lake catalog), "
                f"Dask scheduler {dask.address} with {workers} worker processes (pids of the scheduler and "
                f"workers: {', '.join(str(p) for p in dask.pids)})",
                flush=True,
            )
            command = [sys.executable, "-m", "airace_pipeline", "run"]
            command += [f"--start={start}"] if start else []
            command += [f"--end={end}"] if end else []
            env = scaled_environment(base, folder, postgres, dask)
            code = subprocess.run(command, cwd=REPO_ROOT, env=env, check=False).returncode
        print(
            f"run-scaled: {'finished' if code == 0 else f'failed (exit {code})'} in "
            f"{time.monotonic() - began:.0f}s; PostgreSQL and the Dask cluster are stopped, {folder} removed",
            flush=True,
        )
    return code


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m airace_pipeline.cluster.scaled_run", description=__doc__)
    parser.add_argument("--workers", type=int, default=2, help="Dask worker processes (default 2)")
    parser.add_argument("--start", help="first publication day (default: the whole range, as make run)")
    parser.add_argument("--end", help="last publication day")
    args = parser.parse_args(argv)
    # SIGTERM (make interrupted, a CI timeout) unwinds like Ctrl-C, so the servers are stopped too.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    return run_scaled(args.workers, args.start, args.end)


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    sys.exit(main())
