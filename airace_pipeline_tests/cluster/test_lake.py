"""The DuckLake warehouse: extensions installed offline, the pipeline publishing into a lake on the
session's throwaway PostgreSQL, and two publications at once into one lake.

The pipeline runs twice over three bundled documents (module fixture, slow); the other tests publish the
file that left, or a variant of it, straight into fresh lakes.
"""

from __future__ import annotations

import hashlib
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from airace_pipeline.cluster.postgres import PostgresCluster
from airace_pipeline.defs.resources import WarehouseResource
from airace_pipeline.paths import REPO_ROOT
from airace_pipeline.warehouse import extensions
from airace_pipeline.warehouse.extensions import ExtensionsUnavailable, install_extensions, lake_connection
from airace_pipeline.warehouse.lake import Lake, LakeError, LakePublication, attach_lake, publish_to_lake
from airace_pipeline_tests.cluster.fixtures import fresh_database
from airace_pipeline_tests.cluster.lake_helpers import lake_hashes
from airace_pipeline_tests.cluster.together import run_together
from airace_pipeline_tests.conftest import make_resources, materialize_range, table_hashes, write_sources

DOCUMENTS = (
    "2024-01-25-ftc-6b-orders-generative-ai-investments.md",
    "2024-02-20-moonshot-ai-alibaba-led-1-billion-round.md",
    "2024-03-13-eu-parliament-adopts-ai-act.md",
)


@pytest.fixture(scope="module")
def extension_directory(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One extension directory for the module (each install copies ~80 MB)."""
    return tmp_path_factory.mktemp("duckdb_extensions")


def _lake(cluster: PostgresCluster, tmp: Path, extension_directory: Path) -> Lake:
    return Lake(
        cluster.url(fresh_database(cluster, "lake")), str(tmp / "lake_data"), str(extension_directory)
    )


def _snapshots(lake: Lake) -> list[int]:
    conn = lake_connection(lake.extension_directory)
    try:
        attach_lake(conn, lake, "reader", read_only=True)
        return [
            row[0] for row in conn.execute("SELECT snapshot_id FROM reader.snapshots() ORDER BY 1").fetchall()
        ]
    finally:
        conn.close()


def test_extensions_install_offline_and_load_signed(tmp_path: Path) -> None:
    conn = duckdb.connect(
        config={
            "extension_directory": str(tmp_path / "ext"),
            "allow_unsigned_extensions": False,
            "autoinstall_known_extensions": False,
            # Any download would go here and fail: the install must come from the pip packages.
            "custom_extension_repository": "http://127.0.0.1:9",
        }
    )
    try:
        assert sorted(install_extensions(conn)) == ["ducklake", "postgres_scanner"]
        assert install_extensions(conn) == []  # idempotent
        conn.execute("LOAD postgres_scanner")
        conn.execute("LOAD ducklake")
        rows = conn.execute(
            "SELECT extension_name, loaded, install_mode FROM duckdb_extensions() "
            "WHERE extension_name IN ('ducklake', 'postgres_scanner') ORDER BY 1"
        ).fetchall()
        assert rows == [("ducklake", True, "CUSTOM_PATH"), ("postgres_scanner", True, "CUSTOM_PATH")]
        assert conn.execute("SELECT current_setting('allow_unsigned_extensions')").fetchone()[0] is False
    finally:
        conn.close()
    assert (tmp_path / "ext" / f"v{duckdb.__version__}").is_dir()


def test_missing_or_mismatched_extension_package_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(duckdb, "__version__", "9.9.9")
    with pytest.raises(ExtensionsUnavailable, match=r"no binary for DuckDB 9\.9\.9.*duckdb==1\.5\.5"):
        lake_connection(tmp_path / "ext")
    monkeypatch.undo()
    real = extensions.importlib.util.find_spec
    monkeypatch.setattr(
        extensions.importlib.util,
        "find_spec",
        lambda name: None if name == "duckdb_extension_ducklake" else real(name),
    )
    with pytest.raises(ExtensionsUnavailable, match="duckdb-extension-ducklake is not installed"):
        lake_connection(tmp_path / "ext")


@dataclass(frozen=True)
class LakeRuns:
    published: Path
    lake: Lake
    first: dict[str, str]  # the published file's hashes after the first run
    lake_after_first: dict[str, str]
    snapshots_after_first: list[int]
    second: dict[str, str]
    lake_after_second: dict[str, str]
    snapshots_after_second: list[int]


@pytest.fixture(scope="module")
def lake_runs(
    postgres_cluster: PostgresCluster, tmp_path_factory: pytest.TempPathFactory, extension_directory: Path
) -> LakeRuns:
    tmp = tmp_path_factory.mktemp("lake_run")
    docs = tmp / "docs"
    docs.mkdir()
    for name in DOCUMENTS:
        shutil.copy(REPO_ROOT / "data" / "corpus" / name, docs / name)
    resources = make_resources(tmp, write_sources(tmp, docs))
    lake = _lake(postgres_cluster, tmp, extension_directory)
    resources["warehouse"] = WarehouseResource(
        published_path=str(tmp / "airace.duckdb"),
        working_path=str(tmp / "work" / "airace_work.duckdb"),
        lake_catalog=lake.catalog,
        lake_data_path=lake.data_path,
        lake_extension_directory=lake.extension_directory,
    )
    assert materialize_range(resources, "2024-01-01", "2024-03-31").success
    first = table_hashes(tmp / "airace.duckdb")
    lake_after_first, snapshots_after_first = lake_hashes(lake), _snapshots(lake)
    assert materialize_range(resources, "2024-01-01", "2024-03-31").success
    return LakeRuns(
        tmp / "airace.duckdb",
        lake,
        first,
        lake_after_first,
        snapshots_after_first,
        table_hashes(tmp / "airace.duckdb"),
        lake_hashes(lake),
        _snapshots(lake),
    )


@pytest.mark.slow
def test_pipeline_publishes_the_contract_into_the_lake(lake_runs: LakeRuns) -> None:
    assert lake_runs.lake_after_first == lake_runs.first
    assert any(h != hashlib.sha256(b"[]").hexdigest() for h in lake_runs.first.values())  # not all empty
    assert list(Path(lake_runs.lake.data_location).rglob("*.parquet")), "the data is Parquet under the path"


@pytest.mark.slow
def test_a_second_identical_run_leaves_the_lake_equal(lake_runs: LakeRuns) -> None:
    assert lake_runs.second == lake_runs.first
    assert lake_runs.lake_after_second == lake_runs.first  # no duplicates
    # The second run rewrites load timestamps (ingested_at, quarantined_at) and pipeline_runs, so the
    # file and the lake may take one new snapshot, never more.
    assert len(lake_runs.snapshots_after_second) - len(lake_runs.snapshots_after_first) <= 1
    # The same file published again commits nothing.
    again = publish_to_lake(lake_runs.published, lake_runs.lake)
    assert again.tables_replaced == ()
    assert again.snapshot_id == lake_runs.snapshots_after_second[-1]
    assert lake_hashes(lake_runs.lake) == lake_runs.first


def _variant(published: Path, tmp: Path) -> Path:
    """Another published file: one document and everything told by it gone, another run id."""
    other = tmp / "other.duckdb"
    shutil.copyfile(published, other)
    conn = duckdb.connect(str(other))
    try:
        (gone,) = conn.execute("SELECT min(document_id) FROM documents").fetchone()
        conn.execute("DELETE FROM evidence WHERE document_id = ?", [gone])
        conn.execute("DELETE FROM documents WHERE document_id = ?", [gone])
        conn.execute("UPDATE pipeline_runs SET run_id = 'another run'")
    finally:
        conn.close()
    return other


@pytest.mark.slow
def test_two_publications_at_once_commit_one_whole_snapshot_each(
    lake_runs: LakeRuns, postgres_cluster: PostgresCluster, tmp_path: Path, extension_directory: Path
) -> None:
    files = (lake_runs.published, _variant(lake_runs.published, tmp_path))
    expected = {f: table_hashes(f) for f in files}
    assert expected[files[0]] != expected[files[1]]
    lake = _lake(postgres_cluster, tmp_path, extension_directory)
    by_index, errors = run_together(lambda file: publish_to_lake(file, lake), files, timeout=120)
    results: dict[Path, LakePublication] = {files[i]: publication for i, publication in by_index.items()}
    assert not errors
    assert set(results) == set(files)
    last = max(files, key=lambda f: results[f].snapshot_id)
    assert lake_hashes(lake) == expected[last]  # exactly one file: not a mix, no duplicates
    assert results[files[0]].snapshot_id != results[files[1]].snapshot_id
    for file, publication in results.items():
        assert lake_hashes(lake, publication.snapshot_id) == expected[file]  # each one whole
    # The lake's creation (0) and one snapshot per publication, nothing in between.
    assert _snapshots(lake) == [0, *sorted(p.snapshot_id for p in results.values())]


def test_a_wrong_catalog_is_a_clear_error_without_the_password(
    postgres_cluster: PostgresCluster, tmp_path: Path, extension_directory: Path
) -> None:
    published = tmp_path / "empty.duckdb"
    duckdb.connect(str(published)).close()
    wrong = postgres_cluster.url("lake").replace(postgres_cluster.password, "not-the-password")
    with pytest.raises(LakeError, match="catalog") as raised:
        publish_to_lake(published, Lake(wrong, str(tmp_path / "data"), str(extension_directory)))
    assert "not-the-password" not in str(raised.value)
    with pytest.raises(LakeError, match="AIRACE_LAKE_DATA_PATH"):
        publish_to_lake(published, Lake(wrong, "", str(extension_directory)))
