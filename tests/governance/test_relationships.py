"""A platform's measure on its whole relationship with an SME, and leaving after a fee change.

P2B Art 4: restriction and suspension at once with a statement of reasons; termination at
least 30 days after notice unless an exception ground is recorded. E-Commerce Law Art 34 /
P2B Art 3(2): an SME that does not accept a fee change leaves before it applies.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from synergy_hub.access.models import Agreement, StatementOfReasons, UsageRecord
from synergy_hub.access.vocabulary import AgreementState
from synergy_hub.audit.models import AuditEvent
from synergy_hub.catalog.models import Resource
from synergy_hub.governance import selectors, services
from synergy_hub.governance.vocabulary import NoticeResponse
from tests import factories
from tests.access.conftest import agreed
from tests.conftest import World
from tests.governance.conftest import schedule_data

REASONS = {
    "scope": "All listings of Small Co on the GPU marketplace, every service.",
    "facts": "Three invoices unpaid since March despite two written reminders.",
    "ground": "Platform terms section 7.2: access ends when invoices stay unpaid.",
    "redress": "Answer within 14 days or file a complaint with the programme office.",
}


@pytest.fixture
def two_agreements(world: World, gpu: Resource) -> tuple[Agreement, Agreement]:
    """Small Co holds two active agreements with platform A, on two resources."""
    other = factories.resource(gpu.openness_list, capacity=gpu.capacity, capacity_period="month")
    return agreed(world, gpu), agreed(world, other)


def _states(*agreements: Agreement) -> list[str]:
    return [Agreement.objects.get(pk=a.pk).state for a in agreements]


def test_suspension_suspends_every_active_agreement_at_once_with_reasons(
    world: World, two_agreements: tuple[Agreement, Agreement]
) -> None:
    measure = services.take_relationship_measure(
        world.alice, world.sme, "suspension", REASONS | {"automated": True}
    )
    assert _states(*two_agreements) == [AgreementState.SUSPENDED] * 2
    assert measure.provider == world.platform_a and measure.consumer == world.sme
    assert measure.agreement is None and measure.access_request is None and measure.automated
    assert measure.effective_at is not None and measure.effective_at <= timezone.now()
    carried = list(measure.carried_out_by.order_by("agreement_id"))
    assert [s.agreement_id for s in carried] == [a.pk for a in two_agreements]
    assert all(s.kind == "suspension" and s.facts == REASONS["facts"] for s in carried)
    event = AuditEvent.objects.get(action="governance.relationship.suspended")
    assert event.after["agreements"] == [a.pk for a in two_agreements]


def test_restriction_reaches_only_the_named_resources(
    world: World, two_agreements: tuple[Agreement, Agreement]
) -> None:
    first, second = two_agreements
    services.take_relationship_measure(
        world.alice, world.sme, "restriction", REASONS | {"resources": [first.resource_id]}
    )
    assert _states(first, second) == [AgreementState.SUSPENDED, AgreementState.ACTIVE]
    with pytest.raises(ValidationError) as caught:
        services.take_relationship_measure(world.alice, world.sme, "restriction", REASONS)
    assert caught.value.error_dict["resources"][0].code == "required"


def test_termination_needs_thirty_days_notice_unless_an_exception_ground(
    world: World, two_agreements: tuple[Agreement, Agreement]
) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        services.take_relationship_measure(
            world.alice,
            world.sme,
            "termination",
            REASONS | {"effective_on": today + timedelta(days=29)},
        )
    error = caught.value.error_dict["effective_on"][0]
    assert error.code == "notice_too_short" and "Art. 4(2)" in str(error.message)
    assert not StatementOfReasons.objects.exists()  # nothing half-written

    measure = services.take_relationship_measure(world.alice, world.sme, "termination", REASONS)
    assert timezone.localdate(measure.effective_at) == today + timedelta(days=30)
    for agreement in two_agreements:
        fresh = Agreement.objects.get(pk=agreement.pk)
        assert fresh.state == AgreementState.ACTIVE  # in force until the notice has run
        assert fresh.termination_effective_at == measure.effective_at


def test_termination_with_an_exception_ground_ends_at_once(
    world: World, two_agreements: tuple[Agreement, Agreement]
) -> None:
    measure = services.take_relationship_measure(
        world.alice, world.sme, "termination", REASONS | {"exception": "imperative_reason"}
    )
    assert measure.exception == "imperative_reason"
    assert _states(*two_agreements) == [AgreementState.TERMINATED] * 2
    assert AuditEvent.objects.filter(action="governance.relationship.terminated").count() == 1


def test_every_field_is_reported_in_one_round(world: World, two_agreements: Any) -> None:
    with pytest.raises(ValidationError) as caught:
        services.take_relationship_measure(
            world.alice, world.sme, "termination", {"exception": "fee_change_refused"}
        )
    assert {"scope", "facts", "ground", "redress", "exception"} <= set(caught.value.error_dict)


def test_wrong_role_other_platform_and_strangers_are_refused(
    world: World, two_agreements: tuple[Agreement, Agreement]
) -> None:
    for actor in (world.bob, world.sam, world.officer):  # viewer, an SME, an officer
        with pytest.raises(PermissionDenied):
            services.take_relationship_measure(actor, world.sme, "suspension", REASONS)
    # Platform C has no relationship with Small Co: refused, naming the rule.
    with pytest.raises(ValidationError) as caught:
        services.take_relationship_measure(world.charlie, world.sme, "suspension", REASONS)
    assert caught.value.error_dict["consumer"][0].code == "no_relationship"
    with pytest.raises(ValidationError):  # another platform's resource cannot be named
        services.take_relationship_measure(
            world.alice,
            world.sme,
            "restriction",
            REASONS
            | {
                "resources": [
                    factories.resource(
                        factories.openness_list(world.platform_c, world.batch, world.charlie)
                    ).pk
                ]
            },
        )
    assert _states(*two_agreements) == [AgreementState.ACTIVE] * 2


def test_leaving_after_a_fee_change_ends_the_agreements_without_penalty(
    world: World, two_agreements: tuple[Agreement, Agreement]
) -> None:
    now = timezone.now()
    draft = services.draft_fee_schedule(world.alice, schedule_data())
    services.publish_fee_schedule(world.alice, draft, now + timedelta(days=7), now=now)
    notice = selectors.notices_for(world.sam).get()
    services.answer_fee_notice(world.sam, notice, NoticeResponse.LEAVING)
    assert _states(*two_agreements) == [AgreementState.TERMINATED] * 2
    statements = StatementOfReasons.objects.filter(agreement__in=two_agreements)
    assert {s.exception for s in statements} == {"fee_change_refused"}
    assert {s.party for s in statements} == {"consumer"}
    assert not UsageRecord.objects.exists()  # nothing charged for leaving
    event = AuditEvent.objects.get(action="governance.fee_notice.answered")
    assert event.after["agreements_ended"] == [a.pk for a in two_agreements]
    assert event.after["penalty"] is None
    # The ground is recorded only by leaving: an SME cannot pick it by hand to skip notice.
    from synergy_hub.access import services as access_services

    third = agreed(world, two_agreements[0].resource)
    with pytest.raises(ValidationError) as caught:
        access_services.terminate_agreement(
            world.sam, third, REASONS | {"exception": "fee_change_refused"}
        )
    assert caught.value.error_dict["exception"][0].code == "invalid_choice"


def test_through_the_api_and_the_pages(
    world: World, api_as: Any, two_agreements: tuple[Agreement, Agreement]
) -> None:
    from tests.pages import client_for
    from tests.permissions import LOGIN, assert_api_refused, assert_page_refused

    body = {"consumer_id": world.sme.pk, "kind": "suspension", **REASONS}
    assert_api_refused(
        world,
        "POST",
        "/relationship-measures",
        body,
        anonymous=401,
        platform_viewer=403,
        sme_a=403,
        officer=403,
    )
    status, problem = api_as(world.charlie).post("/relationship-measures", body)
    assert status == 422 and problem["detail"][0]["loc"][-1] == "consumer"
    status, created = api_as(world.alice).post("/relationship-measures", body)
    assert status == 201 and created["agreements"] == [a.pk for a in two_agreements]
    for user, seen in ((world.sam, 1), (world.alice, 1), (world.officer, 1), (world.sid, 0)):
        status, listed = api_as(user).get("/relationship-measures")
        assert status == 200 and len(listed) == seen
    assert api_as(world.charlie).get("/relationship-measures")[1] == []

    page = client_for(world.sam, "zh-hans").get("/governance/measures/").content.decode()
    assert 'data-testid="complain-about-measure"' in page
    assert (
        f"/governance/complaints/new/?platform={world.platform_a.pk}&amp;category=restriction"
        in page
    )
    form = client_for(world.sam, "en").get(
        f"/governance/complaints/new/?platform={world.platform_a.pk}&category=restriction"
    )
    assert form.context["form"].initial == {
        "platform": str(world.platform_a.pk),
        "category": "restriction",
    }
    assert_page_refused(
        world, "GET", "/governance/measures/new/", anonymous=LOGIN, sme_a=403, platform_viewer=403
    )
    client = client_for(world.alice, "en")
    response = client.post(
        "/governance/measures/new/",
        {"consumer": world.sme.pk, "kind": "termination", **REASONS},
    )
    assert response.status_code == 302
    assert StatementOfReasons.objects.filter(kind="termination", agreement=None).count() == 1
    response = client.post(
        "/governance/measures/new/", {"consumer": world.sme.pk, "kind": "restriction"}
    )
    errors = response.context["form"].errors
    assert {"scope", "facts", "ground", "redress"} <= set(errors)
