"""The indicators an enterprise enters, with their units, bounds and which way is better.

Inputs are entered per year; a few indicators the rules use are derived from them
(R&D intensity, growth rates, last year's R&D) so that an SME never types a ratio that
could contradict its own figures.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal

Kind = Literal["number", "flag", "choice"]
Value = Decimal | bool | str

# Units are codes; the Django layer names them in the reader's language.
PCT = "pct"  # per cent of something; differences are "percentage points"
MILLION_YUAN = "million_yuan"
YEARS = "years"
COUNT = "count"
RANK = "rank"
POINTS = "points"

# Best Class-I / other IP held, best first. POLICY.md gives the points of the innovative
# SME scoring (20 / 15 / 10 / 5 / 0) but not where the count bands fall, so the SME
# chooses the band it is in; provisional until the bands are re-checked.
IP_LEVELS = ("class_i_high_value", "class_i_own", "class_i", "class_ii", "none")


@dataclass(frozen=True)
class Indicator:
    """One entered or derived indicator: its code, unit, bounds and direction."""

    code: str
    unit: str
    kind: Kind = "number"
    minimum: Decimal = Decimal(0)
    maximum: Decimal = Decimal(0)
    lower_is_better: bool = False
    derived: bool = False
    choices: tuple[str, ...] = ()

    def improves(self, old: Value, new: Value) -> bool:
        """Tell whether `new` is at least as good as `old` for this indicator."""
        if self.kind == "flag":
            return bool(new) >= bool(old)
        if self.kind == "choice":
            # choices are listed best first
            return self.choices.index(str(new)) <= self.choices.index(str(old))
        assert isinstance(old, Decimal) and isinstance(new, Decimal)
        return new <= old if self.lower_is_better else new >= old


_BIG_MONEY = Decimal(10_000_000)  # million yuan: ten trillion yuan, beyond any SME
_ENTERED = (
    Indicator("revenue", MILLION_YUAN, maximum=_BIG_MONEY),
    Indicator("main_business_share", PCT, maximum=Decimal(100)),
    Indicator("rd_spend", MILLION_YUAN, maximum=_BIG_MONEY),
    Indicator("rd_staff_share", PCT, maximum=Decimal(100)),
    Indicator("class_i_ip", COUNT, maximum=Decimal(100_000)),
    Indicator("ip_level", "", kind="choice", choices=IP_LEVELS),
    Indicator("years_in_niche", YEARS, maximum=Decimal(200)),
    Indicator("niche_market_share", PCT, maximum=Decimal(100)),
    Indicator(
        "global_market_rank",
        RANK,
        minimum=Decimal(1),
        maximum=Decimal(100_000),
        lower_is_better=True,
    ),
    Indicator("debt_to_asset", PCT, maximum=Decimal(1000), lower_is_better=True),
    Indicator("equity_financing_3y", MILLION_YUAN, maximum=_BIG_MONEY),
    Indicator("strategic_emerging", "", kind="flag"),
    Indicator("st_award_3y", "", kind="flag"),
    Indicator("high_tech_certificate", "", kind="flag"),
    Indicator("provincial_rd_institution", "", kind="flag"),
    Indicator("srdi_score", POINTS, maximum=Decimal(100)),
)
_DERIVED = (
    Indicator("rd_intensity", PCT, derived=True),
    Indicator("revenue_growth", PCT, derived=True),
    Indicator("main_business_growth", PCT, derived=True),
    Indicator("rd_spend_prev", MILLION_YUAN, derived=True),
    Indicator("rd_intensity_prev", PCT, derived=True),
)
INDICATORS: dict[str, Indicator] = {i.code: i for i in _ENTERED + _DERIVED}
ENTERED: tuple[str, ...] = tuple(i.code for i in _ENTERED)
MIN_YEAR, MAX_YEAR = 2000, 2100

# What each derived indicator is computed from: (code, year offset) pairs.
DERIVED_FROM: dict[str, tuple[tuple[str, int], ...]] = {
    "rd_intensity": (("rd_spend", 0), ("revenue", 0)),
    "revenue_growth": (("revenue", 0), ("revenue", -1)),
    "main_business_growth": (
        ("revenue", 0),
        ("main_business_share", 0),
        ("revenue", -1),
        ("main_business_share", -1),
    ),
    "rd_spend_prev": (("rd_spend", -1),),
    "rd_intensity_prev": (("rd_spend", -1), ("revenue", -1)),
}


def parse_value(code: str, raw: object) -> Value:
    """One entered value in its type, or ValueError with an error code (for the caller)."""
    spec = INDICATORS.get(code)
    if spec is None or spec.derived:
        raise ValueError("unknown_indicator")
    if spec.kind == "flag":
        if isinstance(raw, bool):
            return raw
        raise ValueError("not_a_flag")
    if spec.kind == "choice":
        if isinstance(raw, str) and raw in spec.choices:
            return raw
        raise ValueError("invalid_choice")
    if isinstance(raw, bool):
        raise ValueError("not_a_number")
    try:
        number = Decimal(str(raw))
    except (InvalidOperation, ValueError):
        raise ValueError("not_a_number") from None
    if not number.is_finite():
        raise ValueError("not_a_number")
    if number < spec.minimum or number > spec.maximum:
        raise ValueError("out_of_range")
    return number


def validate_year_values(values: Mapping[str, object]) -> tuple[dict[str, Value], dict[str, str]]:
    """Parse one year's entered values: the clean ones and an error code per bad field."""
    clean: dict[str, Value] = {}
    errors: dict[str, str] = {}
    for code, raw in values.items():
        if raw is None:
            continue
        try:
            clean[code] = parse_value(code, raw)
        except ValueError as error:
            errors[code] = str(error)
    return clean, errors
