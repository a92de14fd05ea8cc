"""The allocation-round API: open, request, close, statements; refusals of the wrong people."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from synergy_hub.accounts.models import Role, User
from synergy_hub.catalog.models import OpennessList, Resource
from tests import factories
from tests.access.conftest import today
from tests.conftest import World
from tests.permissions import assert_api_refused


@pytest.fixture
def lab(published: OpennessList) -> Resource:
    return factories.resource(
        published,
        resource_type="laboratory",
        title_en="Materials lab",
        title_zh="材料实验室",
        unit="lab_day",
        capacity=Decimal(10),
        capacity_period="day",
    )


@pytest.fixture
def admin_a(world: World) -> User:
    return factories.user(world.platform_a, Role.ADMIN, email="admin-a@example.org")


def _round_body(lab: Resource, **overrides: Any) -> dict[str, Any]:
    day = str(today() + timedelta(days=2))
    return {
        "title": "Lab days",
        "resources": [lab.pk],
        "starts_on": day,
        "ends_on": day,
        "fairness": "proportional",
    } | overrides


def _ask(quantity: int, lab: Resource, **overrides: Any) -> dict[str, Any]:
    return {
        "resource": lab.pk,
        "quantity": quantity,
        "purpose": "fatigue tests",
        "purpose_code": "research",
    } | overrides


def test_open_request_close_and_read_the_statements(
    api_as: Any, world: World, admin_a: User, lab: Resource
) -> None:
    provider = api_as(admin_a)
    status, opened = provider.post("/allocation-rounds", _round_body(lab))
    assert status == 201 and opened["state"] == "open" and opened["priorities"]["base"] == 1
    rid = opened["id"]
    status, mine = api_as(world.sam).post(f"/allocation-rounds/{rid}/requests", _ask(7, lab))
    assert status == 201 and mine["consumer"]["id"] == world.sme.pk and mine["granted"] is None
    status, theirs = api_as(world.sid).post(f"/allocation-rounds/{rid}/requests", _ask(7, lab))
    assert status == 201

    status, closed = provider.post(f"/allocation-rounds/{rid}/close")
    assert status == 200 and closed["state"] == "allocated"
    assert closed["solver_status"] == "OPTIMAL" and closed["solver_details"]["capacity"] == 10

    status, statement = api_as(world.sam).get(f"/round-requests/{mine['id']}")
    assert status == 200 and statement["granted"] == 5  # equal weights, proportional: 5 and 5
    assert [r["code"] for r in statement["reasons"]] == ["capacity", "fairness"]
    assert statement["statement"] and len(statement["agreements"]) == 1
    status, listed = provider.get(f"/allocation-rounds/{rid}/requests")
    assert status == 200 and len(listed) == 2
    status, listed = api_as(world.sam).get(f"/allocation-rounds/{rid}/requests")
    assert status == 200 and [r["id"] for r in listed] == [mine["id"]]

    status, report = provider.get(f"/allocation-rounds/{rid}/report")
    assert status == 200 and (report["capacity"], report["demand"], report["granted"]) == (
        10,
        14,
        10,
    )
    assert report["by_size"][0]["granted_percent"] == 71
    assert api_as(world.officer).get(f"/allocation-rounds/{rid}/report")[0] == 200
    assert_api_refused(world, "GET", f"/allocation-rounds/{rid}/report", sme_a=404)

    # Another SME's statement is not found; the provider reads every one.
    assert_api_refused(world, "GET", f"/round-requests/{mine['id']}", sme_b=404)
    assert provider.get(f"/round-requests/{theirs['id']}")[0] == 200


def test_who_may_open_request_and_close(
    api_as: Any, world: World, admin_a: User, lab: Resource
) -> None:
    assert_api_refused(
        world,
        "POST",
        "/allocation-rounds",
        _round_body(lab),
        anonymous=401,
        sme_a=403,
        platform_operator=403,  # an editor, not an administrator
        platform_viewer=403,
    )
    _status, opened = api_as(admin_a).post("/allocation-rounds", _round_body(lab))
    rid = opened["id"]
    assert_api_refused(
        world,
        "POST",
        f"/allocation-rounds/{rid}/requests",
        _ask(3, lab),
        anonymous=401,
        officer=403,
        platform_viewer=403,
    )
    assert_api_refused(
        world,
        "POST",
        f"/allocation-rounds/{rid}/close",
        anonymous=401,
        sme_a=403,
        other_platform=403,
        platform_operator=403,
    )


def test_bad_input_names_the_field(api_as: Any, world: World, admin_a: User, lab: Resource) -> None:
    provider = api_as(admin_a)
    status, body = provider.post("/allocation-rounds", _round_body(lab, fairness="lottery"))
    assert status == 422 and "fairness" in str(body)
    status, opened = provider.post("/allocation-rounds", _round_body(lab))
    status, body = api_as(world.sam).post(
        f"/allocation-rounds/{opened['id']}/requests", _ask(3, lab, minimum=9)
    )
    assert status == 422 and "minimum" in str(body)


def test_a_programme_officer_opens_a_capacity_pool(
    api_as: Any, world: World, admin_a: User, lab: Resource
) -> None:
    lab_list = factories.openness_list(
        world.testing_lab, world.batch, world.lena, state="published"
    )
    other = factories.resource(
        lab_list, resource_type="laboratory", unit="lab_day", capacity=4, capacity_period="day"
    )
    body = _round_body(lab) | {"resources": [lab.pk, other.pk]}
    status, pool = api_as(world.officer).post("/allocation-rounds", body)
    assert status == 201 and pool["is_pool"] and pool["provider"]["id"] == world.office.pk
    status, errors = api_as(admin_a).post("/allocation-rounds", body)
    assert status == 422 and "resources" in str(errors)
    # The pool's providers see it; they may not close it.
    status, _seen = api_as(world.lena).get(f"/allocation-rounds/{pool['id']}")
    assert status == 200
    assert_api_refused(world, "POST", f"/allocation-rounds/{pool['id']}/close", provider=403)
