"""A document dropped for a day whose partition already ran is picked up by the sensor's backfill."""

from __future__ import annotations

import shutil
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from airace_pipeline.defs.sensors import RANGE_END_TAG, RANGE_START_TAG, late_documents_sensor
from airace_pipeline.paths import REPO_ROOT
from airace_pipeline_tests.conftest import make_resources, materialize_range, write_sources

pytestmark = pytest.mark.slow
CORPUS = REPO_ROOT / "data" / "corpus"


def _evaluate(resources: dict) -> dg.SensorResult | dg.SkipReason:
    # A context manager, as the daemon opens it: the warehouse resource has set-up and tear-down.
    with dg.build_sensor_context(
        resources={"sources": resources["sources"], "warehouse": resources["warehouse"]}
    ) as context:
        return late_documents_sensor(context)


def _published_ids(tmp: Path) -> set[str]:
    conn = duckdb.connect(str(tmp / "airace.duckdb"), read_only=True)
    try:
        return {r[0] for r in conn.execute("SELECT origin FROM documents").fetchall()}
    finally:
        conn.close()


def test_late_document_is_backfilled_once(tmp_path: Path) -> None:
    folder = tmp_path / "drop"
    folder.mkdir()
    shutil.copy(CORPUS / "2024-06-11-mistral-ai-600-million-euros-general-catalyst.md", folder)
    resources = make_resources(tmp_path, write_sources(tmp_path, folder))

    skip = _evaluate(resources)
    assert isinstance(skip, dg.SkipReason) and "does not exist yet" in skip.skip_message

    assert materialize_range(resources, "2024-06-01", "2024-06-30").success
    assert isinstance(_evaluate(resources), dg.SkipReason)

    # A document from March arrives after March's partitions have run.
    late = "2024-03-07-indiaai-mission-cabinet-approves-10371-crore.md"
    shutil.copy(CORPUS / late, folder)
    result = _evaluate(resources)
    assert isinstance(result, dg.SensorResult)
    (request,) = result.run_requests
    assert (request.tags[RANGE_START_TAG], request.tags[RANGE_END_TAG]) == ("2024-03-07", "2024-03-07")
    assert _evaluate(resources).run_requests[0].run_key == request.run_key  # same drop, same key

    assert materialize_range(resources, "2024-03-07", "2024-03-07").success
    assert _published_ids(tmp_path) == {late, "2024-06-11-mistral-ai-600-million-euros-general-catalyst.md"}
    assert isinstance(_evaluate(resources), dg.SkipReason)

    # An edited document is late too.
    path = folder / late
    path.write_text(
        path.read_text(encoding="utf-8") + "\nThe mission was reviewed in 2025.\n", encoding="utf-8"
    )
    assert isinstance(_evaluate(resources), dg.SensorResult)
