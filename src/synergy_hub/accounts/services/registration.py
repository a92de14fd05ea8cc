"""Signing up an organisation and its first user, and the programme office's decision on it."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from synergy_hub.accounts.models import (
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Role,
    User,
)
from synergy_hub.accounts.permissions import require_officer
from synergy_hub.accounts.services.profile import (
    organisation_snapshot,
    validate_organisation_fields,
)
from synergy_hub.audit.services import record
from synergy_hub.validation import FieldErrors

SELF_REGISTERING_KINDS = (
    OrganisationKind.PLATFORM,
    OrganisationKind.SME,
    OrganisationKind.PROVIDER,
)


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
