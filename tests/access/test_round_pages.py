"""Allocation-round pages in both languages: open, request, close, statements; refusals."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from synergy_hub.access.models import AllocationRound, RoundRequest
from synergy_hub.accounts.models import Role, User
from synergy_hub.catalog.models import OpennessList, Resource
from tests import factories
from tests.access.conftest import today
from tests.conftest import World
from tests.permissions import LOGIN, assert_page_refused


def client_for(user: Any = None, language: str = "en") -> Client:
    client = Client(headers={"Accept-Language": language})
    if user is not None:
        client.force_login(user)
    return client


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


def _day() -> str:
    return str(today() + timedelta(days=2))


def _open(admin_a: User, lab: Resource) -> AllocationRound:
    response = client_for(admin_a).post(
        "/access/rounds/new/",
        {
            "title": "Lab days",
            "resources": [lab.pk],
            "starts_on": _day(),
            "ends_on": _day(),
            "fairness": "proportional",
        },
    )
    created = AllocationRound.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/access/rounds/{created.pk}/"
    return created


def _request(user: User, the_round: AllocationRound, lab: Resource, quantity: int) -> None:
    response = client_for(user).post(
        f"/access/rounds/{the_round.pk}/",
        {
            "resource": lab.pk,
            "quantity": quantity,
            "minimum": 0,
            "window_starts_on": _day(),
            "window_ends_on": _day(),
            "purpose": "测试 / tests",
            "purpose_code": "research",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.parametrize(
    ("language", "allocated", "why"),
    [
        ("en", "Allocated: 5 of 7 units.", "Capacity bound"),
        ("zh-hans", "已分配：7 个单位中的 5 个。", "容量约束"),
    ],
)
def test_a_round_from_opening_to_the_statements(
    world: World, admin_a: User, lab: Resource, language: str, allocated: str, why: str
) -> None:
    the_round = _open(admin_a, lab)
    page = client_for(world.sam, language).get(f"/access/rounds/{the_round.pk}/").content.decode()
    assert 'data-testid="round-request-form"' in page and 'data-testid="disclosure"' in page
    _request(world.sam, the_round, lab, 7)
    _request(world.sid, the_round, lab, 7)
    provider_page = client_for(admin_a).get(f"/access/rounds/{the_round.pk}/").content.decode()
    assert 'data-testid="close-round"' in provider_page
    response = client_for(admin_a).post(f"/access/rounds/{the_round.pk}/close/")
    assert response.status_code == 302
    mine = RoundRequest.objects.get(consumer=world.sme)
    page = client_for(world.sam, language).get(f"/access/rounds/requests/{mine.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and allocated in text and why in text


def test_refusals(world: World, admin_a: User, lab: Resource) -> None:
    assert_page_refused(
        world, "GET", "/access/rounds/new/", anonymous=LOGIN, sme_a=403, platform_operator=403
    )
    the_round = _open(admin_a, lab)
    assert_page_refused(
        world,
        "POST",
        f"/access/rounds/{the_round.pk}/close/",
        anonymous=LOGIN,
    )
    for name in ("sme_a", "other_platform", "platform_operator"):
        client_for(world.persona(name)).post(f"/access/rounds/{the_round.pk}/close/")
    assert AllocationRound.objects.get().state == "open"
    _request(world.sam, the_round, lab, 3)
    mine = RoundRequest.objects.get()
    assert_page_refused(
        world, "GET", f"/access/rounds/requests/{mine.pk}/", sme_b=404, other_platform=404
    )
    assert client_for(admin_a).get(f"/access/rounds/requests/{mine.pk}/").status_code == 200


def test_the_round_list_and_the_forms_show_errors(
    world: World, admin_a: User, lab: Resource
) -> None:
    page = client_for(admin_a).get("/access/rounds/").content.decode()
    assert 'data-testid="open-round"' in page
    response = client_for(admin_a).post(
        "/access/rounds/new/",
        {"title": "x", "resources": [lab.pk], "starts_on": _day(), "ends_on": str(today())},
    )
    assert response.status_code == 200 and 'data-field="fairness"' in response.content.decode()


def test_the_round_report_for_the_provider_and_the_programme_office(
    world: World, admin_a: User, lab: Resource
) -> None:
    the_round = _open(admin_a, lab)
    _request(world.sam, the_round, lab, 7)
    _request(world.sid, the_round, lab, 7)
    client_for(admin_a).post(f"/access/rounds/{the_round.pk}/close/")
    url = f"/access/rounds/{the_round.pk}/report/"
    for user in (admin_a, world.officer):
        page = client_for(user).get(url).content.decode()
        assert "Capacity 10 units, demand 14 units, allocated 10 units." in page
        assert 'data-testid="report-size"' in page and "Small" in page
        assert 'data-testid="report-region"' in page
    zh = client_for(world.officer, "zh-hans").get(url).content.decode()
    assert "按企业规模" in zh
    officer_list = client_for(world.officer).get("/access/rounds/").content.decode()
    assert f"/access/rounds/{the_round.pk}/" in officer_list
    assert_page_refused(world, "GET", url, sme_a=404, other_platform=404, anonymous=LOGIN)


def test_the_officer_reads_rounds_in_the_back_office_but_not_other_requests(
    world: World, admin_a: User, lab: Resource
) -> None:
    """Decision 0016: the back office shows an officer what the API does — every round,
    and only the requests of the office's own pools."""
    the_round = _open(admin_a, lab)
    _request(world.sam, the_round, lab, 3)
    mine = RoundRequest.objects.get()
    world.officer.is_staff = True
    world.officer.save()
    desk = client_for(world.officer)
    assert desk.get(f"/admin/access/allocationround/{the_round.pk}/change/").status_code == 200
    response = desk.get(f"/admin/access/roundrequest/{mine.pk}/change/")
    assert response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == "/admin/"
    )
    assert desk.post(f"/admin/access/allocationround/{the_round.pk}/delete/").status_code == 403
