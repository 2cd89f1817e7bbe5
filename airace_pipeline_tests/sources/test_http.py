"""The shared HTTP client against real servers on 127.0.0.1: retries, timeouts, caps, types, errors."""

from __future__ import annotations

import gzip
import socket
import threading
import time

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from airace_pipeline.sources.http import (
    BudgetSpent,
    DeadlineExceeded,
    FetchError,
    HttpClient,
    HttpSettings,
    ItemError,
    PayloadError,
)
from airace_pipeline_tests.sources.live import TrickleServer

FAST = HttpSettings(timeout_s=1.0, retries=2, backoff_s=0.01, max_bytes=100_000)


def test_429_with_retry_after_then_success(httpserver: HTTPServer) -> None:
    httpserver.expect_oneshot_request("/feed").respond_with_data("", status=429, headers={"Retry-After": "1"})
    httpserver.expect_request("/feed").respond_with_data("ok", content_type="text/plain")
    started = time.monotonic()
    with HttpClient("wire", FAST) as client:
        response = client.get(httpserver.url_for("/feed"))
    assert response.body == b"ok"
    assert len(httpserver.log) == 2
    assert time.monotonic() - started >= 0.9  # Retry-After: 1 was honoured, not the 10 ms backoff


def test_500_that_never_recovers_names_source_url_and_status(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api").respond_with_data("boom", status=500)
    with HttpClient("fedreg", FAST) as client, pytest.raises(FetchError) as info:
        client.get(httpserver.url_for("/api"))
    message = str(info.value)
    assert "fedreg" in message and httpserver.url_for("/api") in message
    assert "500" in message
    assert len(httpserver.log) == 3  # first try + 2 retries


def test_404_is_not_retried(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/missing").respond_with_data("no", status=404)
    with HttpClient("s", FAST) as client, pytest.raises(FetchError, match="HTTP 404"):
        client.get(httpserver.url_for("/missing"))
    assert len(httpserver.log) == 1


def test_slow_server_times_out() -> None:
    """A server that accepts and never answers: the client gives up after timeout × attempts."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                accepted.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}/slow"
    settings = HttpSettings(timeout_s=0.3, retries=1, backoff_s=0.01)
    started = time.monotonic()
    try:
        with (
            HttpClient("slow", settings) as client,
            pytest.raises(FetchError, match="timed out"),
        ):
            client.get(url)
    finally:
        stop.set()
        thread.join()
        for conn in accepted:
            conn.close()
        listener.close()
    assert time.monotonic() - started < 3


def test_response_over_the_cap_is_refused(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/big").respond_with_data(b"x" * 200_000, content_type="text/plain")
    with HttpClient("s", FAST) as client, pytest.raises(PayloadError, match="cap"):
        client.get(httpserver.url_for("/big"))


def test_chunked_response_without_length_is_capped_while_reading(httpserver: HTTPServer) -> None:
    def handler(_request: Request) -> Response:
        return Response((b"y" * 10_000 for _ in range(50)), content_type="text/plain")  # no Content-Length

    httpserver.expect_request("/stream").respond_with_handler(handler)
    with HttpClient("s", FAST) as client, pytest.raises(PayloadError, match="cap"):
        client.get(httpserver.url_for("/stream"))


def test_gzip_bomb_is_capped_after_decompression(httpserver: HTTPServer) -> None:
    bomb = gzip.compress(b"\0" * 20_000_000, compresslevel=9)
    assert len(bomb) < FAST.max_bytes  # small on the wire
    httpserver.expect_request("/bomb").respond_with_data(
        bomb, content_type="application/rss+xml", headers={"Content-Encoding": "gzip"}
    )
    with HttpClient("s", FAST) as client, pytest.raises(PayloadError, match="after decompression"):
        client.get(httpserver.url_for("/bomb"))


def test_wrong_content_type_is_refused(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/api").respond_with_data("<html></html>", content_type="text/html")
    with HttpClient("fedreg", FAST) as client, pytest.raises(PayloadError, match="unexpected content type"):
        client.get(httpserver.url_for("/api"), accept_types=("application/json",))


def test_non_utf8_body_is_a_payload_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/t").respond_with_data(b"caf\xe9 \xff", content_type="text/plain")
    with HttpClient("s", FAST) as client:
        response = client.get(httpserver.url_for("/t"))
        with pytest.raises(PayloadError, match="not valid utf-8"):
            response.text("s")


def test_declared_charset_is_used(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/t").respond_with_data(
        b"caf\xe9", content_type="text/plain; charset=iso-8859-1"
    )
    with HttpClient("s", FAST) as client:
        assert client.get(httpserver.url_for("/t")).text("s") == "café"


@pytest.mark.parametrize(
    ("head", "length"),
    [(False, True), (False, False), (True, True)],
    ids=["body", "body-until-close", "headers"],
)
def test_a_response_trickling_past_the_request_deadline_is_cut_off_and_retried(
    head: bool, length: bool
) -> None:
    """One byte every 0.2 s never trips the 2 s per-read timeout; the 0.8 s total deadline does."""
    settings = HttpSettings(timeout_s=2.0, retries=1, backoff_s=0.01, request_deadline_s=0.8)
    started = time.monotonic()
    with TrickleServer(head=head, length=length) as server, HttpClient("slow", settings) as client:
        url = f"{server.url}/doc"
        with pytest.raises(DeadlineExceeded, match=r"0\.8s request deadline") as info:
            client.get(url)
        assert server.connections == 2  # the first attempt and one retry
    assert time.monotonic() - started < 4
    assert isinstance(info.value, ItemError)  # a per-document caller quarantines the document
    assert url in str(info.value)


def test_the_source_deadline_stops_the_source_and_nothing_more_is_requested() -> None:
    settings = HttpSettings(
        timeout_s=2.0, retries=3, backoff_s=0.01, request_deadline_s=30.0, source_deadline_s=1.0
    )
    started = time.monotonic()
    with TrickleServer() as server, HttpClient("slow", settings) as client:
        with pytest.raises(BudgetSpent, match="source_deadline_s"):
            client.get(f"{server.url}/doc")
        assert time.monotonic() - started < 2.5
        with pytest.raises(BudgetSpent, match="was not fetched"):
            client.get(f"{server.url}/next")
        assert server.connections == 1
