"""Requirements as data, and how each one is checked against an enterprise's facts.

A requirement answers pass, fail or unknown (three-valued: a missing indicator never
fails silently), and lists the checks behind its answer, each with the value seen, the
value required, the shortfall and the band that applied, as codes and numbers only.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from synergy_hub.tiers.engine.indicators import Value

Needs = Callable[[str], tuple[tuple[str, int], ...]]
"""For a missing indicator, the entered (indicator, year offset) pairs to fill in."""


class Status(StrEnum):
    """The answer of a requirement or a tier: three-valued, never a silent fail."""

    PASS = "pass"  # noqa: S105 (a status, not a secret)
    FAIL = "fail"
    UNKNOWN = "unknown"


def all_of(statuses: list[Status]) -> Status:
    """Kleene conjunction: any fail fails; all pass passes; else unknown."""
    if Status.FAIL in statuses:
        return Status.FAIL
    return Status.PASS if all(s == Status.PASS for s in statuses) else Status.UNKNOWN


def any_of(statuses: list[Status]) -> Status:
    """Kleene disjunction: any pass passes; all fail fails; else unknown."""
    if Status.PASS in statuses:
        return Status.PASS
    return Status.FAIL if statuses and all(s == Status.FAIL for s in statuses) else Status.UNKNOWN


@dataclass(frozen=True)
class Band:
    """A value band: `[low, high)` when `closed` is "low", `(low, high]` when "high"."""

    points: int
    low: Decimal | None = None
    high: Decimal | None = None
    closed: Literal["low", "high"] = "low"

    def contains(self, value: Decimal) -> bool:
        """Tell whether the value falls in this band."""
        if self.closed == "low":
            return (self.low is None or value >= self.low) and (
                self.high is None or value < self.high
            )
        return (self.low is None or value > self.low) and (self.high is None or value <= self.high)


@dataclass(frozen=True)
class Check:
    """One checked condition or scored indicator, as codes and numbers to be rendered."""

    rule: str
    kind: Literal["min", "max", "flag", "band", "total", "group"]
    status: Status
    indicator: str | None = None
    actual: Value | None = None
    required: Decimal | None = None
    shortfall: Decimal | None = None
    points: int | None = None
    band: Band | None = None
    alternative: str | None = None
    missing: tuple[tuple[str, int], ...] = ()
    source: str = ""
    provisional: bool = False


@dataclass(frozen=True)
class Threshold:
    """The indicator is at least (or, where lower is better, at most) a value."""

    code: str
    indicator: str
    at_least: Decimal | None = None
    at_most: Decimal | None = None
    source: str = ""
    provisional: bool = False

    def check(self, facts: Mapping[str, Value], needs: Needs) -> tuple[Status, list[Check]]:
        """Check the threshold against the facts."""
        value = facts.get(self.indicator)
        kind: Literal["min", "max"] = "min" if self.at_least is not None else "max"
        required = self.at_least if self.at_least is not None else self.at_most
        assert required is not None
        common = {
            "rule": self.code,
            "kind": kind,
            "indicator": self.indicator,
            "required": required,
            "source": self.source,
            "provisional": self.provisional,
        }
        if value is None:
            return Status.UNKNOWN, [
                Check(status=Status.UNKNOWN, missing=needs(self.indicator), **common)  # type: ignore[arg-type]
            ]
        assert isinstance(value, Decimal)
        shortfall = required - value if kind == "min" else value - required
        status = Status.PASS if shortfall <= 0 else Status.FAIL
        return status, [
            Check(
                status=status,
                actual=value,
                shortfall=shortfall if status == Status.FAIL else None,
                **common,  # type: ignore[arg-type]
            )
        ]


@dataclass(frozen=True)
class Flag:
    """A yes/no indicator must be yes (a certificate, an award, an institution)."""

    code: str
    indicator: str
    source: str = ""
    provisional: bool = False

    def check(self, facts: Mapping[str, Value], needs: Needs) -> tuple[Status, list[Check]]:
        """Check that the flag is set."""
        value = facts.get(self.indicator)
        common = {"rule": self.code, "kind": "flag", "indicator": self.indicator}
        extra = {"source": self.source, "provisional": self.provisional}
        if value is None:
            return Status.UNKNOWN, [
                Check(status=Status.UNKNOWN, missing=needs(self.indicator), **common, **extra)  # type: ignore[arg-type]
            ]
        status = Status.PASS if value is True else Status.FAIL
        return status, [Check(status=status, actual=bool(value), **common, **extra)]  # type: ignore[arg-type]


@dataclass(frozen=True)
class AnyOf:
    """One of several alternatives suffices (revenue or financing, a direct pass)."""

    code: str
    items: tuple[Requirement, ...]

    def check(self, facts: Mapping[str, Value], needs: Needs) -> tuple[Status, list[Check]]:
        """Check every alternative; the checks carry the alternative's code."""
        statuses: list[Status] = []
        checks: list[Check] = []
        for item in self.items:
            status, found = item.check(facts, needs)
            statuses.append(status)
            checks.extend(_in_alternative(c, self.code) for c in found)
        return any_of(statuses), checks


@dataclass(frozen=True)
class AllOf:
    """All of several conditions (one branch of a banded rule)."""

    code: str
    items: tuple[Requirement, ...]

    def check(self, facts: Mapping[str, Value], needs: Needs) -> tuple[Status, list[Check]]:
        """Check every condition."""
        statuses: list[Status] = []
        checks: list[Check] = []
        for item in self.items:
            status, found = item.check(facts, needs)
            statuses.append(status)
            checks.extend(found)
        return all_of(statuses), checks


@dataclass(frozen=True)
class ByBand:
    """Conditions that depend on the band an indicator falls in (R&D by revenue band)."""

    code: str
    indicator: str
    branches: tuple[tuple[Band, Requirement], ...]
    source: str = ""
    provisional: bool = False

    def check(self, facts: Mapping[str, Value], needs: Needs) -> tuple[Status, list[Check]]:
        """Check the branch of the band the indicator falls in."""
        value = facts.get(self.indicator)
        if value is None:
            return Status.UNKNOWN, [
                Check(
                    rule=self.code,
                    kind="band",
                    status=Status.UNKNOWN,
                    indicator=self.indicator,
                    missing=needs(self.indicator),
                    source=self.source,
                    provisional=self.provisional,
                )
            ]
        assert isinstance(value, Decimal)
        for band, requirement in self.branches:
            if band.contains(value):
                status, checks = requirement.check(facts, needs)
                applied = Check(
                    rule=self.code,
                    kind="band",
                    status=Status.PASS,
                    indicator=self.indicator,
                    actual=value,
                    band=band,
                    source=self.source,
                    provisional=self.provisional,
                )
                return status, [applied, *checks]
        raise ValueError(f"{self.code}: no band holds {value}")  # the bands must cover all


@dataclass(frozen=True)
class Scored:
    """One scored indicator: points by band (numbers), by choice, or yes/no."""

    indicator: str
    group: str
    bands: tuple[Band, ...] = ()
    choice_points: tuple[tuple[str, int], ...] = ()
    source: str = ""
    provisional: bool = False

    @property
    def max_points(self) -> int:
        """The most this indicator can score."""
        return max([b.points for b in self.bands] + [p for _, p in self.choice_points])

    def score(self, value: Value) -> tuple[int, Band | None]:
        """The points for a value and the band that gave them (None: no band, 0 points)."""
        if self.choice_points:
            key = ("yes" if value else "no") if isinstance(value, bool) else str(value)
            return dict(self.choice_points).get(key, 0), None
        assert isinstance(value, Decimal)
        for band in self.bands:
            if band.contains(value):
                return band.points, band
        return 0, None


@dataclass(frozen=True)
class Scoring:
    """A points evaluation: a pass mark on the total and minimums per group."""

    code: str
    items: tuple[Scored, ...]
    pass_total: int
    group_minimums: tuple[tuple[str, int], ...] = ()
    source: str = ""
    provisional: bool = False

    def check(self, facts: Mapping[str, Value], needs: Needs) -> tuple[Status, list[Check]]:
        """Score every indicator; the total and each group decide, unknowns counted both ways."""
        checks: list[Check] = []
        low: dict[str, int] = {}
        high: dict[str, int] = {}
        for item in self.items:
            value = facts.get(item.indicator)
            low.setdefault(item.group, 0)
            high.setdefault(item.group, 0)
            common = {"rule": f"{self.code}.{item.indicator}", "kind": "band"}
            extra = {"source": item.source, "provisional": item.provisional}
            if value is None:
                high[item.group] += item.max_points
                checks.append(
                    Check(
                        status=Status.UNKNOWN,
                        indicator=item.indicator,
                        missing=needs(item.indicator),
                        **common,  # type: ignore[arg-type]
                        **extra,  # type: ignore[arg-type]
                    )
                )
                continue
            points, band = item.score(value)
            low[item.group] += points
            high[item.group] += points
            checks.append(
                Check(
                    status=Status.PASS,
                    indicator=item.indicator,
                    actual=value,
                    points=points,
                    band=band,
                    **common,  # type: ignore[arg-type]
                    **extra,  # type: ignore[arg-type]
                )
            )
        statuses = [
            self._mark(
                checks, "total", None, sum(low.values()), sum(high.values()), self.pass_total
            )
        ]
        for group, minimum in self.group_minimums:
            statuses.append(self._mark(checks, "group", group, low[group], high[group], minimum))
        return all_of(statuses), checks

    def _mark(
        self, checks: list[Check], kind: str, group: str | None, low: int, high: int, need: int
    ) -> Status:
        if low >= need:
            status = Status.PASS
        elif high < need:
            status = Status.FAIL
        else:
            status = Status.UNKNOWN
        checks.append(
            Check(
                rule=f"{self.code}.{group}" if group else f"{self.code}.total",
                kind=kind,  # type: ignore[arg-type]
                status=status,
                indicator=group,
                actual=Decimal(low),
                required=Decimal(need),
                shortfall=Decimal(need - low) if status == Status.FAIL else None,
                points=low,
                source=self.source,
                provisional=self.provisional,
            )
        )
        return status


Requirement = Threshold | Flag | AnyOf | AllOf | ByBand | Scoring


def _in_alternative(check: Check, code: str) -> Check:
    if check.alternative is not None:
        return check
    return Check(**{**check.__dict__, "alternative": code})


@dataclass(frozen=True)
class TierRule:
    """What one tier asks: all requirements, or any one direct pass instead."""

    tier: str
    requirements: tuple[Requirement, ...]
    direct_pass: tuple[Requirement, ...] = ()
    requires_tier: str | None = None
    provisional: bool = False
    notes: tuple[str, ...] = field(default=())
