"""One run of every asset, the report included, over the bundled corpus into temporary files, shared by
the report's tests (about 25 s)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import dagster as dg
import pytest

from airace_pipeline.definitions import all_assets
from airace_pipeline.defs.assets.report import report
from airace_pipeline.defs.partitions import PARTITIONS_START, last_partition_day, partition_key_range
from airace_pipeline.defs.resources import ReportResource
from airace_pipeline_tests.conftest import RANGE_END, RANGE_START, make_resources


@dataclass(frozen=True)
class ReportRun:
    published: Path
    folder: Path
    metadata: dict


@pytest.fixture(scope="session")
def report_run(tmp_path_factory: pytest.TempPathFactory) -> ReportRun:
    tmp = tmp_path_factory.mktemp("report_run")
    resources = make_resources(tmp)
    resources["report_files"] = ReportResource(published_path=str(tmp / "airace.duckdb"))
    kinds = {spec.kind for spec in resources["sources"].load().sources if spec.enabled}
    first, last = partition_key_range(PARTITIONS_START, last_partition_day())
    result = dg.materialize(
        [*all_assets(kinds), report],
        resources=resources,
        instance=dg.DagsterInstance.ephemeral(),
        tags={RANGE_START: first, RANGE_END: last},
    )
    assert result.success
    [materialization] = result.asset_materializations_for_node("report")
    return ReportRun(tmp / "airace.duckdb", tmp / "report", dict(materialization.metadata))
