"""The working state in the lake: two "machines" (two processes with working folders of their own) run
the pipeline over different partitions at the same time against one Dagster instance on PostgreSQL and
one lake, and together leave exactly what one embedded run over all the documents publishes.

What makes this safe is checked, not assumed: the two runs' steps interleave (each machine ingests the
documents it has not seen, both cluster and publish), and the lake must end with every document once,
every fact once and the same ids as the embedded run.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from airace_pipeline.cluster.postgres import PostgresCluster
from airace_pipeline.paths import REPO_ROOT
from airace_pipeline.warehouse.lake import Lake
from airace_pipeline.warehouse.lake_working import WORKING_ALIAS, open_lake_working
from airace_pipeline_tests.cluster.fixtures import fresh_database
from airace_pipeline_tests.cluster.lake_helpers import lake_hashes
from airace_pipeline_tests.conftest import make_resources, materialize_range, table_hashes, write_sources
from airace_pipeline_tests.operations.dagster_services import cli_env

pytestmark = pytest.mark.slow

# Two months, each with two reports of one event (cross-document merging inside the month).
JANUARY = (
    "2024-01-25-ftc-6b-orders-generative-ai-investments.md",
    "2024-01-26-roundup-ftc-ai-orders-biden-deepfake-robocall-eu-microsoft-openai.md",
)
MARCH = (
    "2024-03-07-indiaai-mission-cabinet-approves-10371-crore.md",
    "2024-03-08-indiaai-mission-funding-news.md",
    "2024-03-13-eu-parliament-adopts-ai-act.md",
)
WINDOWS = {"january": ("2024-01-01", "2024-01-31"), "march": ("2024-03-01", "2024-03-31")}


@dataclass(frozen=True)
class Machines:
    lake: Lake
    embedded: Path  # the published file of one embedded run over every document
    folders: dict[str, Path]  # each machine's folder (working path, dlt state, published file)


def _machine_env(tmp: Path, sources: Path, dagster_url: str, lake: Lake, home: Path) -> dict[str, str]:
    env = cli_env(tmp)
    env.update(
        AIRACE_SOURCES=str(sources),
        DAGSTER_HOME=str(home),
        AIRACE_DAGSTER_PG_URL=dagster_url,
        AIRACE_LAKE_CATALOG=lake.catalog,
        AIRACE_LAKE_DATA_PATH=lake.data_path,
    )
    env.pop("AIRACE_DASK_SCHEDULER", None)
    return env


@pytest.fixture(scope="module")
def machines(postgres_cluster: PostgresCluster, tmp_path_factory: pytest.TempPathFactory) -> Machines:
    docs = tmp_path_factory.mktemp("lake_working_docs")
    for name in (*JANUARY, *MARCH):
        shutil.copy(REPO_ROOT / "data" / "corpus" / name, docs / name)
    sources = write_sources(tmp_path_factory.mktemp("lake_working_sources"), docs)

    embedded = tmp_path_factory.mktemp("embedded")
    assert materialize_range(make_resources(embedded, sources), "2024-01-01", "2024-03-31").success

    lake = Lake(
        postgres_cluster.url(fresh_database(postgres_cluster, "lake")),
        str(tmp_path_factory.mktemp("lake_data")),
    )
    home = tmp_path_factory.mktemp("shared_dagster_home")
    shutil.copy(REPO_ROOT / "deploy" / "dagster-postgres.yaml", home / "dagster.yaml")
    dagster_url = postgres_cluster.dagster_url(fresh_database(postgres_cluster, "dagster"))
    folders, processes = {}, {}
    for name, (start, end) in WINDOWS.items():
        folders[name] = tmp_path_factory.mktemp(f"machine_{name}")
        env = _machine_env(folders[name], sources, dagster_url, lake, home)
        processes[name] = subprocess.Popen(
            [sys.executable, "-m", "airace_pipeline", "run", "--start", start, "--end", end],
            cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )  # fmt: skip
    for name, process in processes.items():
        out, _ = process.communicate(timeout=900)
        assert process.returncode == 0, f"machine {name}:\n{out[-5000:]}"
    return Machines(lake, embedded / "airace.duckdb", folders)


def test_the_working_state_is_in_the_lake_not_in_a_file(machines: Machines) -> None:
    for folder in machines.folders.values():
        files = {p.name for p in folder.rglob("*.duckdb")}
        assert files == {"airace.duckdb"}, f"{files}: the working state belongs in the lake"
    with open_lake_working(machines.lake, "256MB") as conn:
        documents = conn.execute(
            "SELECT count(*), count(DISTINCT document_id) FROM main.documents"
        ).fetchone()
        assert documents == (len(JANUARY) + len(MARCH),) * 2
        assert conn.execute("SELECT current_database()").fetchone()[0] == WORKING_ALIAS


def test_two_machines_at_once_publish_what_one_embedded_run_does(machines: Machines) -> None:
    expected = table_hashes(machines.embedded)
    assert lake_hashes(machines.lake) == expected
    # Each machine's own published file: the later publication holds everything; the earlier one may
    # predate the other machine's documents, but never holds a row twice.
    published = {name: folder / "airace.duckdb" for name, folder in machines.folders.items()}
    assert expected in [table_hashes(path) for path in published.values()]
    for path in published.values():
        conn = duckdb.connect(str(path), read_only=True)
        try:
            assert conn.execute("SELECT count(*) = count(DISTINCT document_id) FROM documents").fetchone()[0]
            assert conn.execute("SELECT count(*) = count(DISTINCT mention_id) FROM evidence").fetchone()[0]
        finally:
            conn.close()
