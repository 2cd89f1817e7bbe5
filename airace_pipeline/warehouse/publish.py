"""Publishing the reader file: written aside, verified, made durable, then renamed over the old one.

Readers and the writer exclude each other in DuckDB, so consumers never open the working
file. `os.replace` is atomic on one filesystem: a reader opening the published path gets either the whole
previous run or the whole new one, never a half-written file. A reader already connected keeps its old
snapshot until it reconnects.

The order matters: staged file written -> CHECKPOINT -> closed (no `.wal` may remain, or the rename would
publish a file whose last writes live in a side file) -> integrity and row-conservation checks on the
closed staged file -> fsync of the file and its folder -> rename -> fsync of the folder. A write that fails
(a full disk) or a check that fails leaves the previous file as it was, removes the staged file and raises
`PublicationError` naming the cause; the run fails rather than publish something it has not verified.

Copying every table into a new file costs most at the largest table, `documents` (its text): 15 s of a
scheduled run at a million documents, even when a run added nothing. So a publication starts from a
copy of the previous file when it can, rewrites only the tables whose content changed and only the
documents that changed, and leaves the file alone when nothing changed at all. The result is the same
file content as a publication from scratch; a test checks that.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from airace_pipeline.warehouse.connection import attach
from airace_pipeline.warehouse.contract import BY_NAME, CONTRACT, DOCUMENTS, Table
from airace_pipeline.warehouse.integrity import (
    DOCUMENT_KEY_COLUMNS,
    conservation_mismatches,
    integrity_rule_count,
    integrity_violations,
    table_fingerprint,
)

PUBLISH_ALIAS = "publish_target"
PREVIOUS_ALIAS = "published_before"
STAGED_ALIAS = "publish_staged"


class PublicationError(RuntimeError):
    """The new reader file could not be written or failed a check; the previous file is untouched."""


@dataclass(frozen=True)
class Compaction:
    """When the next publication starts from scratch to compact the file.

    A copied file keeps the blocks its replaced rows freed; DuckDB reuses them but never shrinks the
    file. A small file is always worth copying, whatever its share of free blocks.
    """

    free_share: float = 0.25
    min_free_bytes: int = 64 * 2**20


# Rows in = rows out + rows quarantined, per stage, so a reader can check any snapshot on its own.
_STAGE_COUNTS_SQL = """
SELECT 'ingest' AS stage,
       (SELECT count(*) FROM ({raw})) AS rows_in,
       (SELECT count(*) FROM main.documents) AS rows_out,
       (SELECT count(*) FROM main.quarantine WHERE stage = 'ingest') AS rows_quarantined
UNION ALL
SELECT 'extract',
       (SELECT count(*) FROM main.documents),
       (SELECT count(*) FROM extract.document_runs WHERE error IS NULL
          AND document_id IN (SELECT document_id FROM main.documents)),
       (SELECT count(*) FROM main.quarantine WHERE stage = 'extract')
UNION ALL
SELECT 'facts',
       (SELECT count(*) FROM extract.fact_mentions),
       (SELECT count(*) FROM main.evidence),
       (SELECT count(*) FROM main.quarantine WHERE stage = 'validate' AND table_name = 'evidence')
"""

# `text` is left out of the comparison: `content_sha256` is the SHA-256 of the text, set with it by every
# source (sources.records.with_text), so comparing it compares the text without reading 1.4 KB per row.
_DOCUMENT_KEY_COLUMNS = ", ".join(f'"{c}"' for c in DOCUMENT_KEY_COLUMNS)


@dataclass(frozen=True)
class Verification:
    """The checks a file passed before readers got it (publication raises instead of returning failures)."""

    file: str  # which file was checked: the staged file, or the published one a no-change run kept
    integrity_rules: int  # key, foreign-key and evidence rules counted (all with 0 violations)
    rows_conserved: dict[str, int]  # contract table -> rows, equal in the checked file and the working tables


@dataclass(frozen=True)
class Publication:
    """What a publication did, for the asset's metadata and log."""

    counts: dict[str, int]
    mode: str  # "full" (a new file), "incremental" (a copy, changed parts rewritten) or "unchanged"
    reason: str  # why this mode
    verification: Verification
    tables_rewritten: tuple[str, ...] = ()
    documents_removed: int = 0
    documents_written: int = 0


def publish(
    conn: duckdb.DuckDBPyConnection,
    target: Path,
    run_id: str,
    raw_union_sql: str,
    compaction: Compaction = Compaction(),
) -> Publication:
    """Publish every contract table of the working connection at `target`, verified before the rename.

    `raw_union_sql` selects every raw document row (all sources), for the ingest stage's count. Raises
    `PublicationError` (the previous file untouched, no staged file left) when the staged file cannot be
    written or fails a check.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    _remove_abandoned_staging_files(target)
    conn.execute(
        f"CREATE OR REPLACE TEMP TABLE _publish_stage_counts AS {_STAGE_COUNTS_SQL.format(raw=raw_union_sql)}"
    )
    counts = {t.name: conn.execute(f'SELECT count(*) FROM main."{t.name}"').fetchone()[0] for t in CONTRACT}
    changes = _changes_since(conn, target, compaction)
    if changes.unusable is None and not changes.any:
        verification = Verification(
            f"{target} (kept: nothing changed)", changes.rules_checked, changes.rows_conserved
        )
        return Publication(counts, "unchanged", "no table differs from the published file", verification)
    staging = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
    try:
        _write_staged(conn, target, staging, changes, run_id)
        verification = _verify_staged(conn, target, staging, run_id)
        _fsync(staging)
        _fsync(target.parent)
        os.replace(staging, target)
        _fsync(target.parent)
    finally:
        staging.unlink(missing_ok=True)
        Path(f"{staging}.wal").unlink(missing_ok=True)
    if changes.unusable is not None:
        every_table = tuple(t.name for t in CONTRACT)
        return Publication(
            counts, "full", changes.unusable, verification, every_table, 0, counts[DOCUMENTS.name]
        )
    return Publication(
        counts,
        "incremental",
        "copied the previous file and rewrote what changed",
        verification,
        changes.tables,
        changes.documents_removed,
        changes.documents_written,
    )


def _write_staged(
    conn: duckdb.DuckDBPyConnection, target: Path, staging: Path, changes: _Changes, run_id: str
) -> None:
    """Write the staged file, checkpoint and close it; a failed write (a full disk) becomes a
    `PublicationError` that says the previous file is untouched."""
    try:
        if changes.unusable is None:
            shutil.copyfile(target, staging)
        attach(conn, staging, PUBLISH_ALIAS)
        try:
            if changes.unusable is None:
                _apply_changes(conn, changes)
            else:
                _write_all(conn)
            _write_run_tables(conn, run_id)
            conn.execute(f"CHECKPOINT {PUBLISH_ALIAS}")
        except BaseException:
            with suppress(duckdb.Error):  # the write's own error is the one to report
                conn.execute(f"DETACH {PUBLISH_ALIAS}")
            raise
        conn.execute(f"DETACH {PUBLISH_ALIAS}")  # closes the file
    except (OSError, duckdb.Error) as exc:
        raise PublicationError(
            f"could not write the staged file {staging} ({type(exc).__name__}: {exc}); "
            f"{target} is untouched and the staged file removed. A full disk is the usual cause."
        ) from exc
    if Path(f"{staging}.wal").exists():
        raise PublicationError(
            f"the staged file {staging} still has a write-ahead log after CHECKPOINT and close; "
            f"{target} is untouched"
        )


def _verify_staged(conn: duckdb.DuckDBPyConnection, target: Path, staging: Path, run_id: str) -> Verification:
    """Integrity and row conservation of the closed staged file, opened read-only as a reader would."""
    attach(conn, staging, STAGED_ALIAS, read_only=True)
    try:
        failures, rules, rows = _checks(conn, STAGED_ALIAS)
        runs = conn.execute(f"SELECT run_id FROM {STAGED_ALIAS}.main.pipeline_runs").fetchall()
        if runs != [(run_id,)]:
            failures.append(f"pipeline_runs: expected one row naming run {run_id}, found {runs}")
    finally:
        conn.execute(f"DETACH {STAGED_ALIAS}")
    if failures:
        raise PublicationError(
            f"the staged file failed {len(failures)} check(s); {target} is untouched and the staged file "
            "removed: " + "; ".join(failures)
        )
    return Verification(f"{staging.name} (staged, before the rename)", rules, rows)


def _checks(conn: duckdb.DuckDBPyConnection, alias: str) -> tuple[list[str], int, dict[str, int]]:
    """(failed checks as sentences, integrity rules counted, rows per table) of the file attached as
    `alias`, against the working tables and the stage counts computed for this publication."""
    working = f'"{_working_database(conn)}".main'
    violations = integrity_violations(conn, f"{alias}.main")
    failures = [f"integrity: {rule}: {count} row(s)" for rule, count in violations.items()]
    mismatches = conservation_mismatches(conn, f"{alias}.main", working)
    failures += [f"row conservation: {table}: {why}" for table, why in mismatches.items()]
    stage_rows = conn.execute(
        "SELECT count(*) FROM ((SELECT * FROM _publish_stage_counts "
        f"EXCEPT ALL SELECT * FROM {alias}.main.stage_counts) UNION ALL "
        f"(SELECT * FROM {alias}.main.stage_counts EXCEPT ALL SELECT * FROM _publish_stage_counts))"
    ).fetchone()[0]
    if stage_rows:
        failures.append(f"row conservation: stage_counts: {stage_rows} row(s) differ from this run's counts")
    rows = {t.name: table_fingerprint(conn, f"{alias}.main", t)[0] for t in CONTRACT}
    return failures, integrity_rule_count(), rows


def _fsync(path: Path) -> None:
    """Flush a file or a folder (its entries: the staged name, then the rename) to the disk."""
    fd = os.open(path, os.O_RDONLY | (os.O_DIRECTORY if path.is_dir() else 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@dataclass(frozen=True)
class _Changes:
    """How the working tables differ from the published file, or why that file cannot be reused."""

    unusable: str | None = None  # why the previous file cannot be the starting point
    tables: tuple[str, ...] = ()  # contract tables other than documents whose content differs
    documents_removed: int = 0  # published documents to delete (gone, or changed)
    documents_written: int = 0  # working documents to insert (new, or changed)
    stage_counts_differ: bool = False
    rules_checked: int = 0  # when nothing changed: the checks the published file passed, as Verification
    rows_conserved: dict[str, int] = field(default_factory=dict)

    @property
    def any(self) -> bool:
        return bool(
            self.tables or self.documents_removed or self.documents_written or self.stage_counts_differ
        )


def _changes_since(conn: duckdb.DuckDBPyConnection, target: Path, compaction: Compaction) -> _Changes:
    """Compare the working tables with the published file, leaving the document ids to rewrite in temp
    tables `_publish_documents_stale` and `_publish_documents_fresh`."""
    if not target.exists():
        return _Changes(unusable="no published file yet")
    if Path(f"{target}.wal").exists():
        return _Changes(unusable="the published file has a write-ahead log (it was not closed cleanly)")
    try:
        attach(conn, target, "published_before", read_only=True)
    except duckdb.Error as exc:
        # A reader that opened the file read-write holds its lock (the DuckDB CLI without -readonly);
        # a new file renamed over it is still possible, as it always was.
        return _Changes(unusable=f"the published file cannot be read ({type(exc).__name__}: {exc})")
    try:
        if (why := _layout_mismatch(conn)) is not None:
            return _Changes(unusable=why)
        free, total, block_size = conn.execute(
            "SELECT free_blocks, total_blocks, block_size FROM pragma_database_size() WHERE database_name = ?",
            [PREVIOUS_ALIAS],
        ).fetchone()
        if free * block_size >= compaction.min_free_bytes and free > compaction.free_share * total:
            return _Changes(unusable=f"{free} of {total} blocks of the published file are free: compacting")
        working = _working_database(conn)
        tables = tuple(t.name for t in CONTRACT if t is not DOCUMENTS and _differs(conn, working, t))
        # Set differences are enough: document_id is the primary key on both sides.
        conn.execute(
            "CREATE OR REPLACE TEMP TABLE _publish_documents_stale AS SELECT document_id FROM ("
            f"SELECT {_DOCUMENT_KEY_COLUMNS} FROM {PREVIOUS_ALIAS}.main.documents "
            f"EXCEPT SELECT {_DOCUMENT_KEY_COLUMNS} FROM main.documents)"
        )
        conn.execute(
            "CREATE OR REPLACE TEMP TABLE _publish_documents_fresh AS SELECT document_id FROM ("
            f"SELECT {_DOCUMENT_KEY_COLUMNS} FROM main.documents "
            f"EXCEPT SELECT {_DOCUMENT_KEY_COLUMNS} FROM {PREVIOUS_ALIAS}.main.documents)"
        )
        stage_counts_differ = conn.execute(
            "SELECT count(*) FROM (SELECT * FROM _publish_stage_counts "
            f"EXCEPT SELECT * FROM {PREVIOUS_ALIAS}.main.stage_counts)"
        ).fetchone()[0]
        changes = _Changes(
            tables=tables,
            documents_removed=conn.execute("SELECT count(*) FROM _publish_documents_stale").fetchone()[0],
            documents_written=conn.execute("SELECT count(*) FROM _publish_documents_fresh").fetchone()[0],
            stage_counts_differ=bool(stage_counts_differ),
        )
        if changes.any:
            return changes
        # Nothing to write: the published file stays, so it must pass the checks a staged file would.
        # One that does not (edited by hand, written before these checks) is not copied but rewritten.
        failures, rules, rows = _checks(conn, PREVIOUS_ALIAS)
        if failures:
            return _Changes(
                unusable=f"the published file fails its checks ({'; '.join(failures)}): rewriting"
            )
        return _Changes(rules_checked=rules, rows_conserved=rows)
    finally:
        conn.execute(f"DETACH {PREVIOUS_ALIAS}")


def _layout_mismatch(conn: duckdb.DuckDBPyConnection) -> str | None:
    """Why the published file's tables are not laid out as the working file's (None when they are).

    A contract change (a new column, a new table) therefore starts from scratch once.
    """
    names = [t.name for t in CONTRACT] + ["pipeline_runs", "stage_counts"]
    layout = (
        "SELECT table_name, list((column_name, data_type, is_nullable) ORDER BY column_index) "
        "FROM duckdb_columns() WHERE database_name = ? AND schema_name = 'main' "
        "AND table_name IN (SELECT unnest(?::VARCHAR[])) GROUP BY table_name"
    )
    published = dict(conn.execute(layout, [PREVIOUS_ALIAS, names]).fetchall())
    working = dict(conn.execute(layout, [_working_database(conn), [t.name for t in CONTRACT]]).fetchall())
    for name in names:
        if name not in published:
            return f"the published file has no table {name}"
    for table in CONTRACT:
        if published[table.name] != working.get(table.name):
            return f"the columns of {table.name} changed"
    return None


def _working_database(conn: duckdb.DuckDBPyConnection) -> str:
    return conn.execute("SELECT current_database()").fetchone()[0]


def _differs(conn: duckdb.DuckDBPyConnection, working: str, table: Table) -> bool:
    """Compare a table's rows as a multiset (see `table_fingerprint`)."""
    before = table_fingerprint(conn, f"{PREVIOUS_ALIAS}.main", table)
    return before != table_fingerprint(conn, f'"{working}".main', table)


def _write_all(conn: duckdb.DuckDBPyConnection) -> None:
    for table in CONTRACT:
        _write_table(conn, table)


def _write_table(conn: duckdb.DuckDBPyConnection, table: Table) -> None:
    # Identifiers come from the contract module; DuckDB cannot bind them as parameters.
    conn.execute(f'DROP TABLE IF EXISTS {PUBLISH_ALIAS}."{table.name}"')
    conn.execute(table.create_sql(PUBLISH_ALIAS))
    conn.execute(f'INSERT INTO {PUBLISH_ALIAS}."{table.name}" SELECT * FROM main."{table.name}"')


def _apply_changes(conn: duckdb.DuckDBPyConnection, changes: _Changes) -> None:
    for name in changes.tables:
        _write_table(conn, BY_NAME[name])
    conn.execute(
        f"DELETE FROM {PUBLISH_ALIAS}.main.documents "
        "WHERE document_id IN (SELECT document_id FROM _publish_documents_stale)"
    )
    conn.execute(
        f"INSERT INTO {PUBLISH_ALIAS}.main.documents SELECT * FROM main.documents "
        "WHERE document_id IN (SELECT document_id FROM _publish_documents_fresh)"
    )


def _write_run_tables(conn: duckdb.DuckDBPyConnection, run_id: str) -> None:
    conn.execute(
        f"CREATE OR REPLACE TABLE {PUBLISH_ALIAS}.pipeline_runs AS "
        "SELECT ?::VARCHAR AS run_id, ?::TIMESTAMPTZ AS published_at",
        [run_id, dt.datetime.now(tz=dt.UTC)],
    )
    conn.execute(
        f"CREATE OR REPLACE TABLE {PUBLISH_ALIAS}.stage_counts AS SELECT * FROM _publish_stage_counts"
    )


def _remove_abandoned_staging_files(target: Path) -> None:
    """A run killed while publishing leaves its staging file behind; the next publication removes it.

    Publications are serialised by the `duckdb` pool, so no other staging file is being written now.
    """
    for leftover in target.parent.glob(f".{target.name}.*.tmp*"):
        leftover.unlink(missing_ok=True)


@contextmanager
def open_published(path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the published file, as a SQL reader would open it."""
    conn = duckdb.connect(str(path), read_only=True)
    try:
        yield conn
    finally:
        conn.close()


def published_content_hashes(path: Path) -> dict[str, str]:
    """document_id -> content_sha256 of the published `documents`: what readers see now, read without
    waiting for the pipeline (the published file is never written in place)."""
    with open_published(path) as conn:
        return dict(conn.execute("SELECT document_id, content_sha256 FROM documents").fetchall())
