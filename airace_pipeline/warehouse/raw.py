"""The raw tables dlt loads (one per source kind, in the `raw` dataset), read as one relation.

dlt writes these tables; our code only reads them. Every reader (the `documents` copy, the quarantine
table, the publication's stage counts) goes through this module, so "which raw rows are there" has one
answer: the rows of the entries enabled in the sources file when `documents` last ran
(`extract.enabled_sources`). An entry removed from the file keeps its raw rows (dlt's state and cursors
stay valid should it come back), but they count nowhere and reach no table.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from airace_pipeline.sources import aiid, eurlex, federal_register, local_folder, rss
from airace_pipeline.warehouse.contract import DOCUMENTS
from airace_pipeline.warehouse.working import ENABLED_SOURCES, EXTRACT_SCHEMA
from airace_pipeline.warehouse.writes import table_exists

RAW_DATASET = "raw"

# One raw table per source kind, named after its dlt resource.
RAW_TABLE_NAMES: tuple[str, ...] = (
    local_folder.RESOURCE_NAME,
    rss.RESOURCE_NAME,
    federal_register.RESOURCE_NAME,
    aiid.RESOURCE_NAME,
    eurlex.RESOURCE_NAME,
)

_ENABLED = f"source_name IN (SELECT source_name FROM {EXTRACT_SCHEMA}.{ENABLED_SOURCES.name})"


def present_raw_tables(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """The raw tables some load has created (a kind never enabled has none)."""
    return [t for t in RAW_TABLE_NAMES if table_exists(conn, RAW_DATASET, t)]


def raw_documents_union(conn: duckdb.DuckDBPyConnection) -> str | None:
    """SQL of the enabled entries' rows of every present raw table as one relation (None when no source
    has loaded anything yet)."""
    present = present_raw_tables(conn)
    if not present:
        return None
    found = set(
        conn.execute(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_catalog = current_database() AND table_schema = ?",
            [RAW_DATASET],
        ).fetchall()
    )

    def select(table: str) -> str:
        # A raw table loaded before a column was added to the contract lacks it until its next load.
        columns = ", ".join(
            f'"{c}"' if (table, c) in found else f'NULL::VARCHAR AS "{c}"' for c in DOCUMENTS.column_names
        )
        return f'SELECT {columns}, rejected_reason FROM {RAW_DATASET}."{table}"'

    union = " UNION ALL ".join(select(t) for t in present)
    return f"SELECT * FROM ({union}) WHERE {_ENABLED}"


def ingest_counts(
    conn: duckdb.DuckDBPyConnection, table: str, since: dt.datetime | None
) -> tuple[int, int, int, int] | None:
    """(usable, rejected, loaded since `since`, rejected since `since`) of one raw table, or None if it
    does not exist yet: what users ask first after a load."""
    if not table_exists(conn, RAW_DATASET, table):
        return None
    return conn.execute(
        "SELECT count(*) FILTER (WHERE rejected_reason IS NULL), "
        "count(*) FILTER (WHERE rejected_reason IS NOT NULL), "
        "count(*) FILTER (WHERE ingested_at >= ?), "
        "count(*) FILTER (WHERE ingested_at >= ? AND rejected_reason IS NOT NULL) "
        f'FROM {RAW_DATASET}."{table}"',
        [since or dt.datetime.max.replace(tzinfo=dt.UTC)] * 2,
    ).fetchone()


def raw_rejections_sql(conn: duckdb.DuckDBPyConnection) -> list[str]:
    """One SELECT per present raw table of its rows rejected at ingest, in the quarantine table's shape."""
    return [
        "SELECT 'ingest' AS stage, to_json(struct_pack(source_name, origin, format, title, published_on))"
        "::VARCHAR AS record, rejected_reason AS reason, document_id, ingested_at AS quarantined_at, "
        f"'{RAW_DATASET}.{t}' AS table_name FROM {RAW_DATASET}.\"{t}\" WHERE rejected_reason IS NOT NULL "
        f"AND {_ENABLED}"
        for t in present_raw_tables(conn)
    ]
