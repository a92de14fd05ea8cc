"""Forwarding headers count only from the trusted proxies (config/proxy.py, settings)."""

from __future__ import annotations

from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import override_settings

from synergy_hub.config.proxy import TrustedProxies, is_trusted, parse_proxies

PROXY = parse_proxies(["10.0.0.0/8", "::1"])


def test_a_bad_entry_names_the_variable() -> None:
    with pytest.raises(ValueError, match=r"TRUSTED_PROXIES: 'proxy\.example\.org'"):
        parse_proxies(["10.0.0.1", "proxy.example.org"])


@pytest.mark.parametrize(
    ("address", "trusted"),
    [("10.1.2.3", True), ("::1", True), ("11.0.0.1", False), ("127.0.0.1", False), ("", False)],
)
def test_only_addresses_in_the_networks_are_trusted(address: str, trusted: bool) -> None:
    assert is_trusted(address, PROXY) is trusted


def test_with_no_proxies_nobody_is_trusted() -> None:
    assert not is_trusted("127.0.0.1", ())


def _get(remote_addr: str, **headers: str) -> tuple[str, dict[str, str]]:
    """GET the home page through the wrapped Django application, as a server would."""
    environ: dict[str, Any] = {"REMOTE_ADDR": remote_addr, "SERVER_NAME": "127.0.0.1"}
    environ.update(headers)
    setup_testing_defaults(environ)
    answer: dict[str, Any] = {}

    def start_response(status: str, response_headers: list[tuple[str, str]], *_: Any) -> None:
        answer["status"] = status
        answer["headers"] = dict(response_headers)

    # As Django's test client does: the test's database connection must stay open.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = TrustedProxies(WSGIHandler(), PROXY)(environ, start_response)
        b"".join(response)
        getattr(response, "close", lambda: None)()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"]


PRODUCTION_TLS = override_settings(
    SECURE_SSL_REDIRECT=True, SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https")
)


@pytest.mark.django_db
@PRODUCTION_TLS
def test_https_forwarded_by_a_trusted_proxy_is_not_redirected() -> None:
    status, _ = _get("10.0.0.7", HTTP_X_FORWARDED_PROTO="https")
    assert status.startswith("200")


@pytest.mark.django_db
@PRODUCTION_TLS
def test_https_claimed_by_another_peer_is_ignored() -> None:
    status, headers = _get("192.0.2.9", HTTP_X_FORWARDED_PROTO="https")
    assert status.startswith("301")
    assert headers["Location"].startswith("https://")


@pytest.mark.django_db
@override_settings(USE_X_FORWARDED_HOST=True, ALLOWED_HOSTS=["127.0.0.1"])
def test_a_forwarded_host_from_another_peer_is_ignored() -> None:
    status, _ = _get("192.0.2.9", HTTP_X_FORWARDED_HOST="evil.example")
    assert status.startswith("200")
    status, _ = _get("10.0.0.7", HTTP_X_FORWARDED_HOST="evil.example")
    assert status.startswith("400")  # believed, and then refused by ALLOWED_HOSTS
