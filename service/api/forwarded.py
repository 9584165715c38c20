"""Who is asking, and at which address: the client from the socket, or from X-Forwarded-For only
when the socket is a configured proxy (PANTAU_TRUSTED_PROXIES); the host from PANTAU_BASE_URL.

uvicorn's own proxy-header handling is off (`pantau serve`): it believes any loopback peer, so a
client on the machine could name any address and have the failed-login limit count it there.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address, networks: Sequence[Network]) -> bool:
    return address is not None and any(address in network for network in networks)


def client_address(peer: str, headers: Iterable[tuple[bytes, bytes]], networks: Sequence[Network]) -> str:
    """The client's address: `peer` itself unless it is a trusted proxy; then the nearest
    X-Forwarded-For hop that is not one (hops further left are the client's own word)."""
    if not _trusted(_address(peer), networks):
        return peer
    hops = [hop for name, value in headers if name == b"x-forwarded-for" for hop in value.decode("latin-1").split(",")]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return peer  # not what a proxy writes: believe nothing further left
        if not _trusted(address, networks):
            return str(address)
        peer = str(address)
    return peer


class PublicAddress:
    """Sets the request's client to the real client and its scheme and Host to PANTAU_BASE_URL's, so
    nothing built from the request (links, redirects) carries a host the client chose."""

    def __init__(self, app, trusted: Sequence[str], base_url: str):
        self.app = app
        self.networks = tuple(ipaddress.ip_network(n) for n in trusted)
        parts = urlsplit(base_url)
        # An international name goes as its ASCII (IDNA) form, as a Host header carries it.
        host = parts.netloc if parts.netloc.isascii() else parts.netloc.encode("idna").decode()
        self.scheme, self.host = parts.scheme, host.encode()
        self.server = (parts.hostname, parts.port or (443 if parts.scheme == "https" else 80))

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        # Changed in place, as uvicorn's own proxy middleware does: its access log then shows the client.
        peer = scope.get("client")
        if peer and self.networks:
            scope["client"] = (client_address(peer[0], scope.get("headers", ()), self.networks), peer[1])
        headers = [(k, v) for k, v in scope.get("headers", ()) if k != b"host"]
        scope["headers"] = [*headers, (b"host", self.host)]
        scope["scheme"], scope["server"] = self.scheme, self.server
        return await self.app(scope, receive, send)
