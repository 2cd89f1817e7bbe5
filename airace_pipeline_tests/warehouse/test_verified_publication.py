"""A publication that cannot be written, or whose staged file fails a check, leaves the previous file.

The full disk is real: the publication runs in a child process whose file-size limit (RLIMIT_FSIZE) makes
writes past it fail with EFBIG, as a full disk fails them with ENOSPC. SIGXFSZ is ignored in the child so
the write returns the error instead of killing the process.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from airace_pipeline.defs.resources import WarehouseResource
from airace_pipeline.warehouse.publish import PublicationError, publish
from airace_pipeline_tests.warehouse.test_publish import INGESTED, NO_RAW, add_document, run_id_of, snapshot

# The child: open the working file, lower its own file-size limit, publish. It prints the outcome.
CHILD = textwrap.dedent(
    """
    import resource, signal, sys
    from pathlib import Path
    from airace_pipeline.defs.resources import WarehouseResource
    from airace_pipeline.warehouse.publish import PublicationError, publish

    published, working, limit = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    warehouse = WarehouseResource(published_path=str(published), working_path=working)
    with warehouse.connect() as conn:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))
        try:
            publish(conn, published, "run-full-disk", "SELECT NULL AS document_id WHERE false")
        except PublicationError as exc:
            print("PublicationError:", exc)
            sys.exit(3)
    print("published")
    """
)


@pytest.fixture
def working(tmp_path: Path) -> Iterator[WarehouseResource]:
    yield WarehouseResource(
        published_path=str(tmp_path / "airace.duckdb"), working_path=str(tmp_path / "work" / "w.duckdb")
    )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _staged_files(target: Path) -> list[Path]:
    return sorted(target.parent.glob(f".{target.name}.*"))


def _publish_first(warehouse: WarehouseResource, documents: int) -> Path:
    target = warehouse.published
    with warehouse.connect() as conn:
        for i in range(documents):
            add_document(conn, f"doc-{i}", f"Text number {i}.")
        publish(conn, target, "run-1", NO_RAW)
    return target


@pytest.mark.parametrize(
    ("limit_of", "new_documents"),
    [
        # Below the old file's size: the copy the incremental publication starts from fails.
        (lambda size: size // 2, 10),
        # The copy fits; DuckDB's write-ahead log of 3,000 documents of 4 KB outgrows the limit.
        (lambda size: size + 64 * 1024, 3000),
        # The log of 100 documents fits; the checkpoint's new blocks past the old file's end do not.
        (lambda size: size + 64 * 1024, 100),
    ],
    ids=["copy_fails", "log_write_fails", "checkpoint_fails"],
)
def test_a_full_disk_during_publication_keeps_the_old_file(
    working: WarehouseResource, tmp_path: Path, limit_of, new_documents: int
) -> None:
    target = _publish_first(working, 5)
    before, digest, inode = snapshot(target), _digest(target), target.stat().st_ino
    with working.connect() as conn:
        conn.execute(
            "INSERT INTO main.documents SELECT 'new-' || i, 'news', 'src', NULL, 'T', DATE '2025-01-01', "
            "sha256(text), ?, 'src', 'new-' || i, 'metadata', text, NULL "
            "FROM (SELECT i, 'New text ' || i || '. ' || repeat(md5(i::VARCHAR), 125) AS text FROM range(?) AS r(i))",
            [INGESTED, new_documents],
        )

    child = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            str(target),
            str(working.working),
            str(limit_of(target.stat().st_size)),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert child.returncode == 3, f"expected a PublicationError:\n{child.stdout}\n{child.stderr[-3000:]}"
    assert "could not write the staged file" in child.stdout
    assert f"{target} is untouched" in child.stdout
    assert "File too large" in child.stdout, child.stdout  # the cause (EFBIG) is named
    assert (_digest(target), target.stat().st_ino) == (digest, inode), "the published file was changed"
    assert snapshot(target) == before
    assert run_id_of(target) == "run-1"
    assert _staged_files(target) == [], "the staged file was left behind"

    # With room again, the next publication goes through.
    with working.connect() as conn:
        publication = publish(conn, target, "run-2", NO_RAW)
    assert publication.verification.rows_conserved["documents"] == 5 + new_documents
    assert run_id_of(target) == "run-2"
    assert _staged_files(target) == []


def test_a_staged_file_failing_integrity_keeps_the_old_file(working: WarehouseResource) -> None:
    target = _publish_first(working, 2)
    before, digest = snapshot(target), _digest(target)
    with working.connect() as conn:
        # A policy that no sentence states (no evidence row), in a jurisdiction with no countries row.
        conn.execute(
            "INSERT INTO main.policies (policy_id, title, jurisdiction_code, instrument_type, status, "
            "certainty, evidence_count) VALUES ('pol-1', 'An act', 'FR', 'law', 'adopted', 'reported', 1)"
        )

        with pytest.raises(PublicationError) as failure:
            publish(conn, target, "run-2", NO_RAW)

    message = str(failure.value)
    assert "the staged file failed" in message and f"{target} is untouched" in message
    assert "integrity: policies without evidence: 1 row(s)" in message, message
    assert "integrity: policies.jurisdiction_code -> countries.country_code: 1 row(s)" in message, message
    assert (_digest(target), snapshot(target), run_id_of(target)) == (digest, before, "run-1")
    assert _staged_files(target) == []


def test_rows_the_copied_file_kept_but_the_working_tables_lost_stop_the_publication(
    working: WarehouseResource,
) -> None:
    """An incremental publication starts from a copy of the previous file; a row that file holds and the
    working tables do not (here a duplicated document, as a hand edit with a read-write client leaves it)
    survives the copy. Row conservation on the staged file catches it before readers see it."""
    target = _publish_first(working, 2)
    with duckdb.connect(str(target)) as edited:
        edited.execute("INSERT INTO documents SELECT * FROM documents WHERE document_id = 'doc-0'")
    before, digest = snapshot(target), _digest(target)
    with working.connect() as conn:
        add_document(conn, "doc-new", "A new document.")

        with pytest.raises(PublicationError) as failure:
            publish(conn, target, "run-2", NO_RAW)

    message = str(failure.value)
    assert "row conservation: documents: 4 rows in the staged file, 3 in the working tables" in message, (
        message
    )
    assert "integrity: documents: duplicate key" in message, message
    assert (_digest(target), snapshot(target), run_id_of(target)) == (digest, before, "run-1")
    assert _staged_files(target) == []


def test_an_unchanged_run_checks_the_file_it_keeps_and_rewrites_one_that_fails(
    working: WarehouseResource,
) -> None:
    target = _publish_first(working, 2)
    with working.connect() as conn:
        kept = publish(conn, target, "run-2", NO_RAW)
        assert kept.mode == "unchanged"
        assert kept.verification.rows_conserved["documents"] == 2
        assert kept.verification.integrity_rules > 0

        # doc-0 twice: the set comparison that finds changed documents sees nothing to rewrite.
        with duckdb.connect(str(target)) as edited:
            edited.execute("INSERT INTO documents SELECT * FROM documents WHERE document_id = 'doc-0'")
        rewritten = publish(conn, target, "run-3", NO_RAW)

    assert rewritten.mode == "full", rewritten
    assert "the published file fails its checks" in rewritten.reason
    assert "documents: 3 rows in the staged file, 2 in the working tables" in rewritten.reason
    with duckdb.connect(str(target), read_only=True) as reader:
        assert reader.execute("SELECT document_id FROM documents ORDER BY 1").fetchall() == [
            ("doc-0",),
            ("doc-1",),
        ]
