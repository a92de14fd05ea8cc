"""API shapes of the tier evaluation: bounded indicators in, the breakdown out."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from synergy_hub.tiers.engine.indicators import IP_LEVELS, MAX_YEAR, MIN_YEAR
from synergy_hub.tiers.evaluation import MAX_YEARS

Money = Decimal
IpLevel = Literal[IP_LEVELS]  # type: ignore[valid-type]


def _money() -> Any:
    return Field(
        None, description="million yuan", ge=0, le=10_000_000, max_digits=14, decimal_places=4
    )


def _pct(description: str) -> Any:
    return Field(None, description=description, ge=0, le=100, max_digits=9, decimal_places=4)


class YearIn(Schema):
    """One year's indicators; leave out what you do not know (it shows as unknown)."""

    year: int = Field(..., ge=MIN_YEAR, le=MAX_YEAR)
    revenue: Decimal | None = _money()
    main_business_share: Decimal | None = _pct("% of revenue")
    rd_spend: Decimal | None = _money()
    rd_staff_share: Decimal | None = _pct("% of staff")
    class_i_ip: int | None = Field(None, ge=0, le=100_000)
    ip_level: IpLevel | None = None
    years_in_niche: Decimal | None = Field(None, ge=0, le=200, max_digits=7, decimal_places=2)
    niche_market_share: Decimal | None = _pct("%")
    global_market_rank: int | None = Field(None, ge=1, le=100_000)
    debt_to_asset: Decimal | None = Field(None, ge=0, le=1000, max_digits=9, decimal_places=4)
    equity_financing_3y: Decimal | None = _money()
    strategic_emerging: bool | None = None
    st_award_3y: bool | None = None
    high_tech_certificate: bool | None = None
    provincial_rd_institution: bool | None = None
    srdi_score: Decimal | None = Field(None, ge=0, le=100, max_digits=7, decimal_places=2)

    def values(self) -> dict[str, Any]:
        """The indicators given, by code."""
        return {k: v for k, v in self.dict().items() if k != "year" and v is not None}


class EvaluateIn(Schema):
    """Indicators by year and the year to evaluate; the rule set in force when left out."""

    year: int = Field(..., ge=MIN_YEAR, le=MAX_YEAR)
    rule_set: str | None = Field(None, max_length=40)
    years: list[YearIn] = Field(..., min_length=1, max_length=MAX_YEARS)


class CheckOut(Schema):
    rule: str
    kind: str
    status: str
    indicator: str | None
    label: str
    actual: str | bool | None
    required: str | None
    shortfall: str | None
    points: int | None
    band_low: str | None
    band_high: str | None
    alternative: str | None
    source: str
    provisional: bool
    text: str


class TierOut(Schema):
    tier: str
    label: str
    status: str
    provisional: bool
    requires_tier: str | None
    checks: list[CheckOut]


class ToEnterOut(Schema):
    indicator: str
    year: int
    label: str


class EvaluationOut(Schema):
    rule_set: str
    year: int
    tier: str | None
    tier_label: str
    status: str
    provisional: bool
    next_tier: str | None
    next_tier_label: str | None
    blocking: list[CheckOut]
    to_enter: list[ToEnterOut]
    derived: dict[str, dict[str, str]]
    tiers: list[TierOut]


class KeptEvaluationOut(Schema):
    id: int
    created_at: datetime
    evaluation: EvaluationOut

    @staticmethod
    def resolve_evaluation(obj: Any) -> Any:
        return obj.breakdown


class VerificationIn(Schema):
    """Why the tier should be verified (the evidence comes as a file beside it)."""

    explanation: str = Field("", max_length=2000)
