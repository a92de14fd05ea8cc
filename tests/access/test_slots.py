"""Capacity slots are calendar periods; a quantity is spread evenly over them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from synergy_hub.access import slots


@pytest.mark.parametrize(
    ("period", "day", "start", "end"),
    [
        ("day", date(2026, 3, 4), date(2026, 3, 4), date(2026, 3, 4)),
        ("week", date(2026, 3, 4), date(2026, 3, 2), date(2026, 3, 8)),
        ("month", date(2026, 2, 14), date(2026, 2, 1), date(2026, 2, 28)),
        ("quarter", date(2026, 11, 30), date(2026, 10, 1), date(2026, 12, 31)),
        ("year", date(2028, 2, 29), date(2028, 1, 1), date(2028, 12, 31)),
    ],
)
def test_slot_bounds(period: str, day: date, start: date, end: date) -> None:
    assert slots.slot_start(day, period) == start
    assert slots.slot_end(start, period) == end


def test_slots_between_touch_every_period() -> None:
    starts = slots.slots_between(date(2026, 1, 15), date(2026, 3, 1), "month")
    assert starts == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    assert slots.slots_between(date(2026, 1, 2), date(2026, 1, 1), "day") == []


def test_too_many_slots_are_refused() -> None:
    with pytest.raises(ValueError, match="slots"):
        slots.slots_between(date(2026, 1, 1), date(2028, 1, 1), "day")


def test_allocation_is_even_and_adds_up() -> None:
    starts = [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    assert slots.allocate(Decimal(5), starts) == {
        date(2026, 1, 1): Decimal(2),
        date(2026, 2, 1): Decimal(2),
        date(2026, 3, 1): Decimal(1),
    }
    parts = slots.allocate(Decimal("1.00"), starts)
    assert sum(parts.values()) == Decimal(1) and set(parts.values()) == {Decimal(1)}
    fractional = slots.allocate(Decimal("0.5"), starts)
    assert sum(fractional.values()) == Decimal("0.5")
    assert max(fractional.values()) - min(fractional.values()) <= Decimal("0.01")


def test_unknown_period_is_an_error() -> None:
    with pytest.raises(ValueError, match="period"):
        slots.slot_start(date(2026, 1, 1), "fortnight")


def test_upcoming_slots_start_with_the_current_one() -> None:
    assert slots.upcoming_slots(date(2026, 12, 20), "month", 2) == [
        date(2026, 12, 1),
        date(2027, 1, 1),
    ]
