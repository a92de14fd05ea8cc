"""Between the engine and the hub: parse entered values, evaluate, serialise, explain."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub.tiers.engine import (
    INDICATORS,
    RULE_SETS,
    Check,
    Evaluation,
    evaluate,
    rule_set_for,
)
from synergy_hub.tiers.engine.indicators import MAX_YEAR, MIN_YEAR, Value, validate_year_values
from synergy_hub.tiers.texts import amount, check_text, label, tier_label
from synergy_hub.validation import FieldErrors

MAX_YEARS = 10


def error_text(code: str) -> str:
    """The message of an engine error code, translated."""
    messages = {
        "unknown_indicator": _("This is not an indicator one enters."),
        "not_a_flag": _("Enter true or false."),
        "invalid_choice": _("Choose one of the listed values."),
        "not_a_number": _("Enter a number."),
        "out_of_range": _("The value is outside the allowed range."),
    }
    return messages.get(code, code)


def clean_year_values(
    errors: FieldErrors, prefix: str, values: Mapping[str, object]
) -> dict[str, Value]:
    """One year's values checked by the engine; each bad one named in `errors`."""
    clean, problems = validate_year_values(values)
    for code, problem in problems.items():
        errors.add(f"{prefix}{code}", error_text(problem), problem)
    return clean


def check_year(errors: FieldErrors, field: str, year: object) -> int | None:
    """A year within the bounds the hub keeps, or an error naming the field."""
    if isinstance(year, int) and not isinstance(year, bool) and MIN_YEAR <= year <= MAX_YEAR:
        return year
    errors.add(
        field,
        _("Enter a year from %(low)d to %(high)d.") % {"low": MIN_YEAR, "high": MAX_YEAR},
        "invalid_year",
    )
    return None


def check_rule_set(errors: FieldErrors, code: str | None, today: date | None = None) -> str:
    """The chosen rule set, or the one in force today when none is chosen."""
    if not code:
        return rule_set_for(today or timezone.localdate()).code
    if code not in RULE_SETS:
        errors.add(
            "rule_set",
            _("Choose one of: %(allowed)s.") % {"allowed": ", ".join(RULE_SETS)},
            "invalid_choice",
        )
    return code


def run(rule_set: str, values_by_year: Mapping[int, Mapping[str, Value]], year: int) -> Evaluation:
    """Evaluate checked values under a known rule set."""
    if rule_set not in RULE_SETS:
        raise ValidationError({"rule_set": ValidationError(_("Unknown rule set."))})
    return evaluate(RULE_SETS[rule_set], values_by_year, year)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")  # exact, without trailing zeros or exponent
    return value


def check_out(check: Check) -> dict[str, Any]:
    """One check as JSON, with its sentence in the reader's language."""
    return {
        "rule": check.rule,
        "kind": check.kind,
        "status": check.status.value,
        "indicator": check.indicator,
        "label": label(check.indicator),
        "actual": _plain(check.actual),
        "required": _plain(check.required),
        "shortfall": _plain(check.shortfall),
        "points": check.points,
        "band_low": _plain(check.band.low) if check.band else None,
        "band_high": _plain(check.band.high) if check.band else None,
        "alternative": check.alternative,
        "source": check.source,
        "provisional": check.provisional,
        "text": check_text(check),
    }


def evaluation_out(result: Evaluation) -> dict[str, Any]:
    """The whole evaluation as JSON: tier, breakdown per tier, blockers, what to enter."""
    return {
        "rule_set": result.rule_set,
        "year": result.year,
        "tier": result.tier,
        "tier_label": tier_label(result.tier),
        "status": result.status,
        "provisional": result.provisional,
        "next_tier": result.next_tier,
        "next_tier_label": tier_label(result.next_tier) if result.next_tier else None,
        "blocking": [check_out(c) for c in result.blocking],
        "to_enter": [
            {"indicator": code, "year": year, "label": label(code)}
            for code, year in result.to_enter
        ],
        "derived": {
            code: {"value": _plain(value), "text": amount(value, _unit(code))}
            for code, value in result.facts.items()
            if code in DERIVED_SHOWN
        },
        "tiers": [
            {
                "tier": r.tier,
                "label": tier_label(r.tier),
                "status": r.status.value,
                "provisional": r.provisional,
                "requires_tier": r.requires_tier,
                "checks": [check_out(c) for c in r.checks],
            }
            for r in result.tiers
        ],
    }


DERIVED_SHOWN = ("rd_intensity", "revenue_growth", "main_business_growth")


def _unit(code: str) -> str:
    return INDICATORS[code].unit
