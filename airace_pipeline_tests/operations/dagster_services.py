"""Dagster's own processes for the end-to-end tests: started on 127.0.0.1, stopped with everything they
spawned, and the GraphQL API the UI uses."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

from airace_pipeline.paths import REPO_ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def graphql(base: str, query: str, variables: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"{base}/graphql",
        data=json.dumps({"query": query, "variables": variables or {}}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        payload = json.loads(response.read())
    assert "errors" not in payload, payload
    return payload["data"]


@contextlib.contextmanager
def dagster_service(
    log_path: Path, name: str, args: list[str], env: dict[str, str]
) -> Iterator[subprocess.Popen]:
    """A Dagster command of the venv (`dagster`, `dagster-webserver`, ...) in its own session, so it and its
    children (code server, daemon) are stopped together: SIGINT, then SIGKILL."""
    command = [str(Path(os.environ.get("VIRTUAL_ENV", REPO_ROOT / ".venv")) / "bin" / name), *args]
    log = open(log_path, "w")  # noqa: SIM115 (closed when the service is stopped)
    process = subprocess.Popen(
        command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    try:
        yield process
    finally:
        for sig, wait in ((signal.SIGINT, 15), (signal.SIGKILL, 10)):
            if process.poll() is None:
                os.killpg(process.pid, sig)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    process.wait(timeout=wait)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # children that outlived the parent
        log.close()


def cli_env(tmp: Path) -> dict[str, str]:
    """The environment of a `dagster` CLI run on temporary files, as the Makefile sets it: a DAGSTER_HOME
    holding the committed `dagster.yaml`, the bundled sources file, the published and working files."""
    home = tmp / "dagster_home"
    home.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO_ROOT / "dagster.yaml", home / "dagster.yaml")
    return {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "AIRACE_DUCKDB_PATH": str(tmp / "airace.duckdb"),
        "AIRACE_WORK_DUCKDB_PATH": str(tmp / "work" / "airace_work.duckdb"),
        "AIRACE_SOURCES": str(REPO_ROOT / "data" / "sources.yaml"),
        "DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS": "1",
    }
