"""What the governance services share: field errors, who acts for a platform, text and
number checks."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from synergy_hub.access.workflow import RUNNING_AGREEMENT_STATES
from synergy_hub.accounts.models import Organisation, OrganisationKind
from synergy_hub.accounts.permissions import PUBLISHER_KINDS, require_member
from synergy_hub.validation import FieldErrors

SME_KINDS = frozenset({OrganisationKind.SME})
RUNNING_STATES = [state.value for state in RUNNING_AGREEMENT_STATES]


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _require_own_platform(user: Any, platform: Organisation) -> None:
    """Only a write member of the platform itself acts for it (403 otherwise)."""
    membership = require_member(user, kinds=PUBLISHER_KINDS)
    if membership.organisation_id != platform.pk:
        raise PermissionDenied(_("Only the platform's own members may do this."))


def _text(data: Mapping[str, Any], field: str, *, required: bool, limit: int) -> str:
    value = data.get(field) or ""
    if not isinstance(value, str):
        raise _error(field, _("Enter text."), "invalid")
    value = value.strip()
    if required and not value:
        raise _error(field, _("This field is required."), "required")
    if len(value) > limit:
        raise _error(field, _("At most %(limit)d characters.") % {"limit": limit}, "max_length")
    return value


def _decimal(value: Any, field: str, *, minimum: Decimal = Decimal(0)) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise _error(field, _("Enter a number."), "invalid") from None
    if not number.is_finite() or number < minimum:
        raise _error(field, _("Enter a non-negative number."), "min_value")
    return number


def _collect(errors: FieldErrors, check: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a check that raises at its first error; add that error to `errors` (None then)."""
    try:
        return check(*args, **kwargs)
    except ValidationError as exc:
        for field, found in exc.error_dict.items():
            for error in found:
                errors.add(field, ValidationError([error]).messages[0], str(error.code))
        return None
