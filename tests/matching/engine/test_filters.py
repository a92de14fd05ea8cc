"""The search filters on top of the eligibility rule, and the reasons given."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from hypothesis import given

from synergy_hub.eligibility import RULE_SIZE_CLASS, SEEKER_RULES, Seeker, Verdict
from synergy_hub.matching.engine import filters as el
from synergy_hub.matching.engine.candidates import ResourceFacts, SearchFilters

from .test_candidates import NOW, facts_strategy, make_candidate, make_facts, seekers

ANYONE = Seeker()
NO_FILTERS = SearchFilters()


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
    assert el.passes_filters(facts, filters, Seeker(size_class="small")).ok
    large = el.passes_filters(facts, filters, Seeker(size_class="large"))
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
    seeker = Seeker(size_class="small")
    kept, dropped = el.partition([ok, excluded], seeker, NO_FILTERS)
    assert kept == [ok]
    assert dropped == [(excluded, Verdict((RULE_SIZE_CLASS,)))]


@given(facts=facts_strategy(), seeker=seekers)
def test_no_filters_never_exclude(facts: ResourceFacts, seeker: Seeker) -> None:
    verdict = el.passes_filters(facts, NO_FILTERS, seeker)
    assert verdict.ok
    assert set(el.check(facts, seeker, NO_FILTERS).failed) <= set(SEEKER_RULES)


def test_anonymous_search_keeps_what_it_cannot_settle() -> None:
    restricted = make_candidate(resource_id=3, eligible_tiers=frozenset({"srdi"}))
    kept, dropped = el.partition([restricted], ANYONE, NO_FILTERS)
    assert kept == [restricted] and dropped == []
    assert el.check(restricted.facts, ANYONE, NO_FILTERS).unknown == ("eligible_tier",)
