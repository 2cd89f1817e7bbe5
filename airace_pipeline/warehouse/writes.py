"""Small write helpers shared by the assets: dataframes in, idempotent windows, quarantine rows."""

from __future__ import annotations

import datetime as dt

import duckdb
import pandas as pd

from airace_pipeline.warehouse.working import EXTRACT_SCHEMA, STAGE_QUARANTINE


def table_exists(conn: duckdb.DuckDBPyConnection, schema: str, table: str) -> bool:
    found = conn.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?",
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
