"""Which peers may speak for the client: the trusted reverse proxies (setting `TRUSTED_PROXIES`).

A TLS-terminating proxy tells the hub the client's scheme and host in `X-Forwarded-*`
headers. Those headers are believed only from the proxies named by the operator; from
anyone else they are removed before Django sees the request, so a client that reaches
the server directly cannot claim HTTPS or another host. The same list goes to gunicorn's
`forwarded_allow_ips` (docs/operations.md, "Server").
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

Network = ipaddress.IPv4Network | ipaddress.IPv6Network

FORWARDED_HEADERS = (
    "HTTP_FORWARDED",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_HOST",
    "HTTP_X_FORWARDED_PORT",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_X_FORWARDED_PROTOCOL",
    "HTTP_X_FORWARDED_SSL",
)
"""The WSGI names of the headers that only a trusted proxy may set."""


def parse_proxies(entries: Iterable[str], variable: str = "TRUSTED_PROXIES") -> tuple[Network, ...]:
    """The networks named by addresses or CIDR blocks; a bad entry names the variable."""
    networks = []
    for entry in entries:
        try:
            networks.append(ipaddress.ip_network(entry.strip()))
        except ValueError as error:
            raise ValueError(
                f"{variable}: {entry!r} is neither an IP address nor a network ({error})"
            ) from None
    return tuple(networks)


def is_trusted(address: str | None, networks: tuple[Network, ...]) -> bool:
    """Whether a peer address (REMOTE_ADDR) is one of the trusted proxies."""
    if not address or not networks:
        return False
    try:
        peer = ipaddress.ip_address(address.strip("[]"))
    except ValueError:
        return False
    return any(peer in network for network in networks)


StartResponse = Callable[..., Any]
WSGIApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class TrustedProxies:
    """WSGI wrapper that drops forwarding headers unless the peer is a trusted proxy."""

    def __init__(self, application: WSGIApp, networks: tuple[Network, ...]) -> None:
        self.application = application
        self.networks = networks

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if not is_trusted(environ.get("REMOTE_ADDR"), self.networks):
            for name in FORWARDED_HEADERS:
                environ.pop(name, None)
        # The response itself, not a wrapper: the server must call its close() (Django's
        # request_finished, which returns the database connection).
        return self.application(environ, start_response)
