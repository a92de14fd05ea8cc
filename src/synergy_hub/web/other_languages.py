"""A form field for texts in other languages: rows of (language, title, description).

The rows are one field, so every problem with them (a tag that is not BCP 47, Chinese or
English given here instead of in their own fields, a language twice, a text too long) is
shown at once beside the field, together with the errors of the other fields. The rows
are checked by the model's own cleaner (`synergy_hub.languages.clean_translations` with
that model's parts), the same one its service runs, so a page and the API cannot differ.
Plain HTML: a few empty rows are offered, and saving offers more.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from synergy_hub.languages import LanguageTagError, normalise_tag
from synergy_hub.validation import FieldErrors

#: Empty rows offered below the languages already given.
SPARE_ROWS = 2
#: At most this many rows are read from a submitted form.
MAX_ROWS = 40

Cleaner = Callable[[FieldErrors, Any], dict[str, dict[str, Any]]]


class Part:
    """One text of a row: its key in `translations`, its label, and whether it is long."""

    def __init__(self, name: str, label: Any, *, long: bool = False) -> None:
        self.name, self.label, self.long = name, label, long


class OtherLanguagesWidget(forms.Widget):
    """Rows of a language tag and the texts in that language, numbered `<name>-<i>-<part>`."""

    template_name = "web/widgets/other_languages.html"

    def __init__(self, parts: Sequence[Part], attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs)
        self.parts = list(parts)

    def value_from_datadict(self, data: Any, files: Any, name: str) -> list[dict[str, str]]:
        try:
            count = min(int(data.get(f"{name}-rows") or 0), MAX_ROWS)
        except ValueError:
            count = 0
        rows = []
        for index in range(count):
            row = {"language": str(data.get(f"{name}-{index}-language") or "")}
            for part in self.parts:
                row[part.name] = str(data.get(f"{name}-{index}-{part.name}") or "")
            rows.append(row)
        return rows

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return f"{name}-rows" not in data

    def format_value(self, value: Any) -> list[dict[str, str]]:  # type: ignore[override]
        """Rows from a stored `{"de": {...}}` value or from submitted rows, plus spare ones."""
        if isinstance(value, Mapping):
            rows = [
                {"language": tag, **{p.name: str(texts.get(p.name, "")) for p in self.parts}}
                for tag, texts in sorted(value.items())
                if isinstance(texts, Mapping)
            ]
        else:
            rows = [dict(row) for row in value or [] if any(str(v).strip() for v in row.values())]
        blank = {"language": "", **{p.name: "" for p in self.parts}}
        return rows + [dict(blank) for _ in range(SPARE_ROWS)]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        rows = context["widget"]["value"]
        context["widget"].update(
            rows=[
                {
                    "index": index,
                    "language": row.get("language", ""),
                    "parts": [(part, row.get(part.name, "")) for part in self.parts],
                }
                for index, row in enumerate(rows)
            ],
            row_count=len(rows),
            parts=self.parts,
        )
        return context

    def id_for_label(self, id_: str) -> str:
        return f"{id_}-0-language" if id_ else id_


class OtherLanguagesField(forms.Field):
    """Texts in languages other than Chinese and English, cleaned to `{tag: {part: text}}`.

    `cleaner` is the model's own check of its `translations`; `kept` is the stored value
    when editing, whose parts that the rows do not show (a resource's keywords and usage
    terms in that language) are kept for the languages still given.
    """

    def __init__(self, parts: Sequence[Part], cleaner: Cleaner, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", gettext_lazy("Other languages"))
        kwargs.setdefault(
            "help_text",
            gettext_lazy(
                "A BCP 47 language tag (de, fr-CH, zh-Hant) and the texts in that language. "
                "Chinese and English go in their own fields. Save to get more empty rows."
            ),
        )
        self.rows_widget = OtherLanguagesWidget(parts)
        super().__init__(widget=self.rows_widget, **kwargs)
        self.parts = list(parts)
        self.cleaner = cleaner
        self.kept: Mapping[str, Mapping[str, Any]] = {}

    def clean(self, value: Any) -> dict[str, dict[str, Any]]:
        # a stored value (a form bound to its initial data) or the submitted rows
        rows = self.rows_widget.format_value(value) if isinstance(value, Mapping) else value or []
        errors = FieldErrors()
        given: dict[str, dict[str, Any]] = {}
        for number, row in enumerate(rows, start=1):
            raw_tag = str(row.get("language", "")).strip()
            texts = {p.name: str(row.get(p.name, "")).strip() for p in self.parts}
            if not raw_tag:
                if any(texts.values()):
                    errors.add(
                        "translations",
                        _("Row %(row)d: give the language of these texts.") % {"row": number},
                        "required",
                    )
                continue
            if raw_tag in given:
                errors.add(
                    "translations",
                    _("%(tag)s is given twice.") % {"tag": raw_tag},
                    "duplicate_language",
                )
                continue
            given[raw_tag] = texts | self._kept_parts(raw_tag)
        clean = self.cleaner(errors, given)
        if errors.errors:
            raise ValidationError(
                [error for field_errors in errors.errors.values() for error in field_errors]
            )
        return clean

    def _kept_parts(self, raw_tag: str) -> dict[str, Any]:
        try:
            tag = normalise_tag(raw_tag)
        except LanguageTagError:
            return {}
        shown = {p.name for p in self.parts}
        kept = self.kept.get(tag) or {}
        return {name: value for name, value in kept.items() if name not in shown}

    def has_changed(self, initial: Any, data: Any) -> bool:
        return True
