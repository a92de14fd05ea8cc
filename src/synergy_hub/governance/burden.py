"""What a fee schedule costs a typical SME: a pure computation over plain fee items.

Pure Python (no Django): the selectors pass the items of each published version in; the
fee-burden page and API show the monthly cost per platform over time, and an increase
between two versions above the threshold is flagged to programme officers.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

CENT: Final = Decimal("0.01")
HUNDRED: Final = Decimal(100)

#: A typical SME's month by size class: sales through the platform (yuan) and usage units.
#: The hub's own assumption, shown on the page; the user may give other figures.
TYPICAL_MONTH: Final[Mapping[str, tuple[Decimal, Decimal]]] = {
    "micro": (Decimal(50_000), Decimal(20)),
    "small": (Decimal(500_000), Decimal(200)),
    "medium": (Decimal(5_000_000), Decimal(2_000)),
}


@dataclass(frozen=True)
class Fee:
    """One fee item as the computation needs it (rates in percent for percentage bases).

    `tiers` (tiered basis): [{"up_to": amount or None, "rate": percent}, …] in ascending
    order; each rate applies to the part of the sales inside its band.
    """

    basis: str
    rate: Decimal
    cap: Decimal | None = None
    sme_discount_percent: Decimal = Decimal(0)
    tiers: Sequence[Mapping[str, object]] = ()


def _tiered(sales: Decimal, tiers: Sequence[Mapping[str, object]]) -> Decimal:
    total, lower = Decimal(0), Decimal(0)
    for tier in tiers:
        upper_raw, rate = tier.get("up_to"), Decimal(str(tier.get("rate", 0)))
        upper = None if upper_raw in (None, "") else Decimal(str(upper_raw))
        band = (sales if upper is None else min(sales, upper)) - lower
        if band > 0:
            total += band * rate / HUNDRED
        if upper is None or sales <= upper:
            break
        lower = upper
    return total


def monthly_cost(fees: Iterable[Fee], sales: Decimal, units: Decimal, *, sme: bool) -> Decimal:
    """The month's fees for the given sales and units: caps applied, then the SME discount."""
    total = Decimal(0)
    for fee in fees:
        if fee.basis == "percentage":
            amount = sales * fee.rate / HUNDRED
        elif fee.basis == "per_unit":
            amount = units * fee.rate
        else:
            amount = _tiered(sales, fee.tiers)
        if fee.cap is not None:
            amount = min(amount, fee.cap)
        if sme:
            amount -= amount * fee.sme_discount_percent / HUNDRED
        total += amount
    return total.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Point:
    """One version's cost for the typical month, and its change against the version before."""

    version: int
    effective_from: datetime
    cost: Decimal
    change_percent: Decimal | None
    flagged: bool


def series(
    versions: Iterable[tuple[int, datetime, Sequence[Fee]]],
    sales: Decimal,
    units: Decimal,
    *,
    sme: bool,
    threshold_percent: Decimal,
) -> list[Point]:
    """Cost per version in effective order; an increase above the threshold is flagged."""
    points: list[Point] = []
    previous: Decimal | None = None
    for version, effective_from, fees in sorted(versions, key=lambda v: (v[1], v[0])):
        cost = monthly_cost(fees, sales, units, sme=sme)
        change = None
        if previous is not None and previous > 0:
            change = ((cost - previous) * HUNDRED / previous).quantize(CENT, ROUND_HALF_UP)
        flagged = change is not None and change > threshold_percent
        if previous == 0 and cost > 0:
            flagged = True
        points.append(Point(version, effective_from, cost, change, flagged))
        previous = cost
    return points
