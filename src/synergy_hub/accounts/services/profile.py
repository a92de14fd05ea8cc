"""An organisation's profile: the checks of its fields (credit code, region, industry, the
figures and the size class they give), the snapshot the audit log records, and its edit by
its administrators, which may not change what the figures decide without review.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from synergy_hub.accounts import size_class as size_rules
from synergy_hub.accounts import uscc as uscc_rules
from synergy_hub.accounts.models import (
    Industry,
    Organisation,
    OrganisationKind,
    Region,
    Role,
    Tier,
    User,
)
from synergy_hub.accounts.permissions import require_member
from synergy_hub.audit.services import record
from synergy_hub.languages import clean_translations
from synergy_hub.validation import FieldErrors

MAX_MONEY = Decimal("999999999999")


def uscc_message(error: uscc_rules.UsccError) -> str:
    """Translate a USCC rule violation into a message for the user."""
    messages = {
        uscc_rules.RULE_LENGTH: _("A Unified Social Credit Code has exactly 18 characters."),
        uscc_rules.RULE_CHARSET: _(
            "Only digits and the capital letters A–Z except I, O, Z, S and V may appear."
        ),
        uscc_rules.RULE_DEPARTMENT: _(
            "The first character is not a valid registration department."
        ),
        uscc_rules.RULE_ORGANISATION_TYPE: _(
            "The second character is not a valid organisation type for this department."
        ),
        uscc_rules.RULE_REGION_FORMAT: _("Characters 3–8 must be an administrative division code."),
        uscc_rules.RULE_ORGANISATION_CODE_CHECK: _(
            "The check digit of the embedded organisation code (character 17) is wrong."
        ),
        uscc_rules.RULE_CHECK_CHARACTER: _(
            "The check character (the 18th) is wrong: the code was mistyped."
        ),
    }
    return messages.get(error.rule, _("This is not a valid Unified Social Credit Code."))


def _size_message(error: size_rules.SizeClassError) -> str:
    if error.rule == "required":
        return _("Required to compute the size class for this industry.")
    if error.rule == "non_negative":
        return _("Must not be negative.")
    if error.rule == "not_covered":
        return _(
            "The national SME classification standard does not cover this industry "
            "(e.g. finance, education, health, public administration)."
        )
    return _("Choose an industry division (two digits): this section spans several size rules.")


#: More employees than any organisation has: the form and the API refuse beyond it.
MAX_EMPLOYEES = 10_000_000

#: The texts an organisation keeps per other language (decision 0013), with their limits.
ORGANISATION_TEXTS = {"name": 200, "description": 4000}


def validate_organisation_fields(
    data: Mapping[str, Any], errors: FieldErrors, *, exclude_pk: int | None = None
) -> dict[str, Any]:
    """Check an organisation's profile and return clean values including the size class."""
    clean: dict[str, Any] = {
        "name_zh": errors.text("name_zh", data.get("name_zh"), max_length=120, required=True),
        "name_en": errors.text("name_en", data.get("name_en"), max_length=200),
        "website": errors.text("website", data.get("website"), max_length=200),
        "description_zh": errors.text(
            "description_zh", data.get("description_zh"), max_length=2000
        ),
        "description_en": errors.text(
            "description_en", data.get("description_en"), max_length=4000
        ),
        "translations": clean_translations(errors, data.get("translations"), ORGANISATION_TEXTS),
    }
    contact = errors.text("contact_email", data.get("contact_email"), max_length=254)
    if contact:
        try:
            validate_email(contact)
        except ValidationError:
            errors.add("contact_email", _("Enter a valid e-mail address."), "invalid")
    clean["contact_email"] = contact.lower()

    raw_code = str(data.get("uscc") or "")
    if not raw_code.strip():
        errors.add("uscc", _("This field is required."), "required")
    else:
        try:
            code = uscc_rules.validate_uscc(raw_code)
        except uscc_rules.UsccError as exc:
            errors.add("uscc", uscc_message(exc), f"uscc_{exc.rule}")
        else:
            clash = Organisation.objects.filter(uscc=code)
            if exclude_pk is not None:
                clash = clash.exclude(pk=exclude_pk)
            if clash.exists():
                errors.add(
                    "uscc",
                    _("An organisation with this credit code is already registered."),
                    "unique",
                )
            clean["uscc"] = code

    region_code = str(data.get("region") or "").strip()
    region = Region.objects.filter(code=region_code).first() if region_code else None
    if region is None:
        errors.add(
            "region",
            _("Choose a valid administrative division code (GB/T 2260).")
            if region_code
            else _("This field is required."),
            "invalid_choice" if region_code else "required",
        )
    clean["region"] = region

    industry_code = str(data.get("industry") or "").strip().upper()
    industry = Industry.objects.filter(code=industry_code).first() if industry_code else None
    if industry is None:
        errors.add(
            "industry",
            _("Choose a valid industry code (GB/T 4754-2017).")
            if industry_code
            else _("This field is required."),
            "invalid_choice" if industry_code else "required",
        )
    clean["industry"] = industry

    clean["employees"] = errors.integer("employees", data.get("employees"), maximum=MAX_EMPLOYEES)
    clean["revenue"] = errors.decimal("revenue", data.get("revenue"), maximum=MAX_MONEY)
    clean["total_assets"] = errors.decimal(
        "total_assets", data.get("total_assets"), maximum=MAX_MONEY
    )
    tier = str(data.get("tier") or "")
    if tier not in Tier.values:
        errors.add("tier", _("Choose a valid tier."), "invalid_choice")
    clean["tier"] = tier

    kind = data.get("kind")
    clean["size_class"] = ""
    if industry is None and kind != OrganisationKind.AUTHORITY:
        # Which figures the size rule needs depends on the industry: while it is missing,
        # ask for those most rules need now rather than after it is chosen.
        for metric in sorted(size_rules.metrics_most_rules_need()):
            if clean[metric] is None and not errors.has(metric):
                errors.add(
                    metric,
                    _(
                        "Needed for the size class in most industries: enter it, or choose "
                        "the industry first to see which figures it needs."
                    ),
                    "required",
                )
    if industry is not None and kind != OrganisationKind.AUTHORITY:
        try:
            needed = size_rules.metrics_needed(industry.code)
        except size_rules.SizeClassError as exc:
            errors.add(exc.field or "industry", _size_message(exc), exc.rule)
            needed = frozenset()
        # Every missing figure is reported at once, even while another one is invalid.
        for metric in sorted(needed):
            if clean[metric] is None and not errors.has(metric):
                errors.add(
                    metric,
                    _("Required to compute the size class for this industry."),
                    "required",
                )
        metrics = ("industry", "employees", "revenue", "total_assets")
        if needed and not any(errors.has(f) for f in metrics):
            try:
                clean["size_class"] = str(
                    size_rules.classify(
                        industry.code, clean["employees"], clean["revenue"], clean["total_assets"]
                    )
                )
            except size_rules.SizeClassError as exc:
                errors.add(exc.field or "industry", _size_message(exc), exc.rule)
    return clean


def organisation_snapshot(org: Organisation) -> dict[str, Any]:
    """The fields of an organisation recorded in the audit log."""
    return {
        "kind": org.kind,
        "name_zh": org.name_zh,
        "name_en": org.name_en,
        "other_languages": sorted(org.translations or {}),
        "uscc": org.uscc,
        "region": org.region_id,
        "industry": org.industry_id,
        "employees": org.employees,
        "revenue": org.revenue,
        "total_assets": org.total_assets,
        "size_class": org.size_class,
        "tier": org.tier,
        "status": org.status,
    }


#: The figures from which the size class is computed, and the tier: together they decide
#: eligibility and the fair-exposure group, so changing what they give is reviewed.
ELIGIBILITY_FIELDS = ("industry", "employees", "revenue", "total_assets", "tier", "region")


def changes_eligibility(organisation: Organisation, clean: Mapping[str, Any]) -> bool:
    """Whether the values change what the organisation may use: size class, tier or region
    (a resource may be opened to some regions only; decision 0017)."""
    region = clean["region"].pk if clean.get("region") is not None else organisation.region_id
    return (
        (clean["size_class"] or "") != (organisation.size_class or "")
        or (clean["tier"] or "") != (organisation.tier or "")
        or region != organisation.region_id
    )


def _refuse_unreviewed_eligibility(
    organisation: Organisation, clean: Mapping[str, Any], data: Mapping[str, Any]
) -> None:
    """A profile edit may change the figures, but not what they decide: a different size class
    or tier goes to the programme office as a change request with evidence (decision 0017).
    """
    if organisation.kind == OrganisationKind.AUTHORITY or not changes_eligibility(
        organisation, clean
    ):
        return
    message = _(
        "A change of size class, tier or region counts only once the programme office "
        "approves it: request it with evidence under Organisation → Size class and tier."
    )
    errors = FieldErrors()
    for field in [f for f in ELIGIBILITY_FIELDS if f in data] or ["tier"]:
        errors.add(field, message, "review_required")
    errors.raise_if_any()


def update_organisation(
    actor: User, organisation: Organisation, data: Mapping[str, Any]
) -> Organisation:
    """Edit an organisation's profile (its administrators only); recomputes the size class."""
    membership = require_member(actor, roles=frozenset({Role.ADMIN}), approved=False)
    if membership.organisation_id != organisation.pk:
        raise PermissionDenied(_("You may only edit your own organisation."))
    errors = FieldErrors()
    current = organisation_snapshot(organisation) | {
        field: getattr(organisation, field)
        for field in (
            "website",
            "contact_email",
            "description_zh",
            "description_en",
            "translations",
        )
    }
    merged = current | dict(data) | {"kind": organisation.kind}
    clean = validate_organisation_fields(merged, errors, exclude_pk=organisation.pk)
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        _refuse_unreviewed_eligibility(locked, clean, data)
        before = organisation_snapshot(locked)
        for field, value in clean.items():
            setattr(locked, field, value)
        locked.save()
        record(
            actor=actor,
            action="accounts.organisation.updated",
            obj=locked,
            organisation_id=locked.pk,
            before=before,
            after=organisation_snapshot(locked),
        )
    return locked
