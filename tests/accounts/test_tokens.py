"""API tokens: scopes, expiry, and no token minted or revoked by another token."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.utils import timezone

from synergy_hub.accounts import services
from synergy_hub.accounts.models import ApiToken, TokenScope
from synergy_hub.audit.models import AuditEvent
from synergy_hub.catalog.models import Need
from tests.conftest import World
from tests.pages import client_for
from tests.session_api import SessionApi

NEED = {"title": "需要GPU算力", "description": "训练质检模型"}
EN = {"Accept-Language": "en"}


def _bearer(api_as: Any, secret: str) -> Any:
    api = api_as()
    api.headers["Authorization"] = f"Bearer {secret}"
    return api


# --- the service ----------------------------------------------------------------------------


def test_a_new_token_writes_and_expires_after_90_days_by_default(world: World) -> None:
    token, _secret = services.create_api_token(world.alice, "ERP sync")
    assert token.scope == TokenScope.WRITE
    assert token.expires_at - token.created_at == timedelta(days=90)
    event = AuditEvent.objects.get(action="accounts.token.created")
    assert event.after["scope"] == "write" and event.after["expires_at"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"expires_in_days": 366}, "expires_in_days"),
        ({"expires_in_days": 0}, "expires_in_days"),
        ({"expires_in_days": "soon"}, "expires_in_days"),
        ({"scope": "admin"}, "scope"),
    ],
)
def test_a_lifetime_over_a_year_or_an_unknown_scope_is_refused(
    world: World, changes: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        services.create_api_token(world.alice, "ERP sync", **changes)
    assert set(caught.value.message_dict) == {field}
    assert not ApiToken.objects.exists()


def test_a_token_can_neither_create_nor_revoke_tokens(world: World) -> None:
    token, _secret = services.create_api_token(world.alice, "ERP sync")
    with pytest.raises(PermissionDenied):
        services.create_api_token(world.alice, "successor", acting_token=token)
    with pytest.raises(PermissionDenied):
        services.revoke_api_token(world.alice, token, acting_token=token)
    assert ApiToken.objects.count() == 1 and ApiToken.objects.get().revoked_at is None


def test_an_expired_token_is_refused_with_its_date(world: World) -> None:
    token, secret = services.create_api_token(world.alice, "ERP sync", expires_in_days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(services.TokenExpired):
        services.authenticate_token(secret)


# --- the API --------------------------------------------------------------------------------


def test_a_read_token_reads_but_every_write_is_refused(api_as: Any, world: World) -> None:
    _token, secret = services.create_api_token(world.sam, "dashboard", scope="read")
    reader = _bearer(api_as, secret)
    assert reader.get("/me")[0] == 200
    assert reader.get("/needs")[0] == 200
    before = AuditEvent.objects.count()
    status, body = reader.post("/needs", NEED, headers=EN)
    assert status == 403 and "read" in body["detail"]
    assert reader.post("/policies/preview", {"policy_template": {"templates": []}})[0] == 403
    assert reader.patch(f"/organisations/{world.sme.pk}", {"employees": 1})[0] == 403
    assert AuditEvent.objects.count() == before and not Need.objects.exists()
    _token, secret = services.create_api_token(world.sam, "sync", scope="write")
    assert _bearer(api_as, secret).post("/needs", NEED)[0] == 201


def test_a_token_cannot_create_tokens_over_the_api(api_as: Any, world: World) -> None:
    writer = api_as(world.alice)  # holds a write token
    status, body = writer.post("/tokens", {"name": "successor"}, headers=EN)
    assert status == 403 and "token" in body["detail"]
    assert list(ApiToken.objects.values_list("name", flat=True)) == ["tests"]
    (own,) = ApiToken.objects.all()
    assert writer.delete(f"/tokens/{own.pk}")[0] == 403
    assert ApiToken.objects.get().revoked_at is None


def test_a_session_creates_a_read_token_with_a_lifetime(api_as: Any, world: World) -> None:
    session = SessionApi(world.alice)
    status, created = session.post(
        "/tokens", {"name": "dashboard", "scope": "read", "expires_in_days": 7}
    )
    assert status == 201 and created["scope"] == "read"
    token = ApiToken.objects.get(pk=created["id"])
    assert token.expires_at - token.created_at == timedelta(days=7)
    assert session.get("/tokens")[1][0]["expires_at"]
    status, body = session.post("/tokens", {"name": "long", "expires_in_days": 366})
    assert status == 422 and body["detail"][0]["loc"][-1] == "expires_in_days"
    status, body = session.post("/tokens", {"name": "x", "scope": "root"})
    assert status == 422 and body["detail"][0]["loc"][-1] == "scope"
    assert ApiToken.objects.count() == 1


def test_an_expired_token_is_answered_401_saying_so(api_as: Any, world: World) -> None:
    token, secret = services.create_api_token(world.alice, "ERP sync")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(days=1))
    for path in ("/me", "/resources"):  # an endpoint that needs a login, and an open one
        status, body = _bearer(api_as, secret).get(path, headers=EN)
        assert status == 401 and "expired" in body["detail"], path
    response = Client().get("/api/3/action/package_list", headers={"Authorization": secret})
    assert response.status_code == 403 and "expired" in response.json()["error"]["message"]


# --- the page -------------------------------------------------------------------------------


def test_the_page_creates_tokens_and_shows_scope_and_expiry(world: World) -> None:
    client = client_for(world.alice, language="en")
    response = client.post(
        "/workspace/tokens/", {"name": "dashboard", "scope": "read", "expires_in_days": "30"}
    )
    assert response.status_code == 200 and response.context["secret"]
    token = ApiToken.objects.get()
    assert token.scope == "read" and token.expires_at - token.created_at == timedelta(days=30)
    page = client.get("/workspace/tokens/").content.decode()
    assert "Read only" in page
    assert timezone.localtime(token.expires_at).strftime("%Y-%m-%d") in page  # the site's zone
    refused = client.post(
        "/workspace/tokens/", {"name": "long", "scope": "write", "expires_in_days": "999"}
    )
    assert refused.context["form"].has_error("expires_in_days")
    assert ApiToken.objects.count() == 1
