"""Collect field-level errors in services and raise them together as one ValidationError.

Every service validates its input with these helpers so that the API and the pages report
the same message, naming the field and the rule, and nothing is written on failure.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

#: The widest integers a database column holds (SQLite's INTEGER, PostgreSQL's bigint). No
#: number from a request reaches a query beyond them: there it is an overflow, a server
#: error, where the caller deserves a 4xx naming the field.
INTEGER_MIN: Final = -(2**63)
INTEGER_MAX: Final = 2**63 - 1
#: How many rows one page of any listing holds at most, and how deep its offset may go.
PAGE_MAX: Final = 1000
OFFSET_MAX: Final = 1_000_000
#: The longest text any request may carry in one value; each field has its own, smaller
#: limit where its service checks it.
TEXT_MAX: Final = 100_000


class FieldErrors:
    """An accumulator of `field -> [ValidationError]` raised as one ValidationError."""

    def __init__(self) -> None:
        self.errors: dict[str, list[ValidationError]] = {}

    def add(self, field: str, message: str, code: str) -> None:
        self.errors.setdefault(field, []).append(ValidationError(message, code=code))

    def has(self, field: str) -> bool:
        return field in self.errors

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)

    def require_one(self, values: dict[str, Any], fields: tuple[str, ...], message: str) -> None:
        """Require at least one of several (already checked) fields, e.g. a title in zh or en."""
        if any(self.has(field) for field in fields):
            return
        if not any(values.get(field) for field in fields):
            self.add(fields[0], message, "required")

    def text(
        self,
        field: str,
        value: Any,
        *,
        max_length: int,
        required: bool = False,
    ) -> str:
        """Check a text value's presence and length; return it stripped."""
        text = "" if value is None else str(value).strip()
        if required and not text:
            self.add(field, _("This field is required."), "required")
        elif len(text) > max_length:
            self.add(
                field,
                _("At most %(max)d characters are allowed (%(count)d given).")
                % {"max": max_length, "count": len(text)},
                "max_length",
            )
        return text

    def decimal(
        self,
        field: str,
        value: Any,
        *,
        minimum: Decimal | None = Decimal(0),
        maximum: Decimal | None = None,
        required: bool = False,
    ) -> Decimal | None:
        """Parse and range-check an optional decimal."""
        if value is None or value == "":
            if required:
                self.add(field, _("This field is required."), "required")
            return None
        try:
            number = Decimal(str(value))
        except (InvalidOperation, ValueError):
            self.add(field, _("Enter a number."), "invalid")
            return None
        if not number.is_finite():
            self.add(field, _("Enter a number."), "invalid")
            return None
        if minimum is not None and number < minimum:
            self.add(
                field,
                _("Must be at least %(min)s.") % {"min": minimum},
                "min_value",
            )
        if maximum is not None and number > maximum:
            self.add(field, _("Must be at most %(max)s.") % {"max": maximum}, "max_value")
        return number

    def integer(
        self,
        field: str,
        value: Any,
        *,
        minimum: int | None = 0,
        maximum: int | None = None,
        required: bool = False,
    ) -> int | None:
        """Parse and range-check an optional integer, never wider than a database column."""
        minimum = INTEGER_MIN if minimum is None else max(minimum, INTEGER_MIN)
        maximum = INTEGER_MAX if maximum is None else min(maximum, INTEGER_MAX)
        if value is None or value == "":
            if required:
                self.add(field, _("This field is required."), "required")
            return None
        try:
            number = int(str(value))
        except ValueError:
            self.add(field, _("Enter a whole number."), "invalid")
            return None
        if number < minimum:
            self.add(field, _("Must be at least %(min)s.") % {"min": minimum}, "min_value")
            return None
        if number > maximum:
            self.add(field, _("Must be at most %(max)s.") % {"max": maximum}, "max_value")
            return None
        return number


def error_list(exc: ValidationError) -> list[dict[str, str]]:
    """Flatten a ValidationError into `[{field, message, code}]` for API responses."""
    items: list[dict[str, str]] = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                items.append(
                    {
                        "field": field,
                        "message": _message(error),
                        "code": error.code or "invalid",
                    }
                )
    else:
        for error in exc.error_list:
            items.append(
                {"field": "__all__", "message": _message(error), "code": error.code or "invalid"}
            )
    return items


def _message(error: ValidationError) -> str:
    message = str(error.message)
    return message % error.params if error.params else message
