"""How the unpartitioned reference tables are written: `countries`, `organisations` and the record of
how each participant name resolved (`extract.organisation_names`). Each is replaced whole, with its
quarantine rows and the fingerprint of its inputs (`extract.reference_state`), in one transaction; a run
whose inputs have the stored fingerprint leaves the table alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb
import pandas as pd

from airace_pipeline.validation.quarantine import ValidationSplit, quarantine_rows
from airace_pipeline.warehouse.contract import COUNTRIES, ORGANISATIONS
from airace_pipeline.warehouse.facts import unpartitioned
from airace_pipeline.warehouse.working import (
    EXTRACT_SCHEMA,
    MENTION_PARTICIPANTS,
    ORGANISATION_NAMES,
    REFERENCE_STATE,
)
from airace_pipeline.warehouse.writes import replace_table, replace_unpartitioned_quarantine

_STATE = f"{EXTRACT_SCHEMA}.{REFERENCE_STATE.name}"
_PARTICIPANTS = f"{EXTRACT_SCHEMA}.{MENTION_PARTICIPANTS.name}"


@dataclass(frozen=True)
class BuildState:
    """What a reference table was built from (a fingerprint) and what the build reported (JSON-able)."""

    fingerprint: str
    outcome: dict


def stored_outcome(conn: duckdb.DuckDBPyConnection, table_name: str, fingerprint: str) -> dict | None:
    """What the last build of `table_name` reported, if it was built from inputs with this fingerprint."""
    row = conn.execute(
        f"SELECT outcome FROM {_STATE} WHERE table_name = ? AND fingerprint = ?", [table_name, fingerprint]
    ).fetchone()
    return None if row is None else json.loads(row[0])


def participants_digest(conn: duckdb.DuckDBPyConnection) -> str:
    """The set of distinct participants `distinct_participants` returns, as a count and an
    order-independent hash: the organisations depend on nothing else in the working file."""
    count, digest = conn.execute(
        "SELECT count(*), coalesce(sum(hash(name, organisation_id, is_country, country_code)::HUGEINT), 0) "
        f"FROM (SELECT DISTINCT name, organisation_id, is_country, country_code FROM {_PARTICIPANTS})"
    ).fetchone()
    return f"{count}:{digest}"


def replace_countries(conn: duckdb.DuckDBPyConnection, split: ValidationSplit, state: BuildState) -> None:
    conn.execute("BEGIN TRANSACTION")
    replace_table(conn, "main", COUNTRIES.name, split.valid[COUNTRIES.column_names])
    _replace_quarantine(conn, split, "countries")
    record_state(conn, COUNTRIES.name, state)
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
    conn: duckdb.DuckDBPyConnection, split: ValidationSplit, name_map: pd.DataFrame, state: BuildState
) -> None:
    conn.execute("BEGIN TRANSACTION")
    replace_table(conn, "main", ORGANISATIONS.name, split.valid[ORGANISATIONS.column_names])
    replace_table(conn, EXTRACT_SCHEMA, ORGANISATION_NAMES.name, name_map)
    _replace_quarantine(conn, split, "organisations")
    record_state(conn, ORGANISATIONS.name, state)
    conn.execute("COMMIT")


def record_state(conn: duckdb.DuckDBPyConnection, table_name: str, state: BuildState) -> None:
    """Inside the caller's transaction: the table and its fingerprint are never out of step."""
    conn.execute(f"DELETE FROM {_STATE} WHERE table_name = ?", [table_name])
    conn.execute(
        f"INSERT INTO {_STATE} VALUES (?, ?, ?)",
        [table_name, state.fingerprint, json.dumps(state.outcome, sort_keys=True, default=str)],
    )


def _replace_quarantine(conn: duckdb.DuckDBPyConnection, split: ValidationSplit, table_name: str) -> None:
    replace_unpartitioned_quarantine(
        conn,
        unpartitioned(quarantine_rows(split, stage="validate", table_name=table_name)),
        stage="validate",
        table_names=[table_name],
    )
