"""Refusal checks written once and reused by every app, as NetBox writes its permission tests.

Each check names the personas of `tests/conftest.py` that must be refused, and how:

    assert_refused(world, lambda actor: services.submit_list(actor, draft),
                   "platform_viewer", "other_platform", "sme_a")
    assert_api_refused(world, "POST", f"/lists/{pk}/submit",
                       anonymous=401, platform_viewer=403, other_platform=404)
    assert_page_refused(world, "POST", f"/workspace/lists/{pk}/submit/",
                        anonymous=LOGIN, other_platform=404)

403 is a wrong role or kind of organisation; 404 is another organisation's object, which
the pages and the API answer exactly like a missing one (STYLE 3). A refused call must
also leave the audit log as it was: nothing half-done was recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from synergy_hub.audit.models import AuditEvent
from tests.conftest import Api, World
from tests.pages import client_for

#: What a page answers a visitor who is not logged in: a redirect to the login page.
LOGIN = "login"


def _audit_count() -> int:
    return AuditEvent.objects.count()


def assert_refused(
    world: World,
    call: Callable[[Any], object],
    *personas: str,
    raises: type[Exception] = PermissionDenied,
) -> None:
    """`call(actor)` raises `raises` for each persona and records nothing.

    The anonymous persona is passed as Django's AnonymousUser, as a request carries it.
    """
    assert personas, "name the personas that must be refused"
    for name in personas:
        user = world.persona(name)
        actor = AnonymousUser() if user is None else user
        before = _audit_count()
        try:
            call(actor)
        except raises:
            pass
        else:
            pytest.fail(f"{name} was not refused ({raises.__name__} expected)")
        assert _audit_count() == before, f"{name} was refused, but an audit event was recorded"


def assert_api_refused(
    world: World, method: str, path: str, body: Any = None, **expected: int
) -> None:
    """Each persona's API call (schema-checked) answers its expected status, writing nothing.

    `expected` maps persona names to statuses: 401 anonymous, 403 wrong role or kind,
    404 another organisation's object.
    """
    assert expected, "name the personas that must be refused"
    for name, status in expected.items():
        assert status in (401, 403, 404), f"{name}: {status} is not a refusal"
        api = Api(world.persona(name))
        before = _audit_count()
        if method.upper() in ("POST", "PATCH") and body is None:
            body = {}
        answered, _body = api.call(method, path, body)
        assert answered == status, f"{name}: {method} {path} answered {answered}, not {status}"
        assert _audit_count() == before, f"{name} was refused, but an audit event was recorded"


def assert_page_refused(
    world: World, method: str, path: str, data: dict[str, Any] | None = None, **expected: Any
) -> None:
    """Each persona's page request is refused as expected, writing nothing.

    `expected` maps persona names to a status (403, 404) or `LOGIN` (a redirect to the
    login page, for visitors who are not logged in).
    """
    assert expected, "name the personas that must be refused"
    for name, outcome in expected.items():
        client = client_for(world.persona(name))
        before = _audit_count()
        send = client.post if method.upper() == "POST" else client.get
        response = send(path, data or {})
        if outcome == LOGIN:
            assert response.status_code == 302, f"{name}: {path} answered {response.status_code}"
            assert response["Location"].startswith("/login/"), f"{name}: {response['Location']}"
        else:
            assert outcome in (403, 404), f"{name}: {outcome} is not a refusal"
            assert response.status_code == outcome, (
                f"{name}: {method} {path} answered {response.status_code}, not {outcome}"
            )
        assert _audit_count() == before, f"{name} was refused, but an audit event was recorded"
