"""Pure KPI arithmetic: progress against a target, monthly cumulative series and
locale-aware numbers (the charts' geometry is `web.charts`). Plain values in and out; the
counts come from `selectors`."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


@dataclass(frozen=True)
class Progress:
    """Where one target stands: the count now against the number to reach by a date."""

    metric: str
    target: int
    current: int
    due_on: datetime.date

    @property
    def percent(self) -> int:
        """Share of the target reached, in whole percent, capped at 100 for display."""
        if self.target <= 0:
            return 100
        return min(100, (100 * self.current) // self.target)

    @property
    def reached(self) -> bool:
        return self.current >= self.target


def month_starts(today: datetime.date, count: int) -> list[datetime.date]:
    """The first days of the last `count` months, oldest first, ending with today's month."""
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        months.append(datetime.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def cumulative(dates: Sequence[datetime.date], months: Sequence[datetime.date]) -> list[int]:
    """How many of `dates` fall before the end of each month (the count at month's end)."""
    ends = [
        datetime.date(m.year + (m.month == 12), m.month % 12 + 1, 1) for m in months
    ]  # the first day of the following month
    return [sum(1 for d in dates if d < end) for end in ends]


def format_number(value: int | float, language: str) -> str:
    """A count as its readers expect it: 12,345 in English; 1.23万 from ten thousand in Chinese."""
    if language.lower().startswith("zh") and abs(value) >= 10_000:
        wan = (Decimal(str(value)) / 10_000).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        text = f"{wan:f}".rstrip("0").rstrip(".")
        return f"{text}万"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.1f}"
    return f"{int(value):,}"
