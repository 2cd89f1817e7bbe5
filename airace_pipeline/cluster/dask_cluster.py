"""A real Dask cluster on this machine: a scheduler and N workers, each its own OS process on 127.0.0.1.

For `make run-scaled` and the tests, so that distributed extraction is exercised over real sockets and
process boundaries rather than in-process (`LocalCluster(processes=False)` would hide pickling and import
problems). Started with Dask's own CLI (`dask scheduler`, `dask worker`), as a deployment would start them
on other hosts; stopped by whoever started it, with nothing left running.

Choices: the scheduler binds port 0 and reports the port it got through `--scheduler-file`, so two clusters
(two test sessions) never race for a "free" port; workers run without a nanny (`--no-nanny`), so each
worker is exactly one process and a child of ours, and with `--death-timeout`, so a worker whose scheduler
vanished (this process killed) exits by itself; one thread per worker, because extraction is pure Python
and a second thread would only share the core (the GIL). No dashboards: nothing listens beyond the
scheduler's and the workers' own ports and their small HTTP servers (health checks), all on 127.0.0.1.

    python -m airace_pipeline.cluster.dask_cluster --workers 2 -- python -m airace_pipeline run
    python -m airace_pipeline.cluster.dask_cluster --workers 2      # prints the address, Ctrl-C stops it
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

from airace_pipeline.engines.distributed import SCHEDULER_ENV_VAR
from airace_pipeline.paths import REPO_ROOT

HOST = "127.0.0.1"
# Even without a dashboard each Dask process serves HTTP (health, metrics), by default on all interfaces
# (the scheduler on the fixed port 8787, which two clusters would fight over): loopback, any free port.
_HTTP = ("--dashboard-address", f"{HOST}:0")


class ClusterStartFailed(RuntimeError):
    """The scheduler or a worker did not come up in time (its log's end is in the message)."""


@dataclass(frozen=True)
class LocalDaskCluster:
    address: str
    scheduler: subprocess.Popen
    workers: tuple[subprocess.Popen, ...]

    @property
    def pids(self) -> list[int]:
        return [self.scheduler.pid, *(w.pid for w in self.workers)]


@contextmanager
def local_dask_cluster(
    workers: int = 2,
    *,
    threads_per_worker: int = 1,
    start_timeout: float = 60.0,
    stop_timeout: float = 10.0,
) -> Iterator[LocalDaskCluster]:
    """Start a scheduler and `workers` worker processes, yield once all are registered, stop them all."""
    from distributed import Client

    if workers < 1:
        raise ValueError(f"a Dask cluster needs at least one worker, not {workers}")
    with tempfile.TemporaryDirectory(prefix="airace-dask-") as tmp:
        folder = Path(tmp)
        scheduler_file = folder / "scheduler.json"
        processes: list[subprocess.Popen] = []
        try:
            scheduler = _spawn(
                folder,
                "scheduler",
                ["scheduler", "--host", HOST, "--port", "0", "--no-dashboard", *_HTTP],
                ["--scheduler-file", str(scheduler_file)],
            )
            processes.append(scheduler)
            address = _wait_for_address(scheduler, scheduler_file, folder, start_timeout)
            for n in range(workers):
                processes.append(
                    _spawn(
                        folder,
                        f"worker-{n}",
                        ["worker", address, "--host", HOST, "--no-nanny", "--no-dashboard", *_HTTP],
                        [
                            "--nthreads", str(threads_per_worker),
                            "--name", f"airace-worker-{n}",
                            "--death-timeout", "30",
                            "--local-directory", str(folder / f"worker-{n}"),
                        ],
                    )
                )  # fmt: skip
            with Client(address, timeout=f"{start_timeout}s", set_as_default=False) as client:
                try:
                    client.wait_for_workers(workers, timeout=start_timeout)
                except TimeoutError as exc:
                    raise ClusterStartFailed(
                        f"{len(client.nthreads())} of {workers} Dask workers registered with {address} "
                        f"within {start_timeout:g} s\n{_logs(folder)}"
                    ) from exc
            yield LocalDaskCluster(address, scheduler, tuple(processes[1:]))
        finally:
            _stop(processes, stop_timeout)


def _spawn(folder: Path, name: str, args: list[str], more: list[str]) -> subprocess.Popen:
    dask = Path(sys.executable).with_name("dask")
    log = (folder / f"{name}.log").open("wb")
    try:
        # The workers unpickle the extraction tasks, so they import this package: same venv, same
        # environment, run from the repository root like the Dagster step.
        return subprocess.Popen([str(dask), *args, *more], cwd=REPO_ROOT, stdout=log, stderr=log)
    finally:
        log.close()  # the child holds its own copy


def _wait_for_address(scheduler: subprocess.Popen, scheduler_file: Path, folder: Path, timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if scheduler.poll() is not None:
            raise ClusterStartFailed(
                f"the Dask scheduler exited with {scheduler.returncode}\n{_logs(folder)}"
            )
        try:
            return json.loads(scheduler_file.read_text(encoding="utf-8"))["address"]
        except (FileNotFoundError, json.JSONDecodeError, KeyError):
            time.sleep(0.1)
    raise ClusterStartFailed(f"the Dask scheduler wrote no address within {timeout:g} s\n{_logs(folder)}")


def _stop(processes: list[subprocess.Popen], timeout: float) -> None:
    """The workers first, then the scheduler: SIGTERM, then SIGKILL for whatever is still there after
    `timeout` seconds. In that order because a worker told to stop while its scheduler is stopping too
    sometimes spent 10-15 s retrying to say goodbye (seen here, once in a few runs)."""
    for group in (processes[1:], processes[:1]):
        for process in group:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + timeout
        for process in group:
            try:
                process.wait(max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _logs(folder: Path, tail: int = 2000) -> str:
    return "\n".join(
        f"--- {log.name}:\n{log.read_text(encoding='utf-8', errors='replace')[-tail:]}"
        for log in sorted(folder.glob("*.log"))
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m airace_pipeline.cluster.dask_cluster",
        description=f"Start a local Dask cluster on {HOST}; run COMMAND with {SCHEDULER_ENV_VAR} set to "
        "its address (or wait for Ctrl-C without one), then stop the cluster.",
    )
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- then the command to run")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    # A SIGTERM (make interrupted, a CI timeout) unwinds like Ctrl-C, so the cluster is stopped too.
    signal.signal(signal.SIGTERM, _exit_on_signal)
    with local_dask_cluster(args.workers) as cluster:
        print(f"Dask scheduler {cluster.address}, {args.workers} worker(s): pids {cluster.pids}", flush=True)
        if not command:
            with suppress(KeyboardInterrupt):
                signal.pause()
            return 0
        env = {**os.environ, SCHEDULER_ENV_VAR: cluster.address}
        return subprocess.run(command, env=env, check=False).returncode


def _exit_on_signal(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


if __name__ == "__main__":
    sys.exit(main())
