"""EUR-Lex acts by CELEX number: XHTML from a CELLAR-shaped server on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from airace_pipeline.sources.config import EurLexSource
from airace_pipeline.sources.eurlex import eurlex_source
from airace_pipeline_tests.sources.live import AI_ACT, LIMITS, XXE, resource_state, rows, run, trickle

TABLE = "eurlex_documents"


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "work.duckdb"


def _spec(server: HTTPServer, *celex: str) -> EurLexSource:
    return EurLexSource(name="eurlex", celex=celex, base_url=server.url_for("/resource/celex"), limits=LIMITS)


def _act(request: Request) -> Response:
    assert request.headers["Accept-Language"] == "en"
    assert "application/xhtml+xml" in request.headers["Accept"]
    if request.headers.get("If-None-Match") == '"act-v1"':
        return Response(status=304)
    return Response(AI_ACT, content_type="application/xhtml+xml;charset=UTF-8", headers={"ETag": '"act-v1"'})


def test_ai_act_becomes_a_policy_text_with_celex_and_eli(httpserver: HTTPServer, db: Path) -> None:
    httpserver.expect_request("/resource/celex/32024R1689").respond_with_handler(_act)
    run(eurlex_source, db, [_spec(httpserver, "32024R1689")])
    (row,) = rows(db, TABLE)
    assert row["origin"] == "32024R1689" and row["collection"] == "policy_text"
    assert row["published_on"] == dt.date(2024, 6, 13)
    assert row["url"] == "http://data.europa.eu/eli/reg/2024/1689/oj"
    assert json.loads(row["source_fields"]) == {
        "celex": "32024R1689",
        "eli": "http://data.europa.eu/eli/reg/2024/1689/oj",
    }
    assert "evil" not in row["text"] and "harmonised rules on artificial intelligence" in row["text"]
    (fact,) = json.loads(row["structured_facts"])
    assert fact["external_ids"] == {"celex": "32024R1689"} and fact["country_code"] == "EU"
    assert fact["announced_on"] == "2024-06-13"


def test_unchanged_act_costs_one_304(httpserver: HTTPServer, db: Path) -> None:
    httpserver.expect_request("/resource/celex/32024R1689").respond_with_handler(_act)
    run(eurlex_source, db, [_spec(httpserver, "32024R1689")])
    before = rows(db, TABLE)
    httpserver.clear_log()
    run(eurlex_source, db, [_spec(httpserver, "32024R1689")])
    assert [resp.status_code for _, resp in httpserver.log] == [304]
    assert rows(db, TABLE) == before


def test_hostile_act_is_quarantined_and_the_next_act_loads(httpserver: HTTPServer, db: Path) -> None:
    httpserver.expect_request("/resource/celex/32016R0679").respond_with_data(
        XXE, content_type="application/xhtml+xml"
    )
    httpserver.expect_request("/resource/celex/32024R1689").respond_with_handler(_act)
    run(eurlex_source, db, [_spec(httpserver, "32016R0679", "32024R1689")])
    by_origin = {r["origin"]: r for r in rows(db, TABLE)}
    assert "unsafe XML refused" in by_origin["32016R0679"]["rejected_reason"]
    assert "eurlex" in by_origin["32016R0679"]["rejected_reason"]
    assert by_origin["32024R1689"]["rejected_reason"] is None


def test_an_act_that_is_gone_is_quarantined_and_the_others_load(httpserver: HTTPServer, db: Path) -> None:
    httpserver.expect_request("/resource/celex/32016R0679").respond_with_data("Not Found", status=404)
    httpserver.expect_request("/resource/celex/32024R1689").respond_with_handler(_act)
    spec = _spec(httpserver, "32016R0679", "32024R1689")
    for _ in range(2):  # the next run does not fail either
        run(eurlex_source, db, [spec])
        by_origin = {r["origin"]: r for r in rows(db, TABLE)}
        assert "HTTP 404" in by_origin["32016R0679"]["rejected_reason"]
        assert httpserver.url_for("/resource/celex/32016R0679") in by_origin["32016R0679"]["rejected_reason"]
        assert by_origin["32024R1689"]["rejected_reason"] is None


def test_a_spent_source_deadline_keeps_the_acts_read_and_the_next_run_reads_the_rest(
    httpserver: HTTPServer, db: Path
) -> None:
    slow = {"on": True}
    other = AI_ACT.replace("2024/1689", "2016/679").replace("13 June 2024", "27 April 2016")

    def second(request: Request) -> Response:
        if slow["on"]:
            return trickle("application/xhtml+xml")(request)
        return Response(other, content_type="application/xhtml+xml")

    httpserver.expect_request("/resource/celex/32024R1689").respond_with_handler(_act)
    httpserver.expect_request("/resource/celex/32016R0679").respond_with_handler(second)
    spec = replace(
        _spec(httpserver, "32024R1689", "32016R0679"),
        limits=replace(LIMITS, request_deadline_s=30.0, source_deadline_s=1.0),
    )
    run(eurlex_source, db, [spec])  # does not raise
    assert [r["origin"] for r in rows(db, TABLE)] == ["32024R1689"]
    assert "source_deadline_s" in resource_state(db, TABLE)["stopped_early"]["eurlex"]
    slow["on"] = False
    run(eurlex_source, db, [spec])
    assert [r["origin"] for r in rows(db, TABLE)] == ["32016R0679", "32024R1689"]
    assert resource_state(db, TABLE)["stopped_early"]["eurlex"] is None
