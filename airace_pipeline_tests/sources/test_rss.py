"""RSS 2.0 and Atom feeds through the real dlt pipeline into DuckDB, served from 127.0.0.1."""

from __future__ import annotations

import datetime as dt
import gzip
from dataclasses import replace
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from airace_pipeline.sources.config import Feed, RssSource
from airace_pipeline.sources.rss import rss_source
from airace_pipeline.sources.window import FetchWindow
from airace_pipeline_tests.sources.live import (
    ATOM,
    BILLION_LAUGHS,
    LIMITS,
    RSS,
    XXE,
    resource_state,
    rows,
    run,
    trickle,
)

TABLE = "rss_documents"


def _conditional(body: str, etag: str = '"v1"', content_type: str = "application/rss+xml"):
    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == etag:
            return Response(status=304, headers={"ETag": etag})
        return Response(body, content_type=content_type, headers={"ETag": etag})

    return handler


def _spec(server: HTTPServer, *paths: str) -> RssSource:
    return RssSource(
        name="feeds",
        feeds=tuple(Feed(url=server.url_for(p)) for p in paths),
        limits=LIMITS,
        collection="news",
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "work.duckdb"


def test_rss_and_atom_items_land_with_quarantine_rows(httpserver: HTTPServer, db: Path) -> None:
    httpserver.expect_request("/rss").respond_with_handler(_conditional(RSS))
    httpserver.expect_request("/atom").respond_with_handler(
        _conditional(ATOM, content_type="application/atom+xml")
    )
    run(rss_source, db, [_spec(httpserver, "/rss", "/atom")])
    by_origin = {r["origin"]: r for r in rows(db, TABLE)}

    mistral = by_origin["https://news.example/mistral"]
    assert mistral["rejected_reason"] is None
    assert mistral["source"] == "AI Policy Wire"  # the feed's name
    assert mistral["published_on"] == dt.date(2024, 6, 11)
    assert mistral["text"].startswith("Mistral AI raises EUR 600 million\n\nMistral AI raised €600 million.")
    assert "alert" not in mistral["text"]  # the script is gone, not run

    paris = by_origin["https://lab.example/paris"]
    assert paris["source"] == "Lab Blog" and paris["published_on"] == dt.date(2024, 6, 12)
    assert "office in Paris" in paris["text"]

    assert by_origin["https://news.example/nodate"]["rejected_reason"] == "feed item has no date"
    no_link = next(r for o, r in by_origin.items() if o.endswith("#news-3"))
    assert no_link["rejected_reason"] == "feed item has no link"
    assert len(by_origin) == 4


def test_second_scheduled_run_on_unchanged_feeds_is_one_304_each_and_adds_nothing(
    httpserver: HTTPServer, db: Path
) -> None:
    httpserver.expect_request("/rss").respond_with_handler(_conditional(RSS))
    httpserver.expect_request("/atom").respond_with_handler(
        _conditional(ATOM, content_type="application/atom+xml")
    )
    spec = _spec(httpserver, "/rss", "/atom")
    run(rss_source, db, [spec])
    before = rows(db, TABLE)
    httpserver.clear_log()
    run(rss_source, db, [spec])
    assert [(req.path, resp.status_code) for req, resp in httpserver.log] == [("/rss", 304), ("/atom", 304)]
    assert rows(db, TABLE) == before


def test_new_item_in_a_changed_feed_is_the_only_new_row(httpserver: HTTPServer, db: Path) -> None:
    version = {"body": RSS, "etag": '"v1"'}

    def handler(request: Request) -> Response:
        if request.headers.get("If-None-Match") == version["etag"]:
            return Response(status=304)
        return Response(
            version["body"], content_type="application/rss+xml", headers={"ETag": version["etag"]}
        )

    httpserver.expect_request("/rss").respond_with_handler(handler)
    spec = _spec(httpserver, "/rss")
    run(rss_source, db, [spec])
    first = {r["origin"]: r["ingested_at"] for r in rows(db, TABLE)}
    version["etag"] = '"v2"'
    version["body"] = RSS.replace(
        "<item>",
        "<item><title>New item</title><link>https://news.example/new</link><guid>news-9</guid>"
        "<pubDate>Thu, 13 Jun 2024 09:00:00 GMT</pubDate><description>new</description></item><item>",
        1,
    )
    run(rss_source, db, [spec])
    after = {r["origin"]: r for r in rows(db, TABLE)}
    assert set(after) - set(first) == {"https://news.example/new"}
    # The already-seen dated item was not reloaded (its ingested_at did not move).
    assert after["https://news.example/mistral"]["ingested_at"] == first["https://news.example/mistral"]


def test_backfill_keeps_its_window_and_leaves_the_cursor(httpserver: HTTPServer, db: Path) -> None:
    httpserver.expect_request("/rss").respond_with_handler(_conditional(RSS))
    spec = _spec(httpserver, "/rss")
    run(rss_source, db, [spec], window=FetchWindow(dt.date(2024, 6, 11), dt.date(2024, 6, 12), backfill=True))
    dated = [r for r in rows(db, TABLE) if r["rejected_reason"] is None]
    assert [r["origin"] for r in dated] == ["https://news.example/mistral"]
    assert httpserver.log[0][0].headers.get("If-None-Match") is None
    httpserver.clear_log()
    # The backfill saved no ETag: the next scheduled run fetches the feed in full.
    run(rss_source, db, [spec])
    assert httpserver.log[0][1].status_code == 200


@pytest.mark.parametrize(
    ("body", "content_type", "encoding", "reason"),
    [
        (XXE, "application/rss+xml", None, "unsafe XML refused"),
        (BILLION_LAUGHS, "application/rss+xml", None, "unsafe XML refused"),
        ("<rss><channel><item>", "application/rss+xml", None, "malformed XML"),
        (
            b"<?xml version='1.0'?><rss><channel><title>caf\xe9</title></channel></rss>",
            "text/xml",
            None,
            "malformed",
        ),
        ("<html><script>alert(1)</script></html>", "text/html", None, "unexpected content type"),
        (gzip.compress(b" " * 5_000_000), "application/rss+xml", "gzip", "after decompression"),
        ("<rss>" + "x" * 1_200_000 + "</rss>", "application/rss+xml", None, "cap"),
    ],
    ids=["xxe", "billion-laughs", "malformed", "not-utf8", "html", "gzip-bomb", "too-large"],
)
def test_hostile_feed_is_quarantined_and_the_other_feed_still_loads(
    httpserver: HTTPServer, db: Path, body: str | bytes, content_type: str, encoding: str | None, reason: str
) -> None:
    headers = {"Content-Encoding": encoding} if encoding else {}
    httpserver.expect_request("/bad").respond_with_data(body, content_type=content_type, headers=headers)
    httpserver.expect_request("/atom").respond_with_handler(
        _conditional(ATOM, content_type="application/atom+xml")
    )
    run(rss_source, db, [_spec(httpserver, "/bad", "/atom")])
    by_origin = {r["origin"]: r for r in rows(db, TABLE)}
    bad = by_origin[f"feed:{httpserver.url_for('/bad')}"]
    assert reason in bad["rejected_reason"]
    assert "'feeds'" in bad["rejected_reason"] and httpserver.url_for("/bad") in bad["rejected_reason"]
    assert "root:" not in str(by_origin)  # /etc/passwd was never read
    assert by_origin["https://lab.example/paris"]["rejected_reason"] is None


def test_feed_that_keeps_failing_is_quarantined_with_its_status(httpserver: HTTPServer, db: Path) -> None:
    httpserver.expect_request("/down").respond_with_data("no", status=503)
    run(rss_source, db, [_spec(httpserver, "/down")])
    (row,) = rows(db, TABLE)
    assert "HTTP 503" in row["rejected_reason"] and row["origin"].startswith("feed:")


def test_a_feed_redirecting_to_a_link_local_address_is_quarantined_and_the_others_load(
    httpserver: HTTPServer, db: Path
) -> None:
    httpserver.expect_request("/moved").respond_with_data(
        "", status=302, headers={"Location": "http://169.254.169.254/latest/meta-data/"}
    )
    httpserver.expect_request("/atom").respond_with_handler(
        _conditional(ATOM, content_type="application/atom+xml")
    )
    run(rss_source, db, [_spec(httpserver, "/moved", "/atom")])
    by_origin = {r["origin"]: r for r in rows(db, TABLE)}
    reason = by_origin[f"feed:{httpserver.url_for('/moved')}"]["rejected_reason"]
    assert "redirect to http://169.254.169.254/latest/meta-data/ refused" in reason
    assert "a link-local address" in reason
    assert by_origin["https://lab.example/paris"]["rejected_reason"] is None


def test_a_spent_source_deadline_keeps_the_feeds_read_and_the_next_run_reads_the_rest(
    httpserver: HTTPServer, db: Path
) -> None:
    slow = {"on": True}

    def rss(request: Request) -> Response:
        return trickle("application/rss+xml")(request) if slow["on"] else _conditional(RSS)(request)

    httpserver.expect_request("/atom").respond_with_handler(
        _conditional(ATOM, content_type="application/atom+xml")
    )
    httpserver.expect_request("/rss").respond_with_handler(rss)
    spec = replace(
        _spec(httpserver, "/atom", "/rss"),
        limits=replace(LIMITS, request_deadline_s=30.0, source_deadline_s=1.0),
    )
    run(rss_source, db, [spec])  # does not raise
    assert [r["origin"] for r in rows(db, TABLE)] == ["https://lab.example/paris"]
    assert "source_deadline_s" in resource_state(db, TABLE)["stopped_early"]["feeds"]
    slow["on"] = False
    httpserver.clear_log()
    run(rss_source, db, [spec])
    assert [(req.path, resp.status_code) for req, resp in httpserver.log] == [("/atom", 304), ("/rss", 200)]
    assert "https://news.example/mistral" in {r["origin"] for r in rows(db, TABLE)}
    assert resource_state(db, TABLE)["stopped_early"]["feeds"] is None
