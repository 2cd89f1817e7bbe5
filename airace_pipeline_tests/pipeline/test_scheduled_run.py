"""The daily schedule's run loses nothing: live items dated outside its one-day window reach the facts.

Loopback Federal Register, AIID and RSS services serve items dated months (or a day) away from the
partition the schedule asks for; the `daily_refresh` job runs that partition through Dagster, as the
schedule would launch it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import dagster as dg
import duckdb
import pytest
from pytest_httpserver import HTTPServer

from airace_pipeline.definitions import all_assets
from airace_pipeline.defs.schedules import daily_job, daily_refresh_schedule
from airace_pipeline_tests.conftest import make_resources, table_hashes
from airace_pipeline_tests.sources.live import INCIDENTS_CSV, REPORTS_CSV, RSS, fr_envelope
from airace_pipeline_tests.sources.test_federal_register import EO

pytestmark = pytest.mark.slow


def _sources_yaml(tmp: Path, server: HTTPServer) -> Path:
    limits = "    timeout_s: 2\n    retries: 1\n    backoff_s: 0.05\n"
    path = tmp / "sources.yaml"
    path.write_text(
        "sources:\n"
        f"  - name: feeds\n    kind: rss\n    feeds: [{server.url_for('/rss')}]\n{limits}"
        f"  - name: fr\n    kind: federal_register\n    base_url: {server.url_for('/api/v1')}\n{limits}"
        f"  - name: aiid\n    kind: aiid\n    snapshot: {server.url_for('/snapshot')}\n{limits}",
        encoding="utf-8",
    )
    return path


def _serve(server: HTTPServer, today: dt.date) -> None:
    """RSS items of June 2024, AIID incidents of 2015 and 2018, and an executive order published today
    (the scheduled window is yesterday): none inside the partition. The Federal Register's first
    scheduled query starts at the window, so only a day outside it can be served there."""
    server.expect_request("/rss").respond_with_data(RSS, content_type="application/rss+xml")
    eo = {**EO, "publication_date": today.isoformat()}
    server.expect_request("/api/v1/documents.json").respond_with_json(fr_envelope([eo]))
    server.expect_request("/snapshot/incidents.csv").respond_with_data(INCIDENTS_CSV, content_type="text/csv")
    server.expect_request("/snapshot/reports.csv").respond_with_data(REPORTS_CSV, content_type="text/csv")


def _daily_refresh(resources: dict[str, object], instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
    """What the schedule launches now: the `daily_refresh` job for the partition its request names."""
    kinds = {spec.kind for spec in resources["sources"].load().sources if spec.enabled}
    defs = dg.Definitions(assets=all_assets(kinds), jobs=[daily_job], resources=resources)
    request = daily_refresh_schedule(
        dg.build_schedule_context(scheduled_execution_time=dt.datetime.now(tz=dt.UTC))
    )
    return defs.resolve_job_def("daily_refresh").execute_in_process(
        partition_key=request.partition_key, instance=instance
    )


def _raw_rows_check(result: dg.ExecuteInProcessResult) -> dg.AssetCheckEvaluation:
    [evaluation] = [e for e in result.get_asset_check_evaluations() if e.check_name == "raw_rows_processed"]
    return evaluation


def test_a_scheduled_run_carries_live_items_of_any_day_to_the_published_facts(
    httpserver: HTTPServer, tmp_path: Path
) -> None:
    today = dt.datetime.now(tz=dt.UTC).date()
    _serve(httpserver, today)
    resources = make_resources(tmp_path, _sources_yaml(tmp_path, httpserver))
    instance = dg.DagsterInstance.ephemeral()

    result = _daily_refresh(resources, instance)
    assert result.success

    conn = duckdb.connect(str(tmp_path / "airace.duckdb"), read_only=True)
    try:
        days = dict(
            conn.execute("SELECT source_name, min(published_on) FROM documents GROUP BY 1").fetchall()
        )
        assert days == {"feeds": dt.date(2024, 6, 11), "fr": today, "aiid": dt.date(2018, 12, 5)}
        assert conn.execute("SELECT count(*) FROM policies WHERE eo_number = '14110'").fetchone()[0] == 1
        incidents = {i for (i,) in conn.execute("SELECT aiid_incident_id FROM incidents").fetchall()}
        assert incidents == {"2"}  # incident 1 (2015) is before the partitions and quarantined
        mistral = conn.execute(
            "SELECT count(*) FROM evidence e JOIN documents d USING (document_id) "
            "WHERE d.source_name = 'feeds' AND e.fact_table = 'investments'"
        ).fetchone()[0]
        assert mistral >= 1
        counts = conn.execute(
            "SELECT stage, rows_in, rows_out, rows_quarantined FROM stage_counts"
        ).fetchall()
        assert all(rows_in == out + quarantined for _, rows_in, out, quarantined in counts), counts
    finally:
        conn.close()
    check = _raw_rows_check(result)
    assert check.passed and check.severity == dg.AssetCheckSeverity.ERROR
    assert check.metadata["unprocessed_rows"].value == 0

    # The schedule's retry of the same day changes nothing and duplicates nothing.
    before = table_hashes(tmp_path / "airace.duckdb")
    again = _daily_refresh(resources, instance)
    assert again.success and _raw_rows_check(again).passed
    assert table_hashes(tmp_path / "airace.duckdb") == before
