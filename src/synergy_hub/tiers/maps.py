"""Officers' views of the tiers: verified tiers counted by province and industry, and the
SMEs whose entered indicators meet the manufacturing single champion's conditions.

Counts read the verified tier only (`Organisation.tier`, which changes when an officer
approves it, decision 0017). The candidates are computed: each manufacturing SME's latest
entered year is evaluated under the chosen rule set, and those that meet the single
champion's conditions are listed with the checks behind them, marked provisional where
the rule set is (POLICY.md grades the 2026 measures P).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import get_language

from synergy_hub.accounts.models import Organisation, OrganisationKind, OrganisationStatus, Tier
from synergy_hub.eligibility.industries import section_of
from synergy_hub.eligibility.regions import province_of
from synergy_hub.tiers.engine import evaluate
from synergy_hub.tiers.engine.evaluate import Evaluation
from synergy_hub.tiers.engine.indicators import Value, parse_value
from synergy_hub.tiers.engine.rules import Status
from synergy_hub.tiers.engine.rulesets import RULE_SETS, SINGLE_CHAMPION
from synergy_hub.tiers.models import IndicatorYear

Dimension = Literal["province", "industry"]
#: The columns of a tier map: no tier, then the ladder from the lowest tier.
COLUMNS: tuple[str, ...] = tuple(t.value for t in Tier)
#: GB/T 4754-2017 section C (制造业): the single champion is a manufacturing title.
MANUFACTURING = "C"


@dataclass(frozen=True)
class MapRow:
    """One province or industry section: approved SMEs by verified tier."""

    code: str
    name: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def with_tier(self) -> int:
        return self.total - self.counts.get("", 0)


def _area(organisation_region: str, organisation_industry: str, by: Dimension) -> tuple[str, str]:
    zh = (get_language() or "").startswith("zh")
    if by == "province":
        province = province_of(organisation_region)
        if province is None:
            return organisation_region, organisation_region
        return province.code, province.name_zh if zh else province.name_en
    section = section_of(organisation_industry)
    if section is None:
        return organisation_industry, organisation_industry
    return section.code, section.name_zh if zh else section.name_en


def tier_map(by: Dimension) -> list[MapRow]:
    """Approved SMEs by province (or industry section) and verified tier, in code order."""
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(COLUMNS, 0))
    rows = (
        Organisation.objects.filter(kind=OrganisationKind.SME, status=OrganisationStatus.APPROVED)
        .values_list("region_id", "industry_id", "tier")
        .order_by()
    )
    for region, industry, tier in rows:
        area = _area(region, industry, by)
        counts[area][tier or ""] = counts[area].get(tier or "", 0) + 1
    return [
        MapRow(code=code, name=name, counts=dict(found))
        for (code, name), found in sorted(counts.items())
    ]


def totals(rows: list[MapRow]) -> dict[str, int]:
    """The column totals of a map."""
    found = dict.fromkeys(COLUMNS, 0)
    for row in rows:
        for tier, n in row.counts.items():
            found[tier] = found.get(tier, 0) + n
    return found


@dataclass(frozen=True)
class Candidate:
    """A manufacturing SME whose latest entered year meets the single champion's conditions."""

    organisation: Organisation
    year: int
    evaluation: Evaluation
    provisional: bool


def single_champion_candidates(rule_set: str) -> list[Candidate]:
    """Manufacturing SMEs whose latest year meets the single champion's conditions under
    the rule set, by name; one query for the indicators, one for the organisations."""
    rules = RULE_SETS[rule_set]
    organisations = {
        org.pk: org
        for org in Organisation.objects.filter(
            kind=OrganisationKind.SME, status=OrganisationStatus.APPROVED
        )
        if getattr(section_of(org.industry_id), "code", None) == MANUFACTURING
    }
    by_organisation: dict[int, dict[int, dict[str, Value]]] = defaultdict(dict)
    for row in IndicatorYear.objects.filter(organisation_id__in=organisations).order_by():
        by_organisation[row.organisation_id][row.year] = {
            code: parse_value(code, raw) for code, raw in row.values.items()
        }
    found = []
    for pk, years in by_organisation.items():
        year = max(years)
        result = evaluate(rules, years, year)
        champion = result.result(SINGLE_CHAMPION)
        if champion.own_status == Status.PASS:
            found.append(
                Candidate(
                    organisation=organisations[pk],
                    year=year,
                    evaluation=result,
                    provisional=champion.provisional or rules.provisional,
                )
            )
    return sorted(found, key=lambda c: (c.organisation.name_zh, c.organisation.pk))
