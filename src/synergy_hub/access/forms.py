"""Forms of the access pages; the services re-check every rule, forms only shape the input."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from synergy_hub.access import usage_policy
from synergy_hub.access.services import check_request
from synergy_hub.access.services.terms import clean_statement, clean_terms
from synergy_hub.access.vocabulary import (
    HAND_EXCEPTION_GROUNDS,
    FairnessRule,
    Purpose,
    UsageAction,
)
from synergy_hub.validation import INTEGER_MAX, FieldErrors
from synergy_hub.web.form_errors import OneRoundForm

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})

TEMPLATE_CHOICES = [
    ("research_only", _("Purpose only (e.g. research only)")),
    ("no_redistribution", _("No redistribution")),
    ("region_limited", _("Only in certain regions")),
    ("time_limited", _("Only during certain dates")),
    ("count_limited", _("At most a number of uses")),
]


class TermsForm(OneRoundForm):
    """Quantity, period and price: the SME's counter-offer, and the first part of an offer."""

    def check_rules(self, data: Mapping[str, Any]) -> None:
        errors = FieldErrors()
        clean_terms(data, errors, today=timezone.localdate())
        errors.raise_if_any()

    price = forms.DecimalField(
        label=_("Price per unit (CNY)"),
        required=False,
        min_value=0,
        max_digits=14,
        decimal_places=2,
    )
    quantity = forms.DecimalField(label=_("Quantity"), min_value=0, max_digits=14, decimal_places=2)
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("Until"), widget=DATE)
    note = forms.CharField(label=_("Note to the other side"), widget=TEXT, required=False)


class AccessRequestForm(OneRoundForm):
    """What an SME asks for: purpose, quantity, period and, for data, the intended use."""

    def __init__(
        self, *args: Any, resource: Any = None, organisation: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.resource = resource
        self.organisation = organisation

    def check_rules(self, data: Mapping[str, Any]) -> None:
        if self.resource is not None and self.organisation is not None:
            check_request(self.resource, self.organisation, data)

    purpose = forms.CharField(
        label=_("Purpose"),
        widget=TEXT,
        help_text=_("What your company will do with the resource."),
    )
    purpose_code = forms.ChoiceField(label=_("Purpose category"), choices=Purpose.choices)
    intended_use = forms.CharField(
        label=_("Intended use of the data"),
        widget=TEXT,
        required=False,
        help_text=_("Required for data sets, APIs and models: how the data will be used."),
    )
    quantity = forms.DecimalField(label=_("Quantity"), min_value=0, max_digits=14, decimal_places=2)
    starts_on = forms.DateField(label=_("From"), widget=DATE)
    ends_on = forms.DateField(label=_("Until"), widget=DATE)
    note = forms.CharField(label=_("Note to the provider"), widget=TEXT, required=False)


class PolicyEditorForm(forms.Form):
    """Pick templates and set their parameters, then adjust the ODRL JSON-LD if needed."""

    templates = forms.MultipleChoiceField(
        label=_("Usage conditions"),
        choices=TEMPLATE_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    policy_purpose = forms.ChoiceField(
        label=_("Allowed purpose"), choices=Purpose.choices, required=False
    )
    policy_regions = forms.CharField(
        label=_("Allowed regions"),
        required=False,
        help_text=_("GB/T 2260 codes separated by commas, e.g. 330000, 440300."),
    )
    policy_start = forms.DateField(label=_("Allowed from"), widget=DATE, required=False)
    policy_end = forms.DateField(label=_("Allowed until"), widget=DATE, required=False)
    policy_count = forms.IntegerField(
        label=_("Maximum number of uses"), min_value=1, max_value=INTEGER_MAX, required=False
    )
    policy_json = forms.CharField(
        label=_("Policy (ODRL JSON-LD)"),
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "class": "code"}),
        required=False,
        help_text=_("Leave empty to use the conditions above; fill to adjust the policy freely."),
    )

    def clean_policy_json(self) -> Any:
        text = self.cleaned_data.get("policy_json", "").strip()
        if not text:
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                # The parser's own message is English jargon; the place is what helps.
                _("$: not valid JSON (line %(line)d, column %(column)d).")
                % {"line": exc.lineno, "column": exc.colno},
                code="invalid_json",
            ) from exc

    def policy_data(self) -> dict[str, Any]:
        """The editor's choice as the services take it: `policy`, or the template fields."""
        data = self.cleaned_data
        if data.get("policy_json"):
            return {"policy": data["policy_json"]}
        regions = [
            code.strip()
            for code in (data.get("policy_regions") or "").replace("，", ",").split(",")
            if code.strip()
        ]
        return usage_policy.template_choice_of(
            data.get("templates") or [],
            purpose=data.get("policy_purpose") or None,
            regions=regions,
            start=data.get("policy_start"),
            end=data.get("policy_end"),
            count=data.get("policy_count"),
        )


class OfferForm(TermsForm, PolicyEditorForm):
    """The provider's offer: terms plus the usage policy."""


class StatementForm(OneRoundForm):
    """A statement of reasons: specific facts, the ground in the terms, how to seek redress."""

    def check_rules(self, data: Mapping[str, Any]) -> None:
        errors = FieldErrors()
        clean_statement(data, errors)
        errors.raise_if_any()

    facts = forms.CharField(
        label=_("Facts"),
        widget=TEXT,
        help_text=_("The specific facts and circumstances that led to this decision."),
    )
    ground = forms.CharField(
        label=_("Ground in the terms"),
        widget=TEXT,
        help_text=_("The clause of your terms or the usage policy this decision rests on."),
    )
    redress = forms.CharField(
        label=_("How to seek redress"),
        widget=TEXT,
        help_text=_("Whom to contact to contest it, the complaint procedure and mediation."),
    )


class TerminateForm(StatementForm):
    exception = forms.ChoiceField(
        label=_("Exception to the 30-day notice"),
        choices=[(g.value, g.label) for g in HAND_EXCEPTION_GROUNDS],
        required=False,
    )
    effective_on = forms.DateField(
        label=_("Takes effect on"),
        widget=DATE,
        required=False,
        help_text=_("At least 30 days from today unless an exception applies; empty: 30 days."),
    )


class RestrictForm(StatementForm):
    quantity = forms.DecimalField(
        label=_("New quantity"), min_value=0, max_digits=14, decimal_places=2
    )


class UsageForm(forms.Form):
    """One metered use, recorded by the provider."""

    action = forms.ChoiceField(label=_("Action"), choices=UsageAction.choices, initial="use")
    quantity = forms.DecimalField(label=_("Quantity"), min_value=0, max_digits=14, decimal_places=2)
    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=[("", _("As requested")), *Purpose.choices],
        required=False,
    )
    region = forms.CharField(
        label=_("Region of use"),
        max_length=6,
        required=False,
        help_text=_("GB/T 2260 code; empty: the SME's registered region."),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class AllocationRoundForm(forms.Form):
    """A provider's administrator opens a round: which resources, which period, which rule."""

    title = forms.CharField(label=_("Title"), max_length=200)
    resources = forms.TypedMultipleChoiceField(
        label=_("Equivalent resources"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Bookable resources of yours with the same unit and capacity period."),
    )
    starts_on = forms.DateField(label=_("Period starts"), widget=DATE)
    ends_on = forms.DateField(label=_("Period ends"), widget=DATE)
    fairness = forms.ChoiceField(label=_("Fairness rule"), choices=FairnessRule.choices)

    def __init__(self, *args: Any, resources: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resources"].choices = resources  # type: ignore[attr-defined]


class RoundRequestForm(forms.Form):
    """An enterprise's request in a round: units, the least it accepts, its window."""

    resource = forms.TypedChoiceField(label=_("Resource"), coerce=int)
    flexible = forms.BooleanField(
        label=_("Any equivalent resource of the round will do"), required=False
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=INTEGER_MAX)
    minimum = forms.IntegerField(
        label=_("Minimum acceptable quantity"),
        max_value=INTEGER_MAX,
        min_value=0,
        initial=0,
        help_text=_("Below this you would rather receive nothing (0: any quantity helps)."),
    )
    window_starts_on = forms.DateField(label=_("Earliest day"), widget=DATE)
    window_ends_on = forms.DateField(label=_("Latest day"), widget=DATE)
    purpose = forms.CharField(label=_("Purpose"), widget=TEXT)
    purpose_code = forms.ChoiceField(label=_("Purpose category"), choices=Purpose.choices)

    def __init__(self, *args: Any, resources: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["resource"].choices = resources  # type: ignore[attr-defined]
