"""Reading a lake as a reader would, for the lake tests."""

from __future__ import annotations

from airace_pipeline.warehouse.extensions import lake_connection
from airace_pipeline.warehouse.lake import Lake, attach_lake
from airace_pipeline_tests.conftest import contract_hashes


def lake_hashes(lake: Lake, version: int | None = None) -> dict[str, str]:
    """`table_hashes` over the lake's tables (at a snapshot, or the current one), as a reader attaches it."""
    conn = lake_connection(lake.extension_directory)
    try:
        attach_lake(conn, lake, "reader", read_only=True)
        at = "" if version is None else f" AT (VERSION => {int(version)})"
        return contract_hashes(conn, "reader", at)
    finally:
        conn.close()
