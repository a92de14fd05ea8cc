"""A measure on the whole relationship blocks the SME's new access while in force, and the
platform lifts it (or withdraws a termination before it takes effect).

P2B Art 4(1): restriction and suspension; Art 4(2): termination after its notice. A lifted
measure no longer blocks; the agreements it suspended resume; the SME is told.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from synergy_hub.access import measures
from synergy_hub.access import services as access_services
from synergy_hub.access.models import AccessRequest, Agreement, Notification, StatementOfReasons
from synergy_hub.access.vocabulary import AgreementState
from synergy_hub.accounts.models import Role
from synergy_hub.audit.models import AuditEvent
from synergy_hub.catalog.models import Resource
from synergy_hub.governance import services
from tests import factories
from tests.access.conftest import agreed, offer_terms, terms
from tests.conftest import World
from tests.pages import client_for
from tests.permissions import LOGIN, assert_api_refused, assert_page_refused, assert_refused

REASONS = {
    "scope": "Every listing of Small Co on the GPU marketplace.",
    "facts": "Three invoices unpaid since March despite two written reminders.",
    "ground": "Platform terms section 7.2: access ends when invoices stay unpaid.",
    "redress": "Answer within 14 days or file a complaint with the programme office.",
}
LIFT = {"reason": "The invoices were paid on 3 December."}


@pytest.fixture
def second(gpu: Resource) -> Resource:
    """Another resource of platform A, on the same published list."""
    return factories.resource(gpu.openness_list, capacity=Decimal(1000), capacity_period="month")


@pytest.fixture
def running(world: World, gpu: Resource, second: Resource) -> tuple[Agreement, Agreement]:
    """Small Co holds an active agreement with platform A on each resource."""
    return agreed(world, gpu), agreed(world, second)


def _state(agreement: Agreement) -> str:
    return Agreement.objects.get(pk=agreement.pk).state


def _refused_code(call: Any) -> tuple[str, str]:
    with pytest.raises(ValidationError) as caught:
        call()
    field, errors = next(iter(caught.value.error_dict.items()))
    return field, str(errors[0].code)


# --- blocking ---------------------------------------------------------------------------


def test_a_suspension_refuses_new_requests_and_bookings_until_it_is_lifted(
    world: World, gpu: Resource, running: Any
) -> None:
    pending = access_services.request_access(world.sam, gpu, terms())
    access_services.make_offer(world.alice, pending, offer_terms())
    measure = services.take_relationship_measure(world.alice, world.sme, "suspension", REASONS)

    field, code = _refused_code(lambda: access_services.request_access(world.sam, gpu, terms()))
    assert (field, code) == ("resource", "relationship_suspension")
    assert AccessRequest.objects.filter(consumer=world.sme).count() == 3  # nothing new
    # The offer made before it cannot be accepted now: accepting books capacity.
    field, code = _refused_code(lambda: access_services.accept_offer(world.sam, pending))
    assert (field, code) == ("resource", "relationship_suspension")
    assert [str(p) for p in measures.problems(gpu, world.sme)] != []
    # Another SME is not touched.
    assert access_services.request_access(world.sid, gpu, terms()).pk

    services.lift_relationship_measure(world.alice, measure, LIFT)
    assert measures.problems(gpu, world.sme) == []
    assert access_services.accept_offer(world.sam, pending).state == "accepted"
    assert access_services.request_access(world.sam, gpu, terms()).pk


def test_a_restriction_blocks_only_the_resources_it_names(
    world: World, gpu: Resource, second: Resource, running: Any
) -> None:
    measure = services.take_relationship_measure(
        world.alice, world.sme, "restriction", REASONS | {"resources": [gpu.pk]}
    )
    assert measure.resource_lineages == [str(gpu.lineage)]
    field, code = _refused_code(lambda: access_services.request_access(world.sam, gpu, terms()))
    assert (field, code) == ("resource", "relationship_restriction")
    assert access_services.request_access(world.sam, second, terms()).pk  # not named: allowed


def test_a_restriction_without_a_recorded_scope_blocks_as_a_suspension(
    world: World, gpu: Resource, second: Resource, running: Any
) -> None:
    measure = services.take_relationship_measure(
        world.alice, world.sme, "restriction", REASONS | {"resources": [gpu.pk]}
    )
    StatementOfReasons.objects.filter(pk=measure.pk).update(resource_lineages=[])  # legacy row
    field, code = _refused_code(lambda: access_services.request_access(world.sam, second, terms()))
    assert (field, code) == ("resource", "relationship_restriction")


def test_a_termination_blocks_only_once_it_takes_effect(
    world: World, gpu: Resource, running: Any
) -> None:
    measure = services.take_relationship_measure(world.alice, world.sme, "termination", REASONS)
    assert access_services.request_access(world.sam, gpu, terms()).pk  # notice still running
    later = measure.effective_at + timedelta(hours=1)
    assert measures.blocking(gpu, world.sme.pk, now=later) == measure
    with pytest.raises(ValidationError) as caught:
        measures.require_none(gpu, world.sme.pk, now=later)
    assert caught.value.error_dict["resource"][0].code == "relationship_termination"


def test_a_round_request_is_refused_under_a_suspension(
    world: World, gpu: Resource, running: Any
) -> None:
    services.take_relationship_measure(world.alice, world.sme, "suspension", REASONS)
    admin_a = factories.user(world.platform_a, Role.ADMIN, email="admin-a@example.org")
    day = timezone.localdate() + timedelta(days=2)
    the_round = access_services.open_round(
        admin_a,
        {
            "title": "GPU hours",
            "resources": [gpu.pk],
            "starts_on": day,
            "ends_on": day,
            "fairness": "proportional",
        },
    )
    field, code = _refused_code(
        lambda: access_services.request_in_round(
            world.sam,
            the_round,
            {"resource": gpu.pk, "quantity": 5, "purpose": "tests", "purpose_code": "research"},
        )
    )
    assert (field, code) == ("resource", "relationship_suspension")


# --- lifting ----------------------------------------------------------------------------


def test_lifting_a_suspension_resumes_its_agreements_tells_the_sme_and_is_audited(
    world: World, running: tuple[Agreement, Agreement]
) -> None:
    measure = services.take_relationship_measure(world.alice, world.sme, "suspension", REASONS)
    assert [_state(a) for a in running] == [AgreementState.SUSPENDED] * 2
    lifted = services.lift_relationship_measure(world.alice, measure, LIFT)
    assert lifted.lifted_at is not None and lifted.lifted_by == world.alice
    assert lifted.lift_reason == LIFT["reason"]
    assert [_state(a) for a in running] == [AgreementState.ACTIVE] * 2
    event = AuditEvent.objects.get(action="governance.relationship.suspension_lifted")
    assert event.after["agreements"] == sorted(a.pk for a in running)
    assert AuditEvent.objects.filter(action="access.agreement.resumed").count() == 2
    told = Notification.objects.filter(recipient=world.sam, verb="relationship.suspension_lifted")
    assert told.count() == 1

    # Lifting twice is refused, naming the rule, and changes nothing.
    before = AuditEvent.objects.count()
    field, code = _refused_code(
        lambda: services.lift_relationship_measure(world.alice, measure, LIFT)
    )
    assert (field, code) == ("state", "already_lifted")
    assert AuditEvent.objects.count() == before


def test_lifting_a_restriction_keeps_what_another_measure_in_force_still_reaches(
    world: World, gpu: Resource, running: tuple[Agreement, Agreement]
) -> None:
    first, second = running
    restriction = services.take_relationship_measure(
        world.alice, world.sme, "restriction", REASONS | {"resources": [gpu.pk]}
    )
    services.take_relationship_measure(world.alice, world.sme, "suspension", REASONS)
    services.lift_relationship_measure(world.alice, restriction, LIFT)
    # The suspension is still in force: the agreement stays suspended and requests refused.
    assert [_state(first), _state(second)] == [AgreementState.SUSPENDED] * 2
    assert measures.blocking(gpu, world.sme.pk) is not None


def test_withdrawing_a_termination_before_it_takes_effect_withdraws_its_notices(
    world: World, running: tuple[Agreement, Agreement]
) -> None:
    measure = services.take_relationship_measure(world.alice, world.sme, "termination", REASONS)
    services.lift_relationship_measure(world.alice, measure, LIFT)
    for agreement in running:
        fresh = Agreement.objects.get(pk=agreement.pk)
        assert fresh.state == AgreementState.ACTIVE
        assert fresh.termination_effective_at is None and fresh.termination_notice_at is None
    assert AuditEvent.objects.filter(action="governance.relationship.termination_withdrawn")
    assert Notification.objects.filter(
        recipient=world.sam, verb="relationship.termination_lifted"
    ).exists()


def test_a_termination_already_in_effect_cannot_be_withdrawn(
    world: World, running: tuple[Agreement, Agreement]
) -> None:
    measure = services.take_relationship_measure(
        world.alice, world.sme, "termination", REASONS | {"exception": "imperative_reason"}
    )
    assert not services.can_lift(measure)
    field, code = _refused_code(
        lambda: services.lift_relationship_measure(world.alice, measure, LIFT)
    )
    assert (field, code) == ("state", "already_effective")
    assert StatementOfReasons.objects.get(pk=measure.pk).lifted_at is None
    assert [_state(a) for a in running] == [AgreementState.TERMINATED] * 2


def test_a_reason_is_required(world: World, running: Any) -> None:
    measure = services.take_relationship_measure(world.alice, world.sme, "suspension", REASONS)
    field, code = _refused_code(
        lambda: services.lift_relationship_measure(world.alice, measure, {"reason": "  "})
    )
    assert (field, code) == ("reason", "required")


# --- who may ----------------------------------------------------------------------------


def test_only_the_platforms_write_members_may_lift(
    world: World, running: tuple[Agreement, Agreement]
) -> None:
    measure = services.take_relationship_measure(world.alice, world.sme, "suspension", REASONS)
    assert_refused(
        world,
        lambda actor: services.lift_relationship_measure(actor, measure, LIFT),
        "anonymous",
        "sme_a",
        "platform_viewer",
        "other_platform",
        "officer",
    )
    assert StatementOfReasons.objects.get(pk=measure.pk).lifted_at is None
    assert [_state(a) for a in running] == [AgreementState.SUSPENDED] * 2


def test_the_api_lifts_and_refuses_bad_input_naming_the_field(
    world: World, api_as: Any, running: tuple[Agreement, Agreement]
) -> None:
    measure = services.take_relationship_measure(world.alice, world.sme, "suspension", REASONS)
    path = f"/relationship-measures/{measure.pk}/lift"
    assert_api_refused(
        world,
        "POST",
        path,
        LIFT,
        anonymous=401,
        sme_a=403,
        platform_viewer=403,
        other_platform=404,
        sme_b=404,
    )
    alice = api_as(world.alice)
    for bad in ({}, {"reason": "x" * 2001}, {"reason": 12}):
        status, body = alice.post(path, bad)
        assert status == 422, body
        assert body["detail"][0]["loc"][-1] == "reason"
    status, body = alice.post(path, {"reason": ""})
    assert status == 422 and body["detail"][0]["loc"][-1] == "reason"
    assert alice.post("/relationship-measures/999999/lift", LIFT)[0] == 404

    status, body = alice.post(path, LIFT)
    assert status == 200, body
    assert body["lifted_at"] and body["lift_reason"] == LIFT["reason"]
    status, body = alice.post(path, LIFT)
    assert status == 422 and body["detail"][0]["type"] == "already_lifted"
    assert [_state(a) for a in running] == [AgreementState.ACTIVE] * 2


def test_the_api_refuses_a_request_under_a_suspension_with_a_4xx(
    world: World, api_as: Any, gpu: Resource, running: Any
) -> None:
    services.take_relationship_measure(world.alice, world.sme, "suspension", REASONS)
    today = timezone.localdate()
    payload = {
        "purpose": "Train a defect-detection model",
        "purpose_code": "research",
        "quantity": "20",
        "starts_on": str(today),
        "ends_on": str(today + timedelta(days=29)),
    }
    status, body = api_as(world.sam).post(f"/resources/{gpu.pk}/access-requests", payload)
    assert status == 422, body
    assert body["detail"][0]["loc"][-1] == "resource"
    assert body["detail"][0]["type"] == "relationship_suspension"


def test_the_page_offers_the_lift_to_the_platform_and_shows_the_sme_why(
    world: World, gpu: Resource, running: Any
) -> None:
    measure = services.take_relationship_measure(world.alice, world.sme, "suspension", REASONS)
    page = client_for(world.alice).get("/governance/measures/").content.decode()
    assert 'data-testid="lift-confirm"' in page
    sme_page = client_for(world.sam).get("/governance/measures/").content.decode()
    assert 'data-testid="lift-confirm"' not in sme_page
    request_page = client_for(world.sam).get(f"/access/resources/{gpu.pk}/request/")
    assert 'data-testid="measure-blocks"' in request_page.content.decode()
    assert f"#{measure.pk}" in request_page.content.decode()

    assert_page_refused(
        world,
        "POST",
        f"/governance/measures/{measure.pk}/lift/",
        LIFT,
        anonymous=LOGIN,
        sme_a=403,
        platform_viewer=403,
        other_platform=404,
    )
    response = client_for(world.alice).post(f"/governance/measures/{measure.pk}/lift/", {})
    assert response.status_code == 302
    assert StatementOfReasons.objects.get(pk=measure.pk).lifted_at is None
    response = client_for(world.alice).post(f"/governance/measures/{measure.pk}/lift/", LIFT)
    assert response.status_code == 302
    assert StatementOfReasons.objects.get(pk=measure.pk).lifted_at is not None
    page = client_for(world.alice).get("/governance/measures/").content.decode()
    assert 'data-testid="measure-lifted"' in page and 'data-testid="lift-confirm"' not in page


def test_the_resource_page_and_the_catalog_say_which_resources_a_measure_blocks(
    world: World, gpu: Resource, second: Resource, running: Any
) -> None:
    measure = services.take_relationship_measure(
        world.alice, world.sme, "restriction", REASONS | {"resources": [gpu.pk]}
    )
    sam = client_for(world.sam)
    blocked_page = sam.get(f"/resources/{gpu.pk}/").content.decode()
    assert 'data-testid="relationship-blocked"' in blocked_page
    assert f"#{measure.pk}" in blocked_page
    assert 'data-testid="request-access"' not in blocked_page
    open_page = sam.get(f"/resources/{second.pk}/").content.decode()
    assert 'data-testid="relationship-blocked"' not in open_page
    assert 'data-testid="request-access"' in open_page
    catalog = sam.get("/resources/").content.decode()
    assert catalog.count('data-testid="card-relationship-blocked"') == 1
    # Another SME of the same platform is not concerned.
    other = client_for(world.sid).get(f"/resources/{gpu.pk}/").content.decode()
    assert 'data-testid="request-access"' in other
    assert (
        'data-testid="card-relationship-blocked"'
        not in client_for(world.sid).get("/resources/").content.decode()
    )

    services.lift_relationship_measure(world.alice, measure, LIFT)
    lifted = sam.get(f"/resources/{gpu.pk}/").content.decode()
    assert 'data-testid="relationship-blocked"' not in lifted
    assert 'data-testid="request-access"' in lifted
    assert 'data-testid="card-relationship-blocked"' not in sam.get("/resources/").content.decode()
