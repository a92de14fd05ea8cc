"""Hard filters: who a resource admits, the user's filters, and the reasons given."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from hypothesis import given

from synergy_hub.matching.engine import eligibility as el
from synergy_hub.matching.engine.candidates import ResourceFacts, SearchFilters, SeekerProfile

from .test_candidates import NOW, facts_strategy, make_candidate, make_facts, seekers

ANYONE = SeekerProfile()
NO_FILTERS = SearchFilters()


@pytest.mark.parametrize(
    ("area", "region", "covered"),
    [
        ("440000", "440000", True),
        ("440000", "440300", True),
        ("440000", "440305", True),
        ("440300", "440305", True),
        ("440305", "440305", True),
        ("440305", "440306", False),
        ("440305", "440300", False),  # a county does not cover its whole prefecture
        ("440300", "440000", False),
        ("440000", "450100", False),
        ("110100", "110101", True),
    ],
)
def test_region_hierarchy_from_digits(area: str, region: str, covered: bool) -> None:
    assert el.region_covers(area, region) is covered


def test_province_and_prefecture_codes() -> None:
    assert el.province_of("440305") == "440000"
    assert el.prefecture_of("440305") == "440300"


@pytest.mark.parametrize(
    ("area", "industry", "covered"),
    [
        ("C", "39", True),
        ("C", "3911", True),
        ("C", "C", True),
        ("C", "51", False),
        ("39", "3911", True),
        ("39", "C", False),
        ("39", "40", False),
        ("I", "65", True),
        ("A", "01", True),
        ("T", "97", True),
    ],
)
def test_industry_section_contains_divisions(area: str, industry: str, covered: bool) -> None:
    assert el.industry_covers(area, industry) is covered


def test_unknown_division_has_no_section() -> None:
    assert el.section_of("98") is None
    assert el.section_of("13") == "C"
    assert el.section_of("43") == "C"
    assert el.section_of("44") == "D"


def test_nationwide_resource_admits_everyone() -> None:
    seeker = SeekerProfile(size_class="large", tier="srdi", region="650100", industry="A")
    assert el.admits(make_facts(), seeker) == el.EligibilityResult()


def test_province_resource_admits_its_prefectures_and_counties() -> None:
    facts = make_facts(regions=frozenset({"440000"}))
    for region in ("440300", "440305", "440000"):
        assert el.admits(facts, SeekerProfile(region=region)).ok
    verdict = el.admits(facts, SeekerProfile(region="110101"))
    assert verdict.failed == (el.RULE_REGION,)
    assert not verdict.ok


def test_section_resource_admits_division() -> None:
    facts = make_facts(industries=frozenset({"C"}))
    assert el.admits(facts, SeekerProfile(industry="39")).ok
    assert el.admits(facts, SeekerProfile(industry="3911")).ok
    assert el.admits(facts, SeekerProfile(industry="65")).failed == (el.RULE_INDUSTRY,)


def test_size_class_and_tier_rules() -> None:
    facts = make_facts(
        eligible_size_classes=frozenset({"small", "micro"}), eligible_tiers=frozenset({"srdi"})
    )
    assert el.admits(facts, SeekerProfile(size_class="micro", tier="srdi")).ok
    verdict = el.admits(facts, SeekerProfile(size_class="large", tier="innovative"))
    assert verdict.failed == (el.RULE_SIZE_CLASS, el.RULE_TIER)


def test_anonymous_seeker_is_not_excluded_but_told_what_is_unchecked() -> None:
    facts = make_facts(
        eligible_size_classes=frozenset({"small"}),
        eligible_tiers=frozenset({"srdi"}),
        regions=frozenset({"440000"}),
        industries=frozenset({"C"}),
    )
    verdict = el.admits(facts, ANYONE)
    assert verdict.ok
    assert verdict.unchecked == el.SEEKER_RULES


def test_filters_each_rule_named() -> None:
    facts = make_facts(
        resource_type="api",
        access_mode="paid",
        price=Decimal(100),
        regions=frozenset({"440300"}),
        industries=frozenset({"39"}),
        capacity_free=Decimal(5),
        capacity_total=Decimal(10),
    )
    filters = SearchFilters(
        resource_types=frozenset({"dataset"}),
        access_modes=frozenset({"open"}),
        regions=frozenset({"110000"}),
        industries=frozenset({"I"}),
        price_ceiling=Decimal(50),
        min_free_capacity=Decimal(6),
        provider_size_classes=frozenset({"small"}),
        published_since=NOW,
    )
    verdict = el.passes_filters(facts, filters, ANYONE)
    assert verdict.failed == (
        el.RULE_RESOURCE_TYPE,
        el.RULE_ACCESS_MODE,
        el.RULE_REGION_FILTER,
        el.RULE_INDUSTRY_FILTER,
        el.RULE_PRICE_CEILING,
        el.RULE_FREE_CAPACITY,
        el.RULE_PROVIDER_SIZE_CLASS,
        el.RULE_PUBLISHED_SINCE,
    )


def test_region_and_industry_filters_match_overlapping_areas() -> None:
    shenzhen = make_facts(regions=frozenset({"440300"}), industries=frozenset({"39"}))
    by_province = SearchFilters(regions=frozenset({"440000"}), industries=frozenset({"C"}))
    by_county = SearchFilters(regions=frozenset({"440305"}), industries=frozenset({"3911"}))
    assert el.passes_filters(shenzhen, by_province, ANYONE).ok
    assert el.passes_filters(shenzhen, by_county, ANYONE).ok
    assert el.passes_filters(make_facts(), by_county, ANYONE).ok  # nationwide serves everywhere


def test_price_ceiling_applies_after_sme_discount() -> None:
    facts = make_facts(access_mode="paid", price=Decimal(100), sme_discount_percent=20)
    filters = SearchFilters(price_ceiling=Decimal(85))
    assert el.passes_filters(facts, filters, SeekerProfile(size_class="small")).ok
    large = el.passes_filters(facts, filters, SeekerProfile(size_class="large"))
    assert large.failed == (el.RULE_PRICE_CEILING,)


def test_unstated_price_fails_a_ceiling_with_its_own_reason() -> None:
    facts = make_facts(access_mode="paid")
    verdict = el.passes_filters(facts, SearchFilters(price_ceiling=Decimal(10)), ANYONE)
    assert verdict.failed == (el.RULE_PRICE_STATED,)


def test_free_capacity_at_least_wanted() -> None:
    wanted = SearchFilters(min_free_capacity=Decimal(5))
    assert el.passes_filters(make_facts(capacity_free=Decimal(5)), wanted, ANYONE).ok
    assert el.passes_filters(make_facts(), wanted, ANYONE).ok  # unlimited
    short = el.passes_filters(make_facts(capacity_free=Decimal("4.99")), wanted, ANYONE)
    assert short.failed == (el.RULE_FREE_CAPACITY,)


def test_published_since() -> None:
    since = SearchFilters(published_since=NOW - timedelta(days=60))
    assert el.passes_filters(make_facts(), since, ANYONE).ok


def test_check_combines_and_partition_keeps_reasons() -> None:
    ok = make_candidate(resource_id=1)
    excluded = make_candidate(resource_id=2, eligible_size_classes=frozenset({"micro"}))
    seeker = SeekerProfile(size_class="small")
    kept, dropped = el.partition([ok, excluded], seeker, NO_FILTERS)
    assert kept == [ok]
    assert dropped == [(excluded, el.EligibilityResult((el.RULE_SIZE_CLASS,)))]


@given(facts=facts_strategy(), seeker=seekers)
def test_no_filters_never_exclude(facts: ResourceFacts, seeker: SeekerProfile) -> None:
    verdict = el.passes_filters(facts, NO_FILTERS, seeker)
    assert verdict.ok
    assert set(el.check(facts, seeker, NO_FILTERS).failed) <= set(el.SEEKER_RULES)
