"""Exposure audit: does each provider group get attention in proportion to its merit?

A result at position r (1-based) gets exposure 1 / log2(1 + r), the position discount of
DCG. Over all served rankings we add up, per group (provider size class by default) and per
provider, the exposure received and the relevance of the items served (retrieval's relevance
in [0, 1], the merit independent of the ranking weights). A group whose share of exposure is
below its share of relevance (ratio < 1) is being buried. The accumulator merges, so batch
jobs can tally partitions apart and combine them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Protocol

from .candidates import ResourceFacts

SERIAL_VERSION: Final = 1


def position_exposure(position: int) -> float:
    """Return the attention a result at a 1-based position gets, 1 / log2(1 + position)."""
    if isinstance(position, bool) or not isinstance(position, int) or position < 1:
        raise ValueError(f"position: must be a positive integer (got {position!r})")
    return 1.0 / math.log2(1 + position)


class Servable(Protocol):
    """Anything served in a ranking that carries facts and a relevance (candidate or result)."""

    @property
    def facts(self) -> ResourceFacts:
        """Return the resource facts."""
        ...

    @property
    def relevance(self) -> float:
        """Return retrieval's relevance in [0, 1]."""
        ...


def size_class_group(facts: ResourceFacts) -> str:
    """Group providers by size class, the default lens of the audit."""
    return facts.provider_size_class


@dataclass(frozen=True, slots=True)
class ServedItem:
    """One item of a served ranking, reduced to what the audit needs (loggable as a row)."""

    resource_id: int
    provider_id: int
    group: str
    relevance: float

    def __post_init__(self) -> None:
        """Refuse relevance that cannot be a merit share."""
        if not (math.isfinite(self.relevance) and self.relevance >= 0):
            raise ValueError(f"relevance: must be finite and non-negative (got {self.relevance!r})")

    @classmethod
    def from_result(
        cls, result: Servable, group_of: Callable[[ResourceFacts], str] = size_class_group
    ) -> ServedItem:
        """Reduce a candidate or scored result to an audit row."""
        facts = result.facts
        return cls(facts.resource_id, facts.provider_id, group_of(facts), result.relevance)


@dataclass(slots=True)
class Tally:
    """Running sums for one group or provider."""

    exposure: float = 0.0
    relevance: float = 0.0
    impressions: int = 0
    appearances: int = 0

    def add(self, other: Tally) -> None:
        """Add another tally's sums into this one."""
        self.exposure += other.exposure
        self.relevance += other.relevance
        self.impressions += other.impressions
        self.appearances += other.appearances

    def to_dict(self) -> dict[str, float | int]:
        """Return a JSON-ready dict."""
        return {
            "exposure": self.exposure,
            "relevance": self.relevance,
            "impressions": self.impressions,
            "appearances": self.appearances,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Tally:
        """Rebuild a tally from `to_dict` output, refusing mistyped values."""
        exposure, relevance = data.get("exposure", 0.0), data.get("relevance", 0.0)
        impressions, appearances = data.get("impressions", 0), data.get("appearances", 0)
        if not isinstance(exposure, int | float) or not isinstance(relevance, int | float):
            raise ValueError("exposure and relevance: must be numbers")
        if not isinstance(impressions, int) or not isinstance(appearances, int):
            raise ValueError("impressions and appearances: must be integers")
        return cls(float(exposure), float(relevance), impressions, appearances)


@dataclass(frozen=True, slots=True)
class ExposureRow:
    """One line of the exposure report: shares of exposure and relevance and their ratio.

    `ratio` is exposure share / relevance share: 1 means attention proportional to merit,
    below 1 means under-exposed; None when the key has no relevance at all.
    """

    key: str
    exposure: float
    exposure_share: float
    relevance: float
    relevance_share: float
    ratio: float | None
    impressions: int
    appearances: int


@dataclass(frozen=True, slots=True)
class ExposureReport:
    """The audit's result: one row per group and per provider, over `rankings` rankings."""

    rankings: int
    groups: tuple[ExposureRow, ...]
    providers: tuple[ExposureRow, ...]


def _rows(tallies: Mapping[str, Tally]) -> tuple[ExposureRow, ...]:
    """Turn tallies into report rows with shares of the totals, sorted by key."""
    total_exposure = math.fsum(t.exposure for t in tallies.values())
    total_relevance = math.fsum(t.relevance for t in tallies.values())
    rows = []
    for key in sorted(tallies):
        tally = tallies[key]
        exposure_share = tally.exposure / total_exposure if total_exposure else 0.0
        relevance_share = tally.relevance / total_relevance if total_relevance else 0.0
        ratio = exposure_share / relevance_share if relevance_share else None
        rows.append(
            ExposureRow(
                key,
                tally.exposure,
                exposure_share,
                tally.relevance,
                relevance_share,
                ratio,
                tally.impressions,
                tally.appearances,
            )
        )
    return tuple(rows)


@dataclass(slots=True)
class ExposureAccumulator:
    """Sums exposure and relevance over served rankings, per group and per provider."""

    rankings: int = 0
    groups: dict[str, Tally] = field(default_factory=dict)
    providers: dict[int, Tally] = field(default_factory=dict)

    def add_ranking(self, items: Sequence[ServedItem], *, shown: int | None = None) -> None:
        """Count one served ranking; only the top `shown` positions get exposure.

        Items below the cut still add their relevance, so merit that was never seen counts
        against its group's exposure share.
        """
        if shown is not None and shown < 0:
            raise ValueError(f"shown: must be non-negative (got {shown!r})")
        self.rankings += 1
        for position, item in enumerate(items, start=1):
            visible = shown is None or position <= shown
            tally = Tally(
                exposure=position_exposure(position) if visible else 0.0,
                relevance=item.relevance,
                impressions=int(visible),
                appearances=1,
            )
            self.groups.setdefault(item.group, Tally()).add(tally)
            self.providers.setdefault(item.provider_id, Tally()).add(tally)

    def add_results(
        self,
        results: Iterable[Servable],
        *,
        shown: int | None = None,
        group_of: Callable[[ResourceFacts], str] = size_class_group,
    ) -> None:
        """Count one served ranking of candidates or scored results."""
        self.add_ranking([ServedItem.from_result(r, group_of) for r in results], shown=shown)

    def merge(self, other: ExposureAccumulator) -> ExposureAccumulator:
        """Return a new accumulator holding both sets of sums, for combining batch partitions."""
        merged = ExposureAccumulator(rankings=self.rankings + other.rankings)
        for source in (self, other):
            for group, tally in source.groups.items():
                merged.groups.setdefault(group, Tally()).add(tally)
            for provider, tally in source.providers.items():
                merged.providers.setdefault(provider, Tally()).add(tally)
        return merged

    def report(self) -> ExposureReport:
        """Return shares and ratios per group and per provider."""
        providers = {str(provider): tally for provider, tally in self.providers.items()}
        return ExposureReport(self.rankings, _rows(self.groups), _rows(providers))

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready dict (provider ids become string keys)."""
        return {
            "version": SERIAL_VERSION,
            "rankings": self.rankings,
            "groups": {group: tally.to_dict() for group, tally in sorted(self.groups.items())},
            "providers": {
                str(provider): tally.to_dict() for provider, tally in sorted(self.providers.items())
            },
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> ExposureAccumulator:
        """Rebuild an accumulator from `to_dict` output."""
        if data.get("version") != SERIAL_VERSION:
            raise ValueError(f"version: expected {SERIAL_VERSION} (got {data.get('version')!r})")
        rankings, groups, providers = (
            data.get("rankings"),
            data.get("groups"),
            data.get("providers"),
        )
        if not isinstance(rankings, int) or rankings < 0:
            raise ValueError("rankings: must be a non-negative integer")
        if not isinstance(groups, Mapping) or not isinstance(providers, Mapping):
            raise ValueError("groups and providers: must be objects")
        return cls(
            rankings=rankings,
            groups={str(key): _tally(value) for key, value in groups.items()},
            providers={int(key): _tally(value) for key, value in providers.items()},
        )


def _tally(value: object) -> Tally:
    """Rebuild one tally, refusing anything that is not an object."""
    if not isinstance(value, Mapping):
        raise ValueError("tally: must be an object")
    return Tally.from_dict(value)
