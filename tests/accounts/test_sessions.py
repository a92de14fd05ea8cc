"""A session ends after its idle timeout (sliding) and at the latest after its lifetime."""

from __future__ import annotations

import time
from typing import Any

import pytest
from django.test import Client

from synergy_hub.accounts.middleware import LAST_SEEN, LOGGED_IN_AT, session_expired
from tests import factories


@pytest.fixture(autouse=True)
def _timeouts(settings: Any) -> None:
    settings.SESSION_IDLE_TIMEOUT = 30 * 60
    settings.SESSION_COOKIE_AGE = 12 * 60 * 60


def set_session(client: Client, **values: float) -> None:
    session = client.session
    session.update(values)
    session.save()


def logged_in(db: None) -> Client:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(factories.user())
    assert client.get("/workspace/tokens/").status_code == 200
    return client


def test_the_rule() -> None:
    now = 1_000_000.0
    assert not session_expired({}, now)
    assert not session_expired({LAST_SEEN: now - 29 * 60, LOGGED_IN_AT: now - 11 * 3600}, now)
    assert session_expired({LAST_SEEN: now - 31 * 60, LOGGED_IN_AT: now - 3600}, now)
    assert session_expired({LAST_SEEN: now - 60, LOGGED_IN_AT: now - 13 * 3600}, now)


def test_an_idle_session_is_logged_out(db: None) -> None:
    client = logged_in(db)
    set_session(client, **{LAST_SEEN: time.time() - 31 * 60})
    response = client.get("/workspace/tokens/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    page = client.get(response["Location"]).content.decode()
    assert "logged out after a period of inactivity" in page


def test_activity_keeps_the_session_alive(db: None) -> None:
    client = logged_in(db)
    before = time.time() - 29 * 60
    set_session(client, **{LAST_SEEN: before})
    assert client.get("/workspace/tokens/").status_code == 200
    assert client.session[LAST_SEEN] > before + 28 * 60  # the idle clock restarted


def test_an_active_session_ends_after_its_lifetime(db: None) -> None:
    client = logged_in(db)
    set_session(client, **{LAST_SEEN: time.time(), LOGGED_IN_AT: time.time() - 13 * 3600})
    assert client.get("/workspace/tokens/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_the_api_session_ends_too(db: None) -> None:
    client = logged_in(db)
    set_session(client, **{LAST_SEEN: time.time() - 31 * 60})
    assert client.get("/api/v1/me").status_code == 401
