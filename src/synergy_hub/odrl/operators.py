"""The meaning of ODRL operators over typed values, with fail-closed errors.

Operators return True or False, or raise `OperatorError` when the comparison has no
meaning (text ordered against a date, an unknown operator, a duration in months with no
agreement start to measure from): the evaluator treats that as "cannot tell" and fails
closed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from decimal import Decimal

from .values import DEFAULT_TIMEZONE, IRI, Duration, Quantity, TypedLiteral, Value

__all__ = ["Comparison", "OperatorError", "PartOf", "apply", "display"]

#: ``part_of(part, whole)`` tells whether `part` lies within `whole` (equal counts).
PartOf = Callable[[str, str], bool]

# XML Schema 1.1 part 2, appendix D.3: a duration order holds when it holds from all four.
_REFERENCES = tuple(
    datetime(y, m, 1, tzinfo=UTC) for y, m in ((1696, 9), (1697, 2), (1903, 3), (1903, 7))
)


class OperatorError(Exception):
    """A comparison that cannot be decided; `code` is a machine code for the reason."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def _equal_text(part: str, whole: str) -> bool:
    return part == whole


def _same_unit(a: str, b: str) -> bool:
    return a == b


@dataclass(frozen=True)
class Comparison:
    """How to compare for one left operand: its part-of relation, timezone and time anchor."""

    part_of: PartOf = _equal_text
    timezone: tzinfo = DEFAULT_TIMEZONE
    anchor: datetime | None = None
    units_match: Callable[[str, str], bool] = field(default=_same_unit)


def display(value: object) -> str:
    """Render a value for a reason message."""
    if isinstance(value, tuple):
        return "[" + ", ".join(display(v) for v in value) + "]"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Duration):
        return value.lexical()
    if isinstance(value, timedelta):
        return Duration.from_timedelta(value).lexical()
    if isinstance(value, Quantity):
        return f"{value.amount} {value.unit}" if value.unit else str(value.amount)
    if isinstance(value, TypedLiteral):
        return value.lexical
    return str(value)


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | Decimal | float):
        return "number"
    if isinstance(value, str | IRI | TypedLiteral):
        return "text"
    if isinstance(value, datetime):
        return "moment"
    if isinstance(value, date):
        return "day"
    if isinstance(value, Duration | timedelta):
        return "span"
    return type(value).__name__


def _text(value: object) -> str:
    if isinstance(value, TypedLiteral):
        return value.lexical
    return str(value)


def _mismatch(a: object, b: object) -> OperatorError:
    return OperatorError(
        "type_mismatch",
        f"cannot compare {_kind(a)} {display(a)} with {_kind(b)} {display(b)}",
    )


def _day_bounds(day: date, zone: tzinfo) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(), tzinfo=zone)
    return start, end


def _as_duration(value: Duration | timedelta) -> Duration:
    return value if isinstance(value, Duration) else Duration.from_timedelta(value)


def _sign(number: timedelta | Decimal) -> int:
    zero = timedelta(0) if isinstance(number, timedelta) else Decimal(0)
    return (number > zero) - (number < zero)  # type: ignore[operator]


def _compare_spans(a: Duration, b: Duration, how: Comparison) -> int:
    if a.months == b.months:
        return _sign(a.seconds - b.seconds)
    if how.anchor is not None:
        return _sign(a.add_to(how.anchor) - b.add_to(how.anchor))
    signs = {_sign(a.add_to(ref) - b.add_to(ref)) for ref in _REFERENCES}
    if len(signs) == 1:
        return signs.pop()
    raise OperatorError(
        "indeterminate",
        f"{a.lexical()} and {b.lexical()} cannot be ordered without a start date "
        "(months have different lengths)",
    )


def _order(a: object, b: object, how: Comparison) -> int:
    """Return -1, 0 or 1; a datetime against a date compares with that whole day."""
    ka, kb = _kind(a), _kind(b)
    if ka == kb == "number":
        return (a > b) - (a < b)  # type: ignore[operator]
    if (ka == kb == "moment") or (ka == kb == "day"):
        return (a > b) - (a < b)  # type: ignore[operator]
    if ka == "moment" and kb == "day":
        assert isinstance(a, datetime) and isinstance(b, date)
        start, end = _day_bounds(b, how.timezone)
        return -1 if a < start else (1 if a >= end else 0)
    if ka == "day" and kb == "moment":
        return -_order(b, a, how)
    if ka == kb == "span":
        assert isinstance(a, Duration | timedelta) and isinstance(b, Duration | timedelta)
        return _compare_spans(_as_duration(a), _as_duration(b), how)
    raise _mismatch(a, b)


def _equal(a: object, b: object, how: Comparison) -> bool:
    ka, kb = _kind(a), _kind(b)
    if ka == kb == "text":
        return _text(a) == _text(b)
    if ka == kb == "bool":
        return a == b
    return _order(a, b, how) == 0


def _matches(part: object, whole: object, how: Comparison) -> bool:
    if _kind(part) == _kind(whole) == "text":
        return how.part_of(_text(part), _text(whole))
    return _equal(part, whole, how)


def _items(value: Value) -> tuple[Value, ...]:
    return value if isinstance(value, tuple) else (value,)


def _single(value: Value, operator: str) -> Value:
    if isinstance(value, tuple):
        if len(value) != 1:
            raise OperatorError("type_mismatch", f"{operator} needs single values, not a list")
        return value[0]
    return value


def _strip_unit(value: Value, unit: str | None, how: Comparison) -> Value:
    if isinstance(value, tuple):
        return tuple(_strip_unit(v, unit, how) for v in value)
    if isinstance(value, Quantity):
        if unit and value.unit and not how.units_match(value.unit, unit):
            raise OperatorError(
                "unit_mismatch", f"the value is in {value.unit}, the constraint in {unit}"
            )
        return value.amount
    return value


def apply(
    operator: str,
    left: Value,
    right: Value,
    *,
    unit: str | None = None,
    how: Comparison | None = None,
) -> bool:
    """Tell whether `left` `operator` `right` holds (set operators see scalars as one-item sets)."""
    how = how or Comparison()
    left = _strip_unit(left, unit, how)
    right = _strip_unit(right, unit, how)
    if operator in {"eq", "neq"}:
        if isinstance(left, tuple) or isinstance(right, tuple):
            lefts, rights = _items(left), _items(right)
            same = (
                bool(lefts)
                and bool(rights)
                and all(any(_equal(x, y, how) for y in rights) for x in lefts)
                and all(any(_equal(x, y, how) for x in lefts) for y in rights)
            )
        else:
            same = _equal(left, right, how)
        return same if operator == "eq" else not same
    if operator in {"lt", "lteq", "gt", "gteq"}:
        order = _order(_single(left, operator), _single(right, operator), how)
        return {
            "lt": order < 0,
            "lteq": order <= 0,
            "gt": order > 0,
            "gteq": order >= 0,
        }[operator]
    lefts, rights = _items(left), _items(right)
    if operator in {"isA", "isPartOf"}:
        return bool(lefts) and all(any(_matches(x, y, how) for y in rights) for x in lefts)
    if operator == "hasPart":
        return bool(rights) and all(any(_matches(y, x, how) for x in lefts) for y in rights)
    if operator == "isAllOf":
        return bool(rights) and all(any(_matches(x, y, how) for x in lefts) for y in rights)
    if operator in {"isAnyOf", "isNoneOf"}:
        hit = any(_matches(x, y, how) for x in lefts for y in rights)
        return hit if operator == "isAnyOf" else not hit
    raise OperatorError("unknown_operator", f"unknown operator {operator!r}")
