"""The rule sets of gradient cultivation, as data, each number with its source.

Every number below is from the shared policy notes (docs/tiers.md lists them), which
mark each fact V (checked against the primary text), S (reliable secondary source) or P
(provisional). A rule marked `provisional=True` is shown as such wherever it is used.
A province's add-on rules become another rule set through `add_on` (docs/tiers.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal as D

from synergy_hub.tiers.engine.rules import (
    AllOf,
    AnyOf,
    Band,
    ByBand,
    Flag,
    Requirement,
    Scored,
    Scoring,
    Threshold,
    TierRule,
)

# The tiers, lowest first (POLICY.md, "Gradient cultivation": the ladder).
INNOVATIVE_SME = "innovative_sme"
SRDI_SME = "srdi_sme"
LITTLE_GIANT = "little_giant"
SINGLE_CHAMPION = "single_champion"
TIERS: tuple[str, ...] = (INNOVATIVE_SME, SRDI_SME, LITTLE_GIANT, SINGLE_CHAMPION)


@dataclass(frozen=True)
class RuleSet:
    """A versioned set of tier rules with the dates it applies between."""

    code: str
    title: str
    source: str
    tiers: tuple[TierRule, ...]
    valid_from: date | None = None
    valid_until: date | None = None
    provisional: bool = False
    base: str | None = None

    def tier(self, code: str) -> TierRule:
        """The rule of one tier."""
        for rule in self.tiers:
            if rule.tier == code:
                return rule
        raise KeyError(code)

    def valid_on(self, day: date) -> bool:
        """Tell whether the rule set applies on a day."""
        return (self.valid_from is None or day >= self.valid_from) and (
            self.valid_until is None or day <= self.valid_until
        )


M22 = "优质中小企业梯度培育管理暂行办法 (2022 interim measures)"
M26 = "优质中小企业梯度培育管理办法 (2026 measures, issued 2026-01-17, in force 2026-04-01)"
SC = "制造业单项冠军 conditions"

# --- 2022 interim measures, innovative SME (POLICY.md: 6 indicators, 100 points, S) ---
_INNOVATIVE_SRC = f"{M22}, innovative SME evaluation (S)"
_INNOVATIVE_SCORING = Scoring(
    code="innovative_sme_2022.score",
    source=_INNOVATIVE_SRC,
    # pass at >= 60 with innovation >= 20, growth >= 15 and specialisation >= 15 (S)
    pass_total=60,
    group_minimums=(("innovation", 20), ("growth", 15), ("specialisation", 15)),
    items=(
        # Class-I / other IP: 20 / 15 / 10 / 5 / 0 points by count band (S); where the
        # count bands fall is not in the notes, so the SME picks its band: provisional.
        Scored(
            "ip_level",
            "innovation",
            choice_points=(
                ("class_i_high_value", 20),
                ("class_i_own", 15),
                ("class_i", 10),
                ("class_ii", 5),
                ("none", 0),
            ),
            source=f"{_INNOVATIVE_SRC}: IP 20/15/10/5/0",
            provisional=True,
        ),
        # R&D spend / revenue: >= 5 % -> 20; 3-5 % -> 15; 2-3 % -> 10; 1-2 % -> 5 (S)
        Scored(
            "rd_intensity",
            "innovation",
            bands=(
                Band(20, D(5)),
                Band(15, D(3), D(5)),
                Band(10, D(2), D(3)),
                Band(5, D(1), D(2)),
            ),
            source=f"{_INNOVATIVE_SRC}: R&D spend / revenue",
        ),
        # Revenue growth: >= 15 % -> 20; 10-15 % -> 15; 5-10 % -> 10; 0-5 % -> 5 (S)
        Scored(
            "revenue_growth",
            "growth",
            bands=(
                Band(20, D(15)),
                Band(15, D(10), D(15)),
                Band(10, D(5), D(10)),
                Band(5, D(0), D(5)),
            ),
            source=f"{_INNOVATIVE_SRC}: revenue growth",
        ),
        # Debt-to-asset ratio: <= 55 % -> 10; 55-75 % -> 5 (S); lower is better.
        Scored(
            "debt_to_asset",
            "growth",
            bands=(Band(10, None, D(55), "high"), Band(5, D(55), D(75), "high")),
            source=f"{_INNOVATIVE_SRC}: debt-to-asset ratio",
        ),
        # Field: strategic emerging industry -> 10, otherwise 5 (S)
        Scored(
            "strategic_emerging",
            "specialisation",
            choice_points=(("yes", 10), ("no", 5)),
            source=f"{_INNOVATIVE_SRC}: field",
        ),
        # Main-business revenue share: >= 70 % -> 20; 60-70 % -> 15; 55-60 % -> 10;
        # 50-55 % -> 5 (S)
        Scored(
            "main_business_share",
            "specialisation",
            bands=(
                Band(20, D(70)),
                Band(15, D(60), D(70)),
                Band(10, D(55), D(60)),
                Band(5, D(50), D(55)),
            ),
            source=f"{_INNOVATIVE_SRC}: main-business revenue share",
        ),
    ),
)
# Direct pass, any one (S): an S&T award in the last 3 years; a high-tech enterprise
# certificate and similar recognitions; a provincial R&D institution; >= 5 million yuan
# equity financing in the last 3 years.
_INNOVATIVE_DIRECT: tuple[Requirement, ...] = (
    Flag("innovative_sme_2022.st_award", "st_award_3y", _INNOVATIVE_SRC),
    Flag("innovative_sme_2022.high_tech", "high_tech_certificate", _INNOVATIVE_SRC),
    Flag("innovative_sme_2022.rd_institution", "provincial_rd_institution", _INNOVATIVE_SRC),
    Threshold(
        "innovative_sme_2022.equity", "equity_financing_3y", at_least=D(5), source=_INNOVATIVE_SRC
    ),
)
INNOVATIVE_SME_2022 = TierRule(
    INNOVATIVE_SME, requirements=(_INNOVATIVE_SCORING,), direct_pass=_INNOVATIVE_DIRECT
)

# --- 2022 SRDI SME: basic conditions, then the evaluation (S) ---
_SRDI22 = f"{M22}, SRDI SME (S)"
SRDI_SME_2022 = TierRule(
    SRDI_SME,
    requires_tier=INNOVATIVE_SME,
    requirements=(
        # >= 2 years in the niche
        Threshold("srdi_2022.years", "years_in_niche", at_least=D(2), source=_SRDI22),
        # R&D spend >= 1 million yuan and >= 3 % of revenue
        Threshold("srdi_2022.rd_spend", "rd_spend", at_least=D(1), source=_SRDI22),
        Threshold("srdi_2022.rd_intensity", "rd_intensity", at_least=D(3), source=_SRDI22),
        # revenue >= 10 million yuan or equity financing >= 20 million yuan
        AnyOf(
            "srdi_2022.scale",
            (
                Threshold("srdi_2022.revenue", "revenue", at_least=D(10), source=_SRDI22),
                Threshold(
                    "srdi_2022.equity", "equity_financing_3y", at_least=D(20), source=_SRDI22
                ),
            ),
        ),
        # evaluation >= 60 points over 13 indicators (specialisation 25, refinement 25,
        # distinctiveness 15, innovation 35); the notes give no bands for the 13, so the
        # score of the official evaluation form is entered as one number.
        Threshold("srdi_2022.score", "srdi_score", at_least=D(60), source=_SRDI22),
    ),
)

# --- 2022 little giant (S) ---
_LG22 = f"{M22}, SRDI little giant (S)"
LITTLE_GIANT_2022 = TierRule(
    LITTLE_GIANT,
    requires_tier=SRDI_SME,
    requirements=(
        Threshold("little_giant_2022.years", "years_in_niche", at_least=D(3), source=_LG22),
        Threshold(
            "little_giant_2022.main_share", "main_business_share", at_least=D(70), source=_LG22
        ),
        Threshold(
            "little_giant_2022.main_growth", "main_business_growth", at_least=D(5), source=_LG22
        ),
        Threshold("little_giant_2022.debt", "debt_to_asset", at_most=D(70), source=_LG22),
        Threshold(
            "little_giant_2022.market_share", "niche_market_share", at_least=D(10), source=_LG22
        ),
        # R&D intensity by revenue band: >= 100 million: >= 3 %; 50-100 million: >= 6 %;
        # < 50 million: equity >= 80 million and R&D >= 30 million and R&D staff >= 50 %.
        ByBand(
            "little_giant_2022.rd_by_revenue",
            "revenue",
            source=_LG22,
            branches=(
                (
                    Band(0, D(100)),
                    Threshold(
                        "little_giant_2022.rd_intensity_large",
                        "rd_intensity",
                        at_least=D(3),
                        source=_LG22,
                    ),
                ),
                (
                    Band(0, D(50), D(100)),
                    Threshold(
                        "little_giant_2022.rd_intensity_medium",
                        "rd_intensity",
                        at_least=D(6),
                        source=_LG22,
                    ),
                ),
                (
                    Band(0, None, D(50)),
                    AllOf(
                        "little_giant_2022.rd_small",
                        (
                            Threshold(
                                "little_giant_2022.small_equity",
                                "equity_financing_3y",
                                at_least=D(80),
                                source=_LG22,
                            ),
                            Threshold(
                                "little_giant_2022.small_rd_spend",
                                "rd_spend",
                                at_least=D(30),
                                source=_LG22,
                            ),
                            Threshold(
                                "little_giant_2022.small_rd_staff",
                                "rd_staff_share",
                                at_least=D(50),
                                source=_LG22,
                            ),
                        ),
                    ),
                ),
            ),
        ),
        Threshold("little_giant_2022.class_i_ip", "class_i_ip", at_least=D(2), source=_LG22),
    ),
)

# --- Manufacturing single champion (S) ---
_SC = f"{SC} (S)"
SINGLE_CHAMPION_RULE = TierRule(
    SINGLE_CHAMPION,
    requirements=(
        # niche revenue >= 70 % of revenue (the niche is the main business here)
        Threshold("single_champion.niche_share", "main_business_share", at_least=D(70), source=_SC),
        # global market share in the top 3 (lower rank is better)
        Threshold("single_champion.global_rank", "global_market_rank", at_most=D(3), source=_SC),
        # >= 10 years in the niche
        Threshold("single_champion.years", "years_in_niche", at_least=D(10), source=_SC),
    ),
)

# --- 2026 measures, SRDI SME (P: provisional, one source only) ---
_SRDI26 = f"{M26}, SRDI SME (P)"


def _p(code: str, indicator: str, **bound: D) -> Threshold:
    return Threshold(f"srdi_2026.{code}", indicator, source=_SRDI26, provisional=True, **bound)


SRDI_SME_2026 = TierRule(
    SRDI_SME,
    requires_tier=INNOVATIVE_SME,
    provisional=True,
    requirements=(
        _p("years", "years_in_niche", at_least=D(3)),  # >= 3 years in the niche
        # revenue >= 15 million yuan or equity >= 20 million
        AnyOf(
            "srdi_2026.scale",
            (
                _p("revenue", "revenue", at_least=D(15)),
                _p("equity", "equity_financing_3y", at_least=D(20)),
            ),
        ),
        _p("main_share", "main_business_share", at_least=D(80)),  # main business >= 80 %
        _p("debt", "debt_to_asset", at_most=D(80)),  # debt-to-asset <= 80 %
        # R&D >= 1 million and >= 3 % in each of the last 2 years
        _p("rd_spend", "rd_spend", at_least=D(1)),
        _p("rd_intensity", "rd_intensity", at_least=D(3)),
        _p("rd_spend_prev", "rd_spend_prev", at_least=D(1)),
        _p("rd_intensity_prev", "rd_intensity_prev", at_least=D(3)),
        _p("class_i_ip", "class_i_ip", at_least=D(1)),  # >= 1 Class-I IP
        _p("score", "srdi_score", at_least=D(50)),  # evaluation score >= 50
    ),
)


def _carried_over(rule: TierRule) -> TierRule:
    """A 2022 tier rule kept under the 2026 measures, provisional until re-checked.

    The notes give the 2026 criteria of the SRDI SME only; for the other tiers the 2022
    rules stay in force here and are marked provisional.
    """
    return replace(rule, provisional=True)


CN_2022 = RuleSet(
    code="cn-2022",
    title="2022 interim measures",
    source=M22,
    # The notes give no start date; the 2026 measures replace these on 2026-04-01.
    valid_until=date(2026, 3, 31),
    tiers=(INNOVATIVE_SME_2022, SRDI_SME_2022, LITTLE_GIANT_2022, SINGLE_CHAMPION_RULE),
)
CN_2026 = RuleSet(
    code="cn-2026",
    title="2026 measures",
    source=M26,
    valid_from=date(2026, 4, 1),
    provisional=True,
    tiers=(
        _carried_over(INNOVATIVE_SME_2022),
        SRDI_SME_2026,
        _carried_over(LITTLE_GIANT_2022),
        SINGLE_CHAMPION_RULE,
    ),
)


def add_on(
    base: RuleSet,
    *,
    code: str,
    title: str,
    source: str,
    extra: Mapping[str, tuple[Requirement, ...]],
    valid_from: date | None = None,
    valid_until: date | None = None,
    provisional: bool = False,
) -> RuleSet:
    """A province's rule set: the national one with its own requirements added per tier.

    Add-on requirements can only add conditions (a province cannot relax national ones),
    so a tier under the add-on set is never easier to reach than under its base.
    """
    unknown = set(extra) - set(TIERS)
    if unknown:
        raise KeyError(f"unknown tiers: {sorted(unknown)}")
    tiers = tuple(
        replace(rule, requirements=rule.requirements + extra.get(rule.tier, ()))
        for rule in base.tiers
    )
    return RuleSet(
        code=code,
        title=title,
        source=source,
        tiers=tiers,
        valid_from=valid_from or base.valid_from,
        valid_until=valid_until or base.valid_until,
        provisional=provisional or base.provisional,
        base=base.code,
    )


RULE_SETS: dict[str, RuleSet] = {rs.code: rs for rs in (CN_2022, CN_2026)}


def rule_set_for(day: date, rule_sets: Mapping[str, RuleSet] = RULE_SETS) -> RuleSet:
    """The national rule set that applies on a day (the 2022 set before 2026-04-01)."""
    national = [rs for rs in rule_sets.values() if rs.base is None and rs.valid_on(day)]
    if not national:
        raise LookupError(f"no rule set applies on {day.isoformat()}")
    return max(national, key=lambda rs: rs.valid_from or date.min)
