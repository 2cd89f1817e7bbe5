"""Publishing the contract into a DuckLake: catalog in PostgreSQL, Parquet data under a shared path.

The published DuckDB file is one file on one machine's disk; a DuckLake is what several machines can read
(and, one publication at a time, write): its catalog lives in a PostgreSQL database, its data in Parquet
files under a path every machine reaches (a shared folder or an object store). Readers keep DuckDB SQL:
`ATTACH 'ducklake:postgres:<dsn>' AS airace (READ_ONLY)` and the same tables, columns and rows as the file.

A lake publication follows the file's: the file is written and verified first (`publish.py`), then its
content is copied into the lake in one DuckLake transaction, which commits as one snapshot. Readers see
the previous publication or the new one, never a mix (DuckLake's snapshot isolation), and can go back to
any earlier one (`AT (VERSION => n)`).

Two publishers (two machines, two runs) must not interleave: each replaces whole tables, and DuckLake
would reject the second commit as a conflict anyway, after the work is done. So a publication holds a
PostgreSQL advisory lock on the catalog database from its ATTACH (the first one creates the catalog's
tables) through its transaction and its verification, and retries on a DuckLake transaction conflict (a
writer that does not take the lock, a maintenance call).

Only tables whose content differs from the lake's are rewritten (DELETE then INSERT, in the same
transaction); when none differs nothing is committed and the lake keeps its current snapshot.
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import duckdb

from airace_pipeline.paths import resolve_path
from airace_pipeline.warehouse.connection import attach, sql_literal
from airace_pipeline.warehouse.contract import CONTRACT
from airace_pipeline.warehouse.extensions import lake_connection
from airace_pipeline.warehouse.integrity import table_fingerprint

log = logging.getLogger(__name__)

LAKE_CATALOG_ENV = "AIRACE_LAKE_CATALOG"
LAKE_DATA_PATH_ENV = "AIRACE_LAKE_DATA_PATH"
LAKE_ALIAS = "airace_lake"
FILE_ALIAS = "airace_published"
# Tables of the published file outside the contract module: which run published it, and its row counts.
RUN_TABLES = ("pipeline_runs", "stage_counts")
# pg_advisory_lock key (any fixed 64-bit number; this one spells "airlake" in ASCII) on the catalog database.
ADVISORY_LOCK_KEY = 0x6169726C616B65


class LakeError(RuntimeError):
    """The lake could not be reached, written or verified; the published file is unaffected."""


@dataclass(frozen=True)
class Lake:
    """Where the lake is: the catalog database and the data path (fixed when the lake is created)."""

    catalog: str  # a libpq DSN ("dbname=lake host=... user=... password=...") or a postgresql:// URL
    data_path: str  # a folder (relative: from the repository root) or an object-store URL (s3://...)
    extension_directory: str = ""  # empty: DuckDB's default (~/.duckdb/extensions)

    @property
    def data_location(self) -> str:
        if "://" in self.data_path:
            return self.data_path
        return str(resolve_path(self.data_path))


@dataclass(frozen=True)
class LakePublication:
    """What a lake publication did, for the asset's metadata."""

    snapshot_id: int  # the lake's snapshot holding this publication (the current one when unchanged)
    tables_replaced: tuple[str, ...]  # empty: the lake already held these rows, nothing committed
    rows: dict[str, int]  # table -> rows in the lake, verified equal to the published file's
    attempts: int  # 1 unless a DuckLake transaction conflict made it retry


def redact(text: str) -> str:
    """`text` without the passwords of libpq DSNs and URLs (DuckDB's errors quote the catalog string)."""
    text = re.sub(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", r"\1***", text)
    return re.sub(r"(postgres(?:ql)?://[^:/@\s]+:)[^@\s]+@", r"\1***@", text)


def attach_lake(
    conn: duckdb.DuckDBPyConnection, lake: Lake, alias: str = LAKE_ALIAS, *, read_only: bool = False
) -> None:
    """ATTACH the lake (created on first use: the catalog's tables in PostgreSQL, the data path).

    DATA_INLINING_ROW_LIMIT 0 keeps every row in Parquet under the data path, as readers and tools that
    read the files directly expect, rather than small inserts inlined into the catalog database.
    """
    options = [f"DATA_PATH {sql_literal(lake.data_location)}", "DATA_INLINING_ROW_LIMIT 0"]
    if read_only:
        options.append("READ_ONLY")
    try:
        conn.execute(
            f"ATTACH {sql_literal('ducklake:postgres:' + lake.catalog)} AS {alias} ({', '.join(options)})"
        )
    except duckdb.Error as exc:
        raise LakeError(
            f"cannot attach the DuckLake with catalog {redact(lake.catalog)!r} and data path "
            f"{lake.data_location!r} (AIRACE_LAKE_CATALOG, AIRACE_LAKE_DATA_PATH): {redact(str(exc))}"
        ) from None


@contextmanager
def advisory_lock(catalog: str, timeout_seconds: float = 3600.0) -> Iterator[None]:
    """Hold the publication lock on the catalog database (released with the session, even on a crash)."""
    import psycopg2

    try:
        pg = psycopg2.connect(catalog, connect_timeout=30)
    except psycopg2.Error as exc:
        raise LakeError(
            f"cannot connect to the lake's catalog {redact(catalog)!r} (AIRACE_LAKE_CATALOG): "
            f"{redact(str(exc))}"
        ) from None
    try:
        pg.autocommit = True
        with pg.cursor() as cur:
            cur.execute("SELECT set_config('lock_timeout', %s, false)", [f"{int(timeout_seconds * 1000)}ms"])
            cur.execute("SELECT pg_advisory_lock(%s)", [ADVISORY_LOCK_KEY])
        try:
            yield
        finally:
            with suppress(psycopg2.Error), pg.cursor() as cur:
                cur.execute("SELECT pg_advisory_unlock(%s)", [ADVISORY_LOCK_KEY])
    finally:
        pg.close()


def publish_to_lake(
    published: Path, lake: Lake, *, attempts: int = 5, base_delay: float = 0.5
) -> LakePublication:
    """Make the lake's tables hold exactly the rows of the published file `published`, in one snapshot.

    Raises `LakeError` when the lake cannot be attached, a conflict outlasts `attempts`, or the lake's row
    counts differ from the file's after the commit.
    """
    if not lake.catalog or not lake.data_path:
        raise LakeError(
            "a lake needs both a catalog (AIRACE_LAKE_CATALOG) and a data path (AIRACE_LAKE_DATA_PATH)"
        )
    conn = lake_connection(lake.extension_directory or None)
    try:
        attach(conn, published, FILE_ALIAS, read_only=True)
        # The lock comes before ATTACH: the first ATTACH creates the catalog's tables, which two
        # publishers must not do at once.
        with advisory_lock(lake.catalog):
            attach_lake(conn, lake)
            for attempt in range(1, attempts + 1):
                try:
                    replaced = _replace_changed_tables(conn)
                    break
                except duckdb.TransactionException as exc:
                    with suppress(duckdb.Error):
                        conn.execute("ROLLBACK")
                    if attempt == attempts:
                        raise LakeError(
                            f"the lake's transaction conflicted {attempts} times; last: {redact(str(exc))}"
                        ) from None
                    delay = base_delay * 2 ** (attempt - 1) * (0.5 + random.random())
                    log.warning("lake transaction conflict (attempt %d/%d), retrying in %.1fs: %s",
                                attempt, attempts, delay, exc)  # fmt: skip
                    time.sleep(delay)
            rows = _verify(conn)
            snapshot = conn.execute(f"SELECT id FROM {LAKE_ALIAS}.current_snapshot()").fetchone()[0]
    finally:
        conn.close()
    return LakePublication(int(snapshot), replaced, rows, attempt)


def _table_names() -> list[str]:
    return [t.name for t in CONTRACT] + list(RUN_TABLES)


def _replace_changed_tables(conn: duckdb.DuckDBPyConnection) -> tuple[str, ...]:
    """One transaction: schema brought up to the file's, changed tables replaced; the names replaced."""
    conn.execute("BEGIN TRANSACTION")
    try:
        before = _layout(conn)
        _ensure_lake_schema(conn)
        changed = tuple(name for name in _table_names() if _differs(conn, name))
        for name in changed:
            # Identifiers come from the contract module and RUN_TABLES; DuckDB cannot bind them.
            conn.execute(f'DELETE FROM {LAKE_ALIAS}."{name}"')
            conn.execute(f'INSERT INTO {LAKE_ALIAS}."{name}" BY NAME SELECT * FROM {FILE_ALIAS}."{name}"')
        if changed or _layout(conn) != before:
            conn.execute("COMMIT")
        else:
            conn.execute("ROLLBACK")  # nothing to say: no new snapshot
    except BaseException:
        with suppress(duckdb.Error):
            conn.execute("ROLLBACK")
        raise
    return changed


def _columns(conn: duckdb.DuckDBPyConnection, database: str) -> dict[str, list[tuple[str, str]]]:
    rows = conn.execute(
        "SELECT table_name, list((column_name, data_type) ORDER BY column_index) FROM duckdb_columns() "
        "WHERE database_name = ? AND schema_name = 'main' GROUP BY table_name",
        [database],
    ).fetchall()
    return {name: [tuple(c) for c in cols] for name, cols in rows}


def _ensure_lake_schema(conn: duckdb.DuckDBPyConnection) -> None:
    """Create missing tables (as in the file) and add the file's new columns (nullable, as the contract
    adds them); a column whose type changed is an error, as readers' queries would change meaning."""
    in_file = _columns(conn, FILE_ALIAS)
    in_lake = _columns(conn, LAKE_ALIAS)
    by_name = {t.name: t for t in CONTRACT}
    for name in _table_names():
        if name not in in_file:
            raise LakeError(f"the published file has no table {name}")
        if name not in in_lake:
            if name in by_name:
                conn.execute(by_name[name].create_sql(LAKE_ALIAS))
            else:
                conn.execute(
                    f'CREATE TABLE {LAKE_ALIAS}."{name}" AS SELECT * FROM {FILE_ALIAS}."{name}" LIMIT 0'
                )
            continue
        lake_types = dict(in_lake[name])
        for column, sql_type in in_file[name]:
            if column not in lake_types:
                conn.execute(f'ALTER TABLE {LAKE_ALIAS}."{name}" ADD COLUMN "{column}" {sql_type}')
            elif lake_types[column] != sql_type:
                raise LakeError(
                    f"{name}.{column} is {lake_types[column]} in the lake but {sql_type} in the published "
                    "file; a type change needs a migration (see docs/contract.md)"
                )


def _layout(conn: duckdb.DuckDBPyConnection) -> str:
    """The lake's tables and columns, to see whether this transaction created or added any."""
    return repr(sorted(_columns(conn, LAKE_ALIAS).items()))


def _differs(conn: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the lake's table holds other rows than the file's (a multiset comparison)."""
    return _fingerprint(conn, LAKE_ALIAS, name) != _fingerprint(conn, FILE_ALIAS, name)


def _fingerprint(conn: duckdb.DuckDBPyConnection, database: str, name: str) -> tuple[int, int | None]:
    """(rows, sum of row hashes) over the file's columns, in the file's column order."""
    by_name = {t.name: t for t in CONTRACT}
    if name in by_name:
        return table_fingerprint(conn, database, by_name[name])
    columns = ", ".join(f'"{c}"' for c, _ in _columns(conn, FILE_ALIAS)[name])
    count, total = conn.execute(
        f'SELECT count(*), sum(hash({columns})::HUGEINT) FROM {database}."{name}"'
    ).fetchone()
    return count, None if total is None else int(total)


def _verify(conn: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Rows per table in the lake's current snapshot, which must equal the file's (else LakeError)."""
    rows, problems = {}, []
    for name in _table_names():
        in_lake = conn.execute(f'SELECT count(*) FROM {LAKE_ALIAS}."{name}"').fetchone()[0]
        in_file = conn.execute(f'SELECT count(*) FROM {FILE_ALIAS}."{name}"').fetchone()[0]
        if in_lake != in_file:
            problems.append(f"{name}: {in_lake} rows in the lake, {in_file} in the published file")
        rows[name] = in_lake
    if problems:
        raise LakeError("the lake does not hold the published rows after the commit: " + "; ".join(problems))
    return rows
