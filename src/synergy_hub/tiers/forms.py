"""The page form: one year's indicators, with units and help texts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from synergy_hub.tiers.engine import RULE_SETS
from synergy_hub.tiers.engine.indicators import ENTERED, INDICATORS, MAX_YEAR, MIN_YEAR
from synergy_hub.tiers.texts import (
    HELP_TEXTS,
    INDICATOR_LABELS,
    IP_LEVEL_LABELS,
    RULE_SET_LABELS,
    UNITS,
)

YES_NO = (("", _("not entered")), ("yes", _("yes")), ("no", _("no")))


def _field(code: str) -> forms.Field:
    spec = INDICATORS[code]
    unit = UNITS.get(spec.unit, "")
    label = format_lazy("{} ({})", INDICATOR_LABELS[code], unit) if unit else INDICATOR_LABELS[code]
    help_text = HELP_TEXTS.get(code, "")
    if spec.kind == "flag":
        return forms.ChoiceField(label=label, choices=YES_NO, required=False, help_text=help_text)
    if spec.kind == "choice":
        choices = [("", _("not entered")), *[(c, IP_LEVEL_LABELS[c]) for c in spec.choices]]
        return forms.ChoiceField(label=label, choices=choices, required=False, help_text=help_text)
    field = forms.DecimalField(
        label=label,
        required=False,
        min_value=spec.minimum,
        max_value=spec.maximum,
        max_digits=14,
        decimal_places=4,
        help_text=help_text,
    )
    field.widget.attrs["data-unit"] = str(unit)
    return field


class IndicatorForm(forms.Form):
    """One year's indicators of the SME; every field may stay empty (then: unknown)."""

    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for code in ENTERED:
            self.fields[code] = _field(code)

    def indicator_values(self) -> dict[str, object]:
        """The entered values in the engine's types (flags as booleans, empty left out)."""
        values: dict[str, object] = {}
        for code in ENTERED:
            value = self.cleaned_data.get(code)
            if value in (None, ""):
                continue
            if INDICATORS[code].kind == "flag":
                value = value == "yes"
            values[code] = value
        return values


def initial_of(year: int, values: dict[str, Any]) -> dict[str, Any]:
    """A stored year as the form's initial values."""
    initial: dict[str, Any] = {"year": year}
    for code, value in values.items():
        initial[code] = ("yes" if value else "no") if isinstance(value, bool) else value
    return initial


class ShowForm(forms.Form):
    """Which year and rule set the page evaluates."""

    year = forms.IntegerField(min_value=MIN_YEAR, max_value=MAX_YEAR, required=False)
    rule_set = forms.ChoiceField(
        label=_("Rule set"),
        choices=[(c, RULE_SET_LABELS.get(c, c)) for c in RULE_SETS],
        required=False,
    )


class VerificationForm(forms.Form):
    """Ask the programme office to verify a kept evaluation's tier, with evidence."""

    evaluation = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    explanation = forms.CharField(
        label=_("Explanation"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        help_text=_(
            "A PDF, PNG or JPEG of at most 2 MB: e.g. the certificate of the tier or the "
            "financial statement behind the indicators."
        ),
    )
