"""Redirects, followed by hand: at most five, http(s) only, never to an address class the source was not
configured on. The servers are real ones on loopback addresses; the sources are configured on 127.0.0.1,
so another loopback address is allowed and link-local, private and the rest are refused."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

import pytest
from pytest_httpserver import HTTPServer

from airace_pipeline.sources.http import FetchError, HttpClient, HttpSettings, ItemError, UrlRefused
from airace_pipeline.sources.redirects import address_class, allowed_classes, redirect_refusal

FAST = HttpSettings(timeout_s=1.0, retries=1, backoff_s=0.01, max_bytes=100_000)


@pytest.fixture
def other_loopback() -> Iterator[HTTPServer]:
    """A second server on 127.0.0.2: another loopback address, as a redirect target."""
    server = HTTPServer(host="127.0.0.2", port=0)
    server.start()
    yield server
    server.clear()
    server.stop()


def test_redirect_chain_on_the_configured_loopback_host_is_followed(
    httpserver: HTTPServer, other_loopback: HTTPServer
) -> None:
    other_loopback.expect_request("/final").respond_with_data("ok", content_type="text/plain")
    httpserver.expect_request("/a").respond_with_data("", status=301, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data(
        "", status=307, headers={"Location": other_loopback.url_for("/final")}
    )
    with HttpClient("feeds", FAST) as client:
        response = client.get(httpserver.url_for("/a"))
    assert response.body == b"ok" and response.url == other_loopback.url_for("/final")


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254, a link-local address"),
        ("http://10.0.0.1/admin", "10.0.0.1, a private address"),
        ("http://[::ffff:169.254.169.254]/latest/", "a link-local address"),
        ("http://0.0.0.0:8080/", "an unspecified address"),
        ("http://224.0.0.1/", "a multicast address"),
        ("file:///etc/passwd", "scheme 'file' is not allowed"),
        ("ftp://127.0.0.1/pub/x", "scheme 'ftp' is not allowed"),
    ],
)
def test_redirect_off_the_configured_address_class_or_scheme_is_refused(
    httpserver: HTTPServer, target: str, reason: str
) -> None:
    httpserver.expect_request("/feed").respond_with_data("", status=302, headers={"Location": target})
    with HttpClient("feeds", FAST) as client, pytest.raises(UrlRefused) as info:
        client.get(httpserver.url_for("/feed"))
    message = str(info.value)
    assert "source 'feeds'" in message and httpserver.url_for("/feed") in message
    assert "redirect to" in message and reason in message
    assert isinstance(info.value, ItemError)  # per-document callers quarantine it
    assert len(httpserver.log) == 1  # nothing was requested after the refused hop


def test_a_public_source_may_not_redirect_to_loopback_or_metadata_addresses() -> None:
    # Address literals: no DNS, no network. A source configured on a public address...
    public = allowed_classes("https://93.184.216.34/feed.xml")
    assert public == frozenset({"public"})
    for target in ("http://127.0.0.2/", "http://169.254.169.254/", "http://[::1]/", "http://192.168.1.1/"):
        assert redirect_refusal(target, public) is not None, target
    assert redirect_refusal("https://151.101.1.69/x", public) is None
    # ...and one on an intranet address may go to another private address, not to loopback.
    intranet = allowed_classes("http://10.1.2.3/feed")
    assert redirect_refusal("http://10.9.9.9/x", intranet) is None
    assert redirect_refusal("http://127.0.0.1/x", intranet) is not None


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.2", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("10.0.0.1", "private"),
        ("fc00::1", "private"),
        ("ff02::1", "multicast"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "non-global"),
        ("8.8.8.8", "public"),
        ("2606:4700::1111", "public"),
    ],
)
def test_address_classes(address: str, kind: str) -> None:
    assert address_class(ipaddress.ip_address(address)) == kind


def test_five_redirects_are_followed_and_the_sixth_is_refused(httpserver: HTTPServer) -> None:
    for i in range(6):
        httpserver.expect_request(f"/r{i}").respond_with_data(
            "", status=302, headers={"Location": f"/r{i + 1}"}
        )
    httpserver.expect_request("/r6").respond_with_data("end", content_type="text/plain")
    with HttpClient("s", FAST) as client:
        assert client.get(httpserver.url_for("/r1")).body == b"end"  # five hops
        with pytest.raises(UrlRefused, match="more than 5 redirects"):
            client.get(httpserver.url_for("/r0"))  # six


def test_redirect_loop_is_a_clear_error(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/a").respond_with_data("", status=302, headers={"Location": "/b"})
    httpserver.expect_request("/b").respond_with_data("", status=302, headers={"Location": "/a"})
    with HttpClient("s", FAST) as client, pytest.raises(UrlRefused, match="redirect loop"):
        client.get(httpserver.url_for("/a"))
    assert len(httpserver.log) == 2


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://127.0.0.1/x"])
def test_a_url_that_is_not_http_is_refused_before_any_request(url: str) -> None:
    with HttpClient("s", FAST) as client, pytest.raises(UrlRefused, match="only http and https"):
        client.get(url)


def test_404_is_permanent_and_408_is_retried(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/gone").respond_with_data("no", status=410)
    httpserver.expect_oneshot_request("/slow").respond_with_data("", status=408)
    httpserver.expect_request("/slow").respond_with_data("ok", content_type="text/plain")
    with HttpClient("s", FAST) as client:
        with pytest.raises(FetchError, match="HTTP 410") as info:
            client.get(httpserver.url_for("/gone"))
        assert isinstance(info.value, ItemError)
        assert client.get(httpserver.url_for("/slow")).body == b"ok"
