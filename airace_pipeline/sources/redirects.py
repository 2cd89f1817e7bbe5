"""Which redirect targets the HTTP client may follow: the scheme and the addresses a target resolves to.

A feed or API on the public internet that answers `302 Location: http://169.254.169.254/...` (a cloud
metadata service) or `http://10.0.0.5/admin` would otherwise make the pipeline fetch an internal address
on its behalf (server-side request forgery). The rule:

* only `http` and `https`, for the URL a source asks for and for every redirect target;
* every address a target's host resolves to (IPv4 and IPv6; an IPv4-mapped IPv6 address counts as the
  IPv4 address it carries) must be public, *or* of the same class as an address of the host the source
  was configured with. So a feed configured on `127.0.0.1` or `localhost` (loopback) may redirect to
  another loopback address, and an intranet feed on `10.1.2.3` (private) to another private address,
  but neither to a link-local (169.254.0.0/16, fe80::/10), multicast, reserved or unspecified address,
  nor a public feed to any of them.

Known limit: the host is resolved here and again when connecting, so a DNS server that answers
differently the second time (DNS rebinding) is not caught; pinning the address would mean bypassing
requests' connection handling, which this module does not do.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

ALLOWED_SCHEMES = frozenset({"http", "https"})
PUBLIC = "public"

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def address_class(address: IpAddress) -> str:
    """`public`, or the kind of non-public address (the first that applies, most specific first)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("reserved", address.is_reserved),  # before private: Python counts 240.0.0.0/4 as both
        ("private", address.is_private),
        ("non-global", not address.is_global),  # e.g. 100.64.0.0/10, shared address space
    )
    return next((name for name, applies in checks if applies), PUBLIC)


def resolve(host: str, port: int | None) -> list[IpAddress]:
    """Every address `host` resolves to (an address literal resolves to itself). Raises OSError."""
    infos = socket.getaddrinfo(host, port or 0, type=socket.SOCK_STREAM)
    # An IPv6 sockaddr may carry a zone ("fe80::1%eth0"); the zone does not change the class.
    return [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]


def scheme_refusal(url: str) -> str | None:
    scheme = urlsplit(url).scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        return f"scheme {scheme or '(none)'!r} is not allowed (only http and https)"
    return None


def allowed_classes(configured_url: str) -> frozenset[str]:
    """`public` plus the classes of the configured host's own addresses (its intranet or loopback)."""
    parts = urlsplit(configured_url)
    try:
        addresses = resolve(parts.hostname or "", parts.port)
    except OSError:
        addresses = []  # it did not resolve now; the request to it fails on its own
    return frozenset({PUBLIC, *(address_class(a) for a in addresses)})


def redirect_refusal(target: str, allowed: frozenset[str]) -> str | None:
    """Why following a redirect to `target` is refused, or None when it may be followed.

    Raises OSError when the target's host does not resolve (a network problem, not a refusal).
    """
    if problem := scheme_refusal(target):
        return problem
    parts = urlsplit(target)
    if not parts.hostname:
        return "the redirect target has no host"
    for address in resolve(parts.hostname, parts.port):
        kind = address_class(address)
        if kind not in allowed:
            article = "an" if kind[0] in "aeiou" else "a"
            return (
                f"{parts.hostname} resolves to {address}, {article} {kind} address, and the source's "
                f"configured host is not one"
            )
    return None
