"""Page forms of the governance app: they parse input; the services decide the rules."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from synergy_hub.accounts.models import Organisation
from synergy_hub.governance.models import Mediator
from synergy_hub.governance.services import check_evidence, clean_fee_schedule, clean_measure
from synergy_hub.governance.vocabulary import (
    ComplaintCategory,
    FeeBasis,
    FeeKind,
    Jurisdiction,
    NoticeResponse,
    Outcome,
)
from synergy_hub.validation import FieldErrors
from synergy_hub.web.form_errors import OneRoundForm


class FeeScheduleForm(OneRoundForm):
    """A new fee schedule version with its first fee (more fees through the API)."""

    #: The service names the page's one fee `items.0.<field>`.
    ITEM_PREFIX = "items.0."

    def check_rules(self, data: Mapping[str, Any]) -> None:
        errors = FieldErrors()
        clean_fee_schedule(self._service_data(data), errors)
        try:
            errors.raise_if_any()
        except ValidationError as exc:
            raise ValidationError(
                {
                    field.removeprefix(self.ITEM_PREFIX): found
                    for field, found in exc.error_dict.items()
                }
            ) from None

    jurisdiction = forms.ChoiceField(label=_("Rule set"), choices=Jurisdiction.choices)
    summary_zh = forms.CharField(
        label=_("What changes (Chinese)"), max_length=2000, widget=forms.Textarea
    )
    summary_en = forms.CharField(
        label=_("What changes (English)"), max_length=4000, required=False, widget=forms.Textarea
    )
    kind = forms.ChoiceField(label=_("Fee"), choices=FeeKind.choices)
    basis = forms.ChoiceField(label=_("Basis"), choices=FeeBasis.choices)
    rate = forms.DecimalField(label=_("Rate"), min_value=0, max_digits=12, decimal_places=4)
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
    cap = forms.DecimalField(label=_("Cap"), min_value=0, required=False, max_digits=14)
    sme_discount_percent = forms.DecimalField(
        label=_("SME discount (%)"), min_value=0, max_value=100, initial=0
    )
    applies_to = forms.CharField(label=_("Applies to"), max_length=300, required=False)

    def service_data(self) -> dict[str, object]:
        return self._service_data(self.cleaned_data)

    @staticmethod
    def _service_data(data: Mapping[str, Any]) -> dict[str, object]:
        item = {
            key: data.get(key)
            for key in (
                "kind",
                "basis",
                "rate",
                "unit",
                "cap",
                "sme_discount_percent",
                "applies_to",
            )
        }
        return {
            "jurisdiction": data.get("jurisdiction"),
            "summary_zh": data.get("summary_zh"),
            "summary_en": data.get("summary_en"),
            "items": [item],
        }


class PublishForm(forms.Form):
    effective_from = forms.DateTimeField(
        label=_("Effective from"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        help_text=_("At least the notice period of the rule set after today."),
    )


class NoticeAnswerForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (NoticeResponse.OBJECTED, _("Object")),
            (NoticeResponse.LEAVING, _("Leave without penalty")),
        ],
    )
    text = forms.CharField(
        label=_("Reasons"), max_length=4000, required=False, widget=forms.Textarea
    )


class PreferenceForm(forms.Form):
    non_personalised = forms.BooleanField(
        label=_("Use the non-personalised ordering (relevance, price and freshness only)"),
        required=False,
    )


class ComplaintForm(OneRoundForm):
    """An SME's complaint about a platform, with optional evidence."""

    def check_rules(self, data: Mapping[str, Any]) -> None:
        upload = data.get("evidence")
        check_evidence([upload] if upload else [])

    platform: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("Platform"), queryset=Organisation.objects.none()
    )
    category = forms.ChoiceField(label=_("Type"), choices=ComplaintCategory.choices)
    subject = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(label=_("Description"), max_length=8000, widget=forms.Textarea)
    evidence = forms.FileField(
        label=_("Evidence"),
        required=False,
        help_text=_("Optional: a PDF, PNG, JPEG or text file of at most 5 MiB."),
    )

    def __init__(self, *args: object, platforms: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["platform"].queryset = platforms  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices)
    reasons = forms.CharField(label=_("Reasons"), max_length=8000, widget=forms.Textarea)


class EscalationForm(forms.Form):
    mediator: forms.ModelChoiceField[Mediator] = forms.ModelChoiceField(
        label=_("Mediator"),
        queryset=Mediator.objects.none(),
        required=False,
        empty_label=_("The programme office"),
    )

    def __init__(self, *args: object, mediators: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["mediator"].queryset = mediators  # type: ignore[attr-defined]


class BurdenForm(forms.Form):
    """The typical SME whose monthly fees the burden page computes."""

    size_class = forms.ChoiceField(
        label=_("Size class"),
        choices=[("micro", _("micro")), ("small", _("small")), ("medium", _("medium"))],
        initial="small",
    )
    sales = forms.DecimalField(
        label=_("Monthly sales (yuan)"), min_value=0, max_value=10**12, required=False
    )
    units = forms.DecimalField(
        label=_("Monthly usage units"), min_value=0, max_value=10**9, required=False
    )


class EvidenceForm(forms.Form):
    evidence = forms.FileField(
        label=_("Evidence"), help_text=_("A PDF, PNG, JPEG or text file of at most 5 MiB.")
    )


class RelationshipMeasureForm(OneRoundForm):
    """A platform's measure on its whole relationship with an SME and its statement of reasons."""

    def check_rules(self, data: Mapping[str, Any]) -> None:
        clean_measure(data, str(data.get("kind") or ""), self.platform)

    consumer: forms.ModelChoiceField[Organisation] = forms.ModelChoiceField(
        label=_("SME"), queryset=Organisation.objects.none()
    )
    kind = forms.ChoiceField(
        label=_("Measure"),
        choices=[
            ("restriction", _("Restrict (named resources, at once)")),
            ("suspension", _("Suspend (every agreement, at once)")),
            ("termination", _("Terminate the whole relationship (30 days' notice)")),
        ],
    )
    scope = forms.CharField(
        label=_("The measure and its scope"), max_length=2000, widget=forms.Textarea
    )
    facts = forms.CharField(label=_("Facts"), max_length=4000, widget=forms.Textarea)
    ground = forms.CharField(
        label=_("Legal or contractual ground"), max_length=4000, widget=forms.Textarea
    )
    redress = forms.CharField(
        label=_("How to seek redress"), max_length=4000, widget=forms.Textarea
    )
    automated = forms.BooleanField(label=_("Decided by automated means"), required=False)
    exception = forms.ChoiceField(
        label=_("Exception to the 30-day notice"),
        choices=[
            ("", _("None (30 days' notice)")),
            ("legal_obligation", _("Legal or regulatory obligation")),
            ("imperative_reason", _("Imperative reason (P2B Art 4(4))")),
            ("repeated_infringement", _("Repeated infringement of the terms")),
        ],
        required=False,
    )
    effective_on = forms.DateField(
        label=_("Takes effect on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Termination only; empty: the earliest day allowed."),
    )
    resources = forms.TypedMultipleChoiceField(
        label=_("Resources restricted"), coerce=int, required=False, choices=()
    )

    def __init__(
        self,
        *args: object,
        platform: Organisation,
        smes: object,
        resources: list[tuple[int, str]],
        **kwargs: object,
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.platform = platform
        self.fields["consumer"].queryset = smes  # type: ignore[attr-defined]
        self.fields["resources"].choices = resources  # type: ignore[attr-defined]
