"""What the matching engine ranks, described without Django so the engine stays pure.

The Django layer builds these records from its models; the engine only reads them.
Every record validates itself on construction and names the field and the rule it breaks.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Final, Literal

from synergy_hub.eligibility import SIZE_CLASSES
from synergy_hub.eligibility.industries import is_industry_code
from synergy_hub.eligibility.regions import is_region_code

SizeClass = Literal["large", "medium", "small", "micro"]
ProviderKind = Literal["platform", "provider", "sme"]
AccessMode = Literal["open", "on_request", "paid"]

SME_SIZE_CLASSES: Final[frozenset[str]] = frozenset({"medium", "small", "micro"})
PROVIDER_KINDS: Final[frozenset[str]] = frozenset({"platform", "provider", "sme"})
ACCESS_MODES: Final[frozenset[str]] = frozenset({"open", "on_request", "paid"})


def is_aware(moment: datetime) -> bool:
    """Tell whether a datetime carries a UTC offset, since naive times are refused everywhere."""
    return moment.tzinfo is not None and moment.utcoffset() is not None


def _require(condition: bool, message: str) -> None:
    """Raise a ValueError naming the field and the rule when an invariant does not hold."""
    if not condition:
        raise ValueError(message)


def _check_region_codes(field_name: str, codes: frozenset[str]) -> None:
    """Refuse region codes that are not six-digit GB/T 2260 codes."""
    for code in codes:
        _require(
            isinstance(code, str) and is_region_code(code),
            f"{field_name}: {code!r} is not a six-digit GB/T 2260 region code",
        )


def _check_industry_codes(field_name: str, codes: frozenset[str]) -> None:
    """Refuse industry codes that are neither a GB/T 4754 section letter nor 2–4 digits."""
    for code in codes:
        _require(
            isinstance(code, str) and is_industry_code(code),
            f"{field_name}: {code!r} is not a GB/T 4754 section letter (A–T) or 2–4 digit code",
        )


def _check_members(field_name: str, values: frozenset[str], allowed: frozenset[str]) -> None:
    """Refuse values outside a closed vocabulary, listing what is allowed."""
    unknown = sorted(set(values) - allowed)
    _require(not unknown, f"{field_name}: unknown value(s) {unknown}; allowed: {sorted(allowed)}")


def _check_amount(field_name: str, amount: Decimal | None) -> None:
    """Refuse negative or non-finite amounts, since prices and capacities cannot be."""
    if amount is not None:
        _require(
            isinstance(amount, Decimal) and amount.is_finite() and amount >= 0,
            f"{field_name}: must be a finite, non-negative Decimal (got {amount!r})",
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ResourceFacts:
    """The facts about one published resource that eligibility and ranking may look at.

    Nothing here can be bought: there is no boost or sponsorship field, so paid influence
    on the order cannot enter through the data.
    """

    resource_id: int
    resource_type: str
    provider_id: int
    provider_size_class: SizeClass
    provider_kind: ProviderKind
    access_mode: AccessMode
    published_at: datetime
    price: Decimal | None = None
    sme_discount_percent: int = 0
    eligible_size_classes: frozenset[str] = field(default_factory=frozenset)
    eligible_tiers: frozenset[str] = field(default_factory=frozenset)
    regions: frozenset[str] = field(default_factory=frozenset)
    industries: frozenset[str] = field(default_factory=frozenset)
    capacity_total: Decimal | None = None
    capacity_free: Decimal | None = None
    provider_track_record: float | None = None

    def __post_init__(self) -> None:
        """Validate every field so that a bad record fails where it is built, not when ranked."""
        _require(bool(self.resource_type), "resource_type: must not be empty")
        _check_members("provider_size_class", frozenset({self.provider_size_class}), SIZE_CLASSES)
        _check_members("provider_kind", frozenset({self.provider_kind}), PROVIDER_KINDS)
        _check_members("access_mode", frozenset({self.access_mode}), ACCESS_MODES)
        _require(is_aware(self.published_at), "published_at: must be an aware datetime")
        _check_amount("price", self.price)
        _require(
            0 <= self.sme_discount_percent <= 100,
            f"sme_discount_percent: must be between 0 and 100 (got {self.sme_discount_percent})",
        )
        _check_members("eligible_size_classes", self.eligible_size_classes, SIZE_CLASSES)
        _require(
            all(isinstance(t, str) and t for t in self.eligible_tiers),
            "eligible_tiers: every tier must be a non-empty string",
        )
        _check_region_codes("regions", self.regions)
        _check_industry_codes("industries", self.industries)
        _check_amount("capacity_total", self.capacity_total)
        _check_amount("capacity_free", self.capacity_free)
        if self.capacity_total is not None and self.capacity_free is not None:
            _require(
                self.capacity_free <= self.capacity_total,
                "capacity_free: must not exceed capacity_total",
            )
        if self.provider_track_record is not None:
            record = self.provider_track_record
            _require(
                math.isfinite(record) and 0.0 <= record <= 1.0,
                f"provider_track_record: must be in [0, 1] (got {record!r})",
            )

    def list_price(self) -> Decimal | None:
        """Return the stated unit price; unpriced open or on-request resources are free."""
        if self.price is not None:
            return self.price
        # Only "paid" implies a charge; a paid resource without a price has none stated.
        return None if self.access_mode == "paid" else Decimal(0)

    def price_for(self, size_class: str | None) -> Decimal | None:
        """Return the unit price this seeker pays, after the SME discount, or None if not stated.

        The discount applies unless the seeker is known to be a large enterprise: the platform
        serves SMEs, so an anonymous search sees the SME price.
        """
        price = self.list_price()
        if price is None or size_class == "large" or self.sme_discount_percent == 0:
            return price
        return price * (100 - self.sme_discount_percent) / 100


@dataclass(frozen=True, slots=True, kw_only=True)
class SearchFilters:
    """The user's explicit filters; an empty set or None means "no restriction"."""

    resource_types: frozenset[str] = field(default_factory=frozenset)
    access_modes: frozenset[str] = field(default_factory=frozenset)
    regions: frozenset[str] = field(default_factory=frozenset)
    industries: frozenset[str] = field(default_factory=frozenset)
    provider_size_classes: frozenset[str] = field(default_factory=frozenset)
    price_ceiling: Decimal | None = None
    min_free_capacity: Decimal | None = None
    published_since: datetime | None = None

    def __post_init__(self) -> None:
        """Validate the filters so a typo fails loudly instead of silently matching nothing."""
        _check_members("access_modes", self.access_modes, ACCESS_MODES)
        _check_members("provider_size_classes", self.provider_size_classes, SIZE_CLASSES)
        _check_region_codes("regions", self.regions)
        _check_industry_codes("industries", self.industries)
        _check_amount("price_ceiling", self.price_ceiling)
        _check_amount("min_free_capacity", self.min_free_capacity)
        if self.published_since is not None:
            _require(is_aware(self.published_since), "published_since: must be an aware datetime")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A resource that retrieval found, with its relevance normalised to [0, 1]."""

    facts: ResourceFacts
    relevance: float

    def __post_init__(self) -> None:
        """Refuse relevance outside [0, 1], since it enters the score as a weighted value."""
        _require(
            math.isfinite(self.relevance) and 0.0 <= self.relevance <= 1.0,
            f"relevance: must be in [0, 1] (got {self.relevance!r})",
        )

    @property
    def resource_id(self) -> int:
        """Return the resource id, the deterministic tie-breaker everywhere in the engine."""
        return self.facts.resource_id
