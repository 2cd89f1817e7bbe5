"""deploy/ is not run here (no Docker), so its files are checked against the code they configure: the
services the README names, the variables the code reads, the ports that must agree."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from airace_pipeline.paths import REPO_ROOT

DEPLOY = REPO_ROOT / "deploy"


def _compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))


def _code_text() -> str:
    files = [
        *(REPO_ROOT / "airace_pipeline").rglob("*.py"),
        REPO_ROOT / "Makefile",
        DEPLOY / "dagster-postgres.yaml",
    ]
    return "\n".join(path.read_text(encoding="utf-8") for path in files)


def test_every_service_of_a_scaled_deployment_is_there() -> None:
    services = _compose()["services"]
    assert {"postgres", "code", "webserver", "daemon", "dask-scheduler", "dask-worker"} <= set(services)
    assert services["dask-worker"]["deploy"]["replicas"] >= 2


def test_the_pipeline_services_set_only_variables_the_code_reads() -> None:
    compose, code = _compose(), _code_text()
    environment = compose["x-pipeline-env"]
    for name in environment:
        assert re.search(rf"\b{name}\b", code), f"docker-compose.yml sets {name}, which nothing reads"
    for needed in (
        "AIRACE_DAGSTER_PG_URL",
        "AIRACE_DASK_SCHEDULER",
        "AIRACE_LAKE_CATALOG",
        "AIRACE_LAKE_DATA_PATH",
    ):
        assert needed in environment, needed
    assert environment["AIRACE_DAGSTER_PG_URL"].startswith("postgresql+psycopg2://")  # the Makefile's rule
    for service in ("code", "webserver", "daemon"):
        assert compose["services"][service]["environment"] == environment, service


def test_the_webserver_and_daemon_find_the_code_server_where_it_listens() -> None:
    workspace = yaml.safe_load((DEPLOY / "workspace.yaml").read_text(encoding="utf-8"))
    server = workspace["load_from"][0]["grpc_server"]
    command = _compose()["services"]["code"]["command"]
    assert server["host"] == "code"
    assert f"-p {server['port']}" in command
    assert "-m airace_pipeline.definitions" in command


def test_the_image_installs_what_the_makefile_installs() -> None:
    dockerfile = (DEPLOY / "Dockerfile").read_text(encoding="utf-8")
    assert "make venv" in dockerfile
    for copied in ("requirements.lock", "pyproject.toml", "airace_pipeline", "deploy"):
        assert copied in dockerfile, copied
    assert (
        Path(REPO_ROOT / "deploy" / "postgres-init.sql").read_text(encoding="utf-8").count("CREATE DATABASE")
        == 1
    )
