"""Shared fixtures: real resources on temporary files, and a helper to materialise a partition range."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from dagster_dlt import DagsterDltResource

from airace_pipeline.definitions import all_assets
from airace_pipeline.defs.partitions import partition_key_range
from airace_pipeline.defs.resources import (
    ExtractionEngineResource,
    ReferenceDataResource,
    SourcesResource,
    WarehouseResource,
)
from airace_pipeline.paths import REPO_ROOT
from airace_pipeline.warehouse.contract import CONTRACT

RANGE_START = "dagster/asset_partition_range_start"
RANGE_END = "dagster/asset_partition_range_end"


def make_resources(
    tmp: Path, sources_file: Path | None = None, dask_scheduler: str = ""
) -> dict[str, object]:
    return {
        "dlt_resource": DagsterDltResource(),
        "warehouse": WarehouseResource(
            published_path=str(tmp / "airace.duckdb"), working_path=str(tmp / "work" / "airace_work.duckdb")
        ),
        "sources": SourcesResource(config_path=str(sources_file or REPO_ROOT / "data" / "sources.yaml")),
        "reference": ReferenceDataResource(),
        "extraction_engine": ExtractionEngineResource(dask_scheduler=dask_scheduler),
    }


def materialize_range(
    resources: dict[str, object], start: str, end: str, instance: dg.DagsterInstance | None = None
) -> dg.ExecuteInProcessResult:
    """One single-run backfill over the partitions holding the days start..end (inclusive), as `make run`
    and `make backfill` do."""
    kinds = {spec.kind for spec in resources["sources"].load().sources if spec.enabled}
    first, last = partition_key_range(dt.date.fromisoformat(start), dt.date.fromisoformat(end))
    return dg.materialize(
        all_assets(kinds),
        resources=resources,
        instance=instance or dg.DagsterInstance.ephemeral(),
        tags={RANGE_START: first, RANGE_END: last},
    )


def contract_hashes(conn: duckdb.DuckDBPyConnection, database: str = "", at: str = "") -> dict[str, str]:
    """A content hash per contract table in `database` (the connection's own by default; `at` a DuckLake
    AT clause), load timestamps left out, for comparing runs and copies."""
    prefix = f"{database}." if database else ""
    hashes = {}
    for table in CONTRACT:
        columns = ", ".join(c for c in table.column_names if c not in ("ingested_at", "quarantined_at"))
        rows = conn.execute(f"SELECT {columns} FROM {prefix}{table.name}{at} ORDER BY ALL").fetchall()
        hashes[table.name] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return hashes


def table_hashes(path: Path) -> dict[str, str]:
    """`contract_hashes` of a published file."""
    conn = duckdb.connect(str(path), read_only=True)
    try:
        return contract_hashes(conn)
    finally:
        conn.close()


def write_sources(tmp: Path, folder: Path, name: str = "drop") -> Path:
    path = tmp / "sources.yaml"
    path.write_text(
        f"sources:\n  - name: {name}\n    kind: local_folder\n    path: {folder}\n", encoding="utf-8"
    )
    return path


@pytest.fixture(scope="session", autouse=True)
def _planned_events_per_asset() -> Iterator[None]:
    """As the Makefile sets it: one planned event per asset for ranged runs (see README)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DAGSTER_EMIT_PARTITION_SUBSET_IN_PLANNED_EVENTS", "1")
        yield


@pytest.fixture
def resources(tmp_path: Path) -> dict[str, object]:
    return make_resources(tmp_path)
