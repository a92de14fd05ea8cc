"""Hard filters: whether a resource admits the seeker and passes the user's filters.

Whether the seeker is inside the group a resource is opened to is decided by the one
eligibility rule of `synergy_hub.eligibility`; this module adds the user's own filters
(type, access mode, region and industry served, price, capacity, provider, date). Each
rule has a stable machine name so the interface can say why a resource is excluded.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from synergy_hub.eligibility import Seeker, Verdict, verdict
from synergy_hub.eligibility.industries import industries_overlap
from synergy_hub.eligibility.regions import regions_overlap

from .candidates import Candidate, ResourceFacts, SearchFilters

# Rules from the user's filters (the seeker's rules are `synergy_hub.eligibility.SEEKER_RULES`).
RULE_RESOURCE_TYPE: Final = "resource_type"
RULE_ACCESS_MODE: Final = "access_mode"
RULE_REGION_FILTER: Final = "region_filter"
RULE_INDUSTRY_FILTER: Final = "industry_filter"
RULE_PRICE_STATED: Final = "price_stated"
RULE_PRICE_CEILING: Final = "price_ceiling"
RULE_FREE_CAPACITY: Final = "free_capacity"
RULE_PROVIDER_SIZE_CLASS: Final = "provider_size_class"
RULE_PUBLISHED_SINCE: Final = "published_since"

FILTER_RULES: Final = (
    RULE_RESOURCE_TYPE,
    RULE_ACCESS_MODE,
    RULE_REGION_FILTER,
    RULE_INDUSTRY_FILTER,
    RULE_PRICE_STATED,
    RULE_PRICE_CEILING,
    RULE_FREE_CAPACITY,
    RULE_PROVIDER_SIZE_CLASS,
    RULE_PUBLISHED_SINCE,
)


def _overlaps_filter(served: frozenset[str], wanted: frozenset[str], *, industry: bool) -> bool:
    """Tell whether a resource's served areas meet the wanted ones; "everywhere" meets all."""
    if not wanted or not served:
        return True
    overlap = industries_overlap if industry else regions_overlap
    return any(overlap(s, w) for s in served for w in wanted)


def passes_filters(facts: ResourceFacts, filters: SearchFilters, seeker: Seeker) -> Verdict:
    """Check the user's filters; the price ceiling applies to the price this seeker would pay."""
    failed: list[str] = []
    if filters.resource_types and facts.resource_type not in filters.resource_types:
        failed.append(RULE_RESOURCE_TYPE)
    if filters.access_modes and facts.access_mode not in filters.access_modes:
        failed.append(RULE_ACCESS_MODE)
    if not _overlaps_filter(facts.regions, filters.regions, industry=False):
        failed.append(RULE_REGION_FILTER)
    if not _overlaps_filter(facts.industries, filters.industries, industry=True):
        failed.append(RULE_INDUSTRY_FILTER)
    if filters.price_ceiling is not None:
        price = facts.price_for(seeker.size_class)
        if price is None:
            failed.append(RULE_PRICE_STATED)
        elif price > filters.price_ceiling:
            failed.append(RULE_PRICE_CEILING)
    wanted = filters.min_free_capacity
    if wanted is not None and facts.capacity_free is not None and facts.capacity_free < wanted:
        failed.append(RULE_FREE_CAPACITY)
    sizes = filters.provider_size_classes
    if sizes and facts.provider_size_class not in sizes:
        failed.append(RULE_PROVIDER_SIZE_CLASS)
    since = filters.published_since
    if since is not None and facts.published_at < since:
        failed.append(RULE_PUBLISHED_SINCE)
    return Verdict(tuple(failed))


def check(facts: ResourceFacts, seeker: Seeker, filters: SearchFilters) -> Verdict:
    """Check both the resource's conditions and the user's filters in one verdict."""
    return verdict(facts, seeker) + passes_filters(facts, filters, seeker)


def partition(
    candidates: Sequence[Candidate], seeker: Seeker, filters: SearchFilters
) -> tuple[list[Candidate], list[tuple[Candidate, Verdict]]]:
    """Split candidates into those that may be ranked and those excluded, with the reasons.

    A candidate whose eligibility is only unknown (anonymous search) is kept: its verdict
    says so, and the interface asks the user to sign in to confirm it.
    """
    kept: list[Candidate] = []
    excluded: list[tuple[Candidate, Verdict]] = []
    for candidate in candidates:
        found = check(candidate.facts, seeker, filters)
        if found.ok:
            kept.append(candidate)
        else:
            excluded.append((candidate, found))
    return kept, excluded
