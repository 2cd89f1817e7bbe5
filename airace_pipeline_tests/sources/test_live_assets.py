"""All four live sources enabled in the sources YAML, materialised by Dagster into the contract tables."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from pytest_httpserver import HTTPServer

from airace_pipeline_tests.conftest import make_resources, materialize_range
from airace_pipeline_tests.sources.live import AI_ACT, ATOM, INCIDENTS_CSV, REPORTS_CSV, fr_envelope
from airace_pipeline_tests.sources.test_federal_register import EO


def _sources_yaml(tmp: Path, server: HTTPServer) -> Path:
    limits = "    timeout_s: 2\n    retries: 1\n    backoff_s: 0.05\n"
    path = tmp / "sources.yaml"
    path.write_text(
        "sources:\n"
        f"  - name: feeds\n    kind: rss\n    feeds: [{server.url_for('/atom')}]\n{limits}"
        f"  - name: fr\n    kind: federal_register\n    base_url: {server.url_for('/api/v1')}\n{limits}"
        f"  - name: aiid\n    kind: aiid\n    snapshot: {server.url_for('/snapshot')}\n{limits}"
        f"  - name: eurlex\n    kind: eurlex\n    base_url: {server.url_for('/celex')}\n{limits}",
        encoding="utf-8",
    )
    return path


@pytest.mark.slow
def test_live_sources_materialise_into_the_normalised_tables(httpserver: HTTPServer, tmp_path: Path) -> None:
    httpserver.expect_request("/atom").respond_with_data(ATOM, content_type="application/atom+xml")
    # Dates moved into one short window (a long partition range is slow to plan, not to load).
    eo = {**EO, "publication_date": "2024-06-05"}
    httpserver.expect_request("/api/v1/documents.json").respond_with_json(fr_envelope([eo]))
    incidents = INCIDENTS_CSV.replace("2018-12-05", "2024-06-03")
    reports = REPORTS_CSV.replace("2018-12-06", "2024-06-04")
    httpserver.expect_request("/snapshot/incidents.csv").respond_with_data(incidents, content_type="text/csv")
    httpserver.expect_request("/snapshot/reports.csv").respond_with_data(reports, content_type="text/csv")
    httpserver.expect_request("/celex/32024R1689").respond_with_data(
        AI_ACT, content_type="application/xhtml+xml"
    )
    resources = make_resources(tmp_path, _sources_yaml(tmp_path, httpserver))

    result = materialize_range(resources, "2024-06-01", "2024-06-20")
    assert result.success

    conn = duckdb.connect(str(tmp_path / "airace.duckdb"), read_only=True)
    try:
        sources = dict(conn.execute("SELECT source_name, count(*) FROM documents GROUP BY 1").fetchall())
        assert sources == {"feeds": 1, "fr": 1, "aiid": 2, "eurlex": 1}  # incident 2 and its report
        eo = conn.execute(
            "SELECT instrument_type, announced_on::VARCHAR, jurisdiction_code FROM policies "
            "WHERE eo_number = '14110' AND fr_document_number = '2023-24283'"
        ).fetchall()
        assert eo == [("executive_order", "2023-10-30", "US")]
        assert conn.execute("SELECT count(*) FROM policies WHERE celex = '32024R1689'").fetchone()[0] == 1
        incident_id, title = conn.execute(
            "SELECT incident_id, title FROM incidents WHERE aiid_incident_id = '2'"
        ).fetchone()
        assert title == "Warehouse robot ruptures can of bear spray"
        roles = {
            r
            for (r,) in conn.execute(
                "SELECT role FROM incident_actors WHERE incident_id = ?", [incident_id]
            ).fetchall()
        }
        assert roles == {"deployer", "developer", "harmed_party"}
        # Provenance: the structured fact cites the first line of its document.
        sentence = conn.execute(
            "SELECT e.sentence FROM evidence e JOIN incidents i ON e.fact_id = i.incident_id "
            "WHERE i.aiid_incident_id = '2'"
        ).fetchone()[0]
        assert sentence == "AIID incident 2: Warehouse robot ruptures can of bear spray"
        rejected = conn.execute(
            "SELECT reason FROM quarantine WHERE stage = 'ingest' AND table_name = 'raw.aiid_documents'"
        ).fetchall()
        assert any("no valid date" in r for (r,) in rejected)
    finally:
        conn.close()

    events = {
        e.asset_key.to_user_string(): e.step_materialization_data.materialization.metadata
        for e in result.get_asset_materialization_events()
    }
    assert events["raw/aiid_documents"]["rejected_this_run"].value >= 1
    assert json.dumps(events["raw/aiid_documents"]["mode"].value) == '"backfill"'
