"""Metered use: checked against the agreement, its policy and quantity; denials name the rule."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from synergy_hub import odrl
from synergy_hub.access import decisions, selectors, services
from synergy_hub.access.models import Agreement, UsageRecord
from synergy_hub.access.vocabulary import AgreementState
from synergy_hub.catalog.models import Resource
from tests.access.conftest import agreed, policy_document, today
from tests.conftest import World
from tests.permissions import assert_refused

REASONS = {"facts": "Late payment twice.", "ground": "Clause 7.", "redress": "Mediation."}


def _use(world: World, agreement: Agreement, **data: object) -> UsageRecord:
    return services.record_use(world.alice, agreement, {"quantity": "1"} | data)


def test_a_permitted_use_counts_against_the_quantity(world: World, gpu: Resource) -> None:
    agreement = agreed(world, gpu)
    usage = _use(world, agreement, quantity="2.5")
    assert usage.permitted and usage.code == "permitted"
    agreement.refresh_from_db()
    assert agreement.used_quantity == Decimal("2.5")
    assert agreement.remaining_quantity == Decimal("7.5")


def test_use_outside_the_region_is_denied_naming_the_rule(world: World, gpu: Resource) -> None:
    """The SME is in Hangzhou (330100); the policy allows Guangdong only."""
    policy = policy_document(odrl.research_only(), odrl.region_limited(["440000"]))
    agreement = agreed(world, gpu, policy)
    usage = _use(world, agreement)
    assert not usage.permitted
    assert usage.code == "outside_region"
    assert usage.path == "permission[0].constraint[1]" and usage.rule_path == "permission[0]"
    assert usage.params["actual"] == "330100"
    with translation.override("en"):
        reason = decisions.explain(usage.code, usage.params)
    assert "330100" in reason and "condition 2 of permission 1" in reason
    agreement.refresh_from_db()
    assert agreement.used_quantity == 0  # a denied use is kept, but not counted
    assert UsageRecord.objects.filter(agreement=agreement, permitted=False).count() == 1
    # Reported from inside the allowed region, the same use is permitted.
    assert _use(world, agreement, region="440300").permitted


def test_purpose_and_prohibitions_decide(world: World, gpu: Resource) -> None:
    policy = policy_document(odrl.research_only(), odrl.no_redistribution())
    agreement = agreed(world, gpu, policy)
    assert _use(world, agreement).permitted  # the request's purpose is research
    commercial = _use(world, agreement, purpose="commercial")
    assert commercial.code == "purpose_not_allowed"
    assert commercial.path == "permission[0].constraint[0]"
    shared = _use(world, agreement, action="distribute")
    assert shared.code == "prohibited" and shared.path == "prohibition[0]"


def test_count_limit_and_industry(world: World, gpu: Resource) -> None:
    sections = odrl.Policy(
        uid="urn:uuid:industry",
        permissions=(
            odrl.Permission(
                odrl.Action("use"), constraints=(odrl.Constraint("industry", "isPartOf", "I"),)
            ),
        ),
    )
    policy = policy_document(sections, odrl.count_limited(2))
    agreement = agreed(world, gpu, policy)  # the SME's industry 65 is in section I
    assert _use(world, agreement).permitted and _use(world, agreement).permitted
    third = _use(world, agreement)
    assert third.code == "count_limit_reached" and third.path == "permission[0].constraint[1]"


def test_over_quantity_is_denied(world: World, gpu: Resource) -> None:
    agreement = agreed(world, gpu)
    _use(world, agreement, quantity="9")
    usage = _use(world, agreement, quantity="2")
    assert not usage.permitted and usage.code == "quantity_exceeded"
    assert usage.path == "agreement.quantity" and usage.params["remaining"] == "1.00"


def test_using_it_all_completes_the_agreement(world: World, gpu: Resource) -> None:
    agreement = agreed(world, gpu)
    _use(world, agreement, quantity="10")
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.COMPLETED
    assert _use(world, agreement).code == "agreement_not_active"


def test_policy_period_is_enforced(world: World, gpu: Resource) -> None:
    tomorrow = today() + timedelta(days=1)
    agreement = agreed(world, gpu, policy_document(odrl.time_limited(start=tomorrow)))
    usage = _use(world, agreement)
    assert usage.code == "not_yet_valid" and usage.path == "permission[0].constraint[0]"


def test_a_use_cannot_be_reported_from_the_future(world: World, gpu: Resource) -> None:
    agreement = agreed(world, gpu)
    with pytest.raises(ValidationError) as exc:
        _use(world, agreement, occurred_at=timezone.now() + timedelta(days=2))
    assert exc.value.error_dict["occurred_at"][0].code == "in_future"


def test_policy_time_window_denies_with_expired(world: World, gpu: Resource) -> None:
    yesterday = today() - timedelta(days=1)
    policy = policy_document(odrl.time_limited(end=yesterday))
    agreement = agreed(world, gpu, policy)
    usage = _use(world, agreement)
    assert usage.code == "expired" and usage.path == "permission[0].constraint[0]"


def test_use_outside_the_agreement_period(world: World, gpu: Resource) -> None:
    agreement = agreed(world, gpu)
    before = agreement.starts_at - timedelta(hours=1)
    usage = _use(world, agreement, occurred_at=before)
    assert usage.code == "outside_agreement_period" and usage.path == "agreement.period"


def test_expired_agreement_denies(world: World, gpu: Resource) -> None:
    agreement = agreed(world, gpu)
    Agreement.objects.filter(pk=agreement.pk).update(ends_at=timezone.now() - timedelta(minutes=1))
    usage = _use(world, agreement)
    assert usage.code == "agreement_not_active" and usage.params == {"state": "expired"}
    agreement.refresh_from_db()
    assert agreement.state == AgreementState.EXPIRED


def test_not_started_and_suspended_agreements_deny(world: World, gpu: Resource) -> None:
    start = today() + timedelta(days=3)
    waiting = agreed(world, gpu, starts_on=start, ends_on=start + timedelta(days=3))
    assert _use(world, waiting).params == {"state": "agreed"}
    active = agreed(world, gpu)
    services.suspend_agreement(world.alice, active, REASONS)
    assert _use(world, active).params == {"state": "suspended"}


def test_only_the_provider_meters(world: World, gpu: Resource) -> None:
    agreement = agreed(world, gpu)
    with pytest.raises(PermissionDenied):
        _use_as(world.sam, agreement)
    with pytest.raises(PermissionDenied):
        _use_as(world.charlie, agreement)


def _use_as(user: object, agreement: Agreement) -> UsageRecord:
    return services.record_use(user, agreement, {"quantity": "1"})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"quantity": "-1"}, "quantity"),
        ({"quantity": "x"}, "quantity"),
        ({"action": "teleport"}, "action"),
        ({"purpose": "spying"}, "purpose"),
        ({"region": "Hangzhou"}, "region"),
    ],
)
def test_bad_usage_input(world: World, gpu: Resource, data: dict[str, str], field: str) -> None:
    agreement = agreed(world, gpu)
    with pytest.raises(ValidationError) as exc:
        _use(world, agreement, **data)
    assert field in exc.value.error_dict
    assert not UsageRecord.objects.exists()


def test_both_sides_see_the_same_usage(world: World, gpu: Resource) -> None:
    agreement = agreed(world, gpu, policy_document(odrl.region_limited(["440000"])))
    _use(world, agreement)
    _use(world, agreement, region="440100")
    for user in (world.alice, world.sam, world.bob):
        seen = selectors.agreement_for_party(user, agreement.pk)
        assert [u.permitted for u in selectors.usage_of(seen)] == [True, False]


def test_every_persona_but_the_providers_editors_is_refused_metering(
    world: World, gpu: Resource
) -> None:
    agreement = agreed(world, gpu)
    assert_refused(
        world,
        lambda actor: _use_as(actor, agreement),
        "anonymous",
        "sme_a",
        "platform_viewer",
        "other_platform",
        "provider",
        "sme_b",
        "officer",
    )
    assert not UsageRecord.objects.exists()
