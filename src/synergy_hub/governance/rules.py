"""The rule sets the governance app enforces, as data per jurisdiction, with their sources.

Pure Python (no Django): the services pass plain values in and turn a broken rule into a
field error. Every number below cites the article it comes from (`POLICY.md`); a number
the law does not fix (complaint deadlines) is the hub's own setting, marked provisional
and shown as such on the pages that use it.
"""

from __future__ import annotations

import math
import statistics as _stats
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final


@dataclass(frozen=True)
class Rule:
    """One number of a rule set with where it comes from and how sure we are of it.

    `status` is POLICY.md's mark: "V" checked against the primary text, "S" a reliable
    secondary source, "P" provisional (or the hub's own setting where the law is silent).
    """

    value: int
    source: str
    status: str = "V"


@dataclass(frozen=True)
class RuleSet:
    """The versioned rules of one jurisdiction: notice, history, termination, complaints."""

    code: str
    jurisdiction: str
    version: str
    fee_notice_days: Rule
    fee_history_years: Rule
    termination_notice_days: Rule
    complaint_acknowledge_days: Rule
    complaint_decide_days: Rule
    min_mediators: Rule


PRC_2026: Final = RuleSet(
    code="PRC",
    jurisdiction="PRC",
    version="2026-04-10",
    # E-Commerce Law (2018) Art 34: changes to service agreements and transaction rules are
    # published for comment at least 7 days before they apply; SAMR fee-compliance guide
    # (2025-07-31) and the Platform Pricing Behaviour Rules (in force 2026-04-10): fee
    # changes consulted publicly at least 7 days ahead.
    fee_notice_days=Rule(7, "E-Commerce Law Art. 34; SAMR fee-compliance guide (2025)"),
    # SAMR fee-compliance guide (2025-07-31): past fee standards kept at least 3 years. (S)
    fee_history_years=Rule(3, "SAMR fee-compliance guide (2025)", "S"),
    # No PRC number for ending a platform relationship; the EU's 30 days is applied as the
    # hub's floor so SMEs on both rule sets get the same notice.
    termination_notice_days=Rule(30, "hub setting, after P2B Art. 4(2)", "P"),
    # Algorithm Recommendation Provisions Art 22: a complaint channel "with time limits" —
    # the law sets no number; these are the hub's own limits.
    complaint_acknowledge_days=Rule(3, "Algorithm Recommendation Provisions Art. 22", "P"),
    complaint_decide_days=Rule(15, "Algorithm Recommendation Provisions Art. 22", "P"),
    # P2B Art 12 (two mediators); no PRC equivalent, kept as the hub's floor.
    min_mediators=Rule(2, "hub setting, after P2B Art. 12", "P"),
)

EU_P2B: Final = RuleSet(
    code="EU-P2B",
    jurisdiction="EU",
    version="2019/1150",
    # P2B Regulation (EU) 2019/1150 Art 3(2): changes notified at least 15 days ahead.
    fee_notice_days=Rule(15, "Regulation (EU) 2019/1150 Art. 3(2)"),
    # P2B sets no retention period for past terms; the SAMR 3 years is kept for all.
    fee_history_years=Rule(3, "hub setting, after the SAMR fee-compliance guide", "P"),
    # P2B Art 4(2): terminating the whole relationship: reasons at least 30 days before.
    termination_notice_days=Rule(30, "Regulation (EU) 2019/1150 Art. 4(2)"),
    # P2B Art 11(1): complaints processed "swiftly and effectively" — no number in the law.
    complaint_acknowledge_days=Rule(7, "Regulation (EU) 2019/1150 Art. 11(1)", "P"),
    complaint_decide_days=Rule(30, "Regulation (EU) 2019/1150 Art. 11(1)", "P"),
    # P2B Art 12(1): at least two mediators named in the terms.
    min_mediators=Rule(2, "Regulation (EU) 2019/1150 Art. 12(1)"),
)

RULE_SETS: Final[Mapping[str, RuleSet]] = {PRC_2026.code: PRC_2026, EU_P2B.code: EU_P2B}
DEFAULT_RULE_SET: Final = PRC_2026.code


def rule_set(code: str) -> RuleSet:
    """The rule set of a code; unknown codes raise KeyError naming the known ones."""
    try:
        return RULE_SETS[code]
    except KeyError:
        raise KeyError(f"rule set {code!r} unknown; known: {sorted(RULE_SETS)}") from None


# --- fee notice ---------------------------------------------------------------------------


class NoticeTooShort(ValueError):
    """A fee change would apply before the notice period of its rule set has run."""

    def __init__(self, rules: RuleSet, earliest: datetime) -> None:
        self.rules = rules
        self.earliest = earliest
        super().__init__(
            f"effective_from: at least {rules.fee_notice_days.value} days after publication "
            f"({rules.fee_notice_days.source}); earliest {earliest.isoformat()}"
        )


def earliest_effective(published_at: datetime, rules: RuleSet) -> datetime:
    """The first moment a fee change published at `published_at` may apply."""
    return published_at + timedelta(days=rules.fee_notice_days.value)


def check_notice(published_at: datetime, effective_from: datetime, rules: RuleSet) -> None:
    """Refuse an effective date inside the notice period (raises NoticeTooShort)."""
    earliest = earliest_effective(published_at, rules)
    if effective_from < earliest:
        raise NoticeTooShort(rules, earliest)


def kept_until(superseded_at: datetime, rules: RuleSet) -> datetime:
    """How long a past schedule must stay visible after a newer one replaced it."""
    return superseded_at + timedelta(days=365 * rules.fee_history_years.value + 1)


# --- complaints ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Deadlines:
    """When a complaint must be acknowledged and decided."""

    acknowledge_by: datetime
    decide_by: datetime


def complaint_deadlines(filed_at: datetime, rules: RuleSet) -> Deadlines:
    """The deadlines of a complaint filed at `filed_at` under `rules`."""
    return Deadlines(
        acknowledge_by=filed_at + timedelta(days=rules.complaint_acknowledge_days.value),
        decide_by=filed_at + timedelta(days=rules.complaint_decide_days.value),
    )


@dataclass(frozen=True)
class ComplaintFacts:
    """What the statistics need of one complaint: its type, dates and outcome."""

    category: str
    filed_at: datetime
    decided_at: datetime | None = None
    outcome: str = ""


@dataclass(frozen=True)
class ComplaintStatistics:
    """P2B Art 11(4)'s yearly figures: total, main types, handling time, outcomes."""

    total: int
    by_category: Mapping[str, int]
    outcomes: Mapping[str, int]
    decided: int
    open: int
    average_days: float | None
    median_days: float | None

    @property
    def main_types(self) -> list[tuple[str, int]]:
        """Categories by count, most frequent first (ties by name, so the order is stable)."""
        return sorted(self.by_category.items(), key=lambda item: (-item[1], item[0]))


def complaint_statistics(complaints: Iterable[ComplaintFacts]) -> ComplaintStatistics:
    """Count and time the complaints; handling time is days from filing to decision."""
    items = list(complaints)
    days = [
        (item.decided_at - item.filed_at).total_seconds() / 86400
        for item in items
        if item.decided_at is not None
    ]
    return ComplaintStatistics(
        total=len(items),
        by_category=dict(Counter(item.category for item in items)),
        outcomes=dict(Counter(item.outcome for item in items if item.outcome)),
        decided=len(days),
        open=len(items) - len(days),
        average_days=round(math.fsum(days) / len(days), 2) if days else None,
        median_days=round(_stats.median(days), 2) if days else None,
    )


# --- ranking disclosure -------------------------------------------------------------------


def check_parameters(parameters: Iterable[Mapping[str, object]]) -> None:
    """A disclosure's main parameters (P2B Art 5(1)): named, weighted, reasoned, summing to 100.

    Raises ValueError naming the offending entry.
    """
    items = list(parameters)
    if not items:
        raise ValueError("parameters: name at least one main ranking parameter")
    total = 0.0
    for n, item in enumerate(items):
        for key in ("name_zh", "name_en", "reason_zh", "reason_en"):
            value = item.get(key)
            if not isinstance(value, str) or not value.strip():
                raise ValueError(f"parameters[{n}].{key}: required in both languages")
        weight = item.get("weight")
        if (
            not isinstance(weight, int | float)
            or isinstance(weight, bool)
            or not math.isfinite(weight)
            or weight < 0
        ):
            raise ValueError(f"parameters[{n}].weight: a non-negative number")
        total += float(weight)
    if abs(total - 100.0) > 1e-6:
        raise ValueError(f"parameters: the relative importance must sum to 100 (got {total:g})")
