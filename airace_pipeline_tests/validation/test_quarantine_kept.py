"""A quarantine row that fails QuarantineModel itself is kept, repaired, with a reason that says so.

The `quarantine` asset used to load only the rows that fit the model, so a stage that wrote, say, an empty
reason lost that row, and rows in = rows out + rows quarantined no longer held.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pandas as pd

from airace_pipeline.defs.assets.normalise import build_quarantine_asset
from airace_pipeline.defs.resources import WarehouseResource
from airace_pipeline.validation.quarantine import keep_quarantine_rows
from airace_pipeline.warehouse.connection import ensure_working_schema
from airace_pipeline.warehouse.working import EXTRACT_SCHEMA, STAGE_QUARANTINE
from airace_pipeline.warehouse.writes import insert_frame

_AT = pd.Timestamp("2024-05-01 12:00", tz="UTC")
_STAGED = pd.DataFrame(
    {
        "stage": ["validate", "extract", "normalise"],
        "record": ['{"mention_id": "good"}', '{"document_id": "d2"}', '{"mention_id": "odd"}'],
        # An empty reason (an exception without a message) and a stage QuarantineModel does not know.
        "reason": ["amount: less_than(1e16) failed for 1e20", "", "a stage we do not have"],
        "document_id": ["d1", "d2", "d3"],
        "quarantined_at": [_AT, _AT, _AT],
        "table_name": ["investments", "fact_mentions", "investments"],
    }
)
_NOTE = "kept in quarantine although this row did not fit QuarantineModel"


def test_rows_failing_the_quarantine_model_are_repaired_not_dropped() -> None:
    missing = _STAGED.assign(
        record=[None, *_STAGED["record"][1:]],
        quarantined_at=[pd.NaT, *_STAGED["quarantined_at"][1:]],
    )
    kept = keep_quarantine_rows(missing)
    assert len(kept.rows) == len(missing)
    assert kept.split.failure_count == 3
    rows = kept.rows.to_dict("records")
    assert rows[0]["record"] == "null" and pd.notna(rows[0]["quarantined_at"])
    assert rows[0]["reason"].startswith("amount: less_than(1e16) failed for 1e20; " + _NOTE)
    assert "record: not_nullable" in rows[0]["reason"]
    assert rows[1]["reason"].startswith("(no reason was recorded); " + _NOTE)
    assert rows[2]["stage"] == "validate" and "failed for 'normalise'" in rows[2]["reason"]


def test_the_quarantine_asset_keeps_an_invalid_quarantine_row_and_warns(tmp_path: Path) -> None:
    path = tmp_path / "work.duckdb"
    conn = duckdb.connect(str(path))
    try:
        ensure_working_schema(conn)
        insert_frame(conn, EXTRACT_SCHEMA, STAGE_QUARANTINE.name, _STAGED)
    finally:
        conn.close()
    result = dg.materialize(
        [build_quarantine_asset([])],
        resources={
            "warehouse": WarehouseResource(
                published_path=str(tmp_path / "unused.duckdb"), working_path=str(path)
            )
        },
    )
    assert result.success
    conn = duckdb.connect(str(path), read_only=True)
    try:
        stored = conn.execute(
            "SELECT document_id, stage, reason FROM main.quarantine ORDER BY document_id"
        ).fetchall()
    finally:
        conn.close()
    assert [row[0] for row in stored] == ["d1", "d2", "d3"]
    assert stored[0][2] == "amount: less_than(1e16) failed for 1e20"
    assert stored[1][1] == "extract" and _NOTE in stored[1][2] and "str_length" in stored[1][2]
    assert stored[2][1] == "validate" and _NOTE in stored[2][2] and "'normalise'" in stored[2][2]
    [check] = result.get_asset_check_evaluations()
    assert not check.passed and check.metadata["failures"].value == 2
    [materialisation] = result.get_asset_materialization_events()
    assert materialisation.materialization.metadata["dagster/row_count"].value == 3
