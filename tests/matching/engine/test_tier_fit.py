"""The ranking's eligibility fit reads a tier condition as the eligibility rule does: the
tier named and every tier above it (decision 0031)."""

from __future__ import annotations

import pytest

from synergy_hub.eligibility import Seeker
from synergy_hub.matching.engine import ranking as rk

from .test_candidates import NOW, make_candidate
from .test_ranking import CONFIG, NO_FILTERS


def _fit(tiers: set[str], tier: str) -> float:
    candidate = make_candidate(eligible_tiers=frozenset(tiers))
    fit = rk.PARAMETER_FUNCTIONS["eligibility_fit"]
    return fit(candidate, Seeker(tier=tier), NO_FILTERS, NOW, CONFIG)


@pytest.mark.parametrize(
    ("tiers", "tier", "tier_part"),
    [
        ({"srdi"}, "srdi", 1.0),
        ({"srdi"}, "little_giant", 1.0),  # above the tier named: inside, as eligible
        ({"srdi"}, "innovative", 0.0),  # below it: outside
        ({"srdi", "innovative"}, "little_giant", 0.75),
        ({"little_giant"}, "", 0.0),
    ],
)
def test_a_higher_tier_fits_a_resource_opened_to_a_lower_one(
    tiers: set[str], tier: str, tier_part: float
) -> None:
    # size class and industry are open here (0.5 each); the tier part varies.
    assert _fit(tiers, tier) == pytest.approx((0.5 + tier_part + 0.5) / 3)
