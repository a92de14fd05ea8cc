"""An agreement's life: start, expiry, suspension, restriction, termination and the 30-day rule."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.http import Http404
from django.utils import timezone

from synergy_hub.access import selectors, services
from synergy_hub.access.models import Agreement, StatementOfReasons
from synergy_hub.access.services.terms import day_start
from synergy_hub.access.vocabulary import AgreementState
from synergy_hub.audit.models import AuditEvent
from synergy_hub.catalog.models import Resource
from tests.access.conftest import agreed, today
from tests.conftest import World
from tests.permissions import assert_refused

REASONS = {
    "facts": "The SME shared the data with a third party on 3 March.",
    "ground": "Usage policy: prohibition[0] (no redistribution).",
    "redress": "Object within 14 days through the hub; mediation by the programme office.",
}


def _codes(exc: pytest.ExceptionInfo[ValidationError], field: str) -> list[str]:
    return [e.code or "" for e in exc.value.error_dict[field]]


@pytest.fixture
def later(world: World, gpu: Resource) -> Agreement:
    """An agreement for a 5-day period starting in 10 days."""
    start = today() + timedelta(days=10)
    return agreed(world, gpu, starts_on=start, ends_on=start + timedelta(days=4))


def test_tick_activates_on_the_start_date_and_expires_at_the_end(later: Agreement) -> None:
    assert later.state == AgreementState.AGREED
    assert services.advance_agreements(day_start(later.starts_on) - timedelta(minutes=1)) == 0
    assert services.advance_agreements(day_start(later.starts_on)) == 1
    later.refresh_from_db()
    assert later.state == AgreementState.ACTIVE
    assert services.advance_agreements(later.ends_at) == 1
    later.refresh_from_db()
    assert later.state == AgreementState.EXPIRED and later.ended_at == later.ends_at
    assert services.advance_agreements(later.ends_at + timedelta(days=1)) == 0
    assert list(
        AuditEvent.objects.filter(object_id=str(later.pk), actor_id=None).values_list(
            "action", flat=True
        )
    ) == ["access.agreement.active", "access.agreement.expired"]


def test_management_command_ticks(later: Agreement) -> None:
    out = StringIO()
    moment = (later.ends_at + timedelta(hours=1)).isoformat()
    call_command("access", "tick", "--now", moment, stdout=out)
    assert "1 agreement(s) changed state" in out.getvalue()
    later.refresh_from_db()
    assert later.state == AgreementState.EXPIRED


def test_reading_an_agreement_brings_it_up_to_date(world: World, later: Agreement) -> None:
    Agreement.objects.filter(pk=later.pk).update(
        starts_at=timezone.now() - timedelta(days=3), ends_at=timezone.now() - timedelta(days=1)
    )
    seen = selectors.agreement_for_party(world.sam, later.pk)
    assert seen.state == AgreementState.EXPIRED


def test_outsiders_get_404(world: World, later: Agreement) -> None:
    from django.http import Http404

    for outsider in (world.charlie, world.sid, world.officer):
        with pytest.raises(Http404):
            selectors.agreement_for_party(outsider, later.pk)
    assert selectors.agreement_for_party(world.bob, later.pk) == later  # a viewer may read


def test_suspend_and_resume(world: World, gpu: Resource) -> None:
    agreement = agreed(world, gpu)
    with pytest.raises(PermissionDenied):
        services.suspend_agreement(world.sam, agreement, REASONS)
    with pytest.raises(ValidationError) as exc:
        services.suspend_agreement(world.alice, agreement, {})
    assert set(exc.value.error_dict) == {"facts", "ground", "redress"}
    services.suspend_agreement(world.alice, agreement, REASONS)
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.SUSPENDED
    assert StatementOfReasons.objects.get(agreement=agreement).kind == "suspension"
    with pytest.raises(ValidationError) as exc:
        services.suspend_agreement(world.alice, agreement, REASONS)
    assert _codes(exc, "state") == ["illegal_transition"]
    services.resume_agreement(world.alice, agreement)
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.ACTIVE


def test_restriction_lowers_the_quantity_with_reasons(world: World, gpu: Resource) -> None:
    agreement = agreed(world, gpu)
    services.record_use(world.alice, agreement, {"quantity": "4"})
    with pytest.raises(ValidationError) as exc:
        services.restrict_agreement(world.alice, agreement, REASONS | {"quantity": "3"})
    assert _codes(exc, "quantity") == ["invalid_restriction"]
    with pytest.raises(PermissionDenied):
        services.restrict_agreement(world.sam, agreement, REASONS | {"quantity": "6"})
    services.restrict_agreement(world.alice, agreement, REASONS | {"quantity": "6"})
    agreement.refresh_from_db()
    assert agreement.quantity == Decimal(6) and agreement.state == AgreementState.ACTIVE
    assert StatementOfReasons.objects.get(agreement=agreement).kind == "restriction"


def test_termination_of_an_active_agreement_needs_30_days_notice(
    world: World, gpu: Resource
) -> None:
    agreement = agreed(world, gpu, ends_on=today() + timedelta(days=90))
    too_soon = today() + timedelta(days=29)
    with pytest.raises(ValidationError) as exc:
        services.terminate_agreement(world.alice, agreement, REASONS | {"effective_on": too_soon})
    assert _codes(exc, "effective_on") == ["notice_too_short"]
    services.terminate_agreement(world.alice, agreement, REASONS)
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.ACTIVE  # still in force during the notice
    assert agreement.termination_effective_at == day_start(today() + timedelta(days=30))
    assert StatementOfReasons.objects.get(agreement=agreement).kind == "termination"
    with pytest.raises(ValidationError) as exc:  # notice already given
        services.terminate_agreement(world.sam, agreement, REASONS)
    assert _codes(exc, "state") == ["termination_pending"]
    services.advance_agreements(agreement.termination_effective_at)
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.TERMINATED


def test_the_sme_may_choose_a_later_date(world: World, gpu: Resource) -> None:
    agreement = agreed(world, gpu, ends_on=today() + timedelta(days=90))
    services.terminate_agreement(
        world.sam, agreement, REASONS | {"effective_on": today() + timedelta(days=45)}
    )
    agreement.refresh_from_db()
    assert agreement.termination_effective_at == day_start(today() + timedelta(days=45))


@pytest.mark.parametrize("ground", ["legal_obligation", "repeated_infringement"])
def test_an_exception_ground_ends_it_at_once(world: World, gpu: Resource, ground: str) -> None:
    agreement = agreed(world, gpu)
    services.terminate_agreement(world.alice, agreement, REASONS | {"exception": ground})
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.TERMINATED
    statement = StatementOfReasons.objects.get(agreement=agreement)
    assert statement.exception == ground and statement.facts == REASONS["facts"]
    assert not agreement.access_request.bookings.filter(
        released_at__isnull=True, slot__starts_on__gt=today()
    ).exists()


def test_unknown_exception_ground_is_refused(world: World, gpu: Resource) -> None:
    agreement = agreed(world, gpu)
    with pytest.raises(ValidationError) as exc:
        services.terminate_agreement(world.alice, agreement, REASONS | {"exception": "whim"})
    assert _codes(exc, "exception") == ["invalid_choice"]


def test_an_agreement_not_started_ends_at_once(world: World, later: Agreement) -> None:
    services.terminate_agreement(world.sam, later, REASONS)
    later.refresh_from_db()
    assert later.state == AgreementState.TERMINATED
    booked = later.access_request.bookings.get()
    assert booked.released_at is not None
    booked.slot.refresh_from_db()
    assert booked.slot.booked == 0


def test_ending_before_the_start_frees_a_slot_that_has_begun(world: World, gpu: Resource) -> None:
    """A notice that takes effect before the period starts gives back all its capacity,
    even in a monthly slot that began before the termination (and holds no use of it)."""
    month = (today() + timedelta(days=50)).replace(day=1)
    agreement = agreed(
        world,
        gpu,
        starts_on=month + timedelta(days=20),
        ends_on=month + timedelta(days=24),
    )
    services.terminate_agreement(
        world.sam, agreement, REASONS | {"effective_on": month + timedelta(days=10)}
    )
    agreement.refresh_from_db()
    booked = agreement.access_request.bookings.get()
    assert booked.slot.starts_on == month and booked.released_at is None
    assert services.advance_agreements(agreement.termination_effective_at) == 1
    agreement.refresh_from_db()
    booked.refresh_from_db()
    booked.slot.refresh_from_db()
    assert agreement.state == AgreementState.TERMINATED
    assert booked.released_at is not None and booked.slot.booked == 0


def test_termination_needs_reasons_and_a_party(world: World, gpu: Resource) -> None:
    agreement = agreed(world, gpu)
    with pytest.raises(ValidationError) as exc:
        services.terminate_agreement(world.alice, agreement, {"exception": "legal_obligation"})
    assert set(exc.value.error_dict) == {"facts", "ground", "redress"}
    with pytest.raises(PermissionDenied):
        services.terminate_agreement(world.charlie, agreement, REASONS)


def test_ended_agreements_cannot_be_terminated(world: World, later: Agreement) -> None:
    services.advance_agreements(later.ends_at)
    with pytest.raises(ValidationError) as exc:
        services.terminate_agreement(world.alice, later, REASONS)
    assert _codes(exc, "state") == ["illegal_transition"]


def test_both_sides_are_notified_of_system_steps(world: World, later: Agreement) -> Any:
    services.advance_agreements(day_start(later.starts_on))
    told = set(later.provider.memberships.values_list("user__email", flat=True)) | set(
        later.consumer.memberships.values_list("user__email", flat=True)
    )
    from synergy_hub.access.models import Notification

    notified = set(
        Notification.objects.filter(verb="agreement.activated").values_list(
            "recipient__email", flat=True
        )
    )
    assert notified == told


# --- who is refused (the personas of tests/conftest.py) ------------------------------------

#: Everyone who is neither the provider's editors nor the SME's: the provider's viewer,
#: the other organisations of every kind, the officer and visitors.
NEITHER_PARTY = ("anonymous", "platform_viewer", "other_platform", "provider", "sme_b", "officer")


def test_the_providers_steps_on_an_agreement_are_refused_to_the_sme_and_outsiders(
    world: World, gpu: Resource
) -> None:
    agreement = agreed(world, gpu)
    assert_refused(
        world,
        lambda actor: services.suspend_agreement(actor, agreement, REASONS),
        "sme_a",
        *NEITHER_PARTY,
    )
    assert_refused(
        world,
        lambda actor: services.restrict_agreement(actor, agreement, REASONS | {"quantity": "5"}),
        "sme_a",
        *NEITHER_PARTY,
    )
    services.suspend_agreement(world.alice, agreement, REASONS)
    assert_refused(
        world, lambda actor: services.resume_agreement(actor, agreement), "sme_a", *NEITHER_PARTY
    )
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.SUSPENDED and agreement.quantity == 10


def test_either_party_terminates_but_no_one_else(world: World, gpu: Resource) -> None:
    agreement = agreed(world, gpu)
    assert_refused(
        world,
        lambda actor: services.terminate_agreement(
            actor, agreement, REASONS | {"exception": "legal_obligation"}
        ),
        *NEITHER_PARTY,
    )
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.ACTIVE
    assert not StatementOfReasons.objects.exists()


def test_an_agreement_is_read_by_its_two_parties_only(world: World, later: Agreement) -> None:
    assert_refused(
        world,
        lambda actor: selectors.agreement_for_party(actor, later.pk),
        "anonymous",
        "other_platform",
        "provider",
        "sme_b",
        "officer",
        raises=Http404,
    )
    assert selectors.agreement_for_party(world.sam, later.pk) == later
