"""Forms for the pages; the services re-check every rule, so forms only shape the input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from synergy_hub.accounts.models import Industry, OrganisationKind, Region, SizeClass, Tier
from synergy_hub.catalog.models import Batch
from synergy_hub.catalog.vocabulary import (
    AccessMode,
    NeedStatus,
    Period,
    Pillar,
    ResourceType,
    Unit,
)


def region_choices(*, blank: str | None = None) -> list[Any]:
    """Provinces and prefectures grouped by province, for a select box."""
    rows = list(Region.objects.filter(level__in=["province", "prefecture"]).order_by("code"))
    groups: dict[str, list[tuple[str, str]]] = {}
    names: dict[str, str] = {}
    for region in rows:
        province = region.code[:2] + "0000"
        if region.level == "province":
            names[province] = region.name
            groups.setdefault(province, []).insert(0, (region.code, region.name))
        else:
            groups.setdefault(province, []).append((region.code, "— " + region.name))
    choices: list[Any] = [("", blank)] if blank is not None else []
    choices += [(names.get(code, code), options) for code, options in groups.items()]
    return choices


def industry_choices(*, blank: str | None = None) -> list[Any]:
    """Sections and their divisions, for a select box."""
    groups: dict[str, list[tuple[str, str]]] = {}
    names: dict[str, str] = {}
    for industry in Industry.objects.order_by("code"):
        section = industry.code if industry.level == "section" else (industry.section_id or "")
        if industry.level == "section":
            names[section] = f"{industry.code} {industry.name}"
            groups.setdefault(section, []).insert(0, (industry.code, industry.name))
        else:
            groups.setdefault(section, []).append(
                (industry.code, f"{industry.code} {industry.name}")
            )
    choices: list[Any] = [("", blank)] if blank is not None else []
    choices += [(names.get(s, s), options) for s, options in sorted(groups.items())]
    return choices


def set_choices(form: forms.Form, name: str, choices: list[Any]) -> None:
    """Fill a choice field's options at request time (reference data lives in the database)."""
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def apply_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's field errors on the form (unknown fields become form-wide errors)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            target = field if field in form.fields else None
            for error in errors:
                form.add_error(target, error)
    else:
        form.add_error(None, exc)


class OrganisationForm(forms.Form):
    """An organisation's profile; the size class is computed, never entered."""

    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=120)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    uscc = forms.CharField(
        label=_("Unified Social Credit Code"),
        max_length=40,
        help_text=_("18 characters, as on the business licence."),
    )
    region = forms.ChoiceField(label=_("Region"))
    industry = forms.ChoiceField(label=_("Industry (GB/T 4754-2017)"))
    employees = forms.IntegerField(label=_("Employees"), required=False)
    revenue = forms.DecimalField(
        label=_("Operating revenue last year (10,000 CNY)"), required=False, max_digits=16
    )
    total_assets = forms.DecimalField(
        label=_("Total assets (10,000 CNY)"),
        required=False,
        max_digits=16,
        help_text=_("Needed for construction, real estate and leasing and business services."),
    )
    tier = forms.ChoiceField(
        label=_("Gradient cultivation tier"), choices=Tier.choices, required=False
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    contact_email = forms.EmailField(label=_("Contact e-mail"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "region", region_choices(blank=str(_("Choose a region"))))
        set_choices(self, "industry", industry_choices(blank=str(_("Choose an industry"))))


class SignUpForm(OrganisationForm):
    """Sign-up: the person and the organisation they register."""

    field_order = ["full_name", "email", "password", "kind"]

    full_name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(label=_("E-mail address"))
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput, min_length=8)
    kind = forms.ChoiceField(
        label=_("Organisation kind"),
        choices=[c for c in OrganisationKind.choices if c[0] != OrganisationKind.AUTHORITY],
    )


class ListForm(forms.Form):
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

    def __init__(self, *args: Any, open_batches: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if open_batches is None:
            del self.fields["batch"]
        else:
            batch_field = self.fields["batch"]
            assert isinstance(batch_field, forms.ModelChoiceField)
            batch_field.queryset = open_batches


class ResourceForm(forms.Form):
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
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    industries = forms.MultipleChoiceField(
        label=_("Industries served"),
        required=False,
        help_text=_("None chosen: all industries."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
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
        set_choices(self, "regions", region_choices())
        set_choices(self, "industries", industry_choices())


class ReturnForm(forms.Form):
    reasons = forms.CharField(
        label=_("Reasons for returning the list"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The publisher sees these reasons; say what must change."),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"), widget=forms.Textarea(attrs={"rows": 3})
    )


class NeedForm(forms.Form):
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


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=80, help_text=_("What will use it, e.g. “ERP sync”.")
    )


class ResourceFilterForm(forms.Form):
    """The public catalog's filters (all optional)."""

    q = forms.CharField(label=_("Keyword"), required=False, max_length=500)
    type = forms.ChoiceField(label=_("Type"), required=False)
    access_mode = forms.ChoiceField(label=_("Access mode"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    industry = forms.ChoiceField(label=_("Industry"), required=False)
    batch = forms.ChoiceField(label=_("Batch"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = str(_("All"))
        set_choices(self, "type", [("", everything), *ResourceType.choices])
        set_choices(self, "access_mode", [("", everything), *AccessMode.choices])
        set_choices(self, "region", region_choices(blank=everything))
        set_choices(self, "industry", industry_choices(blank=everything))
        set_choices(
            self,
            "batch",
            [("", everything)]
            + [(str(b.number), b.name) for b in Batch.objects.order_by("number")],
        )
