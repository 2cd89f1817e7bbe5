"""How `main.quarantine` is written: every stage's rejected rows, rebuilt whole each run.

The ingest stage's rows come from the raw tables themselves (rows dlt loaded with `rejected_reason`
set); the other stages keep theirs in `extract.stage_quarantine`.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from airace_pipeline.warehouse.contract import QUARANTINE
from airace_pipeline.warehouse.raw import raw_rejections_sql
from airace_pipeline.warehouse.working import EXTRACT_SCHEMA, STAGE_QUARANTINE
from airace_pipeline.warehouse.writes import replace_table


def quarantine_candidates(conn: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every quarantined row of every stage, in the quarantine table's shape (not yet validated)."""
    parts = [
        *raw_rejections_sql(conn),
        "SELECT stage, record, reason, document_id, quarantined_at, table_name "
        f"FROM {EXTRACT_SCHEMA}.{STAGE_QUARANTINE.name}",
    ]
    return conn.execute(" UNION ALL ".join(parts)).df()


def replace_quarantine(conn: duckdb.DuckDBPyConnection, rows: pd.DataFrame) -> None:
    conn.execute("BEGIN TRANSACTION")
    replace_table(conn, "main", QUARANTINE.name, rows[QUARANTINE.column_names])
    conn.execute("COMMIT")
