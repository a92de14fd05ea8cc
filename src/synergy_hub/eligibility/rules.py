"""Who a resource is opened to, decided once for search, access requests and outreach.

A resource names the enterprises it is opened to on four dimensions: size classes, tiers,
regions and industries; an empty set opens it to everyone on that dimension. A seeker is
described by the facts known about it. A fact that is not known (anonymous search, a size
class the profile cannot compute yet) cannot settle a condition: the verdict is then
"unknown", never "eligible". A known organisation without a gradient-cultivation tier
has the tier `NO_TIER`, which is a fact, not an unknown: a resource opened only to
"little giants" is not eligible for it. A tier condition reads the ladder
(`TIER_LADDER`): a resource opened to SRDI SMEs is opened to SRDI SMEs and above. The
seeker's tier is the verified one (an organisation's tier changes only when a programme
officer approves it, decision 0017); a tier the hub computed but no officer checked does
not count.

    verdict(conditions, Seeker(size_class="small", tier=NO_TIER, region="440305", industry="39"))
    → Verdict(failed=("eligible_tier",), unknown=()), status NOT_ELIGIBLE
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from enum import StrEnum
from functools import lru_cache
from typing import Final, Protocol

from .industries import industry_part_of, is_industry_code
from .regions import is_region_code, region_part_of

__all__ = [
    "NO_TIER",
    "RULE_INDUSTRY",
    "RULE_REGION",
    "RULE_SIZE_CLASS",
    "RULE_TIER",
    "SEEKER_RULES",
    "SIZE_CLASSES",
    "TIER_LADDER",
    "Conditions",
    "OpenedTo",
    "Seeker",
    "Status",
    "Verdict",
    "tiers_held",
    "verdict",
]

RULE_SIZE_CLASS: Final = "eligible_size_class"
RULE_TIER: Final = "eligible_tier"
RULE_REGION: Final = "eligible_region"
RULE_INDUSTRY: Final = "eligible_industry"
SEEKER_RULES: Final = (RULE_SIZE_CLASS, RULE_TIER, RULE_REGION, RULE_INDUSTRY)

#: Size classes of the national SME classification (large enterprises included).
SIZE_CLASSES: Final[frozenset[str]] = frozenset({"large", "medium", "small", "micro"})

#: The tier of a known organisation that holds none (the 2022 measures' tiers are optional).
NO_TIER: Final = ""

#: The gradient-cultivation tiers, lowest to highest (POLICY.md, "Gradient cultivation of
#: high-quality SMEs": innovative SME, SRDI SME, SRDI "little giant"; above them the
#: manufacturing single champion). A resource opened to a tier is opened to that tier and
#: every tier above it: a "little giant" is an SRDI SME that went further.
TIER_LADDER: Final = ("innovative", "srdi", "little_giant", "single_champion")


def tiers_held(tier: str) -> frozenset[str]:
    """The tier and every tier below it on the ladder ("" holds none; a tier outside the
    ladder holds only itself, so an unknown name never widens a grant)."""
    if not tier:
        return frozenset()
    if tier not in TIER_LADDER:
        return frozenset({tier})
    return frozenset(TIER_LADDER[: TIER_LADDER.index(tier) + 1])


class Status(StrEnum):
    """The three answers: the seeker is inside, outside, or the known facts cannot tell."""

    ELIGIBLE = "eligible"
    NOT_ELIGIBLE = "not_eligible"
    UNKNOWN = "unknown"


class Conditions(Protocol):
    """Who a resource is opened to; the engine's resource facts satisfy it as they are."""

    @property
    def eligible_size_classes(self) -> AbstractSet[str]: ...

    @property
    def eligible_tiers(self) -> AbstractSet[str]: ...

    @property
    def regions(self) -> AbstractSet[str]: ...

    @property
    def industries(self) -> AbstractSet[str]: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class OpenedTo:
    """The conditions of one resource, built from whatever stores them."""

    eligible_size_classes: frozenset[str] = field(default_factory=frozenset)
    eligible_tiers: frozenset[str] = field(default_factory=frozenset)
    regions: frozenset[str] = field(default_factory=frozenset)
    industries: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True, kw_only=True)
class Seeker:
    """What is known about whoever asks; None means "not known" (anonymous search)."""

    size_class: str | None = None
    tier: str | None = None
    region: str | None = None
    industry: str | None = None

    def __post_init__(self) -> None:
        """Refuse malformed facts so the rules never compare garbage; the message names it."""
        if self.size_class is not None and self.size_class not in SIZE_CLASSES:
            raise ValueError(
                f"size_class: unknown value {self.size_class!r}; allowed: {sorted(SIZE_CLASSES)}"
            )
        if self.tier is not None and not isinstance(self.tier, str):
            raise ValueError(f"tier: must be None, NO_TIER or a tier name (got {self.tier!r})")
        if self.region is not None and not is_region_code(self.region):
            raise ValueError(f"region: {self.region!r} is not a six-digit GB/T 2260 region code")
        if self.industry is not None and not is_industry_code(self.industry):
            raise ValueError(
                f"industry: {self.industry!r} is not a GB/T 4754 section letter (A–T) "
                "or 2–4 digit code"
            )


@dataclass(frozen=True, slots=True)
class Verdict:
    """The rules a seeker fails and those its known facts cannot settle, by rule name."""

    failed: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()

    @property
    def status(self) -> Status:
        """Not eligible when a rule fails; else unknown when one is unsettled; else eligible."""
        if self.failed:
            return Status.NOT_ELIGIBLE
        if self.unknown:
            return Status.UNKNOWN
        return Status.ELIGIBLE

    @property
    def ok(self) -> bool:
        """Tell whether no rule failed (the resource may be listed, perhaps as unconfirmed)."""
        return not self.failed

    def __add__(self, other: Verdict) -> Verdict:
        """Combine two verdicts (the seeker's conditions and, in search, the user's filters)."""
        return Verdict(self.failed + other.failed, self.unknown + other.unknown)


def _within_any(areas: AbstractSet[str], code: str, *, industry: bool) -> bool:
    """Tell whether the code lies within one of the areas."""
    part_of = industry_part_of if industry else region_part_of
    return any(part_of(code, area) for area in areas)


def verdict(conditions: Conditions, seeker: Seeker) -> Verdict:
    """Decide whether the seeker is inside the group the resource is opened to, with reasons.

    The answer depends only on the four sets and the seeker's facts: when the sets are
    frozen (hashable, as the search's resource facts are) it is remembered, so that a
    batch that meets the same conditions and the same kind of seeker again does not decide
    it again.
    """
    opened = (
        conditions.eligible_size_classes,
        conditions.eligible_tiers,
        conditions.regions,
        conditions.industries,
    )
    try:
        return _remembered_verdict(*opened, seeker)
    except TypeError:  # a set that is not frozen (not hashable): decided without memory
        return _decide(*opened, seeker)


@lru_cache(maxsize=65_536)
def _remembered_verdict(
    size_classes: frozenset[str],
    tiers: frozenset[str],
    regions: frozenset[str],
    industries: frozenset[str],
    seeker: Seeker,
) -> Verdict:
    return _decide(size_classes, tiers, regions, industries, seeker)


def _decide(
    size_classes: AbstractSet[str],
    tiers: AbstractSet[str],
    regions: AbstractSet[str],
    industries: AbstractSet[str],
    seeker: Seeker,
) -> Verdict:
    """The rules themselves (`verdict`): each condition the seeker fails or cannot settle."""
    failed: list[str] = []
    unknown: list[str] = []
    checks = (
        (RULE_SIZE_CLASS, size_classes, seeker.size_class, None),
        (RULE_TIER, tiers, seeker.tier, None),
        (RULE_REGION, regions, seeker.region, False),
        (RULE_INDUSTRY, industries, seeker.industry, True),
    )
    for rule, opened_to, value, industry in checks:
        if not opened_to:
            continue
        if value is None:
            unknown.append(rule)
        elif rule == RULE_TIER:
            if not tiers_held(value) & opened_to:
                failed.append(rule)
        elif industry is None:
            if value not in opened_to:
                failed.append(rule)
        elif not _within_any(opened_to, value, industry=industry):
            failed.append(rule)
    return Verdict(tuple(failed), tuple(unknown))
