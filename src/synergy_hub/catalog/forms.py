"""Forms of the catalog pages; the services re-check every rule, so forms only shape the input."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from synergy_hub.accounts.choices import industry_choices, region_choices
from synergy_hub.accounts.models import SizeClass, Tier
from synergy_hub.catalog.models import Batch
from synergy_hub.catalog.services.fields import translations as resource_translations
from synergy_hub.catalog.services.lists import LIST_TEXTS, clean_list_data
from synergy_hub.catalog.services.needs import clean_need_data
from synergy_hub.catalog.services.resources import clean_resource_data
from synergy_hub.catalog.vocabulary import (
    AccessMode,
    NeedStatus,
    Period,
    Pillar,
    ResourceType,
    Unit,
)
from synergy_hub.languages import clean_translations
from synergy_hub.validation import FieldErrors
from synergy_hub.web.choices import set_choices
from synergy_hub.web.form_errors import OneRoundForm
from synergy_hub.web.other_languages import OtherLanguagesField, Part


def _list_translations(errors: FieldErrors, value: Any) -> dict[str, dict[str, Any]]:
    return clean_translations(errors, value, LIST_TEXTS)


def _keep_stored_languages(form: forms.Form) -> None:
    """Let the other-language rows keep the stored parts they do not show."""
    field = form.fields["translations"]
    assert isinstance(field, OtherLanguagesField)
    field.kept = form.initial.get("translations") or {}


def _check(clean: Callable[[Mapping[str, Any], FieldErrors], Any], data: Mapping[str, Any]) -> None:
    """Run a service's validation of a form's values without writing anything."""
    errors = FieldErrors()
    clean(data, errors)
    errors.raise_if_any()


class ListForm(OneRoundForm):
    batch = forms.ModelChoiceField(
        label=_("Batch"), queryset=Batch.objects.none(), empty_label=None
    )
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    summary_zh = forms.CharField(
        label=_("Summary (Chinese)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    summary_en = forms.CharField(
        label=_("Summary (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    translations = OtherLanguagesField(
        [Part("title", _("Title")), Part("summary", _("Summary"), long=True)],
        _list_translations,
        label=_("Title and summary in other languages"),
    )

    def __init__(self, *args: Any, open_batches: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _keep_stored_languages(self)
        if open_batches is None:
            del self.fields["batch"]
        else:
            batch_field = self.fields["batch"]
            assert isinstance(batch_field, forms.ModelChoiceField)
            batch_field.queryset = open_batches

    def check_rules(self, data: Mapping[str, Any]) -> None:
        _check(clean_list_data, data)


class ResourceForm(OneRoundForm):
    """Everything a resource says: what, to whom, how, price, capacity, terms, contact."""

    resource_type = forms.ChoiceField(label=_("Type"), choices=ResourceType.choices)
    pillar = forms.ChoiceField(label=_("Pillar"), choices=Pillar.choices)
    title_zh = forms.CharField(label=_("Title (Chinese)"), max_length=200, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    description_zh = forms.CharField(
        label=_("What is opened (Chinese)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    description_en = forms.CharField(
        label=_("What is opened (English)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    keywords = forms.CharField(
        label=_("Keywords"), required=False, help_text=_("Separated by commas.")
    )
    translations = OtherLanguagesField(
        [Part("title", _("Title")), Part("description", _("What is opened"), long=True)],
        resource_translations,
        label=_("Title and description in other languages"),
    )
    eligible_size_classes = forms.MultipleChoiceField(
        label=_("Open to size classes"),
        choices=SizeClass.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: open to all."),
    )
    eligible_tiers = forms.MultipleChoiceField(
        label=_("Open to tiers"),
        choices=[c for c in Tier.choices if c[0]],
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked: open to all."),
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions served"),
        required=False,
        help_text=_("None chosen: nationwide."),
        widget=forms.SelectMultiple(
            attrs={
                "size": 8,
                "data-picker": "regions",
                "data-picker-search": _("Search a province or city"),
                "data-picker-none": _("No region matches."),
                "data-picker-whole": _("All of %s"),
            }
        ),
    )
    industries = forms.MultipleChoiceField(
        label=_("Industries served"),
        required=False,
        help_text=_("None chosen: all industries."),
        widget=forms.SelectMultiple(
            attrs={
                "size": 8,
                "data-picker": "industries",
                "data-picker-search": _("Search an industry or its code"),
                "data-picker-none": _("No industry matches."),
                "data-picker-whole": _("All of %s"),
            }
        ),
    )

    #: The form's steps, in order: what is opened, to whom, how and at what price, terms.
    STEPS = (
        (
            _("What is opened"),
            (
                "resource_type",
                "pillar",
                "title_zh",
                "title_en",
                "description_zh",
                "description_en",
                "keywords",
                "translations",
            ),
        ),
        (
            _("Who may use it"),
            ("eligible_size_classes", "eligible_tiers", "regions", "industries"),
        ),
        (
            _("How, at what price, how much"),
            ("access_mode", "price", "sme_discount_percent", "unit", "capacity", "capacity_period"),
        ),
        (
            _("Terms and contact"),
            ("usage_terms_zh", "usage_terms_en", "contact_name", "contact_email", "contact_phone"),
        ),
    )
    #: Fields that only a paid resource uses (hidden by the page for the other access modes).
    PAID_ONLY = ("price", "sme_discount_percent")

    def steps(self) -> list[tuple[int, str, list[forms.BoundField]]]:
        """The bound fields by step, for the page: every field appears in exactly one."""
        return [
            (number, str(title), [self[name] for name in names if name in self.fields])
            for number, (title, names) in enumerate(self.STEPS, start=1)
        ]

    access_mode = forms.ChoiceField(label=_("Access mode"), choices=AccessMode.choices)
    price = forms.DecimalField(label=_("Price per unit (CNY)"), required=False, max_digits=14)
    sme_discount_percent = forms.IntegerField(
        label=_("SME discount (%)"), required=False, min_value=0, max_value=100
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=Unit.choices)
    capacity = forms.DecimalField(
        label=_("Capacity (units per period)"), required=False, max_digits=16
    )
    capacity_period = forms.ChoiceField(
        label=_("Capacity period"), choices=[("", "—"), *Period.choices], required=False
    )
    usage_terms_zh = forms.CharField(
        label=_("Usage terms (Chinese)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    usage_terms_en = forms.CharField(
        label=_("Usage terms (English)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    contact_name = forms.CharField(label=_("Contact name"), max_length=120, required=False)
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=40, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _keep_stored_languages(self)
        set_choices(self, "regions", region_choices())
        set_choices(self, "industries", industry_choices())

    def check_rules(self, data: Mapping[str, Any]) -> None:
        _check(clean_resource_data, data)


class ReturnForm(forms.Form):
    reasons = forms.CharField(
        label=_("Reasons for returning the list"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The publisher sees these reasons; say what must change."),
    )


class NeedForm(OneRoundForm):
    title = forms.CharField(label=_("What do you need? (short)"), max_length=200)
    description = forms.CharField(
        label=_("Describe it in your own words"), widget=forms.Textarea(attrs={"rows": 5})
    )
    resource_types = forms.MultipleChoiceField(
        label=_("Kinds of resource wanted"),
        choices=ResourceType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    region = forms.ChoiceField(label=_("Where"), required=False)
    budget = forms.DecimalField(label=_("Budget (CNY)"), required=False, max_digits=16)
    wanted_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    wanted_until = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    status = forms.ChoiceField(label=_("Status"), choices=NeedStatus.choices, required=False)

    def __init__(self, *args: Any, with_status: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "region", region_choices(blank=str(_("Anywhere"))))
        if not with_status:
            del self.fields["status"]

    def check_rules(self, data: Mapping[str, Any]) -> None:
        _check(clean_need_data, data)
