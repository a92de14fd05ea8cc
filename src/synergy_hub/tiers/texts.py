"""The engine's codes and numbers in the reader's language (the engine itself has no text)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from synergy_hub.tiers.engine import INDICATORS, Check, Status
from synergy_hub.tiers.engine.rules import Band

TIER_LABELS = {
    "innovative_sme": gettext_lazy("innovative SME"),
    "srdi_sme": gettext_lazy("SRDI SME"),
    "little_giant": gettext_lazy('"little giant"'),
    "single_champion": gettext_lazy("manufacturing single champion"),
}
INDICATOR_LABELS = {
    "revenue": gettext_lazy("Revenue"),
    "main_business_share": gettext_lazy("Main-business revenue share"),
    "rd_spend": gettext_lazy("R&D spend"),
    "rd_staff_share": gettext_lazy("R&D staff share"),
    "class_i_ip": gettext_lazy("Class-I IP (count)"),
    "ip_level": gettext_lazy("Best IP held"),
    "years_in_niche": gettext_lazy("Years in the niche"),
    "niche_market_share": gettext_lazy("National niche market share"),
    "global_market_rank": gettext_lazy("Global market rank in the niche"),
    "debt_to_asset": gettext_lazy("Debt-to-asset ratio"),
    "equity_financing_3y": gettext_lazy("Equity financing, last 3 years"),
    "strategic_emerging": gettext_lazy("In a strategic emerging industry"),
    "st_award_3y": gettext_lazy("National or provincial S&T award, last 3 years"),
    "high_tech_certificate": gettext_lazy("High-tech enterprise certificate or similar"),
    "provincial_rd_institution": gettext_lazy("Provincial R&D institution"),
    "srdi_score": gettext_lazy("SRDI evaluation score"),
    "rd_intensity": gettext_lazy("R&D intensity"),
    "revenue_growth": gettext_lazy("Revenue growth"),
    "main_business_growth": gettext_lazy("Main-business revenue growth"),
    "rd_spend_prev": gettext_lazy("R&D spend, previous year"),
    "rd_intensity_prev": gettext_lazy("R&D intensity, previous year"),
    # the groups of the innovative SME score
    "innovation": gettext_lazy("Innovation points"),
    "growth": gettext_lazy("Growth points"),
    "specialisation": gettext_lazy("Specialisation points"),
}
HELP_TEXTS = {
    "revenue": gettext_lazy("Operating revenue of the year, in million yuan."),
    "main_business_share": gettext_lazy(
        "Main-business (niche) revenue as a share of revenue, in %."
    ),
    "rd_spend": gettext_lazy("R&D expenses of the year, in million yuan."),
    "rd_staff_share": gettext_lazy("R&D staff as a share of all staff, in %."),
    "class_i_ip": gettext_lazy("Valid Class-I IP: invention patents and the like."),
    "ip_level": gettext_lazy("The best IP band you hold (innovative SME score)."),
    "years_in_niche": gettext_lazy("Years the enterprise has worked in its niche market."),
    "niche_market_share": gettext_lazy("Share of the national niche market, in %."),
    "global_market_rank": gettext_lazy("1 = the largest global market share in the niche."),
    "debt_to_asset": gettext_lazy("Total liabilities / total assets at year end, in %."),
    "equity_financing_3y": gettext_lazy("Equity raised in the last 3 years, in million yuan."),
    "srdi_score": gettext_lazy(
        "Score of the official SRDI evaluation form (0–100): specialisation up to 25, "
        "refinement up to 25, distinctiveness up to 15, innovation up to 35 points. The "
        "policy notes give no bands for its 13 indicators, so the hub takes the form's total."
    ),
}
IP_LEVEL_LABELS = {
    "class_i_high_value": gettext_lazy("High-value Class-I IP"),
    "class_i_own": gettext_lazy("Self-developed Class-I IP"),
    "class_i": gettext_lazy("Class-I IP"),
    "class_ii": gettext_lazy("Class-II IP only"),
    "none": gettext_lazy("None"),
}
UNITS = {
    "pct": "%",
    "million_yuan": gettext_lazy("million yuan"),
    "years": gettext_lazy("years"),
    "count": "",
    "rank": "",
    "points": gettext_lazy("points"),
}


def number(value: Decimal) -> str:
    """A number as shown: at most two decimals, no trailing zeros."""
    try:
        shown = value.quantize(Decimal("0.01")).normalize()
    except InvalidOperation:  # beyond the context's precision: a ratio of a tiny revenue
        shown = value.normalize()
    return format(shown if shown != 0 else Decimal(0), "f")


def label(code: str | None) -> str:
    """The name of an indicator or score group."""
    return str(INDICATOR_LABELS.get(code or "", code or ""))


def _unit_of(check: Check) -> str:
    if check.kind in ("total", "group"):
        return "points"
    spec = INDICATORS.get(check.indicator or "")
    return spec.unit if spec else ""


def amount(value: Any, unit: str) -> str:
    """A value with its unit ("2.4 %", "3 million yuan", "yes")."""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, str):
        return str(IP_LEVEL_LABELS.get(value, value))
    shown = number(value)
    name = str(UNITS.get(unit, ""))
    if unit == "pct":
        return f"{shown} %"
    return f"{shown} {name}".strip()


def _gap(value: Decimal, unit: str) -> str:
    if unit == "pct":
        return _("%(n)s percentage points") % {"n": number(value)}
    return amount(value, unit)


def band_text(band: Band | None, unit: str) -> str:
    """The band that applied ("3–5 %", "≥ 5 %", "≤ 55 %")."""
    if band is None:
        return ""
    if band.low is None and band.high is not None:
        return f"≤ {amount(band.high, unit)}"
    if band.high is None and band.low is not None:
        return f"≥ {amount(band.low, unit)}"
    assert band.low is not None and band.high is not None
    return f"{number(band.low)}–{amount(band.high, unit)}"


def check_text(check: Check) -> str:
    """One check as a sentence: "R&D intensity 2.4 %: 0.6 percentage points short of 3 %"."""
    unit = _unit_of(check)
    name = _("Total score") if check.kind == "total" else label(check.indicator)
    if check.status == Status.UNKNOWN:
        return _("%(name)s: not known yet") % {"name": name}
    value = amount(check.actual, unit)
    if check.kind == "band" and check.points is not None:
        where = band_text(check.band, unit)
        if where:
            return _("%(name)s %(value)s: %(points)d points (band %(band)s)") % {
                "name": name,
                "value": value,
                "points": check.points,
                "band": where,
            }
        return _("%(name)s %(value)s: %(points)d points") % {
            "name": name,
            "value": value,
            "points": check.points,
        }
    if check.kind == "band":
        return _("%(name)s %(value)s: band %(band)s applies") % {
            "name": name,
            "value": value,
            "band": band_text(check.band, unit),
        }
    if check.kind == "flag":
        return f"{name}: {value}"
    assert check.required is not None
    required = amount(check.required, unit)
    if check.status == Status.PASS:
        sign = "≤" if check.kind == "max" else "≥"
        return _("%(name)s %(value)s: meets %(sign)s %(required)s") % {
            "name": name,
            "value": value,
            "sign": sign,
            "required": required,
        }
    assert check.shortfall is not None
    if check.kind == "max":
        return _("%(name)s %(value)s: %(gap)s above %(required)s") % {
            "name": name,
            "value": value,
            "gap": _gap(check.shortfall, unit),
            "required": required,
        }
    return _("%(name)s %(value)s: %(gap)s short of %(required)s") % {
        "name": name,
        "value": value,
        "gap": _gap(check.shortfall, unit),
        "required": required,
    }


def tier_label(tier: str | None) -> str:
    """A tier's name, or "no tier yet"."""
    return str(TIER_LABELS[tier]) if tier else _("no tier yet")


RULE_SET_LABELS = {
    "cn-2022": gettext_lazy("2022 interim measures"),
    "cn-2026": gettext_lazy("2026 measures (provisional)"),
}
STATUS_LABELS = {
    "pass": gettext_lazy("met"),
    "fail": gettext_lazy("not met"),
    "unknown": gettext_lazy("unknown"),
}
