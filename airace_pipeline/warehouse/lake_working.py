"""The working state in the lake: every stage's tables in a DuckLake that several machines share.

With a lake configured (AIRACE_LAKE_CATALOG, AIRACE_LAKE_DATA_PATH), the tables the stages write (raw,
documents, mentions, clustering state, the contract tables before publication) live in a second DuckLake
beside the published one: same catalog database, its own metadata schema (`airace_work`) and data folder
(`<data path>/work`). A step on any machine attaches it and runs the same SQL as on the working file
(the connection's default database is the lake, so `main.documents` is the lake's), and dlt loads the
raw rows into it through its `ducklake` destination under the same name. Readers use the published lake
or file, never this one: it holds a run's intermediate states.

Why not one DuckLake for both: a reader of the published tables must see one publication or the next,
never a run half-way (documents of this run, facts of the last); publication copies a verified state.

Writers on several machines: steps that write the working state are in the `duckdb` pool, and with
Dagster's instance on PostgreSQL (AIRACE_DAGSTER_PG_URL) the pool's single slot is shared by every run on
every machine, so one such step writes at a time; each commits its own transactions, and a later step
reads what the earlier ones committed. The local working file's path still names this machine's run
lock, dlt's local folders and the sensor's file index.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dlt
import duckdb

from airace_pipeline.warehouse.connection import sql_literal
from airace_pipeline.warehouse.extensions import lake_connection
from airace_pipeline.warehouse.lake import Lake, LakeError, redact

WORKING_ALIAS = "airace_work"  # the ATTACH name, the catalog's metadata schema and dlt's ducklake name


def working_data_path(lake: Lake) -> str:
    """The working lake's data folder (or object-store prefix), inside the lake's data path."""
    return lake.data_location.rstrip("/") + "/work"


@contextmanager
def open_lake_working(lake: Lake, memory_limit: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection whose default database is the working lake (created on first use)."""
    conn = lake_connection(lake.extension_directory or None)
    try:
        conn.execute("SET memory_limit = ?", [memory_limit])
        options = (
            f"DATA_PATH {sql_literal(working_data_path(lake))}, METADATA_SCHEMA {sql_literal(WORKING_ALIAS)}"
        )
        try:
            conn.execute(
                f"ATTACH {sql_literal('ducklake:postgres:' + lake.catalog)} AS {WORKING_ALIAS} ({options})"
            )
        except duckdb.Error as exc:
            raise LakeError(
                f"cannot attach the working lake (catalog {redact(lake.catalog)!r}, data "
                f"{working_data_path(lake)!r}; AIRACE_LAKE_CATALOG, AIRACE_LAKE_DATA_PATH): {redact(str(exc))}"
            ) from None
        conn.execute(f"USE {WORKING_ALIAS}")
        yield conn
    finally:
        conn.close()


def working_lake_exists(lake: Lake) -> bool:
    """Whether the working lake holds the raw tables yet (dlt's local state is dropped when it does not,
    as when the working file is deleted)."""
    with open_lake_working(lake, "256MB") as conn:
        found = conn.execute(
            "SELECT count(*) FROM information_schema.schemata WHERE catalog_name = ? AND schema_name = 'raw'",
            [WORKING_ALIAS],
        ).fetchone()[0]
    return bool(found)


def _storage_url(location: str) -> str:
    """dlt's storage setting is a URL: a local folder as file://."""
    return location if "://" in location else Path(location).as_uri()


def lake_destination(lake: Lake, memory_limit: str) -> Any:
    """dlt's `ducklake` destination on the working lake: the raw tables in the same catalog and metadata
    schema our connections attach, the extensions from the pip packages (installed here first: dlt's
    ATTACH only autoloads them)."""
    from dlt.common.configuration.specs import ConnectionStringCredentials
    from dlt.destinations.impl.ducklake.configuration import DuckLakeCredentials
    from psycopg2.extensions import parse_dsn

    lake_connection(lake.extension_directory or None).close()
    parts = parse_dsn(lake.catalog)  # a libpq DSN or a postgresql:// URL alike
    catalog = ConnectionStringCredentials(
        {
            "drivername": "postgres",
            "database": parts.get("dbname"),
            "username": parts.get("user"),
            "password": parts.get("password"),
            "host": parts.get("host", "localhost"),
            "port": int(parts.get("port", 5432)),
        }
    )
    config: dict[str, Any] = {"memory_limit": memory_limit}
    if lake.extension_directory:
        config["extension_directory"] = str(Path(lake.extension_directory))
    credentials = DuckLakeCredentials(
        ducklake_name=WORKING_ALIAS, catalog=catalog, storage=_storage_url(working_data_path(lake))
    )
    credentials.global_config = config
    return dlt.destinations.ducklake(credentials=credentials)
