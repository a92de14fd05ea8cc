"""Capacity slots: the calendar periods in which a resource's declared capacity is booked.

A resource declares `capacity` units per `capacity_period` (day, week, month, quarter or
year). One slot is one such period, aligned to the calendar in the hub's time zone: a day,
an ISO week starting on Monday, a calendar month, a quarter (Jan, Apr, Jul, Oct) or a
year. A request for a quantity over a period books the slots the period touches; the
quantity is spread evenly over them (whole units when the quantity is whole), any
remainder going to the earliest slots. Pure functions, no database.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

PERIODS = ("day", "week", "month", "quarter", "year")
#: The most slots one booking may cover (e.g. a little over a year of daily slots).
MAX_SLOTS = 400


def slot_start(day: date, period: str) -> date:
    """The first day of the slot of `period` that contains `day`."""
    if period == "day":
        return day
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    if period == "quarter":
        return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    if period == "year":
        return date(day.year, 1, 1)
    raise ValueError(f"unknown capacity period {period!r}")


def next_slot(start: date, period: str) -> date:
    """The first day of the slot after the one starting on `start`."""
    if period == "day":
        return start + timedelta(days=1)
    if period == "week":
        return start + timedelta(days=7)
    months = {"month": 1, "quarter": 3, "year": 12}.get(period)
    if months is None:
        raise ValueError(f"unknown capacity period {period!r}")
    index = start.year * 12 + start.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def slot_end(start: date, period: str) -> date:
    """The last day (inclusive) of the slot starting on `start`."""
    return next_slot(start, period) - timedelta(days=1)


def slots_between(first: date, last: date, period: str) -> list[date]:
    """The starts of every slot touched by the days `first`..`last` (inclusive)."""
    if last < first:
        return []
    starts: list[date] = []
    current = slot_start(first, period)
    while current <= last:
        starts.append(current)
        if len(starts) > MAX_SLOTS:
            raise ValueError(f"more than {MAX_SLOTS} slots")
        current = next_slot(current, period)
    return starts


def upcoming_slots(today: date, period: str, count: int) -> list[date]:
    """The starts of `count` slots from the one containing `today` (for the calendar)."""
    starts = [slot_start(today, period)]
    while len(starts) < count:
        starts.append(next_slot(starts[-1], period))
    return starts


def allocate(quantity: Decimal, starts: list[date]) -> dict[date, Decimal]:
    """Spread `quantity` evenly over the slots; slots that would get nothing are left out.

    Whole quantities are split in whole units and others in hundredths; the remainder of
    the division goes to the earliest slots, so the parts always add up to `quantity`.
    """
    if not starts or quantity <= 0:
        return {}
    step = Decimal(1) if quantity == quantity.to_integral_value() else Decimal("0.01")
    steps = int((quantity / step).to_integral_value())
    base, extra = divmod(steps, len(starts))
    parts = {
        start: (base + (1 if i < extra else 0)) * step for i, start in enumerate(sorted(starts))
    }
    return {start: units for start, units in parts.items() if units > 0}
