"""A programme officer reads the same things in the back office as in the API (decision 0016):
the parties' requests, agreements, statements, usage records and an SME's needs are refused in
both; organisations, lists and resources are readable in both; nothing is editable there.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from synergy_hub.access import services
from synergy_hub.access.models import StatementOfReasons
from synergy_hub.audit.models import AuditEvent
from synergy_hub.catalog.models import Resource
from tests import factories
from tests.access.conftest import REASONS_EXAMPLE, agreed, requested
from tests.conftest import World
from tests.pages import client_for


@pytest.fixture
def officer_desk(world: World) -> Client:
    """The officer with back-office access, as the demo data and operators set it up."""
    world.officer.is_staff = True
    world.officer.save()
    return client_for(world.officer)


def _admin(model: Any, obj: Any, view: str = "change") -> str:
    return f"/admin/{model._meta.app_label}/{model._meta.model_name}/{obj.pk}/{view}/"


def _refused(response: Any) -> bool:
    """403, or the admin's answer for an object outside the reader's rows: "does not exist",
    back to the index (the back office's 404).
    """
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )


def test_private_records_are_refused_to_the_officer_in_admin_and_api(
    world: World, gpu: Resource, officer_desk: Client, api_as: Any
) -> None:
    agreement = agreed(world, gpu)
    usage = services.record_use(world.alice, agreement, {"quantity": "5"})
    need = factories.need(world.sme, world.sam)
    access_request = agreement.access_request
    officer = api_as(world.officer)

    api_paths = [
        f"/access-requests/{access_request.pk}",
        f"/agreements/{agreement.pk}",
        f"/agreements/{agreement.pk}/usage",
        f"/needs/{need.pk}",
    ]
    for path in api_paths:
        assert officer.get(path)[0] == 404, path
    for obj in (access_request, agreement, usage, need):
        assert _refused(officer_desk.get(_admin(type(obj), obj))), type(obj).__name__
        listing = officer_desk.get(f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/")
        assert listing.status_code in (200, 403), type(obj).__name__
        if listing.status_code == 200:  # the listing opens, but without the private rows
            assert listing.context["cl"].result_count == 0, type(obj).__name__
    # The parties themselves still read them through the API.
    assert api_as(world.sam).get(f"/agreements/{agreement.pk}")[0] == 200
    assert api_as(world.sam).get(f"/needs/{need.pk}")[0] == 200


def test_what_the_api_shows_the_officer_the_back_office_shows_read_only(
    world: World, gpu: Resource, officer_desk: Client, api_as: Any
) -> None:
    officer = api_as(world.officer)
    the_list = gpu.openness_list
    pairs = [
        (f"/organisations/{world.sme.pk}", world.sme),
        (f"/lists/{the_list.pk}", the_list),
        (f"/resources/{gpu.pk}", gpu),
    ]
    before = AuditEvent.objects.count()
    for path, obj in pairs:
        assert officer.get(path)[0] == 200, path
        assert officer_desk.get(_admin(type(obj), obj)).status_code == 200, path
        assert officer_desk.post(_admin(type(obj), obj), {}).status_code == 403, path
        assert (
            officer_desk.post(_admin(type(obj), obj, "delete"), {"post": "yes"}).status_code == 403
        )
    assert AuditEvent.objects.count() == before


def test_accounts_tokens_and_the_audit_log_are_the_operators_alone(
    world: World, officer_desk: Client
) -> None:
    from synergy_hub.accounts.services import create_api_token

    token, _secret = create_api_token(world.alice, "ERP sync")
    for url in (
        f"/admin/accounts/user/{world.alice.pk}/change/",
        f"/admin/accounts/apitoken/{token.pk}/change/",
        "/admin/audit/auditevent/",
        "/admin/accounts/user/",
    ):
        assert officer_desk.get(url).status_code == 403, url
    world.officer.is_superuser = True  # the operator
    world.officer.save()
    assert officer_desk.get(f"/admin/accounts/apitoken/{token.pk}/change/").status_code == 200


def test_a_statement_of_reasons_is_refused_like_its_request(
    world: World, gpu: Resource, officer_desk: Client, api_as: Any
) -> None:
    access_request = requested(world, gpu)
    services.reject_request(world.alice, access_request, REASONS_EXAMPLE)
    statement = StatementOfReasons.objects.get(access_request=access_request)
    assert api_as(world.officer).get(f"/access-requests/{access_request.pk}")[0] == 404
    assert _refused(officer_desk.get(_admin(StatementOfReasons, statement)))
    assert api_as(world.sam).get(f"/access-requests/{access_request.pk}")[0] == 200
