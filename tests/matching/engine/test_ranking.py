"""The disclosed ranking: configuration rules, parameter values and the explanation."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from synergy_hub.eligibility import Seeker
from synergy_hub.matching.engine import ranking as rk
from synergy_hub.matching.engine.candidates import (
    Candidate,
    ResourceFacts,
    SearchFilters,
)

from .test_candidates import NOW, facts_strategy, make_candidate, seekers

ANYONE = Seeker()
NO_FILTERS = SearchFilters()
CONFIG = rk.DEFAULT_CONFIG


def value(name: str, candidate: Candidate, seeker: Seeker = ANYONE, **kw: Any) -> float:
    """Evaluate one parameter function with default context."""
    filters = kw.pop("filters", NO_FILTERS)
    config = kw.pop("config", CONFIG)
    return rk.PARAMETER_FUNCTIONS[name](candidate, seeker, filters, NOW, config)


# --- configuration -------------------------------------------------------------------------


def test_default_config_is_complete_and_sums_to_one() -> None:
    assert tuple(CONFIG.weights) == rk.PARAMETERS
    assert math.isclose(math.fsum(CONFIG.weights.values()), 1.0)
    assert set(CONFIG.rationale) == set(rk.PARAMETERS)
    assert set(rk.PARAMETER_DEFINITIONS) == set(rk.PARAMETERS)
    assert all(CONFIG.rationale[name] for name in rk.PARAMETERS)


def test_unknown_parameter_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match=r"unknown ranking parameter\(s\) \['sponsored'\]"):
        rk.RankingConfig("v2", {"relevance": 0.9, "sponsored": 0.1})


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ({"relevance": 1.1, "freshness": -0.1}, "non-negative"),
        ({"relevance": 0.5}, "sum to 1"),
        ({"relevance": float("nan")}, "finite"),
        ({"relevance": True}, "number"),
    ],
)
def test_bad_weights_are_refused(weights: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        rk.RankingConfig("v2", weights)


def test_other_settings_validated() -> None:
    with pytest.raises(ValueError, match="version"):
        rk.RankingConfig(" ", {"relevance": 1.0})
    with pytest.raises(ValueError, match="freshness_half_life_days"):
        rk.RankingConfig("v2", {"relevance": 1.0}, freshness_half_life_days=0)
    with pytest.raises(ValueError, match="price_reference"):
        rk.RankingConfig("v2", {"relevance": 1.0}, price_reference=Decimal(0))


def test_missing_weights_mean_zero_and_weights_within_tolerance_pass() -> None:
    config = rk.RankingConfig("v2", {"relevance": 0.5 + 1e-9, "freshness": 0.5})
    assert config.weights["price_fit"] == 0.0
    assert tuple(config.weights) == rk.PARAMETERS


def test_round_trip_through_json() -> None:
    data = json.loads(json.dumps(CONFIG.to_dict()))
    restored = rk.RankingConfig.from_dict(data)
    assert restored == CONFIG
    assert hash(restored) == hash(CONFIG)


def test_from_dict_refuses_unknown_keys_and_types() -> None:
    data = CONFIG.to_dict()
    with pytest.raises(ValueError, match="unknown key"):
        rk.RankingConfig.from_dict({**data, "boost": 1})
    with pytest.raises(ValueError, match="weights"):
        rk.RankingConfig.from_dict({**data, "weights": [1.0]})
    with pytest.raises(ValueError, match="price_reference"):
        rk.RankingConfig.from_dict({**data, "price_reference": "cheap"})
    with pytest.raises(ValueError, match="version"):
        rk.RankingConfig.from_dict({"weights": {"relevance": 1.0}})


def test_disclosure_lists_every_parameter() -> None:
    rows = rk.disclosure(CONFIG)
    assert [row.name for row in rows] == list(rk.PARAMETERS)
    assert [row.weight for row in rows] == list(CONFIG.weights.values())


# --- parameter functions -------------------------------------------------------------------


def test_relevance_passes_through() -> None:
    assert value("relevance", make_candidate(relevance=0.42)) == 0.42


@pytest.mark.parametrize(
    ("regions", "seeker_region", "expected"),
    [
        ({"440305"}, "440305", rk.REGION_SAME_PREFECTURE),
        ({"440300"}, "440305", rk.REGION_SAME_PREFECTURE),
        ({"440000"}, "440305", rk.REGION_SAME_PROVINCE),
        ({"440000", "440300"}, "440305", rk.REGION_SAME_PREFECTURE),
        (set(), "440305", rk.REGION_NATIONWIDE),
        ({"110000"}, "440305", rk.REGION_ELSEWHERE),
        ({"440300"}, None, rk.REGION_UNKNOWN_SEEKER),
    ],
)
def test_region_proximity(regions: set[str], seeker_region: str | None, expected: float) -> None:
    candidate = make_candidate(regions=frozenset(regions))
    assert value("region_proximity", candidate, Seeker(region=seeker_region)) == expected


def test_region_levels_are_ordered() -> None:
    assert rk.REGION_SAME_PREFECTURE > rk.REGION_SAME_PROVINCE > rk.REGION_NATIONWIDE
    assert rk.REGION_NATIONWIDE > rk.REGION_ELSEWHERE


def test_price_fit_free_budget_and_reference() -> None:
    free = make_candidate(access_mode="open")
    paid = make_candidate(access_mode="paid", price=Decimal(200), sme_discount_percent=50)
    unpriced = make_candidate(access_mode="paid")
    small = Seeker(size_class="small")
    assert value("price_fit", free) == 1.0
    assert value("price_fit", unpriced) == rk.NEUTRAL
    # 100 after the discount, against a budget of 100: half-way.
    budget = SearchFilters(price_ceiling=Decimal(100))
    assert value("price_fit", paid, small, filters=budget) == 0.5
    # Without a budget the reference price (1000) is the scale: 1 / (1 + 0.1).
    assert value("price_fit", paid, small) == pytest.approx(1 / 1.1)
    # A large seeker pays 200.
    large = Seeker(size_class="large")
    assert value("price_fit", paid, large, filters=budget) == pytest.approx(1 / 3)


def test_price_fit_decreases_with_price() -> None:
    prices = [Decimal(p) for p in (0, 1, 10, 100, 1000, 10_000)]
    values = [value("price_fit", make_candidate(access_mode="paid", price=p)) for p in prices]
    assert values == sorted(values, reverse=True)
    assert values[0] == 1.0 and values[-1] > 0


def test_free_capacity() -> None:
    assert value("free_capacity", make_candidate()) == 1.0  # unlimited
    half = make_candidate(capacity_total=Decimal(10), capacity_free=Decimal(5))
    assert value("free_capacity", half) == 0.5
    wants_six = SearchFilters(min_free_capacity=Decimal(6))
    assert value("free_capacity", half, filters=wants_six) == 0.0
    assert value("free_capacity", make_candidate(capacity_free=Decimal(3))) == 1.0
    assert value("free_capacity", make_candidate(capacity_free=Decimal(0))) == 0.0


def test_track_record_neutral_when_unknown() -> None:
    assert value("provider_track_record", make_candidate()) == 0.5
    assert value("provider_track_record", make_candidate(provider_track_record=0.9)) == 0.9


def test_freshness_halves_every_half_life() -> None:
    config = rk.RankingConfig("v2", {"relevance": 1.0}, freshness_half_life_days=30)
    new = make_candidate(published_at=NOW)
    month = make_candidate(published_at=NOW - timedelta(days=30))
    two_months = make_candidate(published_at=NOW - timedelta(days=60))
    future = make_candidate(published_at=NOW + timedelta(days=1))
    assert value("freshness", new, config=config) == 1.0
    assert value("freshness", month, config=config) == pytest.approx(0.5)
    assert value("freshness", two_months, config=config) == pytest.approx(0.25)
    assert value("freshness", future, config=config) == 1.0


def test_eligibility_fit_rewards_specific_targeting() -> None:
    seeker = Seeker(size_class="small", tier="srdi", industry="39")
    generic = make_candidate()
    narrow = make_candidate(
        eligible_size_classes=frozenset({"small"}),
        eligible_tiers=frozenset({"srdi"}),
        industries=frozenset({"39"}),
    )
    broad = make_candidate(
        eligible_size_classes=frozenset({"small", "micro"}), industries=frozenset({"C"})
    )
    excluded = make_candidate(eligible_size_classes=frozenset({"large"}))
    assert value("eligibility_fit", generic, seeker) == 0.5
    assert value("eligibility_fit", narrow, seeker) == 1.0
    # size: 0.5 + 0.5/2, tier: open 0.5, industry via section: 0.5 + 0.25.
    assert value("eligibility_fit", broad, seeker) == pytest.approx((0.75 + 0.5 + 0.75) / 3)
    assert value("eligibility_fit", excluded, seeker) == pytest.approx((0 + 0.5 + 0.5) / 3)
    assert value("eligibility_fit", narrow, ANYONE) == 0.5


# --- score ---------------------------------------------------------------------------------


def test_explanation_adds_up_to_total() -> None:
    results = rk.score(
        [make_candidate(0.9, resource_id=1), make_candidate(0.2, resource_id=2)],
        ANYONE,
        NO_FILTERS,
        CONFIG,
        NOW,
    )
    assert [r.resource_id for r in results] == [1, 2]
    for result in results:
        assert tuple(result.contributions) == rk.PARAMETERS
        for name, part in result.contributions.items():
            assert part.weight == CONFIG.weights[name]
            assert part.contribution == part.weight * part.value
        assert math.fsum(p.contribution for p in result.contributions.values()) == result.total
        explanation = result.explanation()
        assert explanation["config_version"] == CONFIG.version
        json.dumps(explanation)


def test_ties_break_by_resource_id() -> None:
    candidates = [make_candidate(0.5, resource_id=i) for i in (7, 3, 5)]
    results = rk.score(candidates, ANYONE, NO_FILTERS, CONFIG, NOW)
    assert [r.resource_id for r in results] == [3, 5, 7]
    assert len({r.total for r in results}) == 1


def test_provider_identity_and_type_do_not_move_results() -> None:
    """Nothing outside the disclosed parameters (no provider, no type) changes a total."""
    base = make_candidate(0.7, resource_id=1)
    variant = Candidate(
        replace(base.facts, provider_id=999, resource_type="model", provider_kind="sme"), 0.7
    )
    first = rk.score([base], ANYONE, NO_FILTERS, CONFIG, NOW)[0]
    second = rk.score([variant], ANYONE, NO_FILTERS, CONFIG, NOW)[0]
    assert first.total == second.total


def test_bad_inputs_refused() -> None:
    with pytest.raises(ValueError, match="duplicate resource ids \\[1\\]"):
        rk.score([make_candidate(), make_candidate()], ANYONE, NO_FILTERS, CONFIG, NOW)
    with pytest.raises(ValueError, match="now"):
        rk.score([], ANYONE, NO_FILTERS, CONFIG, NOW.replace(tzinfo=None))


@st.composite
def candidate_lists(draw: st.DrawFn) -> list[Candidate]:
    """Draw candidates with distinct ids."""
    ids = draw(st.lists(st.integers(1, 10_000), unique=True, max_size=12))
    return [Candidate(draw(facts_strategy(resource_id=i)), draw(st.floats(0, 1))) for i in ids]


@given(candidates=candidate_lists(), seeker=seekers, data=st.data())
def test_score_properties(candidates: list[Candidate], seeker: Seeker, data: st.DataObject) -> None:
    filters = SearchFilters(
        price_ceiling=data.draw(st.none() | st.decimals(0, 5_000, places=2)),
        min_free_capacity=data.draw(st.none() | st.decimals(0, 100, places=1)),
    )
    results = rk.score(candidates, seeker, filters, CONFIG, NOW)
    assert sorted(r.resource_id for r in results) == sorted(c.resource_id for c in candidates)
    assert [rk.sort_key(r) for r in results] == sorted(rk.sort_key(r) for r in results)
    for result in results:
        assert all(0.0 <= part.value <= 1.0 for part in result.contributions.values())
        assert math.fsum(p.contribution for p in result.contributions.values()) == result.total
        assert 0.0 <= result.total <= 1.0 + 1e-12
    shuffled = data.draw(st.permutations(candidates))
    again = rk.score(shuffled, seeker, filters, CONFIG, NOW)
    assert [(r.resource_id, r.total) for r in again] == [(r.resource_id, r.total) for r in results]


def test_scored_result_exposes_facts() -> None:
    result = rk.score([make_candidate(0.3)], ANYONE, NO_FILTERS, CONFIG, NOW)[0]
    assert isinstance(result.facts, ResourceFacts)
    assert result.relevance == 0.3
