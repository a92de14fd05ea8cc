"""Forms of the account pages; the services re-check every rule, so forms only shape the input."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from synergy_hub.accounts import services
from synergy_hub.accounts.choices import industry_choices, region_choices
from synergy_hub.accounts.models import (
    TOKEN_DEFAULT_DAYS,
    TOKEN_MAX_DAYS,
    OrganisationKind,
    Tier,
    TokenScope,
)
from synergy_hub.accounts.services import MAX_EMPLOYEES, ORGANISATION_TEXTS
from synergy_hub.languages import clean_translations
from synergy_hub.validation import FieldErrors
from synergy_hub.web.choices import set_choices
from synergy_hub.web.form_errors import OneRoundForm
from synergy_hub.web.other_languages import OtherLanguagesField, Part


class OrganisationForm(forms.Form):
    """An organisation's profile; the size class is computed, never entered."""

    name_zh = forms.CharField(label=_("Name (Chinese)"), max_length=120)
    name_en = forms.CharField(label=_("Name (English)"), max_length=200, required=False)
    uscc = forms.CharField(
        label=_("Unified Social Credit Code"),
        max_length=40,
        help_text=_("18 characters, as on the business licence."),
    )
    region = forms.ChoiceField(
        label=_("Region"), required=False, help_text=_("Left empty: the region stays as it is.")
    )
    industry = forms.ChoiceField(label=_("Industry (GB/T 4754-2017)"))
    employees = forms.IntegerField(
        label=_("Employees"), required=False, min_value=0, max_value=MAX_EMPLOYEES
    )
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


def _organisation_translations(errors: FieldErrors, value: Any) -> dict[str, dict[str, Any]]:
    return clean_translations(errors, value, ORGANISATION_TEXTS)


class OrganisationProfileForm(OneRoundForm, OrganisationForm):
    """The profile as its administrators edit it: with descriptions, in any language."""

    description_zh = forms.CharField(
        label=_("Description (Chinese)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    description_en = forms.CharField(
        label=_("Description (English)"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )
    translations = OtherLanguagesField(
        [Part("name", _("Name")), Part("description", _("Description"), long=True)],
        _organisation_translations,
        label=_("Name and description in other languages"),
    )

    def __init__(self, *args: Any, organisation: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        field = self.fields["translations"]
        assert isinstance(field, OtherLanguagesField)
        field.kept = self.initial.get("translations") or {}

    def check_rules(self, data: Mapping[str, Any]) -> None:
        if self.organisation is None:
            return
        errors = FieldErrors()
        services.validate_organisation_fields(
            {**self.initial, **data, "kind": self.organisation.kind},
            errors,
            exclude_pk=self.organisation.pk,
        )
        errors.raise_if_any()


class SignUpForm(OneRoundForm, OrganisationForm):
    """Sign-up: the person and the organisation they register.

    The organisation kind has no default: an SME that overlooked a preselected "platform
    enterprise" would be registered as a platform.
    """

    field_order = ["full_name", "email", "password", "kind"]

    full_name = forms.CharField(label=_("Your name"), max_length=120)
    email = forms.EmailField(label=_("E-mail address"))
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput,
        help_text=_("At least 12 characters; not a common password nor close to your name."),
    )
    kind = forms.ChoiceField(
        label=_("Organisation kind"),
        choices=[c for c in OrganisationKind.choices if c[0] != OrganisationKind.AUTHORITY],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of your organisation.")},
    )

    def check_rules(self, data: Mapping[str, Any]) -> None:
        services.check_registration(data)


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Token name"), max_length=80, help_text=_("What will use it, e.g. “ERP sync”.")
    )
    scope = forms.ChoiceField(
        label=_("Scope"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        help_text=_("A read-only token cannot change anything."),
    )
    expires_in_days = forms.TypedChoiceField(
        label=_("Expires after"),
        coerce=int,
        initial=TOKEN_DEFAULT_DAYS,
        choices=[
            (7, _("7 days")),
            (30, _("30 days")),
            (90, _("90 days")),
            (180, _("180 days")),
            (TOKEN_MAX_DAYS, _("1 year")),
        ],
    )


class EligibilityChangeForm(forms.Form):
    """New figures, a new tier or a new region, with the evidence the programme office
    reviews."""

    region = forms.ChoiceField(
        label=_("Region"), required=False, help_text=_("Left empty: the region stays as it is.")
    )
    industry = forms.ChoiceField(label=_("Industry (GB/T 4754-2017)"))
    employees = forms.IntegerField(
        label=_("Employees"), required=False, min_value=0, max_value=MAX_EMPLOYEES
    )
    revenue = forms.DecimalField(
        label=_("Operating revenue last year (10,000 CNY)"), required=False, max_digits=16
    )
    total_assets = forms.DecimalField(
        label=_("Total assets (10,000 CNY)"), required=False, max_digits=16
    )
    tier = forms.ChoiceField(
        label=_("Gradient cultivation tier"), choices=Tier.choices, required=False
    )
    explanation = forms.CharField(
        label=_("Explanation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        required=False,
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        help_text=_(
            "A PDF, PNG or JPEG of at most 2 MB: e.g. the annual report, the financial "
            "statement or the certificate of the tier."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_choices(self, "region", region_choices(blank=str(_("Choose a region"))))
        set_choices(self, "industry", industry_choices(blank=str(_("Choose an industry"))))


class CodeForm(forms.Form):
    """A six-digit code from an authenticator app, or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=16,
        help_text=_("The 6-digit code your authenticator app shows, or a recovery code."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"), widget=forms.Textarea(attrs={"rows": 3})
    )
