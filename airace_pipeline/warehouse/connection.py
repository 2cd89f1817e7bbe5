"""Opening the working DuckDB file, with the schema in place and patience for a held lock.

DuckDB allows one writing process per file. Dagster's pool keeps our own writers in
line; the retry here covers what the pool cannot see (a user's SQL client holding the working file, a
run that is still shutting down) and turns a lasting lock into an error that says what to do.
"""

from __future__ import annotations

import logging
import random
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from airace_pipeline.errors import TransientError
from airace_pipeline.warehouse.contract import CONTRACT
from airace_pipeline.warehouse.working import EXTRACT_SCHEMA, WORKING_TABLES

log = logging.getLogger(__name__)


class WarehouseLockedError(TransientError):
    """The working file stayed locked by another process for the whole retry budget."""


class WorkingFileFormatError(RuntimeError):
    """The file was written by a newer DuckDB, which this one cannot read: not transient, so no retry."""


_NEWER_FORMAT = re.compile(r"created with an? newer version of DuckDB", re.IGNORECASE)


def _is_lock_error(exc: Exception) -> bool:
    return bool(_DUCKDB_LOCK_TEXT.search(str(exc)))


@contextmanager
def open_duckdb(
    path: Path,
    *,
    read_only: bool = False,
    attempts: int = 6,
    base_delay: float = 0.5,
    config: dict[str, str] | None = None,
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to `path`, retrying with exponential backoff and jitter while the file is locked."""
    if not read_only:
        path.parent.mkdir(parents=True, exist_ok=True)
    for attempt in range(1, attempts + 1):
        try:
            conn = duckdb.connect(str(path), read_only=read_only, config=config or {})
            break
        except duckdb.IOException as exc:
            if _NEWER_FORMAT.search(str(exc)):
                raise WorkingFileFormatError(
                    f"{path} was written by a newer DuckDB than this pipeline's {duckdb.__version__} (pinned "
                    "for the DuckLake extensions: docs/scaling-lake.md). It is derived state: move it (and its "
                    "folder's dlt_pipelines/) aside and run again to rebuild it from the sources. Documents "
                    "that live sources no longer serve are only in that file: keep it until you no longer "
                    f"need them. DuckDB said: {exc}"
                ) from None
            if not _is_lock_error(exc) or attempt == attempts:
                if _is_lock_error(exc):
                    raise WarehouseLockedError(
                        f"{path} is locked by another process after {attempts} attempts: {exc}. "
                        "Close SQL clients that have the working file open (readers should use the "
                        "published file), or wait for the running pipeline to finish."
                    ) from exc
                raise
            delay = base_delay * 2 ** (attempt - 1) * (0.5 + random.random())
            log.warning("%s is locked (attempt %d/%d); retrying in %.1fs", path, attempt, attempts, delay)
            time.sleep(delay)
    try:
        yield conn
    finally:
        conn.close()


def reader_cursor(conn: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """A second cursor on `conn`'s database that resolves names as `conn` does.

    A cursor starts on the connection's first database; `conn` may have switched (`USE`) to the working
    lake (`lake_working.py`), so the cursor is switched to the same one.
    """
    (database,) = conn.execute("SELECT current_database()").fetchone()
    cursor = conn.cursor()
    cursor.execute('USE "' + database.replace('"', '""') + '"')  # a name DuckDB itself returned
    return cursor


@contextmanager
def lock_errors_as_transient(path: Path) -> Iterator[None]:
    """Raise `WarehouseLockedError` for a lock error raised by code that opens `path` itself (dlt does).

    dlt connects to the working file on its own, so `open_duckdb`'s backoff never sees its lock errors;
    they arrive wrapped in dlt's exceptions, and would otherwise fail the step at once.
    """
    try:
        yield
    except Exception as exc:
        chain: list[BaseException] = []
        cause: BaseException | None = exc
        while cause is not None and cause not in chain:
            chain.append(cause)
            cause = cause.__cause__ or cause.__context__
        if any(_DUCKDB_LOCK_TEXT.search(str(e)) for e in chain):
            raise WarehouseLockedError(
                f"{path} is locked by another process: {exc}. Close SQL clients that have the working file "
                "open (readers should use the published file), or wait for the running pipeline to finish."
            ) from exc
        raise


_DUCKDB_LOCK_TEXT = re.compile(r"could not set lock|conflicting lock", re.IGNORECASE)


def ensure_working_schema(conn: duckdb.DuckDBPyConnection) -> None:
    """Create the contract and working tables if missing; cheap enough to run at the start of each asset."""
    conn.execute(f'CREATE SCHEMA IF NOT EXISTS "{EXTRACT_SCHEMA}"')
    for table in CONTRACT:
        conn.execute(table.create_sql("main"))
    for table in WORKING_TABLES:
        conn.execute(table.create_sql(EXTRACT_SCHEMA))
    _add_new_columns(conn)


def _add_new_columns(conn: duckdb.DuckDBPyConnection) -> None:
    """Columns added to the contract since a working file was created (all nullable) are added to it."""
    present = set(
        conn.execute(
            "SELECT table_schema, table_name, column_name FROM information_schema.columns "
            "WHERE table_catalog = current_database() AND table_schema IN ('main', ?)",
            [EXTRACT_SCHEMA],
        ).fetchall()
    )
    wanted = [("main", t) for t in CONTRACT] + [(EXTRACT_SCHEMA, t) for t in WORKING_TABLES]
    for schema, table in wanted:
        for column in table.columns:
            if column.nullable and (schema, table.name, column.name) not in present:
                # Identifiers come from the contract modules; DuckDB cannot bind them as parameters.
                conn.execute(
                    f'ALTER TABLE "{schema}"."{table.name}" ADD COLUMN "{column.name}" {column.sql_type}'
                )


_ALIAS = re.compile(r"[a-z_][a-z0-9_]*")


def sql_literal(value: str) -> str:
    """A DuckDB string literal, quotes doubled (the one escape DuckDB knows), for the statements DuckDB 1.5
    cannot bind parameters in: ATTACH and INSTALL."""
    return "'" + value.replace("'", "''") + "'"


def attach(conn: duckdb.DuckDBPyConnection, path: Path, alias: str, *, read_only: bool = False) -> None:
    """ATTACH the DuckDB file `path` as `alias`.

    DuckDB 1.5 (the last release with the DuckLake and postgres extensions on the package index) cannot
    bind a parameter in ATTACH, so the path goes in as a string literal with its quotes doubled, the
    one escape a DuckDB string literal knows; the alias must be a plain identifier.
    """
    if not _ALIAS.fullmatch(alias):
        raise ValueError(f"not a plain identifier: {alias!r}")
    conn.execute(f"ATTACH {sql_literal(str(path))} AS {alias}{' (READ_ONLY)' if read_only else ''}")
