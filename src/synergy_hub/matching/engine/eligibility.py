"""Hard filters: who a resource admits and whether it passes the user's filters.

Each rule has a stable machine name so the interface can say why a resource is excluded.
Region and industry hierarchies come from the code digits (GB/T 2260, GB/T 4754), so no
data table is needed beyond the twenty GB/T 4754 section ranges.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from .candidates import Candidate, ResourceFacts, SearchFilters, SeekerProfile

# Rules about the seeker (the resource's own eligibility conditions).
RULE_SIZE_CLASS: Final = "eligible_size_class"
RULE_TIER: Final = "eligible_tier"
RULE_REGION: Final = "eligible_region"
RULE_INDUSTRY: Final = "eligible_industry"
# Rules from the user's filters.
RULE_RESOURCE_TYPE: Final = "resource_type"
RULE_ACCESS_MODE: Final = "access_mode"
RULE_REGION_FILTER: Final = "region_filter"
RULE_INDUSTRY_FILTER: Final = "industry_filter"
RULE_PRICE_STATED: Final = "price_stated"
RULE_PRICE_CEILING: Final = "price_ceiling"
RULE_FREE_CAPACITY: Final = "free_capacity"
RULE_PROVIDER_SIZE_CLASS: Final = "provider_size_class"
RULE_PUBLISHED_SINCE: Final = "published_since"

SEEKER_RULES: Final = (RULE_SIZE_CLASS, RULE_TIER, RULE_REGION, RULE_INDUSTRY)
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

# GB/T 4754-2017: each section letter and its inclusive range of two-digit divisions.
_SECTIONS: Final[tuple[tuple[str, int, int], ...]] = (
    ("A", 1, 5),
    ("B", 6, 12),
    ("C", 13, 43),
    ("D", 44, 46),
    ("E", 47, 50),
    ("F", 51, 52),
    ("G", 53, 60),
    ("H", 61, 62),
    ("I", 63, 65),
    ("J", 66, 69),
    ("K", 70, 70),
    ("L", 71, 72),
    ("M", 73, 75),
    ("N", 76, 79),
    ("O", 80, 82),
    ("P", 83, 83),
    ("Q", 84, 85),
    ("R", 86, 90),
    ("S", 91, 96),
    ("T", 97, 97),
)


@dataclass(frozen=True, slots=True)
class EligibilityResult:
    """The verdict for one resource: the rules it fails and the ones that could not be checked.

    `unchecked` names seeker rules the profile could not settle (anonymous search); those do
    not exclude the resource but let the interface say "sign in to confirm eligibility".
    """

    failed: tuple[str, ...] = ()
    unchecked: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Tell whether the resource may be shown, i.e. no rule failed."""
        return not self.failed

    def __add__(self, other: EligibilityResult) -> EligibilityResult:
        """Combine the seeker and filter verdicts into one."""
        return EligibilityResult(self.failed + other.failed, self.unchecked + other.unchecked)


def province_of(region: str) -> str:
    """Return the province code of a GB/T 2260 code (first two digits + "0000")."""
    return region[:2] + "0000"


def prefecture_of(region: str) -> str:
    """Return the prefecture code of a GB/T 2260 code (first four digits + "00")."""
    return region[:4] + "00"


def region_covers(area: str, region: str) -> bool:
    """Tell whether the area `area` contains `region` (a province contains its counties)."""
    if area == region:
        return True
    if area.endswith("0000"):
        return region[:2] == area[:2]
    if area.endswith("00"):
        return region[:4] == area[:4]
    return False


def regions_overlap(first: str, second: str) -> bool:
    """Tell whether two areas share ground, i.e. one contains the other."""
    return region_covers(first, second) or region_covers(second, first)


def section_of(industry: str) -> str | None:
    """Return the GB/T 4754 section letter of a code, or None for an unknown division."""
    if industry.isalpha():
        return industry
    division = int(industry[:2])
    for letter, low, high in _SECTIONS:
        if low <= division <= high:
            return letter
    return None


def industry_covers(area: str, industry: str) -> bool:
    """Tell whether the industry `area` contains `industry` (section C contains division 39)."""
    if area.isalpha():
        return section_of(industry) == area
    return not industry.isalpha() and industry.startswith(area)


def industries_overlap(first: str, second: str) -> bool:
    """Tell whether two industry codes share ground, i.e. one contains the other."""
    return industry_covers(first, second) or industry_covers(second, first)


def _covers_any(areas: Iterable[str], code: str, *, industry: bool) -> bool:
    """Tell whether any of the areas contains the code."""
    covers = industry_covers if industry else region_covers
    return any(covers(area, code) for area in areas)


def admits(facts: ResourceFacts, seeker: SeekerProfile) -> EligibilityResult:
    """Check the resource's own conditions (size class, tier, region, industry) for a seeker."""
    failed: list[str] = []
    unchecked: list[str] = []

    def record(restriction: frozenset[str], value: str | None, rule: str, ok: bool) -> None:
        """Record one rule: open to all passes, an unknown seeker value is unchecked."""
        if not restriction:
            return
        if value is None:
            unchecked.append(rule)
        elif not ok:
            failed.append(rule)

    size, tier, region, industry = seeker.size_class, seeker.tier, seeker.region, seeker.industry
    record(facts.eligible_size_classes, size, RULE_SIZE_CLASS, size in facts.eligible_size_classes)
    record(facts.eligible_tiers, tier, RULE_TIER, tier in facts.eligible_tiers)
    record(
        facts.regions,
        region,
        RULE_REGION,
        region is not None and _covers_any(facts.regions, region, industry=False),
    )
    record(
        facts.industries,
        industry,
        RULE_INDUSTRY,
        industry is not None and _covers_any(facts.industries, industry, industry=True),
    )
    return EligibilityResult(tuple(failed), tuple(unchecked))


def _overlaps_filter(served: frozenset[str], wanted: frozenset[str], *, industry: bool) -> bool:
    """Tell whether a resource's served areas meet the wanted ones; "everywhere" meets all."""
    if not wanted or not served:
        return True
    overlap = industries_overlap if industry else regions_overlap
    return any(overlap(s, w) for s in served for w in wanted)


def passes_filters(
    facts: ResourceFacts, filters: SearchFilters, seeker: SeekerProfile
) -> EligibilityResult:
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
    return EligibilityResult(tuple(failed))


def check(facts: ResourceFacts, seeker: SeekerProfile, filters: SearchFilters) -> EligibilityResult:
    """Check both the resource's conditions and the user's filters in one verdict."""
    return admits(facts, seeker) + passes_filters(facts, filters, seeker)


def partition(
    candidates: Sequence[Candidate], seeker: SeekerProfile, filters: SearchFilters
) -> tuple[list[Candidate], list[tuple[Candidate, EligibilityResult]]]:
    """Split candidates into those that may be ranked and those excluded, with the reasons."""
    kept: list[Candidate] = []
    excluded: list[tuple[Candidate, EligibilityResult]] = []
    for candidate in candidates:
        verdict = check(candidate.facts, seeker, filters)
        if verdict.ok:
            kept.append(candidate)
        else:
            excluded.append((candidate, verdict))
    return kept, excluded
