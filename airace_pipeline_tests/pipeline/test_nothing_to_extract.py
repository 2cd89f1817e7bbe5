"""A `fact_mentions` run with no document to extract builds no extractor: reading the gazetteer and
compiling the patterns was about a second of every scheduled run with nothing new."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from airace_pipeline.defs.assets.extract import fact_mentions
from airace_pipeline.defs.resources import ExtractionEngineResource, ReferenceDataResource, WarehouseResource


def test_nothing_pending_reads_no_gazetteer(tmp_path: Path) -> None:
    # A gazetteer that cannot be loaded: the run succeeds only if nothing tries to build an extractor.
    gazetteer = tmp_path / "organisations.yaml"
    gazetteer.write_text("organisations: [", encoding="utf-8")
    warehouse = WarehouseResource(
        published_path=str(tmp_path / "airace.duckdb"),
        working_path=str(tmp_path / "work" / "airace_work.duckdb"),
    )
    result = dg.materialize(
        [fact_mentions],
        partition_key="2025-06-01",
        resources={
            "warehouse": warehouse,
            "reference": ReferenceDataResource(organisations_path=str(gazetteer)),
            # A scheduler that does not exist: with nothing pending, no cluster is contacted either.
            "extraction_engine": ExtractionEngineResource(dask_scheduler="tcp://127.0.0.1:9"),
        },
    )
    assert result.success
    metadata = result.asset_materializations_for_node("fact_mentions")[0].metadata
    assert metadata["documents_extracted"].value == 0
