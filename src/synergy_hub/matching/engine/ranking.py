"""The disclosed ranking: named parameters, versioned weights and a per-result explanation.

Only the parameters below decide the order; each is a pure function of the candidate, the
seeker, the filters, the time and the configuration, valued in [0, 1]. The total is the
weighted sum, so every result can show exactly why it ranks where it does. Ties fall back to
the resource id, so nothing else (and nothing paid) can move a result.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation
from types import MappingProxyType
from typing import Final

from synergy_hub.eligibility import Seeker, tiers_held
from synergy_hub.eligibility.industries import industry_part_of

from .candidates import Candidate, ResourceFacts, SearchFilters, is_aware

PARAMETERS: Final[tuple[str, ...]] = (
    "relevance",
    "eligibility_fit",
    "region_proximity",
    "price_fit",
    "free_capacity",
    "provider_track_record",
    "freshness",
)
WEIGHT_TOLERANCE: Final = 1e-6
NON_PERSONALISED: Final[tuple[str, ...]] = ("relevance", "price_fit", "freshness")
"""The parameters of the non-personalised ordering: none reads the seeker's profile."""

# Values of region_proximity, disclosed with the configuration.
REGION_SAME_PREFECTURE: Final = 1.0
REGION_SAME_PROVINCE: Final = 0.7
REGION_UNKNOWN_SEEKER: Final = 0.5
REGION_NATIONWIDE: Final = 0.4
REGION_ELSEWHERE: Final = 0.0
NEUTRAL: Final = 0.5

PARAMETER_DEFINITIONS: Final[Mapping[str, str]] = MappingProxyType(
    {
        "relevance": "How closely the resource's text matches the search, from 0 to 1.",
        "eligibility_fit": (
            "How specifically the resource targets the seeker's size class, tier and industry: "
            "the mean over the three of 1 for a single-value match (less when the resource "
            "admits several values, or only the industry's section), 0.5 when the resource is "
            "open to all or the seeker's value is unknown, and 0 when the seeker is not admitted."
        ),
        "region_proximity": (
            "1 when the resource serves the seeker's county or prefecture, 0.7 for the same "
            "province, 0.4 when it is offered nationwide, 0 elsewhere; 0.5 for everyone when "
            "the seeker's region is unknown."
        ),
        "price_fit": (
            "1 / (1 + price / scale) on the unit price the seeker pays after the SME discount: "
            "1 when free, 0.5 at the scale; the scale is the seeker's price ceiling when given, "
            "otherwise the configured reference price; 0.5 when no price is stated."
        ),
        "free_capacity": (
            "The share of capacity still free in the wanted period (1 when unlimited), and 0 "
            "when less is free than the seeker wants."
        ),
        "provider_track_record": (
            "The provider's smoothed share of agreements completed; 0.5 when not yet known."
        ),
        "freshness": (
            "0.5 ** (age / half-life), where age is the time since publication: 1 when new, "
            "0.5 after one half-life."
        ),
    }
)

DEFAULT_RATIONALE: Final[Mapping[str, str]] = MappingProxyType(
    {
        "relevance": "Answering the search is the main reason to show a resource, so it weighs "
        "most.",
        "eligibility_fit": "Resources made for the seeker's kind of enterprise can be used "
        "without negotiation.",
        "region_proximity": "Labs, pilot lines and testing are cheaper to reach nearby; "
        "nationwide online resources still score.",
        "price_fit": "Free and cheap resources lower the barrier for SMEs.",
        "free_capacity": "A resource with capacity free in the wanted period can actually serve "
        "the request.",
        "provider_track_record": "Providers who complete agreements are more reliable; "
        "newcomers get a neutral value so they are not buried.",
        "freshness": "New resources are more likely current; the slow decay keeps established "
        "resources in view.",
    }
)


def _require(condition: bool, message: str) -> None:
    """Raise a ValueError naming the field and the rule when a configuration is invalid."""
    if not condition:
        raise ValueError(message)


def _is_number(value: object) -> bool:
    """Tell whether a value is a real number (booleans are not weights)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(frozen=True)
class RankingConfig:
    """One version of the disclosed ranking: weights per parameter and the settings they use."""

    version: str
    weights: Mapping[str, float]
    freshness_half_life_days: float = 180.0
    price_reference: Decimal = Decimal(1000)
    rationale: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        """Validate and normalise so a stored configuration can never rank silently wrong."""
        _require(
            isinstance(self.version, str) and bool(self.version.strip()),
            "version: must be a non-empty string",
        )
        _require(isinstance(self.weights, Mapping), "weights: must be a mapping")
        unknown = sorted(set(self.weights) - set(PARAMETERS))
        _require(
            not unknown,
            f"weights: unknown ranking parameter(s) {unknown}; known: {list(PARAMETERS)}",
        )
        for name, weight in self.weights.items():
            _require(
                _is_number(weight) and math.isfinite(weight) and weight >= 0,
                f"weights[{name!r}]: must be a finite, non-negative number (got {weight!r})",
            )
        total = math.fsum(self.weights.values())
        _require(
            abs(total - 1.0) <= WEIGHT_TOLERANCE,
            f"weights: must sum to 1 within {WEIGHT_TOLERANCE} (got {total!r})",
        )
        half_life = self.freshness_half_life_days
        _require(
            _is_number(half_life) and math.isfinite(half_life) and half_life > 0,
            f"freshness_half_life_days: must be a positive number (got {half_life!r})",
        )
        reference = self.price_reference
        _require(
            isinstance(reference, Decimal) and reference.is_finite() and reference > 0,
            f"price_reference: must be a positive Decimal (got {reference!r})",
        )
        unknown = sorted(set(self.rationale) - set(PARAMETERS))
        _require(not unknown, f"rationale: unknown ranking parameter(s) {unknown}")
        weights = {name: float(self.weights.get(name, 0.0)) for name in PARAMETERS}
        rationale = {name: self.rationale[name] for name in PARAMETERS if name in self.rationale}
        object.__setattr__(self, "weights", MappingProxyType(weights))
        object.__setattr__(self, "rationale", MappingProxyType(rationale))
        object.__setattr__(self, "freshness_half_life_days", float(half_life))

    def __hash__(self) -> int:
        """Hash by content so a configuration can key a cache of scored results."""
        items = (tuple(self.weights.items()), tuple(self.rationale.items()))
        return hash((self.version, *items, self.freshness_half_life_days, self.price_reference))

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready dict so the Django layer can store and version it."""
        return {
            "version": self.version,
            "weights": dict(self.weights),
            "freshness_half_life_days": self.freshness_half_life_days,
            "price_reference": str(self.price_reference),
            "rationale": dict(self.rationale),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> RankingConfig:
        """Rebuild a configuration from `to_dict` output, refusing unknown or mistyped keys."""
        known = {"version", "weights", "freshness_half_life_days", "price_reference", "rationale"}
        unknown = sorted(set(data) - known)
        _require(not unknown, f"ranking configuration: unknown key(s) {unknown}")
        version, weights = data.get("version"), data.get("weights")
        rationale = data.get("rationale", {})
        half_life = data.get("freshness_half_life_days", 180.0)
        raw_reference = data.get("price_reference", "1000")
        if not isinstance(version, str):
            raise ValueError("version: required, must be a string")
        if not isinstance(weights, Mapping):
            raise ValueError("weights: required, must be an object")
        if not isinstance(rationale, Mapping):
            raise ValueError("rationale: must be an object")
        if not _is_number(half_life) or not isinstance(half_life, int | float):
            raise ValueError("freshness_half_life_days: must be a number")
        if not isinstance(raw_reference, str | int) or isinstance(raw_reference, bool):
            raise ValueError("price_reference: must be a decimal string")
        try:
            reference = Decimal(str(raw_reference))
        except InvalidOperation:
            raise ValueError(f"price_reference: {raw_reference!r} is not a decimal") from None
        return cls(
            version=version,
            weights={str(name): weight for name, weight in weights.items()},
            freshness_half_life_days=float(half_life),
            price_reference=reference,
            rationale={str(name): str(text) for name, text in rationale.items()},
        )


DEFAULT_CONFIG: Final = RankingConfig(
    version="default-1",
    weights={
        "relevance": 0.40,
        "eligibility_fit": 0.15,
        "region_proximity": 0.10,
        "price_fit": 0.10,
        "free_capacity": 0.08,
        "provider_track_record": 0.10,
        "freshness": 0.07,
    },
    rationale=DEFAULT_RATIONALE,
)


def non_personalised(config: RankingConfig) -> RankingConfig:
    """The configuration restricted to the parameters that ignore who is searching.

    The profile-based weights are dropped and the rest scaled to sum to 1 again, so the
    non-personalised ordering keeps the disclosed relative importance of relevance,
    price and freshness (Algorithm Recommendation Provisions Art 17).
    """
    kept = {name: config.weights[name] for name in NON_PERSONALISED}
    total = math.fsum(kept.values())
    if total <= 0:
        kept, total = {"relevance": 1.0}, 1.0
    return RankingConfig(
        version=f"{config.version}+non-personalised",
        weights={name: weight / total for name, weight in kept.items()},
        freshness_half_life_days=config.freshness_half_life_days,
        price_reference=config.price_reference,
        rationale={name: text for name, text in config.rationale.items() if name in kept},
    )


ParameterFunction = Callable[[Candidate, Seeker, SearchFilters, datetime, RankingConfig], float]


def relevance(
    candidate: Candidate,
    seeker: Seeker,
    filters: SearchFilters,
    now: datetime,
    config: RankingConfig,
) -> float:
    """Return retrieval's relevance, already normalised to [0, 1] by the candidate."""
    return candidate.relevance


def _targeting(restriction: frozenset[str], value: str | None) -> float:
    """Value one eligibility dimension: narrow admitted sets that include the seeker score high."""
    if not restriction or value is None:
        return NEUTRAL
    if value not in restriction:
        return 0.0
    return NEUTRAL + NEUTRAL / len(restriction)


def _tier_targeting(restriction: frozenset[str], tier: str | None) -> float:
    """Value the tier dimension: a tier holder is inside a set that names a tier it holds
    (its own or one below it on the ladder), as the eligibility rule reads it."""
    if not restriction or tier is None:
        return NEUTRAL
    if not tiers_held(tier) & restriction:
        return 0.0
    return NEUTRAL + NEUTRAL / len(restriction)


def _industry_targeting(restriction: frozenset[str], industry: str | None) -> float:
    """Value the industry dimension, where matching only through a section counts half as much."""
    if not restriction or industry is None:
        return NEUTRAL
    best = 0.0
    for area in restriction:
        if industry_part_of(industry, area):
            bonus = NEUTRAL / len(restriction)
            best = max(best, NEUTRAL + (bonus / 2 if area.isalpha() else bonus))
    return best


def eligibility_fit(
    candidate: Candidate,
    seeker: Seeker,
    filters: SearchFilters,
    now: datetime,
    config: RankingConfig,
) -> float:
    """Return how specifically the resource targets this seeker's size class, tier and industry."""
    facts = candidate.facts
    parts = (
        _targeting(facts.eligible_size_classes, seeker.size_class),
        _tier_targeting(facts.eligible_tiers, seeker.tier),
        _industry_targeting(facts.industries, seeker.industry),
    )
    return math.fsum(parts) / len(parts)


def _region_level(area: str, region: str) -> float:
    """Value how close one served area is to the seeker's region code."""
    if area[:4] == region[:4]:
        return REGION_SAME_PREFECTURE
    if area[:2] == region[:2]:
        return REGION_SAME_PROVINCE
    return REGION_ELSEWHERE


def region_proximity(
    candidate: Candidate,
    seeker: Seeker,
    filters: SearchFilters,
    now: datetime,
    config: RankingConfig,
) -> float:
    """Return how local the resource is to the seeker: local beats provincial beats nationwide."""
    if seeker.region is None:
        return REGION_UNKNOWN_SEEKER
    areas = candidate.facts.regions
    if not areas:
        return REGION_NATIONWIDE
    region = seeker.region
    return max(_region_level(area, region) for area in areas)


def price_fit(
    candidate: Candidate,
    seeker: Seeker,
    filters: SearchFilters,
    now: datetime,
    config: RankingConfig,
) -> float:
    """Return 1 for free, falling as the seeker's unit price grows against the budget scale."""
    price = candidate.facts.price_for(seeker.size_class)
    if price is None:
        return NEUTRAL
    if price == 0:
        return 1.0
    ceiling = filters.price_ceiling
    scale = ceiling if ceiling is not None and ceiling > 0 else config.price_reference
    return 1.0 / (1.0 + float(price / scale))


def free_capacity(
    candidate: Candidate,
    seeker: Seeker,
    filters: SearchFilters,
    now: datetime,
    config: RankingConfig,
) -> float:
    """Return the share of capacity still free, since a busy resource may not serve in time."""
    facts = candidate.facts
    free, total = facts.capacity_free, facts.capacity_total
    if free is None:
        return 1.0
    wanted = filters.min_free_capacity
    if wanted is not None and free < wanted:
        return 0.0
    if total is None or total == 0:
        return 1.0 if free > 0 else 0.0
    return min(1.0, float(free / total))


def provider_track_record(
    candidate: Candidate,
    seeker: Seeker,
    filters: SearchFilters,
    now: datetime,
    config: RankingConfig,
) -> float:
    """Return the provider's completion record, neutral when unknown so newcomers are not buried."""
    record = candidate.facts.provider_track_record
    return NEUTRAL if record is None else record


def freshness(
    candidate: Candidate,
    seeker: Seeker,
    filters: SearchFilters,
    now: datetime,
    config: RankingConfig,
) -> float:
    """Return exponential decay of age with the configured half-life; future dates count as new."""
    age_days = max(0.0, (now - candidate.facts.published_at).total_seconds() / 86_400)
    return float(0.5 ** (age_days / config.freshness_half_life_days))


PARAMETER_FUNCTIONS: Final[Mapping[str, ParameterFunction]] = MappingProxyType(
    {
        "relevance": relevance,
        "eligibility_fit": eligibility_fit,
        "region_proximity": region_proximity,
        "price_fit": price_fit,
        "free_capacity": free_capacity,
        "provider_track_record": provider_track_record,
        "freshness": freshness,
    }
)


@dataclass(frozen=True, slots=True)
class Contribution:
    """One parameter's share of a total: its value, its weight and their product."""

    value: float
    weight: float
    contribution: float

    def to_dict(self) -> dict[str, float]:
        """Return a JSON-ready dict for the explanation shown beside a result."""
        return {"value": self.value, "weight": self.weight, "contribution": self.contribution}


@dataclass(frozen=True, slots=True)
class ScoredResult:
    """A ranked candidate with its total and the contributions that explain it."""

    candidate: Candidate
    total: float
    contributions: Mapping[str, Contribution]
    config_version: str

    @property
    def facts(self) -> ResourceFacts:
        """Return the resource facts, so fair re-ranking and exposure can read the provider."""
        return self.candidate.facts

    @property
    def resource_id(self) -> int:
        """Return the resource id, the tie-breaker."""
        return self.candidate.resource_id

    @property
    def relevance(self) -> float:
        """Return retrieval's relevance, the merit that the exposure audit compares against."""
        return self.candidate.relevance

    def explanation(self) -> dict[str, object]:
        """Return the "why this ranks here" explanation as a JSON-ready dict."""
        return {
            "config_version": self.config_version,
            "total": self.total,
            "contributions": {name: c.to_dict() for name, c in self.contributions.items()},
        }


def _score_one(
    candidate: Candidate,
    seeker: Seeker,
    filters: SearchFilters,
    now: datetime,
    config: RankingConfig,
) -> ScoredResult:
    """Evaluate every parameter for one candidate and add up the weighted values."""
    contributions: dict[str, Contribution] = {}
    for name in PARAMETERS:
        value = PARAMETER_FUNCTIONS[name](candidate, seeker, filters, now, config)
        if not (math.isfinite(value) and 0.0 <= value <= 1.0):
            raise ValueError(f"{name}: value {value!r} outside [0, 1]")
        weight = config.weights[name]
        contributions[name] = Contribution(value, weight, weight * value)
    total = math.fsum(c.contribution for c in contributions.values())
    return ScoredResult(candidate, total, MappingProxyType(contributions), config.version)


def sort_key(result: ScoredResult) -> tuple[float, int]:
    """Order by total, highest first, then by resource id so ties never depend on input order."""
    return (-result.total, result.resource_id)


def score(
    candidates: Sequence[Candidate],
    seeker: Seeker,
    filters: SearchFilters,
    config: RankingConfig,
    now: datetime,
) -> list[ScoredResult]:
    """Score and order candidates by the disclosed parameters only."""
    _require(is_aware(now), "now: must be an aware datetime")
    counts = Counter(candidate.resource_id for candidate in candidates)
    duplicates = sorted(resource_id for resource_id, n in counts.items() if n > 1)
    _require(not duplicates, f"candidates: duplicate resource ids {duplicates}")
    results = [_score_one(c, seeker, filters, now, config) for c in candidates]
    return sorted(results, key=sort_key)


@dataclass(frozen=True, slots=True)
class ParameterDisclosure:
    """One row of the "How ranking works" page, generated from the live configuration."""

    name: str
    weight: float
    definition: str
    rationale: str


def disclosure(config: RankingConfig) -> list[ParameterDisclosure]:
    """List every parameter with its weight, definition and rationale for public disclosure."""
    return [
        ParameterDisclosure(
            name=name,
            weight=config.weights[name],
            definition=PARAMETER_DEFINITIONS[name],
            rationale=config.rationale.get(name, ""),
        )
        for name in PARAMETERS
    ]
