"""The audit log in the back office: readable by staff, changed by no one, hidden from users."""

from __future__ import annotations

import pytest

from synergy_hub.accounts.services import create_api_token
from synergy_hub.audit.models import AuditEvent
from synergy_hub.audit.services import verify
from tests.conftest import World
from tests.pages import client_for


@pytest.fixture
def event(world: World) -> AuditEvent:
    create_api_token(world.alice, "ERP sync")
    return AuditEvent.objects.get(action="accounts.token.created")


def test_staff_read_the_log_but_nobody_adds_changes_or_deletes_an_event(
    world: World, event: AuditEvent
) -> None:
    world.officer.is_staff = world.officer.is_superuser = True
    world.officer.save()
    client = client_for(world.officer)
    assert client.get("/admin/audit/auditevent/").status_code == 200
    assert client.get(f"/admin/audit/auditevent/{event.pk}/change/").status_code == 200
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    changed = client.post(f"/admin/audit/auditevent/{event.pk}/change/", {"action": "forged"})
    assert changed.status_code == 403
    deleted = client.post(f"/admin/audit/auditevent/{event.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 403
    event.refresh_from_db()
    assert event.action == "accounts.token.created" and verify().ok


@pytest.mark.parametrize("persona", ["anonymous", "sme_a", "platform_operator", "officer"])
def test_users_who_are_not_staff_are_sent_to_the_admin_login(
    world: World, event: AuditEvent, persona: str
) -> None:
    response = client_for(world.persona(persona)).get("/admin/audit/auditevent/")
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
