"""Field limits and the checks shared by lists, resources and needs: choices, code lists, dates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from synergy_hub.accounts.models import (
    Industry,
    Region,
)
from synergy_hub.catalog.languages import LanguageTagError, column_of, normalise_tag
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


def as_list(value: Any) -> list[str]:
    """A list of stripped strings from a list or a comma-separated text (， too)."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.replace("，", ",").split(",") if part.strip()]
    return [str(part).strip() for part in value if str(part).strip()]


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
MAX_LANGUAGES = 30


def translations(errors: FieldErrors, value: Any) -> dict[str, dict[str, Any]]:
    """Texts in languages other than Chinese and English, keyed by BCP 47 tag, checked.

    `{"de": {"title": …, "description": …, "keywords": […], "usage_terms": …}}`: tags are
    normalised (`de_ch` → `de-CH`); Chinese and English belong in their own fields;
    empty texts and languages without any text are dropped. Errors name the language.
    """
    field = "translations"
    if value is None or value == "":
        return {}
    if not isinstance(value, Mapping):
        errors.add(field, _("Give an object keyed by language tag."), "invalid")
        return {}
    if len(value) > MAX_LANGUAGES:
        errors.add(
            field,
            _("At most %(max)d other languages are allowed.") % {"max": MAX_LANGUAGES},
            "max_items",
        )
        return {}
    clean: dict[str, dict[str, Any]] = {}
    for raw_tag, texts in value.items():
        try:
            tag = normalise_tag(str(raw_tag))
        except LanguageTagError:
            errors.add(
                field,
                _("“%(tag)s” is not a language tag (BCP 47, e.g. de, fr-CH, zh-Hant).")
                % {"tag": str(raw_tag)[:40]},
                "invalid_language",
            )
            continue
        if column_of(tag) is not None:
            errors.add(
                field,
                _("%(tag)s: Chinese and English texts go in their own fields (_zh, _en).")
                % {"tag": tag},
                "column_language",
            )
            continue
        if tag in clean:
            errors.add(field, _("%(tag)s is given twice.") % {"tag": tag}, "duplicate_language")
            continue
        if not isinstance(texts, Mapping):
            errors.add(
                field,
                _("%(tag)s: give an object with title, description, keywords, usage_terms.")
                % {"tag": tag},
                "invalid",
            )
            continue
        unknown = sorted(str(k) for k in texts if k not in TRANSLATED_TEXTS and k != "keywords")
        if unknown:
            errors.add(
                field,
                _("%(tag)s: unknown part(s) %(parts)s.")
                % {"tag": tag, "parts": ", ".join(unknown)},
                "invalid",
            )
            continue
        parts = _translated_parts(errors, tag, texts)
        if parts:
            clean[tag] = parts
    return dict(sorted(clean.items()))


def _translated_parts(errors: FieldErrors, tag: str, texts: Mapping[str, Any]) -> dict[str, Any]:
    parts: dict[str, Any] = {}
    for name, limit in TRANSLATED_TEXTS.items():
        text = "" if texts.get(name) is None else str(texts.get(name)).strip()
        if len(text) > limit:
            errors.add(
                "translations",
                _("%(tag)s: %(part)s: at most %(max)d characters are allowed (%(count)d given).")
                % {"tag": tag, "part": name, "max": limit, "count": len(text)},
                "max_length",
            )
        elif text:
            parts[name] = text
    keywords = list(dict.fromkeys(as_list(texts.get("keywords"))))
    if len(keywords) > MAX_KEYWORDS:
        errors.add(
            "translations",
            _("%(tag)s: at most %(max)d keywords are allowed.") % {"tag": tag, "max": MAX_KEYWORDS},
            "max_items",
        )
    elif any(len(k) > MAX_KEYWORD_LENGTH for k in keywords):
        errors.add(
            "translations",
            _("%(tag)s: each keyword may have at most %(max)d characters.")
            % {"tag": tag, "max": MAX_KEYWORD_LENGTH},
            "max_length",
        )
    elif keywords:
        parts["keywords"] = keywords
    return parts
