"""An understood need as plain JSON values and back, to store it with a conversation turn.

    need_to_data(need) -> dict          # JSON-ready: dates ISO, money as strings
    need_from_data(data) -> UnderstoodNeed

The confirmation card edits these values and the next turn passes the stored need back to
`understand(text, previous=...)`. Unknown keys are ignored and missing ones take the
field's default, so a need stored by an older version still reads.
"""

from __future__ import annotations

from dataclasses import fields
from datetime import date
from decimal import Decimal
from typing import Any

from .need import Quantity, UnderstoodNeed

__all__ = ["need_from_data", "need_to_data"]

_DATES = ("wanted_from", "wanted_until", "deadline")
_MONEY = ("budget_max_yuan", "unit_price_max_yuan")
_LISTS = ("resource_types", "region_codes", "industry_codes", "certifications", "constraints")


def need_to_data(need: UnderstoodNeed) -> dict[str, Any]:
    """The need as JSON-ready values."""
    data: dict[str, Any] = {}
    for item in fields(UnderstoodNeed):
        value = getattr(need, item.name)
        if item.name in _DATES:
            data[item.name] = value.isoformat() if value else None
        elif item.name in _MONEY:
            data[item.name] = None if value is None else str(value)
        elif item.name == "quantities":
            data[item.name] = [
                {"amount": str(q.amount), "unit": q.unit, "source_text": q.source_text}
                for q in value
            ]
        elif item.name in _LISTS:
            data[item.name] = list(value)
        elif item.name == "evidence":
            data[item.name] = dict(value)
        else:
            data[item.name] = value
    return data


def need_from_data(data: dict[str, Any]) -> UnderstoodNeed:
    """A need from values written by `need_to_data` (or edited on the card)."""
    known = {item.name for item in fields(UnderstoodNeed)}
    values: dict[str, Any] = {}
    for name, value in data.items():
        if name not in known:
            continue
        if name in _DATES:
            values[name] = date.fromisoformat(value) if value else None
        elif name in _MONEY:
            values[name] = None if value in (None, "") else Decimal(str(value))
        elif name == "quantities":
            values[name] = tuple(
                Quantity(Decimal(str(q["amount"])), q["unit"], q.get("source_text", ""))
                for q in value or ()
            )
        elif name in _LISTS:
            values[name] = tuple(value or ())
        elif name == "evidence":
            values[name] = dict(value or {})
        else:
            values[name] = value
    return UnderstoodNeed(**values)
