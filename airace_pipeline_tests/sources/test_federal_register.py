"""The Federal Register documents API, served from 127.0.0.1 with the real response envelope."""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import replace
from pathlib import Path

import pytest
from dlt.pipeline.exceptions import PipelineStepFailed
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from airace_pipeline.sources.config import FederalRegisterSource
from airace_pipeline.sources.federal_register import federal_register_source
from airace_pipeline.sources.window import FetchWindow
from airace_pipeline_tests.sources.live import (
    LIMITS,
    fr_envelope,
    fr_result,
    resource_state,
    rows,
    run,
    trickle,
)

TABLE = "federal_register_documents"
EO = fr_result(
    "2023-24283",
    "2023-11-01",
    type="Presidential Document",
    subtype="Executive Order",
    presidential_document_type="executive_order",
    executive_order_number=14110,
    title="Safe, Secure, and Trustworthy Development and Use of Artificial Intelligence",
    signing_date="2023-10-30",
    citation="88 FR 75191",
    agencies=[{"name": "Executive Office of the President", "slug": "executive-office-of-the-president"}],
)
BACKFILL = FetchWindow(dt.date(2023, 10, 1), dt.date(2023, 12, 1), backfill=True)


def _spec(server: HTTPServer, **kw) -> FederalRegisterSource:
    return FederalRegisterSource(name="fr", base_url=server.url_for("/api/v1"), limits=LIMITS, **kw)


class FakeApi:
    """/api/v1/documents.json over a fixed list of documents, paged like the real API (cap 50 pages)."""

    def __init__(
        self,
        server: HTTPServer,
        docs: list[dict],
        per_page: int = 2,
        register: bool = True,
        term: str = "artificial intelligence",
    ) -> None:
        self.server, self.docs, self.per_page, self.term = server, docs, per_page, term
        if register:
            server.expect_request("/api/v1/documents.json").respond_with_handler(self)

    def __call__(self, request: Request) -> Response:
        args = request.args
        gte, lte = args["conditions[publication_date][gte]"], args["conditions[publication_date][lte]"]
        assert args["conditions[term]"] == self.term
        assert args.getlist("conditions[type][]") == ["PRESDOCU", "RULE", "PRORULE", "NOTICE"]
        match = [d for d in self.docs if gte <= d["publication_date"] <= lte]
        pages = max(1, -(-len(match) // self.per_page))
        page = int(args.get("page", 1))
        if page > 50:
            page = 1  # the real API's trap
        nxt = None
        if page < min(pages, 50):
            query = request.query_string.decode().replace(f"&page={page}", "")
            nxt = f"{self.server.url_for('/api/v1/documents.json')}?{query}&page={page + 1}"
        chunk = match[(page - 1) * self.per_page : page * self.per_page]
        return Response(
            json.dumps(fr_envelope(chunk, total_pages=pages, next_page_url=nxt)),
            content_type="application/json",
        )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "work.duckdb"


def test_executive_order_with_full_text_and_native_fields(httpserver: HTTPServer, db: Path) -> None:
    eo = {**EO, "raw_text_url": httpserver.url_for("/documents/full_text/text/2023/11/01/2023-24283.txt")}
    FakeApi(httpserver, [eo])
    httpserver.expect_request("/documents/full_text/text/2023/11/01/2023-24283.txt").respond_with_data(
        "By the authority vested in me as President...", content_type="text/plain"
    )
    run(federal_register_source, db, [_spec(httpserver)], window=BACKFILL)
    (row,) = rows(db, TABLE)
    assert row["origin"] == "2023-24283" and row["collection"] == "policy_text"
    assert row["published_on"] == dt.date(2023, 11, 1)
    assert row["text"].split("\n")[0] == (
        "Executive Order 14110: Safe, Secure, and Trustworthy Development and Use of Artificial Intelligence"
    )
    assert "By the authority vested in me" in row["text"]
    native = json.loads(row["source_fields"])
    assert native["citation"] == "88 FR 75191" and native["signing_date"] == "2023-10-30"
    assert native["agencies"][0]["slug"] == "executive-office-of-the-president"
    (fact,) = json.loads(row["structured_facts"])
    assert fact["subtype"] == "executive_order" and fact["announced_on"] == "2023-10-30"
    assert fact["external_ids"] == {"eo_number": "14110", "fr_document_number": "2023-24283"}


def test_pages_are_followed_and_a_window_over_50_pages_is_split(httpserver: HTTPServer, db: Path) -> None:
    # 2 documents a day for 61 days, 1 per page: 122 pages for the window, so it must be split.
    start = dt.date(2023, 10, 1)
    docs = [fr_result(f"2023-{i:05d}", (start + dt.timedelta(days=i // 2)).isoformat()) for i in range(122)]
    FakeApi(httpserver, docs, per_page=1)
    spec = replace(_spec(httpserver, per_page=1), limits=replace(LIMITS, max_pages=400))
    run(federal_register_source, db, [spec], window=BACKFILL)
    assert len({r["origin"] for r in rows(db, TABLE)}) == 122
    # The 61-day window was split until each part fitted in 50 pages; no request went past page 50.
    assert all(int(req.args.get("page", 1)) <= 50 for req, _ in httpserver.log)


def test_second_scheduled_run_against_unchanged_server_adds_nothing(httpserver: HTTPServer, db: Path) -> None:
    today = dt.datetime.now(tz=dt.UTC).date()
    docs = [fr_result("2024-00001", (today - dt.timedelta(days=1)).isoformat())]
    docs[0]["raw_text_url"] = httpserver.url_for("/text/1.txt")
    FakeApi(httpserver, docs)
    httpserver.expect_request("/text/1.txt").respond_with_data("full text", content_type="text/plain")
    window = FetchWindow(today - dt.timedelta(days=1), today, backfill=False)
    run(federal_register_source, db, [_spec(httpserver)], window=window)
    before = rows(db, TABLE)
    assert len(before) == 1
    httpserver.clear_log()
    run(federal_register_source, db, [_spec(httpserver)], window=window)
    # One search request from the saved cursor; the known document's full text is not fetched again.
    assert [req.path for req, _ in httpserver.log] == ["/api/v1/documents.json"]
    assert httpserver.log[0][0].args["conditions[publication_date][gte]"] == docs[0]["publication_date"]
    assert rows(db, TABLE) == before


def test_429_then_success(httpserver: HTTPServer, db: Path) -> None:
    httpserver.expect_oneshot_request("/api/v1/documents.json").respond_with_data(
        "slow down", status=429, headers={"Retry-After": "0"}
    )
    FakeApi(httpserver, [EO])
    run(federal_register_source, db, [_spec(httpserver, full_text=False)], window=BACKFILL)
    assert [r["origin"] for r in rows(db, TABLE)] == ["2023-24283"]


def test_500_that_never_recovers_fails_the_run_and_loads_nothing(httpserver: HTTPServer, db: Path) -> None:
    httpserver.expect_request("/api/v1/documents.json").respond_with_data("down", status=500)
    with pytest.raises(PipelineStepFailed) as info:
        run(federal_register_source, db, [_spec(httpserver)], window=BACKFILL)
    assert "source 'fr'" in str(info.value) and "HTTP 500" in str(info.value)
    assert "/api/v1/documents.json" in str(info.value)
    assert rows(db, TABLE) == []


def test_malformed_json_and_wrong_type_fail_clearly(httpserver: HTTPServer, db: Path) -> None:
    httpserver.expect_request("/api/v1/documents.json").respond_with_data(
        '{"count": 1, "results": [', content_type="application/json"
    )
    with pytest.raises(PipelineStepFailed, match="malformed JSON"):
        run(federal_register_source, db, [_spec(httpserver)], window=BACKFILL)


def test_next_page_off_host_is_refused(httpserver: HTTPServer, db: Path) -> None:
    httpserver.expect_request("/api/v1/documents.json").respond_with_json(
        fr_envelope([EO], total_pages=2, next_page_url="http://203.0.113.9/api/v1/documents.json?page=2")
    )
    with pytest.raises(PipelineStepFailed, match="refusing to follow"):
        run(federal_register_source, db, [_spec(httpserver, full_text=False)], window=BACKFILL)
    assert len(httpserver.log) == 1


def test_full_text_that_is_html_with_scripts_is_reduced_and_a_bad_one_quarantined(
    httpserver: HTTPServer, db: Path
) -> None:
    good = {**EO, "raw_text_url": None, "body_html_url": httpserver.url_for("/body/1")}
    bad = fr_result("2023-99999", "2023-11-02", raw_text_url=httpserver.url_for("/body/2"))
    FakeApi(httpserver, [good, bad])
    httpserver.expect_request("/body/1").respond_with_data(
        "<html><body><p>Section 1.</p><script>fetch('/x')</script></body></html>", content_type="text/html"
    )
    httpserver.expect_request("/body/2").respond_with_data(b"\x89PNG", content_type="image/png")
    run(federal_register_source, db, [_spec(httpserver)], window=BACKFILL)
    by_origin = {r["origin"]: r for r in rows(db, TABLE)}
    assert "Section 1." in by_origin["2023-24283"]["text"] and "fetch" not in by_origin["2023-24283"]["text"]
    assert "unexpected content type 'image/png'" in by_origin["2023-99999"]["rejected_reason"]


def test_after_a_failed_run_the_next_one_picks_up_cleanly(httpserver: HTTPServer, db: Path) -> None:
    today = dt.datetime.now(tz=dt.UTC).date()
    doc = fr_result("2024-00002", (today - dt.timedelta(days=1)).isoformat())
    healthy = {"up": False}
    api = FakeApi(httpserver, [doc], register=False)

    def handler(request: Request) -> Response:
        return api(request) if healthy["up"] else Response("down", status=503)

    httpserver.expect_request("/api/v1/documents.json").respond_with_handler(handler)
    window = FetchWindow(today - dt.timedelta(days=1), today, backfill=False)
    with pytest.raises(PipelineStepFailed, match="HTTP 503"):
        run(federal_register_source, db, [_spec(httpserver, full_text=False)], window=window)
    assert rows(db, TABLE) == []
    healthy["up"] = True
    run(federal_register_source, db, [_spec(httpserver, full_text=False)], window=window)
    assert [r["origin"] for r in rows(db, TABLE)] == ["2024-00002"]


def _cursor_state(db: Path) -> dict:
    return resource_state(db, TABLE)["cursors"]["fr"]


def test_a_document_whose_full_text_is_gone_is_quarantined_and_the_others_load(
    httpserver: HTTPServer, db: Path
) -> None:
    docs = [
        fr_result(f"2024-0000{i}", f"2024-03-0{i}", raw_text_url=httpserver.url_for(f"/text/{i}.txt"))
        for i in (1, 2, 3)
    ]
    FakeApi(httpserver, docs)
    for i in (1, 2):
        httpserver.expect_request(f"/text/{i}.txt").respond_with_data(
            f"full text {i}", content_type="text/plain"
        )
    httpserver.expect_request("/text/3.txt").respond_with_data("Not Found", status=404)
    for _ in range(2):  # the next scheduled run does not fail either
        run(federal_register_source, db, [_spec(httpserver)])
        by_origin = {r["origin"]: r for r in rows(db, TABLE)}
        assert len(by_origin) == 3
        assert (
            by_origin["2024-00001"]["rejected_reason"] is None
            and "full text 1" in by_origin["2024-00001"]["text"]
        )
        assert by_origin["2024-00002"]["rejected_reason"] is None
        reason = by_origin["2024-00003"]["rejected_reason"]
        assert (
            "HTTP 404" in reason and httpserver.url_for("/text/3.txt") in reason and "source 'fr'" in reason
        )


@pytest.mark.parametrize(
    ("serve", "reason"),
    [
        (lambda r: r.respond_with_data("", status=410), "HTTP 410"),
        (
            lambda r: r.respond_with_data("", status=302, headers={"Location": "http://169.254.169.254/x"}),
            "a link-local address",
        ),
        (lambda r: r.respond_with_handler(trickle()), "request deadline"),
    ],
    ids=["gone", "redirect-refused", "deadline"],
)
def test_each_permanent_full_text_failure_quarantines_only_its_document(
    httpserver: HTTPServer, db: Path, serve, reason: str
) -> None:
    docs = [
        fr_result("2024-00001", "2024-03-01", raw_text_url=httpserver.url_for("/text/bad.txt")),
        fr_result("2024-00002", "2024-03-02", raw_text_url=httpserver.url_for("/text/good.txt")),
    ]
    FakeApi(httpserver, docs)
    serve(httpserver.expect_request("/text/bad.txt"))
    httpserver.expect_request("/text/good.txt").respond_with_data("full text", content_type="text/plain")
    spec = replace(_spec(httpserver), limits=replace(LIMITS, retries=1, request_deadline_s=0.6))
    run(federal_register_source, db, [spec])
    by_origin = {r["origin"]: r for r in rows(db, TABLE)}
    assert reason in by_origin["2024-00001"]["rejected_reason"]
    assert (
        by_origin["2024-00002"]["rejected_reason"] is None and "full text" in by_origin["2024-00002"]["text"]
    )


def test_a_spent_page_budget_keeps_what_was_loaded_and_the_next_runs_continue(
    httpserver: HTTPServer, db: Path
) -> None:
    # Ten documents on ten days, two a page: five pages, two pages a run.
    docs = [fr_result(f"2024-{i:05d}", f"2024-02-{i:02d}") for i in range(1, 11)]
    FakeApi(httpserver, docs)
    spec = replace(_spec(httpserver, full_text=False), limits=replace(LIMITS, max_pages=2))
    loaded: list[list[str]] = []
    for _ in range(3):
        httpserver.clear_log()
        run(federal_register_source, db, [spec])  # never raises
        origins = [r["origin"] for r in rows(db, TABLE)]
        assert len(origins) == len(set(origins))  # no duplicates
        loaded.append(origins)
        assert len(httpserver.log) <= 2
        if len(loaded) == 1:
            assert "max_pages=2" in _cursor_state(db)["stopped_early"]
        else:
            # Continued from the saved cursor (the newest date loaded), not from the window's start.
            newest = max(loaded[-2])
            gte = httpserver.log[0][0].args["conditions[publication_date][gte]"]
            assert gte == next(d["publication_date"] for d in docs if d["document_number"] == newest)
    assert loaded[0] == [f"2024-{i:05d}" for i in range(1, 5)]  # pages 1-2
    assert loaded[1] == [f"2024-{i:05d}" for i in range(1, 8)]  # page 3 and 4, from the cursor's day
    assert loaded[2] == [d["document_number"] for d in docs]  # nothing missing
    assert _cursor_state(db)["stopped_early"] is None  # the third run finished


def test_a_spent_source_deadline_keeps_what_was_loaded_and_the_next_run_continues(
    httpserver: HTTPServer, db: Path
) -> None:
    docs = [fr_result(f"2024-{i:05d}", f"2024-02-{i:02d}") for i in range(1, 5)]
    api = FakeApi(httpserver, docs, register=False)
    slow = {"on": True}

    def handler(request: Request) -> Response:
        if slow["on"] and request.args.get("page") == "2":
            return trickle("application/json")(request)
        return api(request)

    httpserver.expect_request("/api/v1/documents.json").respond_with_handler(handler)
    limits = replace(LIMITS, request_deadline_s=30.0, source_deadline_s=1.0)
    spec = replace(_spec(httpserver, full_text=False), limits=limits)
    started = time.monotonic()
    run(federal_register_source, db, [spec])  # does not raise
    assert time.monotonic() - started < 10
    assert [r["origin"] for r in rows(db, TABLE)] == ["2024-00001", "2024-00002"]
    assert "source_deadline_s" in _cursor_state(db)["stopped_early"]
    slow["on"] = False
    run(federal_register_source, db, [spec])
    assert [r["origin"] for r in rows(db, TABLE)] == [d["document_number"] for d in docs]
    assert _cursor_state(db)["stopped_early"] is None


def test_each_term_continues_from_its_own_cursor_after_a_spent_budget(
    httpserver: HTTPServer, db: Path
) -> None:
    # The second term's documents are older than the first's: one cursor for both would, after a run
    # stopped part-way through the second term, carry it past the documents it had not listed yet.
    ai = [fr_result(f"2024-1000{i}", f"2024-02-0{i}") for i in range(1, 5)]
    ml = [fr_result(f"2024-2000{i}", f"2024-01-1{i}") for i in range(1, 5)]
    apis = {
        "artificial intelligence": FakeApi(httpserver, ai, register=False),
        "machine learning": FakeApi(httpserver, ml, register=False, term="machine learning"),
    }
    httpserver.expect_request("/api/v1/documents.json").respond_with_handler(
        lambda request: apis[request.args["conditions[term]"]](request)
    )
    spec = replace(
        _spec(httpserver, full_text=False, terms=("artificial intelligence", "machine learning")),
        limits=replace(LIMITS, max_pages=3),
    )
    run(federal_register_source, db, [spec])  # two pages of the first term, one of the second
    assert len(rows(db, TABLE)) == 6
    run(federal_register_source, db, [spec])
    assert [r["origin"] for r in rows(db, TABLE)] == sorted(d["document_number"] for d in ai + ml)
    assert _cursor_state(db)["stopped_early"] is None
