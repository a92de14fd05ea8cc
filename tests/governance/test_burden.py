"""The fee burden of a typical SME, computed alone from plain fee items."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from synergy_hub.governance.burden import Fee, monthly_cost, series

D = Decimal
JAN, JUN = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 6, 1, tzinfo=UTC)


def test_a_percentage_fee_is_capped_then_discounted_for_smes() -> None:
    fee = Fee("percentage", D(5), cap=D(1000), sme_discount_percent=D(20))
    assert monthly_cost([fee], D(10_000), D(0), sme=False) == D("500.00")
    assert monthly_cost([fee], D(10_000), D(0), sme=True) == D("400.00")
    assert monthly_cost([fee], D(100_000), D(0), sme=False) == D("1000.00")  # capped


def test_per_unit_and_tiered_fees() -> None:
    per_unit = Fee("per_unit", D("1.2"))
    tiered = Fee("tiered", D(0), tiers=[{"up_to": 10_000, "rate": 5}, {"up_to": None, "rate": 2}])
    assert monthly_cost([per_unit], D(0), D(100), sme=False) == D("120.00")
    # 5 % of the first 10,000 and 2 % of the other 40,000.
    assert monthly_cost([tiered], D(50_000), D(0), sme=False) == D("1300.00")
    assert monthly_cost([tiered], D(4_000), D(0), sme=False) == D("200.00")


def test_an_increase_above_the_threshold_is_flagged() -> None:
    old = [Fee("percentage", D(4))]
    new = [Fee("percentage", D(5))]
    points = series(
        [(2, JUN, new), (1, JAN, old)], D(10_000), D(0), sme=False, threshold_percent=D(10)
    )
    assert [p.version for p in points] == [1, 2]
    assert points[1].change_percent == D("25.00")
    assert points[1].flagged and not points[0].flagged
    calm = series(
        [(1, JAN, old), (2, JUN, [Fee("percentage", D("4.2"))])],
        D(10_000),
        D(0),
        sme=False,
        threshold_percent=D(10),
    )
    assert calm[1].change_percent == D("5.00") and not calm[1].flagged
