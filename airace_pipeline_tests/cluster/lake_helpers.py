"""Reading a lake as a reader would, for the lake tests."""

from __future__ import annotations

import hashlib

from airace_pipeline.warehouse.contract import CONTRACT
from airace_pipeline.warehouse.extensions import lake_connection
from airace_pipeline.warehouse.lake import Lake, attach_lake


def lake_hashes(lake: Lake, version: int | None = None) -> dict[str, str]:
    """`table_hashes` over the lake's tables (at a snapshot, or the current one), as a reader attaches it."""
    conn = lake_connection(lake.extension_directory)
    try:
        attach_lake(conn, lake, "reader", read_only=True)
        at = "" if version is None else f" AT (VERSION => {int(version)})"
        hashes = {}
        for table in CONTRACT:
            columns = ", ".join(c for c in table.column_names if c not in ("ingested_at", "quarantined_at"))
            rows = conn.execute(f"SELECT {columns} FROM reader.{table.name}{at} ORDER BY ALL").fetchall()
            hashes[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
        return hashes
    finally:
        conn.close()
