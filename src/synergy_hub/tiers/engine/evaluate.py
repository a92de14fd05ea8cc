"""Evaluate an enterprise's indicators under a rule set: tier, breakdown, path onwards."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from synergy_hub.tiers.engine.indicators import DERIVED_FROM, INDICATORS, Value
from synergy_hub.tiers.engine.rules import Check, Status, all_of, any_of
from synergy_hub.tiers.engine.rulesets import TIERS, RuleSet

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class TierResult:
    """One tier's answer under the rule set, with every check behind it."""

    tier: str
    status: Status
    own_status: Status
    requires_tier: str | None
    checks: tuple[Check, ...]
    provisional: bool
    blocking: tuple[Check, ...] = ()
    """The failed checks of the requirements not met (a failed alternative of a met
    requirement, or a direct pass not held, blocks nothing)."""

    @property
    def to_enter(self) -> tuple[tuple[str, int], ...]:
        """The entered indicators (with their year) whose absence leaves this unknown."""
        return _unique(pair for c in self.checks for pair in c.missing)


@dataclass(frozen=True)
class Evaluation:
    """The highest tier qualified, each tier's breakdown, and what blocks the next one.

    `status` is "unknown" when a higher tier than `tier` might be reached once the
    indicators in `to_enter` are filled in; `tier` is then the tier reached so far.
    """

    rule_set: str
    year: int
    tier: str | None
    status: str
    next_tier: str | None
    tiers: tuple[TierResult, ...]
    to_enter: tuple[tuple[str, int], ...]
    provisional: bool
    facts: Mapping[str, Value]

    def result(self, tier: str) -> TierResult:
        """One tier's result."""
        return next(r for r in self.tiers if r.tier == tier)

    @property
    def blocking(self) -> tuple[Check, ...]:
        """What blocks the next tier, with the shortfalls (empty at the top)."""
        return self.result(self.next_tier).blocking if self.next_tier else ()


def facts_for(values_by_year: Mapping[int, Mapping[str, Value]], year: int) -> dict[str, Value]:
    """The year's entered values plus the derived indicators that can be computed."""
    now = dict(values_by_year.get(year, {}))
    before = values_by_year.get(year - 1, {})
    facts: dict[str, Value] = {k: v for k, v in now.items() if k in INDICATORS}

    def number(values: Mapping[str, Value], code: str) -> Decimal | None:
        value = values.get(code)
        return value if isinstance(value, Decimal) else None

    def ratio(part: Decimal | None, whole: Decimal | None) -> Decimal | None:
        # a share of a zero revenue is undefined: left unknown rather than guessed
        if part is None or whole is None or whole == 0:
            return None
        return part / whole * HUNDRED

    def growth(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
        if current is None or previous is None or previous == 0:
            return None  # growth from a zero base is undefined
        return (current - previous) / previous * HUNDRED

    def main_revenue(values: Mapping[str, Value]) -> Decimal | None:
        revenue, share = number(values, "revenue"), number(values, "main_business_share")
        return None if revenue is None or share is None else revenue * share / HUNDRED

    derived: dict[str, Decimal | None] = {
        "rd_intensity": ratio(number(now, "rd_spend"), number(now, "revenue")),
        "revenue_growth": growth(number(now, "revenue"), number(before, "revenue")),
        "main_business_growth": growth(main_revenue(now), main_revenue(before)),
        "rd_spend_prev": number(before, "rd_spend"),
        "rd_intensity_prev": ratio(number(before, "rd_spend"), number(before, "revenue")),
    }
    facts.update({k: v for k, v in derived.items() if v is not None})
    return facts


def evaluate(
    rule_set: RuleSet, values_by_year: Mapping[int, Mapping[str, Value]], year: int
) -> Evaluation:
    """Evaluate the indicators of `year` (and the year before, for growth) under a rule set."""
    facts = facts_for(values_by_year, year)
    present = {
        (code, offset) for offset in (0, -1) for code in values_by_year.get(year + offset, {})
    }

    def needs(indicator: str) -> tuple[tuple[str, int], ...]:
        parts = DERIVED_FROM.get(indicator, ((indicator, 0),))
        return tuple(
            (code, year + offset) for code, offset in parts if (code, offset) not in present
        )

    results: dict[str, TierResult] = {}
    for rule in sorted(rule_set.tiers, key=lambda r: TIERS.index(r.tier)):
        req_statuses: list[Status] = []
        checks: list[Check] = []
        blocking: list[Check] = []
        for requirement in rule.requirements:
            status, found = requirement.check(facts, needs)
            req_statuses.append(status)
            checks.extend(found)
            if status != Status.PASS:
                blocking.extend(c for c in found if c.status == Status.FAIL)
        direct_statuses: list[Status] = []
        for requirement in rule.direct_pass:
            status, found = requirement.check(facts, needs)
            direct_statuses.append(status)
            checks.extend(_as_direct(c) for c in found)
        own = any_of([all_of(req_statuses), *direct_statuses])
        prerequisite = results[rule.requires_tier].status if rule.requires_tier else Status.PASS
        results[rule.tier] = TierResult(
            tier=rule.tier,
            status=all_of([own, prerequisite]),
            own_status=own,
            requires_tier=rule.requires_tier,
            checks=tuple(checks),
            provisional=rule.provisional or any(c.provisional for c in checks),
            blocking=tuple(blocking),
        )
    ordered = tuple(results.values())
    passed = [r.tier for r in ordered if r.status == Status.PASS]
    tier = passed[-1] if passed else None
    above = ordered[TIERS.index(tier) + 1 :] if tier else ordered
    undecided = [r for r in above if r.status == Status.UNKNOWN]
    return Evaluation(
        rule_set=rule_set.code,
        year=year,
        tier=tier,
        status="unknown" if undecided else "determined",
        next_tier=above[0].tier if above else None,
        tiers=ordered,
        # what is still to enter for the undecided tiers, and for the next tier even where
        # it already fails on what is known (the path needs the whole list)
        to_enter=_unique(pair for r in [*above[:1], *undecided] for pair in r.to_enter),
        provisional=rule_set.provisional,
        facts=facts,
    )


def _as_direct(check: Check) -> Check:
    return Check(**{**check.__dict__, "alternative": "direct_pass"})


def _unique(pairs: object) -> tuple[tuple[str, int], ...]:
    seen: dict[tuple[str, int], None] = {}
    for pair in pairs:  # type: ignore[attr-defined]
        seen.setdefault(pair, None)
    return tuple(seen)
