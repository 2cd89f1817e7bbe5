"""The AI Incident Database snapshot CSVs, from a local folder and from a URL on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest
from dlt.pipeline.exceptions import PipelineStepFailed
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from airace_pipeline.sources.aiid import aiid_source
from airace_pipeline.sources.config import AiidSource
from airace_pipeline.sources.window import FetchWindow
from airace_pipeline_tests.sources.live import (
    INCIDENTS_CSV,
    LIMITS,
    REPORTS_CSV,
    resource_state,
    rows,
    run,
    trickle,
)

TABLE = "aiid_documents"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "work.duckdb"


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    folder = tmp_path / "snapshot"
    folder.mkdir()
    (folder / "incidents.csv").write_text(INCIDENTS_CSV, encoding="utf-8")
    (folder / "reports.csv").write_text(REPORTS_CSV, encoding="utf-8")
    return folder


def test_incidents_and_reports_from_a_local_snapshot(snapshot: Path, db: Path) -> None:
    run(aiid_source, db, [AiidSource(name="aiid", snapshot=str(snapshot), limits=LIMITS)])
    by_origin = {r["origin"]: r for r in rows(db, TABLE)}
    assert set(by_origin) == {"incident/1", "incident/2", "incident/3", "report/1", "report/3"}

    incident = by_origin["incident/2"]
    assert incident["published_on"] == dt.date(2018, 12, 5)
    assert incident["text"].startswith("AIID incident 2: Warehouse robot ruptures can of bear spray\n")
    (fact,) = json.loads(incident["structured_facts"])
    assert fact["fact_type"] == "incident" and fact["external_ids"] == {"aiid_incident_id": "2"}
    assert {(p["name"], p["role"]) for p in fact["participants"]} == {
        ("Amazon", "deployer"),
        ("Openai", "developer"),
        ("Amazon", "developer"),
        ("Warehouse Workers", "harmed_party"),
    }
    assert "no valid date" in by_origin["incident/3"]["rejected_reason"]

    report = by_origin["report/1"]
    assert report["source"] == "example.com" and report["url"] == "https://example.com/r1"
    assert report["text"] == "Kids app report\n\nYouTube Kids showed disturbing videos."  # script dropped


def test_url_snapshot_second_run_is_two_304s_and_no_rows(httpserver: HTTPServer, db: Path) -> None:
    for name, body in (("incidents.csv", INCIDENTS_CSV), ("reports.csv", REPORTS_CSV)):

        def handler(request: Request, body: str = body, etag: str = f'"{name}"') -> Response:
            if request.headers.get("If-None-Match") == etag:
                return Response(status=304)
            return Response(body, content_type="text/csv", headers={"ETag": etag})

        httpserver.expect_request(f"/snapshot/{name}").respond_with_handler(handler)
    spec = AiidSource(name="aiid", snapshot=httpserver.url_for("/snapshot"), limits=LIMITS)
    run(aiid_source, db, [spec])
    before = rows(db, TABLE)
    assert len(before) == 5
    httpserver.clear_log()
    run(aiid_source, db, [spec])
    assert [resp.status_code for _, resp in httpserver.log] == [304, 304]
    assert rows(db, TABLE) == before


def test_changed_snapshot_loads_only_new_incidents(snapshot: Path, db: Path) -> None:
    spec = AiidSource(name="aiid", snapshot=str(snapshot), limits=LIMITS)
    run(aiid_source, db, [spec])
    first = {r["origin"]: r["ingested_at"] for r in rows(db, TABLE)}
    (snapshot / "incidents.csv").write_text(
        INCIDENTS_CSV + '6a4,4,2024-02-01,[],"[""openai""]",[],[],"New.",A new incident\n', encoding="utf-8"
    )
    run(aiid_source, db, [spec])
    after = {r["origin"]: r["ingested_at"] for r in rows(db, TABLE)}
    assert set(after) - set(first) == {"incident/4"}
    assert after["incident/2"] == first["incident/2"]


def test_backfill_keeps_its_window(snapshot: Path, db: Path) -> None:
    window = FetchWindow(dt.date(2018, 12, 1), dt.date(2018, 12, 31), backfill=True)
    run(aiid_source, db, [AiidSource(name="aiid", snapshot=str(snapshot), limits=LIMITS)], window=window)
    assert {r["origin"] for r in rows(db, TABLE)} == {"incident/2", "incident/3", "report/3"}


def test_a_csv_that_is_not_the_aiid_shape_fails_clearly(snapshot: Path, db: Path) -> None:
    (snapshot / "incidents.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(PipelineStepFailed, match=r"missing column\(s\)"):
        run(aiid_source, db, [AiidSource(name="aiid", snapshot=str(snapshot), limits=LIMITS)])
    assert rows(db, TABLE) == []


def test_non_utf8_snapshot_fails_clearly(snapshot: Path, db: Path) -> None:
    (snapshot / "incidents.csv").write_bytes(INCIDENTS_CSV.encode("utf-8") + b"\xff\xfe")
    with pytest.raises(PipelineStepFailed, match="not UTF-8"):
        run(aiid_source, db, [AiidSource(name="aiid", snapshot=str(snapshot), limits=LIMITS)])


def test_a_spent_source_deadline_keeps_the_incidents_and_the_next_run_reads_the_reports(
    httpserver: HTTPServer, db: Path
) -> None:
    slow = {"on": True}

    def reports(request: Request) -> Response:
        if slow["on"]:
            return trickle("text/csv")(request)
        return Response(REPORTS_CSV, content_type="text/csv")

    httpserver.expect_request("/snapshot/incidents.csv").respond_with_data(
        INCIDENTS_CSV, content_type="text/csv"
    )
    httpserver.expect_request("/snapshot/reports.csv").respond_with_handler(reports)
    limits = replace(LIMITS, request_deadline_s=30.0, source_deadline_s=1.0)
    spec = AiidSource(name="aiid", snapshot=httpserver.url_for("/snapshot"), limits=limits)
    run(aiid_source, db, [spec])  # does not raise
    assert {r["origin"] for r in rows(db, TABLE)} == {"incident/1", "incident/2", "incident/3"}
    assert "source_deadline_s" in resource_state(db, TABLE)["snapshots"]["aiid"]["stopped_early"]
    slow["on"] = False
    run(aiid_source, db, [spec])
    origins = [r["origin"] for r in rows(db, TABLE)]
    assert sorted(origins) == ["incident/1", "incident/2", "incident/3", "report/1", "report/3"]
    assert resource_state(db, TABLE)["snapshots"]["aiid"]["stopped_early"] is None
