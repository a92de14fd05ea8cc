"""Field limits and the checks shared by lists, resources and needs: choices, code lists, dates."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from synergy_hub.accounts.models import (
    Industry,
    Region,
)
from synergy_hub.languages import as_list, clean_translations
from synergy_hub.validation import FieldErrors

MAX_TITLE = 200
MAX_DESCRIPTION = 5000
MAX_KEYWORDS = 20
MAX_KEYWORD_LENGTH = 40
MAX_CODES = 50
MAX_MONEY = Decimal("9999999999")


def choice(
    errors: FieldErrors, field: str, value: Any, choices: Iterable[str], *, required: bool
) -> str:
    """One of `choices` (stripped), or "" with an error on the field."""
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            errors.add(field, _("This field is required."), "required")
        return ""
    if text not in set(choices):
        errors.add(
            field,
            _("“%(value)s” is not one of the allowed values: %(allowed)s.")
            % {"value": text[:40], "allowed": ", ".join(choices)},
            "invalid_choice",
        )
        return ""
    return text


def code_rows(
    errors: FieldErrors, field: str, value: Any, model: type[Region] | type[Industry]
) -> list[Any]:
    """The region or industry rows for the given codes; unknown codes are an error."""
    codes = as_list(value)
    if len(codes) > MAX_CODES:
        errors.add(field, _("At most %(max)d codes are allowed.") % {"max": MAX_CODES}, "max_items")
        return []
    found = {obj.pk: obj for obj in model.objects.filter(pk__in=[c.upper() for c in codes])}
    unknown = [c for c in codes if c.upper() not in found]
    if unknown:
        errors.add(
            field,
            _("Unknown code(s): %(codes)s.") % {"codes": ", ".join(unknown[:5])},
            "invalid_choice",
        )
    return list(found.values())


def optional_date(errors: FieldErrors, field: str, value: Any) -> date | None:
    """A date from a date or YYYY-MM-DD text; None when empty or (with an error) invalid."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        parsed = parse_date(str(value))
    except ValueError:
        parsed = None
    if parsed is None:
        errors.add(field, _("Enter a date as YYYY-MM-DD."), "invalid")
    return parsed


#: The texts a resource keeps per other language (decision 0013), with their length limits.
TRANSLATED_TEXTS = {
    "title": MAX_TITLE,
    "description": MAX_DESCRIPTION,
    "usage_terms": MAX_DESCRIPTION,
}


def translations(errors: FieldErrors, value: Any) -> dict[str, dict[str, Any]]:
    """A resource's texts in other languages: title, description, usage terms, keywords."""
    return clean_translations(
        errors, value, TRANSLATED_TEXTS, keywords=(MAX_KEYWORDS, MAX_KEYWORD_LENGTH)
    )
