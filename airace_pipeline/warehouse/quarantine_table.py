"""How `main.quarantine` is written: every stage's rejected rows, rebuilt whole when they changed (a digest
of the rows it is built from is stored with it in `extract.reference_state`).

The ingest stage's rows come from the raw tables themselves (rows dlt loaded with `rejected_reason`
set); the other stages keep theirs in `extract.stage_quarantine`.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from airace_pipeline.warehouse.contract import QUARANTINE
from airace_pipeline.warehouse.raw import raw_rejections_sql
from airace_pipeline.warehouse.reference_tables import BuildState, record_state
from airace_pipeline.warehouse.working import EXTRACT_SCHEMA, STAGE_QUARANTINE
from airace_pipeline.warehouse.writes import replace_table


def _candidates_sql(conn: duckdb.DuckDBPyConnection) -> str:
    parts = [
        *raw_rejections_sql(conn),
        "SELECT stage, record, reason, document_id, quarantined_at, table_name "
        f"FROM {EXTRACT_SCHEMA}.{STAGE_QUARANTINE.name}",
    ]
    return " UNION ALL ".join(parts)


def quarantine_candidates(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every quarantined row of every stage, in the quarantine table's shape (not yet validated)."""
    return conn.execute(_candidates_sql(conn)).df()


def candidates_digest(conn: duckdb.DuckDBPyConnection) -> str:
    """The rows `quarantine_candidates` returns, as a count and an order-independent hash of every field
    (`quarantined_at` included): equal digests give an equal table, without reading the rows into Python."""
    count, digest = conn.execute(
        # A sum, not bit_xor: two identical rows would cancel out of a XOR and leave the digest unchanged.
        "SELECT count(*), coalesce(sum(hash(stage, record, reason, document_id, quarantined_at, "
        f"table_name)::HUGEINT), 0) FROM ({_candidates_sql(conn)})"
    ).fetchone()
    return f"{count}:{digest}"


def replace_quarantine(conn: duckdb.DuckDBPyConnection, rows: pd.DataFrame, state: BuildState) -> None:
    conn.execute("BEGIN TRANSACTION")
    replace_table(conn, "main", QUARANTINE.name, rows[QUARANTINE.column_names])
    record_state(conn, QUARANTINE.name, state)
    conn.execute("COMMIT")
