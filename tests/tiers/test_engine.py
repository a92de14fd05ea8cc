"""The tier engine against the policy notes: every band, every threshold, whole enterprises.

The parametrised cases walk the rule data, but the expected numbers are written out here
by hand from the notes, so a wrong number in the rule data fails a test.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal as D
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synergy_hub.tiers.engine import INDICATORS, Status, evaluate, rule_set_for
from synergy_hub.tiers.engine.indicators import ENTERED, IP_LEVELS, validate_year_values
from synergy_hub.tiers.engine.rules import (
    AllOf,
    AnyOf,
    Band,
    ByBand,
    Flag,
    Requirement,
    Scoring,
    Threshold,
)
from synergy_hub.tiers.engine.rulesets import CN_2022, CN_2026, RULE_SETS, TIERS, add_on

# --- hand-written from the notes (POLICY.md, gradient cultivation) -----------------------

# Innovative SME scoring, 2022: (indicator, low, high) -> points
EXPECTED_BANDS = {
    ("rd_intensity", D(5), None): 20,
    ("rd_intensity", D(3), D(5)): 15,
    ("rd_intensity", D(2), D(3)): 10,
    ("rd_intensity", D(1), D(2)): 5,
    ("revenue_growth", D(15), None): 20,
    ("revenue_growth", D(10), D(15)): 15,
    ("revenue_growth", D(5), D(10)): 10,
    ("revenue_growth", D(0), D(5)): 5,
    ("debt_to_asset", None, D(55)): 10,
    ("debt_to_asset", D(55), D(75)): 5,
    ("main_business_share", D(70), None): 20,
    ("main_business_share", D(60), D(70)): 15,
    ("main_business_share", D(55), D(60)): 10,
    ("main_business_share", D(50), D(55)): 5,
}
EXPECTED_CHOICES = {
    ("ip_level", "class_i_high_value"): 20,
    ("ip_level", "class_i_own"): 15,
    ("ip_level", "class_i"): 10,
    ("ip_level", "class_ii"): 5,
    ("ip_level", "none"): 0,
    ("strategic_emerging", "yes"): 10,
    ("strategic_emerging", "no"): 5,
}
# rule code -> ("min" | "max", value)
EXPECTED_THRESHOLDS = {
    "innovative_sme_2022.equity": ("min", D(5)),
    "srdi_2022.years": ("min", D(2)),
    "srdi_2022.rd_spend": ("min", D(1)),
    "srdi_2022.rd_intensity": ("min", D(3)),
    "srdi_2022.revenue": ("min", D(10)),
    "srdi_2022.equity": ("min", D(20)),
    "srdi_2022.score": ("min", D(60)),
    "little_giant_2022.years": ("min", D(3)),
    "little_giant_2022.main_share": ("min", D(70)),
    "little_giant_2022.main_growth": ("min", D(5)),
    "little_giant_2022.debt": ("max", D(70)),
    "little_giant_2022.market_share": ("min", D(10)),
    "little_giant_2022.rd_intensity_large": ("min", D(3)),
    "little_giant_2022.rd_intensity_medium": ("min", D(6)),
    "little_giant_2022.small_equity": ("min", D(80)),
    "little_giant_2022.small_rd_spend": ("min", D(30)),
    "little_giant_2022.small_rd_staff": ("min", D(50)),
    "little_giant_2022.class_i_ip": ("min", D(2)),
    "single_champion.niche_share": ("min", D(70)),
    "single_champion.global_rank": ("max", D(3)),
    "single_champion.years": ("min", D(10)),
    "srdi_2026.years": ("min", D(3)),
    "srdi_2026.revenue": ("min", D(15)),
    "srdi_2026.equity": ("min", D(20)),
    "srdi_2026.main_share": ("min", D(80)),
    "srdi_2026.debt": ("max", D(80)),
    "srdi_2026.rd_spend": ("min", D(1)),
    "srdi_2026.rd_intensity": ("min", D(3)),
    "srdi_2026.rd_spend_prev": ("min", D(1)),
    "srdi_2026.rd_intensity_prev": ("min", D(3)),
    "srdi_2026.class_i_ip": ("min", D(1)),
    "srdi_2026.score": ("min", D(50)),
}
EXPECTED_FLAGS = {
    "innovative_sme_2022.st_award",
    "innovative_sme_2022.high_tech",
    "innovative_sme_2022.rd_institution",
}
EPSILON = D("0.01")


def _walk(requirement: Requirement) -> Iterator[Requirement]:
    yield requirement
    if isinstance(requirement, AnyOf | AllOf):
        for item in requirement.items:
            yield from _walk(item)
    if isinstance(requirement, ByBand):
        for _band, item in requirement.branches:
            yield from _walk(item)


def _all(kind: type) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for rule_set in RULE_SETS.values():
        for tier in rule_set.tiers:
            for top in tier.requirements + tier.direct_pass:
                for requirement in _walk(top):
                    if isinstance(requirement, kind):
                        found[requirement.code] = requirement
    return found


THRESHOLDS = _all(Threshold)
SCORED = [item for scoring in _all(Scoring).values() for item in scoring.items]


def _no_needs(indicator: str) -> tuple[tuple[str, int], ...]:
    return ((indicator, 0),)


def test_every_rule_in_the_data_has_a_hand_written_expectation() -> None:
    assert set(THRESHOLDS) == set(EXPECTED_THRESHOLDS)
    assert set(_all(Flag)) == EXPECTED_FLAGS
    bands = {(i.indicator, b.low, b.high) for i in SCORED for b in i.bands}
    assert bands == set(EXPECTED_BANDS)
    choices = {(i.indicator, c) for i in SCORED for c, _ in i.choice_points}
    assert choices == set(EXPECTED_CHOICES)


@pytest.mark.parametrize("code", sorted(EXPECTED_THRESHOLDS))
def test_threshold_passes_at_its_value_and_fails_just_beyond(code: str) -> None:
    rule: Threshold = THRESHOLDS[code]
    direction, value = EXPECTED_THRESHOLDS[code]
    beyond = value - EPSILON if direction == "min" else value + EPSILON
    status, [check] = rule.check({rule.indicator: value}, _no_needs)
    assert status == Status.PASS and check.shortfall is None
    status, [check] = rule.check({rule.indicator: beyond}, _no_needs)
    assert status == Status.FAIL
    assert check.shortfall == EPSILON and check.required == value


@pytest.mark.parametrize("code", sorted(EXPECTED_THRESHOLDS))
def test_threshold_without_its_indicator_is_unknown_never_failed(code: str) -> None:
    rule: Threshold = THRESHOLDS[code]
    status, [check] = rule.check({}, _no_needs)
    assert status == Status.UNKNOWN and check.missing == ((rule.indicator, 0),)


@pytest.mark.parametrize("code", sorted(EXPECTED_FLAGS))
def test_direct_pass_flag(code: str) -> None:
    rule: Flag = _all(Flag)[code]
    assert rule.check({rule.indicator: True}, _no_needs)[0] == Status.PASS
    assert rule.check({rule.indicator: False}, _no_needs)[0] == Status.FAIL


def _inside(band: Band) -> D:
    """A value the band holds: its closed end."""
    if band.closed == "low":
        return band.low if band.low is not None else band.high - EPSILON  # type: ignore[operator]
    return band.high if band.high is not None else band.low + EPSILON  # type: ignore[operator]


def _outside(band: Band) -> D:
    """A value just past the band's worse end (the failing case)."""
    if band.closed == "low":
        assert band.low is not None
        return band.low - EPSILON
    assert band.high is not None
    return band.high + EPSILON


@pytest.mark.parametrize(
    ("indicator", "band"),
    [(i.indicator, b) for i in SCORED for b in i.bands],
    ids=lambda v: str(v),
)
def test_band_scores_its_points_inside_and_less_just_outside(indicator: str, band: Band) -> None:
    item = next(i for i in SCORED if i.indicator == indicator)
    expected = EXPECTED_BANDS[(indicator, band.low, band.high)]
    assert item.score(_inside(band)) == (expected, band)
    points, _ = item.score(_outside(band))
    assert points < expected


@pytest.mark.parametrize(("indicator", "choice"), sorted(EXPECTED_CHOICES))
def test_choice_points(indicator: str, choice: str) -> None:
    item = next(i for i in SCORED if i.indicator == indicator)
    value: Any = choice if indicator == "ip_level" else choice == "yes"
    assert item.score(value)[0] == EXPECTED_CHOICES[(indicator, choice)]


@pytest.mark.parametrize(
    ("revenue", "branch"),
    [
        (D(100), "little_giant_2022.rd_intensity_large"),
        (D("99.99"), "little_giant_2022.rd_intensity_medium"),
        (D(50), "little_giant_2022.rd_intensity_medium"),
        (D("49.99"), "little_giant_2022.small_equity"),
    ],
)
def test_little_giant_rd_rule_follows_the_revenue_band(revenue: D, branch: str) -> None:
    rule = next(r for r in _all(ByBand).values())
    _status, checks = rule.check({"revenue": revenue}, _no_needs)
    assert checks[0].kind == "band" and checks[0].actual == revenue
    assert checks[1].rule == branch


# --- whole enterprises -----------------------------------------------------------------


def enterprise(**overrides: Any) -> dict[int, dict[str, Any]]:
    """A fully entered SRDI SME (2022 and 2026 rules), overrides for the year 2025."""
    last = {"revenue": D(80), "main_business_share": D(85), "rd_spend": D(4)}
    now: dict[str, Any] = {
        "revenue": D(90),  # growth 12.5 %
        "main_business_share": D(85),
        "rd_spend": D("3.6"),  # 4 %
        "rd_staff_share": D(20),
        "class_i_ip": D(1),
        "ip_level": "class_i",
        "years_in_niche": D(4),
        "niche_market_share": D(5),
        "global_market_rank": D(40),
        "debt_to_asset": D(50),
        "equity_financing_3y": D(0),
        "strategic_emerging": True,
        "st_award_3y": False,
        "high_tech_certificate": False,
        "provincial_rd_institution": False,
        "srdi_score": D(70),
    }
    now.update(overrides)
    return {2024: last, 2025: now}


NOTHING = {
    "ip_level": "none",
    "rd_spend": D("0.5"),
    "strategic_emerging": False,
    "main_business_share": D(40),
}
INNOVATIVE_ONLY = {"srdi_score": D(40)}
LITTLE_GIANT = {
    "revenue": D(120),
    "rd_spend": D(6),
    "niche_market_share": D(12),
    "class_i_ip": D(3),
    "ip_level": "class_i_high_value",
}
CHAMPION = LITTLE_GIANT | {"global_market_rank": D(2), "years_in_niche": D(12)}


@pytest.mark.parametrize("rule_set", [CN_2022, CN_2026], ids=lambda r: r.code)
@pytest.mark.parametrize(
    ("overrides", "tier"),
    [
        (NOTHING, None),
        (INNOVATIVE_ONLY, "innovative_sme"),
        ({}, "srdi_sme"),
        (LITTLE_GIANT, "little_giant"),
        (CHAMPION, "single_champion"),
    ],
)
def test_example_enterprise_lands_on_its_tier(rule_set: Any, overrides: Any, tier: Any) -> None:
    result = evaluate(rule_set, enterprise(**overrides), 2025)
    assert result.tier == tier
    assert result.status == "determined"


def test_the_path_says_what_blocks_the_next_tier_and_by_how_much() -> None:
    result = evaluate(CN_2022, enterprise(rd_spend=D("2.16")), 2025)  # 2.4 % of 90
    assert result.tier == "innovative_sme" and result.next_tier == "srdi_sme"
    [block] = result.blocking
    assert (block.indicator, block.actual, block.required, block.shortfall) == (
        "rd_intensity",
        D("2.4"),
        D(3),
        D("0.6"),
    )


def test_srdi_sme_sees_the_little_giant_blockers() -> None:
    result = evaluate(CN_2022, enterprise(), 2025)
    assert result.tier == "srdi_sme" and result.next_tier == "little_giant"
    blocked = {c.rule: c.shortfall for c in result.blocking}
    assert blocked == {
        "little_giant_2022.market_share": D(5),
        "little_giant_2022.rd_intensity_medium": D(2),
        "little_giant_2022.class_i_ip": D(1),
    }


def test_missing_indicators_give_unknown_with_what_to_enter() -> None:
    values = enterprise()
    del values[2025]["srdi_score"]
    del values[2024]
    result = evaluate(CN_2022, values, 2025)
    assert result.status == "unknown"
    assert result.tier is None  # the innovative score needs the growth: revenue of 2024
    assert ("revenue", 2024) in result.to_enter
    assert ("srdi_score", 2025) in result.to_enter


def test_innovative_direct_pass_skips_the_score() -> None:
    result = evaluate(CN_2022, enterprise(**NOTHING, high_tech_certificate=True), 2025)
    assert result.tier == "innovative_sme"


def test_2026_srdi_needs_both_years_of_rd_and_is_provisional() -> None:
    values = enterprise()
    values[2024]["rd_spend"] = D("2")  # 2.5 % of 80
    result = evaluate(CN_2026, values, 2025)
    assert result.tier == "innovative_sme" and result.provisional
    assert {c.rule for c in result.blocking} == {"srdi_2026.rd_intensity_prev"}
    assert result.result("srdi_sme").provisional


def test_the_rule_set_in_force_follows_the_dates() -> None:
    assert rule_set_for(date(2025, 6, 1)) is CN_2022
    assert rule_set_for(date(2026, 3, 31)) is CN_2022
    assert rule_set_for(date(2026, 4, 1)) is CN_2026


def test_a_province_add_on_adds_conditions_to_a_tier() -> None:
    province = add_on(
        CN_2022,
        code="test-province",
        title="a province",
        source="a test rule",
        extra={"srdi_sme": (Threshold("province.years", "years_in_niche", at_least=D(5)),)},
    )
    assert evaluate(CN_2022, enterprise(), 2025).tier == "srdi_sme"
    result = evaluate(province, enterprise(), 2025)
    assert result.tier == "innovative_sme" and province.base == "cn-2022"
    assert [c.rule for c in result.blocking] == ["province.years"]
    with pytest.raises(KeyError):
        add_on(CN_2022, code="x", title="x", source="x", extra={"nope": ()})


def test_entered_values_are_checked_with_a_code_per_field() -> None:
    clean, errors = validate_year_values(
        {"revenue": "12.5", "debt_to_asset": -1, "ip_level": "best", "rd_intensity": 3}
    )
    assert clean == {"revenue": D("12.5")}
    assert errors == {
        "debt_to_asset": "out_of_range",
        "ip_level": "invalid_choice",
        "rd_intensity": "unknown_indicator",
    }


# --- the property: improving one indicator never lowers the tier ---------------------------

RANK = {None: -1, **{tier: n for n, tier in enumerate(TIERS)}}


def _value(code: str) -> st.SearchStrategy[Any]:
    spec = INDICATORS[code]
    if spec.kind == "flag":
        return st.booleans()
    if spec.kind == "choice":
        return st.sampled_from(IP_LEVELS)
    top = min(spec.maximum, D(300))
    low = max(spec.minimum, D("0.01")) if code == "revenue" else spec.minimum
    return st.decimals(min_value=low, max_value=top, places=2)


RANDOM_YEAR = st.fixed_dictionaries({code: _value(code) for code in ENTERED})


@st.composite
def _near_the_top(draw: st.DrawFn) -> dict[str, Any]:
    """An SRDI SME, little giant or single champion with a few indicators drawn at random.

    Random values alone rarely reach the upper tiers; these cases start on an upper rung
    and knock a few conditions out, so the property is tried on every rung of the ladder.
    """
    start = draw(st.sampled_from([{}, LITTLE_GIANT, CHAMPION]))
    year = dict(enterprise(**start)[2025])
    for code in draw(st.lists(st.sampled_from(ENTERED), max_size=2, unique=True)):
        year[code] = draw(_value(code))
    return year


YEAR = st.one_of(_near_the_top(), RANDOM_YEAR)
PRIOR = st.one_of(
    st.just(enterprise()[2024]),
    st.fixed_dictionaries(
        {code: _value(code) for code in ("revenue", "main_business_share", "rd_spend")}
    ),
)
# Revenue is the denominator of R&D intensity: more revenue with the same R&D spend is a
# lower intensity, which the rules rightly mark down; it has its own property below.
IMPROVABLE = [code for code in ENTERED if code != "revenue"]


@pytest.mark.parametrize("code", IMPROVABLE)
@settings(max_examples=150, deadline=None)
@given(prior=PRIOR, now=YEAR, other=st.data(), rule_set=st.sampled_from([CN_2022, CN_2026]))
def test_improving_one_indicator_never_lowers_the_tier(
    code: str, prior: Any, now: Any, other: Any, rule_set: Any
) -> None:
    new = other.draw(_value(code))
    spec = INDICATORS[code]
    if not spec.improves(now[code], new):
        now, new = {**now, code: new}, now[code]
    before = evaluate(rule_set, {2024: prior, 2025: now}, 2025)
    after = evaluate(rule_set, {2024: prior, 2025: {**now, code: new}}, 2025)
    assert RANK[after.tier] >= RANK[before.tier]


@settings(max_examples=200, deadline=None)
@given(
    prior=PRIOR,
    now=YEAR,
    factor=st.decimals(min_value=1, max_value=5, places=2),
    rule_set=st.sampled_from([CN_2022, CN_2026]),
)
def test_growing_revenue_with_rd_in_step_never_lowers_the_tier(
    prior: Any, now: Any, factor: D, rule_set: Any
) -> None:
    grown = {**now, "revenue": now["revenue"] * factor, "rd_spend": now["rd_spend"] * factor}
    before = evaluate(rule_set, {2024: prior, 2025: now}, 2025)
    after = evaluate(rule_set, {2024: prior, 2025: grown}, 2025)
    assert RANK[after.tier] >= RANK[before.tier]
