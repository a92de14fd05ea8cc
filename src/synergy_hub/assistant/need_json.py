"""An understood need as JSON and back: how a turn stores it and the API shows it.

Written from the dataclass's own fields, so a field the reading adds tomorrow is stored
and shown without a change here: dates as ISO strings, amounts as decimal strings, tuples
as lists, quantities as objects.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from synergy_hub.assistant.understanding.need import Quantity, UnderstoodNeed


def plain(value: Any) -> Any:
    """A value as JSON holds it (decimals and dates as text)."""
    if isinstance(value, Quantity):
        return {"amount": str(value.amount), "unit": value.unit, "source_text": value.source_text}
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple | list):
        return [plain(item) for item in value]
    if isinstance(value, dict):
        return {str(key): plain(item) for key, item in value.items()}
    return value


def need_to_json(need: UnderstoodNeed) -> dict[str, Any]:
    """Every field of the need as JSON values."""
    return {field.name: plain(getattr(need, field.name)) for field in dataclasses.fields(need)}


def _typed(kind: str, value: Any) -> Any:
    """One stored value read back as the field's declared type (`kind` is its annotation)."""
    if value is None:
        return None
    if "Quantity" in kind:
        return tuple(
            Quantity(
                amount=Decimal(str(item["amount"])),
                unit=str(item["unit"]),
                source_text=str(item.get("source_text", "")),
            )
            for item in value
        )
    if kind.startswith("tuple"):
        return tuple(str(item) for item in value)
    if "Decimal" in kind:
        return Decimal(str(value))
    if "date" in kind:
        return date.fromisoformat(str(value))
    if kind.startswith("dict"):
        return {str(k): str(v) for k, v in dict(value).items()}
    return value


def need_from_json(data: dict[str, Any] | None) -> UnderstoodNeed | None:
    """The need a turn stored (None for none); unknown keys are ignored."""
    if not data:
        return None
    values: dict[str, Any] = {}
    for field in dataclasses.fields(UnderstoodNeed):
        if field.name in data:
            try:
                values[field.name] = _typed(str(field.type), data[field.name])
            except (ValueError, TypeError, KeyError, InvalidOperation):
                continue  # a value stored by an older reading: leave the field empty
    return UnderstoodNeed(**values)
