"""The terms both sides write: quantity, period, price and statements of reasons.

Requests, offers, counter-offers and refusals are checked with these, so every limit on
what a party may propose lives in one place; dates are read in the hub's time zone.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub.validation import FieldErrors

MAX_TEXT = 5000
MIN_REASON = 5
MAX_QUANTITY = Decimal(10**11)
MAX_PERIOD_DAYS = 3 * 366
NOTICE_DAYS = 30


def clean_statement(data: Mapping[str, Any], errors: FieldErrors) -> dict[str, str]:
    """Facts, ground and redress: each required, and specific enough to mean something."""
    clean = {
        name: errors.text(name, data.get(name), max_length=MAX_TEXT, required=True)
        for name in ("facts", "ground", "redress")
    }
    for name, value in clean.items():
        if value and len(value) < MIN_REASON and not errors.has(name):
            errors.add(
                name,
                _("Be specific: at least %(min)d characters.") % {"min": MIN_REASON},
                "too_short",
            )
    return clean


def clean_terms(
    data: Mapping[str, Any],
    errors: FieldErrors,
    *,
    today: date,
    with_price: bool = True,
) -> dict[str, Any]:
    """Quantity, period and price of an offer or request."""
    clean: dict[str, Any] = {
        "quantity": errors.decimal(
            "quantity", data.get("quantity"), required=True, maximum=MAX_QUANTITY
        ),
        "starts_on": _date(errors, "starts_on", data.get("starts_on")),
        "ends_on": _date(errors, "ends_on", data.get("ends_on")),
    }
    quantity = clean["quantity"]
    if quantity is not None and not errors.has("quantity"):
        if quantity <= 0:
            errors.add("quantity", _("The quantity must be more than zero."), "min_value")
        elif quantity != quantity.quantize(Decimal("0.01")):
            errors.add("quantity", _("Use at most two decimal places."), "decimal_places")
    if with_price:
        clean["price"] = errors.decimal("price", data.get("price"), maximum=Decimal(10**9))
    starts_on, ends_on = clean["starts_on"], clean["ends_on"]
    if starts_on is not None and starts_on < today:
        errors.add("starts_on", _("The period cannot start in the past."), "in_past")
    if starts_on is not None and ends_on is not None:
        if ends_on < starts_on:
            errors.add("ends_on", _("The period must end on or after its start."), "before_start")
        elif (ends_on - starts_on).days > MAX_PERIOD_DAYS:
            errors.add("ends_on", _("The period may last at most three years."), "too_long")
    return clean


def _date(errors: FieldErrors, field: str, value: Any) -> date | None:
    if value is None or value == "":
        errors.add(field, _("This field is required."), "required")
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.add(field, _("Enter a date as YYYY-MM-DD."), "invalid")
        return None


def day_start(day: date) -> datetime:
    """Midnight at the start of `day` in the hub's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def day_after(day: date) -> datetime:
    """Midnight at the end of `day` (the start of the next) in the hub's time zone."""
    return day_start(day + timedelta(days=1))


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment, timezone.get_default_timezone()).date()
