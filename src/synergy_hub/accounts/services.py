"""Every change to organisations, users, memberships and API tokens goes through here.

Each function checks permission, validates, writes and appends to the audit log in one
transaction.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from synergy_hub.accounts import size_class as size_rules
from synergy_hub.accounts import uscc as uscc_rules
from synergy_hub.accounts.models import (
    TOKEN_DEFAULT_DAYS,
    TOKEN_MAX_DAYS,
    ApiToken,
    EligibilityChange,
    EligibilityChangeStatus,
    Industry,
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Region,
    Role,
    Tier,
    TokenScope,
    User,
)
from synergy_hub.accounts.permissions import require_member, require_officer
from synergy_hub.audit.services import record
from synergy_hub.languages import clean_translations
from synergy_hub.validation import FieldErrors

SELF_REGISTERING_KINDS = (
    OrganisationKind.PLATFORM,
    OrganisationKind.SME,
    OrganisationKind.PROVIDER,
)
TOKEN_PREFIX = "shub_"  # noqa: S105 - a public prefix that marks our tokens, not a secret
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


def _send_sign_up_mail(email: str, *, already_registered: bool) -> None:
    """Tell the address's owner what became of a sign-up, in both languages."""
    texts = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            if already_registered:
                texts.append(
                    _(
                        "Someone tried to register a new account with this e-mail address, "
                        "which already has one. If it was you, log in, or reset your password "
                        "if you forgot it. Otherwise you can ignore this e-mail."
                    )
                )
            else:
                texts.append(
                    _(
                        "Your organisation is registered and awaits approval by the programme "
                        "office. Log in with this e-mail address and your password to follow it."
                    )
                )
    link = settings.SITE_URL.rstrip("/") + reverse("accounts:login")
    with translation.override("en"):
        subject = _("[Synergy Hub] Your registration")
    send_mail(subject, f"{texts[0]}\n{link}\n\n{texts[1]}\n{link}\n", None, [email])


def check_registration(data: Mapping[str, Any], *, user: User | None = None) -> None:
    """Check a sign-up without registering anything: the sign-up page asks this in the
    same round as its own checks, so every error is reported at once."""
    _check_registration(data, user=user)[0].raise_if_any()


def _check_registration(
    data: Mapping[str, Any], *, user: User | None
) -> tuple[FieldErrors, dict[str, Any], dict[str, str]]:
    errors = FieldErrors()
    kind = data.get("kind")
    if kind not in SELF_REGISTERING_KINDS:
        errors.add(
            "kind",
            _("Choose platform enterprise, SME or service provider."),
            "invalid_choice",
        )
    clean = validate_organisation_fields(data, errors)
    password = str(data.get("password") or "")
    email = ""
    full_name = ""
    if user is None:
        full_name = errors.text("full_name", data.get("full_name"), max_length=120, required=True)
        email = errors.text("email", data.get("email"), max_length=254, required=True).lower()
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.add("email", _("Enter a valid e-mail address."), "invalid")
                email = ""
        if not password:
            errors.add("password", _("This field is required."), "required")
        else:
            try:
                validate_password(password, User(email=email, full_name=full_name))
            except ValidationError as exc:
                for message in exc.messages:
                    errors.add("password", message, "password_too_weak")
    elif Membership.objects.filter(user=user).exists():
        errors.add("__all__", _("You already belong to an organisation."), "already_member")
    fields = {"kind": str(kind or ""), "password": password, "email": email, "full_name": full_name}
    return errors, clean, fields


def register_organisation(
    data: Mapping[str, Any], *, user: User | None = None
) -> tuple[User, Organisation] | None:
    """Sign up an organisation (and, when not logged in, its first user) for approval.

    The organisation starts pending; a programme officer approves it. The registering user
    becomes its administrator. An anonymous sign-up with an e-mail address that already has
    an account returns None and only e-mails that address, so that the answer never tells
    a stranger which addresses are registered.
    """
    errors, clean, fields = _check_registration(data, user=user)
    errors.raise_if_any()
    kind, password, email, full_name = (
        fields["kind"],
        fields["password"],
        fields["email"],
        fields["full_name"],
    )
    already_registered = bool(email) and User.objects.filter(email=email).exists()
    if already_registered:
        # The same answer as a new sign-up, at the same cost (one hash): whether an address
        # is registered is told only to its owner, by e-mail.
        make_password(password)
        transaction.on_commit(
            lambda: _send_sign_up_mail(email, already_registered=True), robust=True
        )
        return None

    with transaction.atomic(durable=True):
        if user is None:
            user = User.objects.create_user(email, password, full_name=full_name)
            transaction.on_commit(
                lambda: _send_sign_up_mail(email, already_registered=False), robust=True
            )
            record(actor=user, action="accounts.user.registered", obj=user, after={"email": email})
        organisation = Organisation.objects.create(kind=str(kind), **clean)
        Membership.objects.create(user=user, organisation=organisation, role=Role.ADMIN)
        record(
            actor=user,
            action="accounts.organisation.registered",
            obj=organisation,
            organisation_id=organisation.pk,
            after=organisation_snapshot(organisation),
        )
    return user, organisation


#: The figures from which the size class is computed, and the tier: together they decide
#: eligibility and the fair-exposure group, so changing what they give is reviewed.
ELIGIBILITY_FIELDS = ("industry", "employees", "revenue", "total_assets", "tier", "region")
#: Evidence for a change request: at most this many bytes, of these kinds (by content).
EVIDENCE_MAX_BYTES = 2 * 1024 * 1024
EVIDENCE_TYPES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


def _changes_eligibility(organisation: Organisation, clean: Mapping[str, Any]) -> bool:
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
    if organisation.kind == OrganisationKind.AUTHORITY or not _changes_eligibility(
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


def decide_organisation(
    officer: User, organisation: Organisation, *, approve: bool, reason: str = ""
) -> Organisation:
    """Approve or reject a pending sign-up; a rejection needs written reasons."""
    require_officer(officer)
    errors = FieldErrors()
    reason = errors.text("reason", reason, max_length=4000, required=not approve)
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if locked.status != OrganisationStatus.PENDING:
            raise ValidationError(
                {
                    "status": ValidationError(
                        _("Only pending organisations can be decided."), code="invalid_state"
                    )
                }
            )
        before = {"status": locked.status}
        locked.status = OrganisationStatus.APPROVED if approve else OrganisationStatus.REJECTED
        locked.status_reason = reason
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "status_reason", "decided_at"])
        record(
            actor=officer,
            action="accounts.organisation.approved"
            if approve
            else "accounts.organisation.rejected",
            obj=locked,
            organisation_id=locked.pk,
            before=before,
            after={"status": locked.status, "reason": reason},
        )
    return locked


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class TokenExpired(Exception):
    """The secret names a token that has expired: refused, with the date it expired."""

    def __init__(self, token: ApiToken) -> None:
        super().__init__(f"API token expired at {token.expires_at.isoformat()}")
        self.token = token


def _refuse_token_credential(acting_token: ApiToken | None) -> None:
    """Tokens are managed only from a logged-in session, never with another token.

    Otherwise a leaked token could mint successors that outlive its own revocation.
    """
    if acting_token is not None:
        raise PermissionDenied(
            _("API tokens can be created and revoked only when logged in, not with a token.")
        )


def create_api_token(
    user: User,
    name: str,
    *,
    scope: str = TokenScope.WRITE,
    expires_in_days: Any = TOKEN_DEFAULT_DAYS,
    acting_token: ApiToken | None = None,
) -> tuple[ApiToken, str]:
    """Issue a personal API token; returns the row and the secret, which is shown only once.

    `acting_token` is the token the request was authenticated with, if any: such requests
    are refused.
    """
    _refuse_token_credential(acting_token)
    errors = FieldErrors()
    name = errors.text("name", name, max_length=80, required=True)
    if scope not in TokenScope.values:
        errors.add("scope", _("Choose read or write."), "invalid_choice")
    days = errors.integer(
        "expires_in_days", expires_in_days, minimum=1, maximum=TOKEN_MAX_DAYS, required=True
    )
    errors.raise_if_any()
    assert days is not None
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic(durable=True):
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=secret[: len(TOKEN_PREFIX) + 6],
            digest=_digest(secret),
            scope=scope,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        record(
            actor=user,
            action="accounts.token.created",
            obj=token,
            after={"name": name, "scope": scope, "expires_at": token.expires_at},
        )
    return token, secret


def revoke_api_token(
    user: User, token: ApiToken, *, acting_token: ApiToken | None = None
) -> ApiToken:
    """Revoke one of the user's own tokens; a revoked token no longer authenticates."""
    _refuse_token_credential(acting_token)
    if token.user_id != user.pk:
        raise PermissionDenied(_("You may only revoke your own tokens."))
    with transaction.atomic(durable=True):
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
            record(
                actor=user, action="accounts.token.revoked", obj=locked, after={"name": locked.name}
            )
    return locked


def authenticate_token(secret: str) -> ApiToken | None:
    """Return the unrevoked token with this secret of an active user, or None.

    An expired token raises `TokenExpired`, so that its holder is told why it stopped
    working rather than only that it is wrong.
    """
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.expires_at <= now:
        raise TokenExpired(token)
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


# --- size class and tier changes, reviewed (decision 0017) ----------------------------------


def _evidence_type(errors: FieldErrors, evidence: Any) -> tuple[bytes, str, str]:
    """Read the uploaded evidence within its bounds; (content, file name, content type)."""
    if evidence is None:
        errors.add(
            "evidence", _("Attach a document that shows the new figures or tier."), "required"
        )
        return b"", "", ""
    size = int(getattr(evidence, "size", 0) or 0)
    if size > EVIDENCE_MAX_BYTES:
        errors.add(
            "evidence",
            _("The file is larger than %(max)d MB.") % {"max": EVIDENCE_MAX_BYTES // (1024 * 1024)},
            "too_large",
        )
        return b"", "", ""
    content = evidence.read(EVIDENCE_MAX_BYTES + 1)
    if len(content) > EVIDENCE_MAX_BYTES:
        errors.add(
            "evidence",
            _("The file is larger than %(max)d MB.") % {"max": EVIDENCE_MAX_BYTES // (1024 * 1024)},
            "too_large",
        )
        return b"", "", ""
    kind = next((t for magic, t in EVIDENCE_TYPES.items() if content.startswith(magic)), None)
    if kind is None:
        errors.add("evidence", _("Upload a PDF, PNG or JPEG file."), "invalid_type")
        return b"", "", ""
    name = str(getattr(evidence, "name", "") or "evidence")[-200:]
    return content, name, kind


def request_eligibility_change(
    actor: User,
    organisation: Organisation,
    data: Mapping[str, Any],
    evidence: Any,
    *,
    basis: Mapping[str, Any] | None = None,
) -> EligibilityChange:
    """Ask the programme office to accept new figures, a new tier or a new region (the
    organisation's administrators only).

    The organisation keeps its current size class, tier and region until an officer
    approves; one request may wait at a time. `basis` records what the hub computed that
    the request rests on (a kept tier evaluation), for the officer.
    """
    membership = require_member(actor, roles=frozenset({Role.ADMIN}), approved=False)
    if (
        membership.organisation_id != organisation.pk
        or organisation.kind == OrganisationKind.AUTHORITY
    ):
        raise PermissionDenied(_("You may only request changes for your own organisation."))
    errors = FieldErrors()
    current = organisation_snapshot(organisation)
    proposed = {f: data.get(f, current[f]) for f in ELIGIBILITY_FIELDS}
    clean = validate_organisation_fields(
        current | proposed | {"kind": organisation.kind}, errors, exclude_pk=organisation.pk
    )
    explanation = errors.text("explanation", data.get("explanation"), max_length=2000)
    content, name, kind = _evidence_type(errors, evidence)
    if not errors.errors and not _changes_eligibility(organisation, clean):
        errors.add(
            "tier",
            _(
                "This changes neither the size class, the tier nor the region: edit the "
                "profile instead."
            ),
            "no_change",
        )
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if locked.eligibility_changes.filter(status=EligibilityChangeStatus.PENDING).exists():
            raise ValidationError(
                {
                    "tier": ValidationError(
                        _("A change request is already awaiting review."), code="pending"
                    )
                }
            )
        change = EligibilityChange.objects.create(
            organisation=locked,
            requested_by=actor,
            industry=clean["industry"],
            region=clean["region"],
            region_before=locked.region_id,
            employees=clean["employees"],
            revenue=clean["revenue"],
            total_assets=clean["total_assets"],
            size_class_before=locked.size_class,
            size_class=clean["size_class"],
            tier_before=locked.tier,
            tier=clean["tier"],
            explanation=explanation,
            evidence=content,
            evidence_name=name,
            evidence_type=kind,
            basis=dict(basis or {}),
        )
        record(
            actor=actor,
            action="accounts.eligibility_change.requested",
            obj=change,
            organisation_id=locked.pk,
            before={
                "size_class": locked.size_class,
                "tier": locked.tier,
                "region": locked.region_id,
            },
            after={
                "size_class": change.size_class,
                "tier": change.tier,
                "region": change.region_id,
                "basis": change.basis,
                "evidence": {"name": name, "type": kind, "bytes": len(content)},
            },
        )
    return change


def decide_eligibility_change(
    officer: User, change: EligibilityChange, *, approve: bool, reason: str = ""
) -> EligibilityChange:
    """Approve (the new figures, size class and tier take effect) or reject with reasons."""
    require_officer(officer)
    errors = FieldErrors()
    reason = errors.text("reason", reason, max_length=4000, required=not approve)
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        locked = EligibilityChange.objects.select_for_update().get(pk=change.pk)
        if locked.status != EligibilityChangeStatus.PENDING:
            raise ValidationError(
                {
                    "status": ValidationError(
                        _("Only pending requests can be decided."), code="invalid_state"
                    )
                }
            )
        organisation = Organisation.objects.select_for_update().get(pk=locked.organisation_id)
        before = organisation_snapshot(organisation)
        locked.status = (
            EligibilityChangeStatus.APPROVED if approve else EligibilityChangeStatus.REJECTED
        )
        locked.decided_by = officer
        locked.decided_at = timezone.now()
        locked.reason = reason
        locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        if approve:
            organisation.industry = locked.industry
            organisation.employees = locked.employees
            organisation.revenue = locked.revenue
            organisation.total_assets = locked.total_assets
            organisation.size_class = locked.size_class
            organisation.tier = locked.tier
            if locked.region_id is not None:
                organisation.region_id = locked.region_id
            organisation.save(
                update_fields=[
                    "region",
                    "industry",
                    "employees",
                    "revenue",
                    "total_assets",
                    "size_class",
                    "tier",
                ]
            )
        record(
            actor=officer,
            action="accounts.eligibility_change.approved"
            if approve
            else "accounts.eligibility_change.rejected",
            obj=locked,
            organisation_id=organisation.pk,
            before=before,
            after=organisation_snapshot(organisation) | {"reason": reason},
        )
    return locked
