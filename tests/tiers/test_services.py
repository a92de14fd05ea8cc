"""Entering indicators and keeping evaluations: own SME members only, audited, checked."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from synergy_hub.audit.models import AuditEvent
from synergy_hub.tiers import selectors, services
from synergy_hub.tiers.models import IndicatorYear, TierEvaluation
from tests.conftest import World
from tests.permissions import assert_refused

SRDI_2024 = {"revenue": "80", "main_business_share": "85", "rd_spend": "4"}
SRDI_2025: dict[str, Any] = {
    "revenue": "90",
    "main_business_share": "85",
    "rd_spend": "3.6",
    "rd_staff_share": "20",
    "class_i_ip": 1,
    "ip_level": "class_i",
    "years_in_niche": 4,
    "niche_market_share": "5",
    "global_market_rank": 40,
    "debt_to_asset": "50",
    "equity_financing_3y": 0,
    "strategic_emerging": True,
    "st_award_3y": False,
    "high_tech_certificate": False,
    "provincial_rd_institution": False,
    "srdi_score": 70,
}


def enter_srdi_sme(world: World) -> None:
    """Sam's SME enters two years that make it an SRDI SME (not yet a little giant)."""
    services.save_indicators(world.sam, 2024, SRDI_2024)
    services.save_indicators(world.sam, 2025, SRDI_2025)


def test_a_member_enters_a_year_and_the_change_is_audited(world: World) -> None:
    row = services.save_indicators(world.sam, 2025, SRDI_2025)
    assert row.organisation == world.sme and row.values["revenue"] == "90"
    event = AuditEvent.objects.get(action="tiers.indicators.saved")
    assert event.organisation_id == world.sme.pk
    services.save_indicators(world.sam, 2025, {"revenue": "95"})
    assert IndicatorYear.objects.get().values == {"revenue": "95"}
    assert AuditEvent.objects.filter(action="tiers.indicators.saved").count() == 2
    assert selectors.own_values(world.sam)[2025] == {"revenue": Decimal("95")}


def test_bad_values_are_refused_naming_the_field_and_nothing_is_written(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        services.save_indicators(world.sam, 1800, {"debt_to_asset": "-3", "ip_level": "best"})
    assert set(caught.value.message_dict) == {"year", "debt_to_asset", "ip_level"}
    assert not IndicatorYear.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="tiers.").exists()


def test_only_an_smes_own_members_enter_indicators(world: World) -> None:
    assert_refused(
        world,
        lambda actor: services.save_indicators(actor, 2025, SRDI_2025),
        "anonymous",
        "platform_operator",
        "platform_viewer",
        "officer",
    )


def test_another_organisation_never_sees_or_changes_an_smes_indicators(world: World) -> None:
    enter_srdi_sme(world)
    services.save_indicators(world.sid, 2025, {"revenue": "1"})
    assert selectors.own_values(world.sid) == {2025: {"revenue": Decimal("1")}}
    assert selectors.own_values(world.sam)[2025]["revenue"] == Decimal("90")


def test_keeping_an_evaluation_stores_the_breakdown_audited(world: World) -> None:
    enter_srdi_sme(world)
    kept = services.keep_evaluation(world.sam, 2025, "cn-2022")
    assert (kept.tier, kept.status, kept.organisation) == ("srdi_sme", "determined", world.sme)
    assert kept.breakdown["next_tier"] == "little_giant"
    assert AuditEvent.objects.filter(action="tiers.evaluation.kept").count() == 1
    with pytest.raises(ValidationError) as caught:
        services.keep_evaluation(world.sam, 2025, "cn-1999")
    assert "rule_set" in caught.value.message_dict


def test_an_evaluation_is_kept_only_by_the_smes_members(world: World) -> None:
    assert_refused(
        world,
        lambda actor: services.keep_evaluation(actor, 2025, "cn-2022"),
        "anonymous",
        "platform_operator",
        "officer",
    )
    assert not TierEvaluation.objects.exists()
