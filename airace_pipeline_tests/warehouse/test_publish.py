"""Publishing from a copy of the previous file gives the same file as publishing from scratch."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from airace_pipeline.defs.resources import WarehouseResource
from airace_pipeline.warehouse.contract import CONTRACT
from airace_pipeline.warehouse.publish import Compaction, open_published, publish

NO_RAW = "SELECT NULL AS document_id WHERE false"
INGESTED = dt.datetime(2025, 1, 2, 3, 4, 5, tzinfo=dt.UTC)


@pytest.fixture
def conn(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    warehouse = WarehouseResource(
        published_path=str(tmp_path / "airace.duckdb"), working_path=str(tmp_path / "work" / "w.duckdb")
    )
    with warehouse.connect() as connection:
        yield connection


def add_document(conn: duckdb.DuckDBPyConnection, document_id: str, text: str, title: str = "T") -> None:
    conn.execute(
        "INSERT INTO main.documents VALUES (?, 'news', 'src', NULL, ?, DATE '2025-01-01', ?, ?, 'src', ?, "
        "'metadata', ?, NULL)",
        [document_id, title, hashlib.sha256(text.encode()).hexdigest(), INGESTED, document_id, text],
    )


def add_quarantine(conn: duckdb.DuckDBPyConnection, record: str) -> None:
    conn.execute(
        "INSERT INTO main.quarantine VALUES ('validate', ?, 'bad amount', NULL, ?, 'evidence')",
        [record, INGESTED],
    )


def snapshot(path: Path) -> dict[str, list[tuple]]:
    with open_published(path) as reader:
        tables = [t.name for t in CONTRACT] + ["stage_counts"]
        return {name: reader.execute(f'SELECT * FROM "{name}" ORDER BY ALL').fetchall() for name in tables}


def run_id_of(path: Path) -> str:
    with open_published(path) as reader:
        return reader.execute("SELECT run_id FROM pipeline_runs").fetchone()[0]


def published_once(conn: duckdb.DuckDBPyConnection, tmp_path: Path) -> Path:
    """A published file holding one document, written by run-1."""
    target = tmp_path / "airace.duckdb"
    add_document(conn, "doc-1", "Some text.")
    publish(conn, target, "run-1", NO_RAW)
    return target


def publish_both(conn: duckdb.DuckDBPyConnection, tmp_path: Path, run: str) -> str:
    """Publish over the kept file and into a new one; both must hold the same tables."""
    kept = tmp_path / "airace.duckdb"
    publication = publish(conn, kept, run, NO_RAW)
    fresh = tmp_path / f"fresh-{run}.duckdb"
    assert publish(conn, fresh, run, NO_RAW).mode == "full"
    assert snapshot(kept) == snapshot(fresh), f"{run}: the {publication.mode} publication differs"
    return publication.mode


def test_every_kind_of_change_publishes_as_a_fresh_file_would(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    for i in range(50):
        add_document(conn, f"doc-{i}", f"Text number {i}.")
    assert publish_both(conn, tmp_path, "first") == "full"

    add_document(conn, "doc-new", "A new document.")
    assert publish_both(conn, tmp_path, "added") == "incremental"

    conn.execute("UPDATE main.documents SET title = 'Retitled' WHERE document_id = 'doc-3'")
    conn.execute(
        "UPDATE main.documents SET text = 'Changed.', content_sha256 = ? WHERE document_id = 'doc-4'",
        [hashlib.sha256(b"Changed.").hexdigest()],
    )
    conn.execute("DELETE FROM main.documents WHERE document_id = 'doc-5'")
    assert publish_both(conn, tmp_path, "edited") == "incremental"

    # Two equal rows in a table without a key, then one of them gone: a set comparison would miss it.
    add_quarantine(conn, '{"a": 1}')
    add_quarantine(conn, '{"a": 1}')
    assert publish_both(conn, tmp_path, "quarantined") == "incremental"
    conn.execute("DELETE FROM main.quarantine")
    add_quarantine(conn, '{"a": 1}')
    assert publish_both(conn, tmp_path, "one-left") == "incremental"

    conn.execute("INSERT INTO main.countries VALUES ('FR', 'FRA', 'France', false)")
    assert publish_both(conn, tmp_path, "fact-table") == "incremental"


def test_a_run_that_changed_nothing_leaves_the_file_alone(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    target = published_once(conn, tmp_path)
    inode = target.stat().st_ino

    publication = publish(conn, target, "run-2", NO_RAW)

    assert publication.mode == "unchanged"
    assert publication.counts["documents"] == 1
    assert target.stat().st_ino == inode
    assert run_id_of(target) == "run-1", "pipeline_runs names the run that wrote the snapshot"

    add_document(conn, "doc-2", "More text.")
    assert publish(conn, target, "run-3", NO_RAW).mode == "incremental"
    assert run_id_of(target) == "run-3"


def test_a_changed_contract_starts_from_scratch(conn: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    target = published_once(conn, tmp_path)
    with duckdb.connect(str(target)) as older:  # as a file published before a column was added
        older.execute("ALTER TABLE countries DROP COLUMN iso3")

    publication = publish(conn, target, "run-2", NO_RAW)

    assert (publication.mode, publication.reason) == ("full", "the columns of countries changed")
    assert (publication.documents_removed, publication.documents_written) == (0, 1)
    assert snapshot(target) == snapshot(tmp_path / "airace.duckdb")
    with open_published(target) as reader:
        assert "iso3" in [r[0] for r in reader.execute("DESCRIBE countries").fetchall()]


def test_a_file_with_much_free_space_is_written_anew(conn: duckdb.DuckDBPyConnection, tmp_path: Path) -> None:
    target, default = tmp_path / "airace.duckdb", tmp_path / "default.duckdb"
    compaction = Compaction(free_share=0.25, min_free_bytes=1)  # the default waits for 64 MiB free
    conn.execute(
        "INSERT INTO main.quarantine SELECT 'validate', '{\"row\": ' || i || ', \"pad\": \"' || md5(i::VARCHAR) "
        "|| repeat('x', 200) || '\"}', 'bad amount', NULL, ?, 'evidence' FROM range(20000) AS r(i)",
        [INGESTED],
    )
    publish(conn, target, "run-1", NO_RAW, compaction)
    publish(conn, default, "run-1", NO_RAW)
    conn.execute("DELETE FROM main.quarantine")
    assert publish(conn, target, "run-2", NO_RAW, compaction).mode == "incremental"
    assert publish(conn, default, "run-2", NO_RAW).mode == "incremental"
    for path in (target, default):
        with open_published(path) as reader:
            free, total = reader.execute(
                "SELECT free_blocks, total_blocks FROM pragma_database_size()"
            ).fetchone()
        assert free / total > compaction.free_share, "the rewritten table's old blocks are free in the copy"

    add_document(conn, "doc-1", "Some text.")
    publication = publish(conn, target, "run-3", NO_RAW, compaction)

    assert publication.mode == "full"
    assert "compacting" in publication.reason
    with open_published(target) as reader:
        free, total = reader.execute(
            "SELECT free_blocks, total_blocks FROM pragma_database_size()"
        ).fetchone()
    assert free / total <= compaction.free_share
    assert publish(conn, default, "run-3", NO_RAW).mode == "incremental", "a small file is always copied"
    assert snapshot(default) == snapshot(target)


def test_a_reader_holding_a_write_lock_does_not_stop_publication(
    conn: duckdb.DuckDBPyConnection, tmp_path: Path
) -> None:
    target = published_once(conn, tmp_path)
    # A user's DuckDB CLI opened without -readonly: another process holding the file's write lock.
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; c = duckdb.connect(sys.argv[1]); print('open', flush=True); sys.stdin.read()",
            str(target),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        add_document(conn, "doc-2", "More text.")

        publication = publish(conn, target, "run-2", NO_RAW)

        assert publication.mode == "full"
        assert "cannot be read" in publication.reason
    finally:
        holder.communicate("")
    assert run_id_of(target) == "run-2"
    assert len(snapshot(target)["documents"]) == 2
