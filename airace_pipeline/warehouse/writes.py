"""Small write helpers shared by the assets: dataframes in, idempotent windows, quarantine rows."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from airace_pipeline.warehouse.working import EXTRACT_SCHEMA, STAGE_QUARANTINE, cluster_order_sql


def table_exists(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    found = conn.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_catalog = current_database() "
        "AND table_schema = ? AND table_name = ?",
        [schema, table],
    ).fetchone()[0]
    return bool(found)


def insert_frame(conn: duckdb.DuckDBPyConnection, schema: str, table: str, frame: pd.DataFrame) -> None:
    """Insert by column name, so column order in the dataframe does not matter."""
    if frame.empty:
        return
    view = f"_incoming_{table}"
    conn.register(view, frame)
    try:
        # Identifiers come from the contract modules; DuckDB cannot bind them as parameters.
        conn.execute(f'INSERT INTO "{schema}"."{table}" BY NAME SELECT * FROM "{view}"')
    finally:
        conn.unregister(view)


def replace_table(conn: duckdb.DuckDBPyConnection, schema: str, table: str, frame: pd.DataFrame) -> None:
    conn.execute(f'DELETE FROM "{schema}"."{table}"')
    insert_frame(conn, schema, table, frame)


def delete_window_quarantine(
    conn: duckdb.DuckDBPyConnection, *, stage: str, table_name: str, start: dt.date, end: dt.date
) -> None:
    """Drop one stage's quarantine rows of a partition window, before its rows are written again."""
    conn.execute(
        f"DELETE FROM {EXTRACT_SCHEMA}.stage_quarantine WHERE stage = ? AND table_name = ? "
        "AND published_on >= ? AND published_on < ?",
        [stage, table_name, start, end],
    )


def replace_unpartitioned_quarantine(
    conn: duckdb.DuckDBPyConnection, rows: pd.DataFrame, *, stage: str, table_names: list[str]
) -> None:
    """Replace the quarantine rows an unpartitioned asset owns (it rebuilds its tables every run)."""
    conn.execute(
        f"DELETE FROM {EXTRACT_SCHEMA}.stage_quarantine WHERE stage = ? AND table_name IN (SELECT unnest(?::VARCHAR[]))",
        [stage, table_names],
    )
    insert_frame(conn, EXTRACT_SCHEMA, STAGE_QUARANTINE.name, rows)


def delete_where_in(
    conn: duckdb.DuckDBPyConnection, schema: str, table: str, column: str, values: list[str]
) -> None:
    """Delete the rows whose `column` is one of `values` (names from the contract modules only)."""
    conn.execute(
        f'DELETE FROM "{schema}"."{table}" WHERE "{column}" IN (SELECT unnest(?::VARCHAR[]))', [values]
    )


def delete_quarantine_of(
    conn: duckdb.DuckDBPyConnection, table_name: str, id_field: str, ids: list[str]
) -> None:
    """Drop the validate-stage quarantine rows of `table_name` whose record has one of these ids, before
    the rows of those facts are built again."""
    conn.execute(
        f"DELETE FROM {EXTRACT_SCHEMA}.stage_quarantine WHERE stage = 'validate' AND table_name = ? "
        "AND json_extract_string(record, ?) IN (SELECT unnest(?::VARCHAR[]))",
        [table_name, f"$.{id_field}", ids],
    )


def delete_assignments_from(
    conn: duckdb.DuckDBPyConnection,
    fact_type: str,
    cutoff: tuple[dt.date, dt.date, str],
    fact_ids: list[str],
) -> None:
    """Drop the clustering state of the mentions of `fact_type` from `cutoff` on (their keys too) and of
    the groups `fact_ids`, which the caller writes again."""
    order = cluster_order_sql()
    conn.execute(
        f"DELETE FROM {EXTRACT_SCHEMA}.fact_keys WHERE mention_id IN (SELECT mention_id FROM "
        f"{EXTRACT_SCHEMA}.fact_assignments WHERE fact_type = ? AND {order} >= (?, ?, ?))",
        [fact_type, *cutoff],
    )
    conn.execute(
        f"DELETE FROM {EXTRACT_SCHEMA}.fact_assignments WHERE (fact_type = ? AND {order} >= (?, ?, ?)) "
        "OR fact_id IN (SELECT unnest(?::VARCHAR[]))",
        [fact_type, *cutoff, fact_ids],
    )
