"""The optional second factor: a TOTP authenticator app, with one-time recovery codes.

Built on django-otp (its TOTP and static-token devices). A user enrols by scanning a QR
code (or typing the key) and confirming one code; ten recovery codes are then shown once.
While a confirmed TOTP device exists, logging in takes the password and then a code
(`views.LoginView` and `views.login_code`). Turning it off needs a code too. Every change is
audited; codes and keys never are.
"""

from __future__ import annotations

from base64 import b32encode
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from synergy_hub.accounts.models import User
from synergy_hub.audit.services import record

RECOVERY_CODES = 10
DEVICE_NAME = "authenticator"
RECOVERY_NAME = "recovery codes"


def is_enabled(user: Any) -> bool:
    """Whether logging in needs a code: the user has a confirmed authenticator."""
    if not getattr(user, "is_authenticated", False) and not isinstance(user, User):
        return False
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed authenticator being enrolled (made on first call, then kept)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def manual_key(device: TOTPDevice) -> str:
    """The secret in base32, grouped by four, for typing into an app without a camera."""
    key = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def _code_error() -> ValidationError:
    return ValidationError(
        {"code": ValidationError(_("This code is not valid. Try the current one."), "invalid")}
    )


def _clean(code: Any) -> str:
    return "".join(str(code or "").split())[:16]


def confirm(user: User, code: Any) -> list[str]:
    """Confirm the pending authenticator with a current code; returns the recovery codes,
    which are shown once. Earlier devices of the user are replaced.
    """
    device = pending_device(user)
    with transaction.atomic(durable=True):
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        if not locked.verify_token(_clean(code)):
            raise _code_error()
        TOTPDevice.objects.filter(user=user).exclude(pk=locked.pk).delete()
        StaticDevice.objects.filter(user=user).delete()
        locked.confirmed = True
        locked.save(update_fields=["confirmed"])
        recovery = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _n in range(RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=recovery, token=c) for c in codes)
        record(
            actor=user,
            action="accounts.two_factor.enabled",
            obj=user,
            after={"recovery_codes": RECOVERY_CODES},
        )
    return codes


def verify(user: User, code: Any) -> Device | None:
    """The device (authenticator or a recovery code, used up) that accepts `code`, or None.

    django-otp also slows down repeated failures per device; the views add the hub's own
    per-user and per-address limits (`throttling.SECOND_FACTOR`, `throttling.LOGIN`).
    """
    token = _clean(code)
    if not token:
        return None
    with transaction.atomic():
        for model in (TOTPDevice, StaticDevice):
            for device in model.objects.filter(user=user, confirmed=True).select_for_update():
                allowed, _info = device.verify_is_allowed()
                if allowed and device.verify_token(token):
                    return device
    return None


def disable(user: User, code: Any) -> None:
    """Turn the second factor off; needs a current code (or a recovery code)."""
    device = verify(user, code)
    if device is None:
        raise _code_error()
    with transaction.atomic(durable=True):
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        record(actor=user, action="accounts.two_factor.disabled", obj=user, after={})
