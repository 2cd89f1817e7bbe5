"""The working connection's memory cap: the resource's, or a step's own."""

from __future__ import annotations

from pathlib import Path

from airace_pipeline.defs.resources import WarehouseResource


def test_a_step_can_lower_duckdbs_memory_cap(tmp_path: Path) -> None:
    warehouse = WarehouseResource(
        published_path=str(tmp_path / "airace.duckdb"),
        working_path=str(tmp_path / "work" / "w.duckdb"),
        memory_limit="512MB",
    )
    setting = "SELECT current_setting('memory_limit')"
    with warehouse.connect() as conn:
        assert conn.execute(setting).fetchone()[0] == "488.2 MiB"  # DuckDB reports 512 MB in MiB
    with warehouse.connect(memory_limit="256MB") as conn:
        assert conn.execute(setting).fetchone()[0] == "244.1 MiB"
