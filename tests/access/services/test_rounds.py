"""Allocation rounds: disclosed priorities at work, agreements made, statements, permissions."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from synergy_hub.access import services
from synergy_hub.access.models import (
    AllocationRound,
    Booking,
    CapacitySlot,
    Notification,
    RoundRequest,
)
from synergy_hub.access.vocabulary import AgreementState, RoundState
from synergy_hub.accounts.models import OrganisationKind, Role, User
from synergy_hub.audit.models import AuditEvent
from synergy_hub.catalog.models import OpennessList, Resource
from tests import factories
from tests.access.conftest import today
from tests.conftest import World


@pytest.fixture
def lab(published: OpennessList) -> Resource:
    """A testing laboratory with ten bench days per day."""
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
    """An administrator of platform A (Alice is only an editor)."""
    return factories.user(world.platform_a, Role.ADMIN, email="admin-a@example.org")


@pytest.fixture
def micro(world: World) -> User:
    org = factories.organisation(
        OrganisationKind.SME, name_en="Micro Co", name_zh="微型企业", size_class="micro"
    )
    return factories.user(org, email="micro@example.org")


def _round(actor: User, *resources: Resource, **overrides: Any) -> AllocationRound:
    day = today() + timedelta(days=2)
    data = {
        "title": "Lab days, week 50",
        "resources": [r.pk for r in resources],
        "starts_on": day,
        "ends_on": day,
        "fairness": "proportional",
    } | overrides
    return services.open_round(actor, data)


def _ask(actor: User, the_round: AllocationRound, resource: Resource, **overrides: Any):
    data = {
        "resource": resource.pk,
        "quantity": 8,
        "minimum": 0,
        "purpose": "材料疲劳测试 / fatigue tests",
        "purpose_code": "research",
    } | overrides
    return services.request_in_round(actor, the_round, data)


@pytest.mark.parametrize("micro_first", [True, False])
def test_the_disclosed_priority_decides_not_the_order_of_requests(
    world: World, admin_a: User, micro: User, lab: Resource, micro_first: bool
) -> None:
    the_round = _round(admin_a, lab)
    askers = [micro, world.charlie] if micro_first else [world.charlie, micro]
    for user in askers:
        _ask(user, the_round, lab)
    closed = services.close_round(admin_a, the_round)
    assert closed.state == RoundState.ALLOCATED
    assert closed.solver_method == "min_cost_flow" and closed.solver_status == "OPTIMAL"
    small = RoundRequest.objects.get(consumer__name_en="Micro Co")
    large = RoundRequest.objects.get(consumer=world.platform_c)
    # 1 + micro 3 + first use 1 against 1 + large 0 + first use 1.
    assert (small.weight, large.weight) == (5, 2)
    assert (small.granted, large.granted) == (8, 2)
    assert [r["code"] for r in small.reasons] == ["full"]
    assert [r["code"] for r in large.reasons] == ["capacity", "priority"]
    assert large.reasons[0]["slots"] == [
        {"resource": lab.pk, "starts_on": (today() + timedelta(days=2)).isoformat()}
    ]
    # Each served request holds an agreement on exactly the slots allocated.
    (agreement,) = large.agreements.all()
    assert agreement.quantity == Decimal(2) and agreement.state == AgreementState.AGREED
    assert agreement.consumer == world.platform_c and agreement.provider == world.platform_a
    slot = CapacitySlot.objects.get(resource_lineage=lab.lineage)
    assert slot.booked == Decimal(10)
    assert Booking.objects.filter(slot=slot).count() == 2
    event = AuditEvent.objects.filter(action="access.round.allocated").get()
    assert event.after["method"] == "min_cost_flow"
    told = Notification.objects.filter(verb="round.allocated", recipient=micro).get()
    assert told.url == f"/access/rounds/requests/{small.pk}/"


def test_equal_priorities_share_by_the_round_rule_and_minimums_are_kept(
    world: World, admin_a: User, lab: Resource
) -> None:
    the_round = _round(admin_a, lab, fairness="max_min")
    _ask(world.sam, the_round, lab, quantity=4)
    _ask(world.sid, the_round, lab, quantity=16, minimum=7)
    closed = services.close_round(admin_a, the_round)
    by_name = {r.consumer.name_en: r for r in RoundRequest.objects.all()}
    # Equal units first would give 4 and 6, but Other Co accepts nothing under 7.
    assert (by_name["Small Co"].granted, by_name["Other Co"].granted) == (3, 7)
    assert [r["code"] for r in by_name["Small Co"].reasons] == ["capacity", "fairness"]
    assert closed.solver_method == "cp_sat" and closed.solver_status == "OPTIMAL"


def test_a_window_outside_the_period_and_a_minimum_above_the_quantity_are_refused(
    world: World, admin_a: User, lab: Resource
) -> None:
    the_round = _round(admin_a, lab)
    with pytest.raises(ValidationError) as exc:
        _ask(
            world.sam,
            the_round,
            lab,
            quantity=3,
            minimum=5,
            window_starts_on=today() + timedelta(days=30),
        )
    assert set(exc.value.message_dict) == {"minimum", "window_starts_on"}


def test_only_the_providers_admins_open_and_close(
    world: World, admin_a: User, lab: Resource
) -> None:
    with pytest.raises(PermissionDenied):
        _round(world.alice, lab)  # an editor
    with pytest.raises(PermissionDenied):
        _round(world.sam, lab)  # an SME
    charlie_admin = factories.user(world.platform_c, Role.ADMIN)
    with pytest.raises(ValidationError) as exc:
        _round(charlie_admin, lab)  # not platform C's resource
    assert exc.value.message_dict["resources"]
    the_round = _round(admin_a, lab)
    with pytest.raises(PermissionDenied):
        services.close_round(charlie_admin, the_round)
    with pytest.raises(PermissionDenied):
        services.close_round(world.alice, the_round)
    assert AllocationRound.objects.get().state == RoundState.OPEN


def test_requests_are_for_ones_own_organisation_once_and_only_while_open(
    world: World, admin_a: User, lab: Resource
) -> None:
    the_round = _round(admin_a, lab)
    with pytest.raises(PermissionDenied):
        _ask(admin_a, the_round, lab)  # the provider itself
    with pytest.raises(PermissionDenied):
        _ask(world.officer, the_round, lab)  # the programme office does not request
    mine = _ask(world.sam, the_round, lab, consumer=world.other_sme.pk)
    assert mine.consumer == world.sme  # whatever is sent, it is the actor's organisation
    with pytest.raises(ValidationError) as exc:
        _ask(world.sam, the_round, lab)
    assert exc.value.message_dict["allocation_round"]
    services.close_round(admin_a, the_round)
    with pytest.raises(ValidationError) as exc:
        _ask(world.sid, the_round, lab)
    assert "state" in exc.value.message_dict


def test_flexible_requests_take_the_equivalent_resource(
    world: World, admin_a: User, lab: Resource, published: OpennessList
) -> None:
    twin = factories.resource(
        published,
        resource_type="laboratory",
        title_en="Second lab",
        title_zh="第二实验室",
        unit="lab_day",
        capacity=Decimal(10),
        capacity_period="day",
    )
    the_round = _round(admin_a, lab, twin)
    _ask(world.sam, the_round, lab, quantity=10)
    _ask(world.sid, the_round, lab, quantity=10, flexible="on")
    services.close_round(admin_a, the_round)
    flexible = RoundRequest.objects.get(consumer=world.other_sme)
    assert flexible.granted == 10
    assert {p["resource"] for p in flexible.placement} == {twin.pk}
    assert flexible.agreements.get().resource == twin


def test_the_same_demand_without_a_priority_difference_is_shared_by_the_rule(
    world: World, admin_a: User, micro: User, lab: Resource, published: OpennessList
) -> None:
    """Round A: a micro SME and a large enterprise; round B, the same demand from two large
    enterprises. Only the disclosed priority makes A uneven."""
    twin = factories.resource(
        published,
        resource_type="laboratory",
        title_en="Second lab",
        title_zh="第二实验室",
        unit="lab_day",
        capacity=Decimal(10),
        capacity_period="day",
    )
    round_a = _round(admin_a, lab)
    _ask(micro, round_a, lab)
    _ask(world.charlie, round_a, lab)
    round_b = _round(admin_a, twin, title="Second lab days")
    large = [
        factories.user(factories.organisation(name_en=f"Large {n}", name_zh=f"大型{n}"))
        for n in (1, 2)
    ]
    for user in large:
        _ask(user, round_b, twin)
    services.close_round(admin_a, round_a)
    services.close_round(admin_a, round_b)
    a = {r.consumer.name_en: r for r in round_a.requests.all()}
    b = {r.consumer.name_en: r for r in round_b.requests.all()}
    assert (a["Micro Co"].granted, a["Platform C"].granted) == (8, 2)
    assert [r["code"] for r in a["Platform C"].reasons] == ["capacity", "priority"]
    assert (b["Large 1"].granted, b["Large 2"].granted) == (5, 5)
    assert b["Large 1"].weight == b["Large 2"].weight == 2
    assert [r["code"] for r in b["Large 1"].reasons] == ["capacity", "fairness"]


def test_a_programme_officer_pools_resources_of_several_providers(
    world: World, admin_a: User, lab: Resource
) -> None:
    lab_list = factories.openness_list(
        world.testing_lab, world.batch, world.lena, state="published"
    )
    other_lab = factories.resource(
        lab_list,
        resource_type="laboratory",
        title_en="Testing lab benches",
        title_zh="检测实验台",
        unit="lab_day",
        capacity=Decimal(4),
        capacity_period="day",
    )
    with pytest.raises(ValidationError):
        _round(admin_a, lab, other_lab)  # a provider pools only its own resources
    pool = _round(world.officer, lab, other_lab, title="Regional lab pool")
    assert pool.is_pool and pool.provider == world.office
    with pytest.raises(PermissionDenied):
        _ask(world.alice, pool, lab)  # a provider of the pool does not request in it
    _ask(world.sam, pool, lab, quantity=10)
    _ask(world.sid, pool, other_lab, quantity=6, flexible="on")
    with pytest.raises(PermissionDenied):
        services.close_round(admin_a, pool)  # only the organiser closes
    services.close_round(world.officer, pool)
    # 14 units for 16 asked, equal priorities: shares evened out, 9/10 and 5/6, the
    # flexible request taking the testing lab's four benches and one of platform A's.
    flexible = RoundRequest.objects.get(consumer=world.other_sme)
    assert flexible.granted == 5
    assert {(a.provider, a.resource, a.quantity) for a in flexible.agreements.all()} == {
        (world.testing_lab, other_lab, Decimal(4)),
        (world.platform_a, lab, Decimal(1)),
    }
    mine = RoundRequest.objects.get(consumer=world.sme)
    assert mine.granted == 9 and mine.agreements.get().provider == world.platform_a
