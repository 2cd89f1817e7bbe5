"""How the unpartitioned reference tables are written: `countries`, `organisations` and the record of
how each participant name resolved (`extract.organisation_names`). Each is replaced whole, with its
quarantine rows, in one transaction.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from airace_pipeline.validation.quarantine import ValidationSplit, quarantine_rows
from airace_pipeline.warehouse.contract import COUNTRIES, ORGANISATIONS
from airace_pipeline.warehouse.facts import unpartitioned
from airace_pipeline.warehouse.working import EXTRACT_SCHEMA, MENTION_PARTICIPANTS, ORGANISATION_NAMES
from airace_pipeline.warehouse.writes import replace_table, replace_unpartitioned_quarantine


def replace_countries(conn: duckdb.DuckDBPyConnection, split: ValidationSplit) -> None:
    conn.execute("BEGIN TRANSACTION")
    replace_table(conn, "main", COUNTRIES.name, split.valid[COUNTRIES.column_names])
    _replace_quarantine(conn, split, "countries")
    conn.execute("COMMIT")


def distinct_participants(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every distinct participant the extractor named, in a fixed order.

    Ordered: a minted organisation takes the country of its first row, which must not depend on the
    order DISTINCT happens to return (the fact tables are rebuilt when it changes).
    """
    return conn.execute(
        f"SELECT DISTINCT name, organisation_id, is_country, country_code "
        f"FROM {EXTRACT_SCHEMA}.{MENTION_PARTICIPANTS.name} ORDER BY ALL"
    ).df()


def replace_organisations(
    conn: duckdb.DuckDBPyConnection, split: ValidationSplit, name_map: pd.DataFrame
) -> None:
    conn.execute("BEGIN TRANSACTION")
    replace_table(conn, "main", ORGANISATIONS.name, split.valid[ORGANISATIONS.column_names])
    replace_table(conn, EXTRACT_SCHEMA, ORGANISATION_NAMES.name, name_map)
    _replace_quarantine(conn, split, "organisations")
    conn.execute("COMMIT")


def _replace_quarantine(conn: duckdb.DuckDBPyConnection, split: ValidationSplit, table_name: str) -> None:
    replace_unpartitioned_quarantine(
        conn,
        unpartitioned(quarantine_rows(split, stage="validate", table_name=table_name)),
        stage="validate",
        table_names=[table_name],
    )
