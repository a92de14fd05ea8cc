"""Helpers every access service shares: who the actor is, transitions, reasons, dates."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub.access import workflow
from synergy_hub.access.models import AccessRequest, Agreement
from synergy_hub.access.vocabulary import AgreementState, Party, RequestState
from synergy_hub.accounts.models import User
from synergy_hub.accounts.permissions import require_member
from synergy_hub.validation import FieldErrors

MAX_TEXT = 5000
MIN_REASON = 5
MAX_QUANTITY = Decimal(10**11)
MAX_PERIOD_DAYS = 3 * 366
NOTICE_DAYS = 30


def party_of(actor: User, provider_id: int, consumer_id: int) -> workflow.Actor:
    """The side the actor acts for (write role, approved organisation), else 403."""
    membership = require_member(actor)
    if membership.organisation_id == provider_id:
        return workflow.Actor.PROVIDER
    if membership.organisation_id == consumer_id:
        return workflow.Actor.CONSUMER
    raise PermissionDenied(_("Only the two parties of the request may do this."))


def as_party(actor: workflow.Actor) -> str:
    return Party.PROVIDER if actor is workflow.Actor.PROVIDER else Party.CONSUMER


def _not_your_step(actor: workflow.Actor) -> PermissionDenied:
    if actor is workflow.Actor.PROVIDER:
        return PermissionDenied(_("This step belongs to the requesting SME."))
    return PermissionDenied(_("This step belongs to the provider."))


def illegal(label: str) -> ValidationError:
    return ValidationError(
        {
            "state": ValidationError(
                _("This action is not possible while it is %(state)s.") % {"state": label},
                code="illegal_transition",
            )
        }
    )


def require_step(side: workflow.Actor, transition: workflow.Transition) -> None:
    """Refuse (403) a step that belongs to the other side, before looking at the input."""
    table = workflow.NEGOTIATION if transition in workflow.NEGOTIATION else workflow.AGREEMENT
    if side not in table[transition][2]:
        raise _not_your_step(side)


def request_transition(
    locked: AccessRequest, transition: workflow.Transition, actor: workflow.Actor
) -> str:
    """Check a negotiation step for this actor and state; return the new state."""
    if actor not in workflow.NEGOTIATION[transition][2]:
        raise _not_your_step(actor)
    try:
        return workflow.next_request_state(locked.state, transition, actor).value
    except workflow.IllegalTransition as exc:
        raise illegal(str(RequestState(locked.state).label)) from exc


def agreement_transition(
    locked: Agreement, transition: workflow.Transition, actor: workflow.Actor
) -> str:
    """Check an agreement step for this actor and state; return the new state."""
    if actor not in workflow.AGREEMENT[transition][2]:
        raise _not_your_step(actor)
    try:
        return workflow.next_agreement_state(locked.state, transition, actor).value
    except workflow.IllegalTransition as exc:
        raise illegal(str(AgreementState(locked.state).label)) from exc


def lock_request(access_request: AccessRequest) -> AccessRequest:
    return (
        AccessRequest.objects.select_for_update()
        .select_related("resource__openness_list", "provider", "consumer")
        .get(pk=access_request.pk)
    )


def lock_agreement(agreement: Agreement) -> Agreement:
    return (
        Agreement.objects.select_for_update()
        .select_related("resource", "provider", "consumer", "access_request")
        .get(pk=agreement.pk)
    )


def request_snapshot(access_request: AccessRequest) -> dict[str, Any]:
    """The fields of a request recorded in the audit log."""
    return {
        "state": access_request.state,
        "resource": access_request.resource_id,
        "lineage": access_request.resource_lineage,
        "provider": access_request.provider_id,
        "consumer": access_request.consumer_id,
    }


def agreement_snapshot(agreement: Agreement) -> dict[str, Any]:
    """The fields of an agreement recorded in the audit log."""
    return {
        "uid": agreement.uid,
        "state": agreement.state,
        "quantity": agreement.quantity,
        "used": agreement.used_quantity,
        "starts_at": agreement.starts_at,
        "ends_at": agreement.ends_at,
        "termination_effective_at": agreement.termination_effective_at,
    }


def clean_statement(data: Mapping[str, Any], errors: FieldErrors) -> dict[str, str]:
    """Facts, ground and redress: each required, and specific enough to mean something."""
    clean = {
        name: errors.text(name, data.get(name), max_length=MAX_TEXT, required=True)
        for name in ("facts", "ground", "redress")
    }
    for name, value in clean.items():
        if value and len(value) < MIN_REASON and not errors.has(name):
            errors.add(
                name,
                _("Be specific: at least %(min)d characters.") % {"min": MIN_REASON},
                "too_short",
            )
    return clean


def clean_terms(
    data: Mapping[str, Any],
    errors: FieldErrors,
    *,
    today: date,
    with_price: bool = True,
) -> dict[str, Any]:
    """Quantity, period and price of an offer or request."""
    clean: dict[str, Any] = {
        "quantity": errors.decimal(
            "quantity", data.get("quantity"), required=True, maximum=MAX_QUANTITY
        ),
        "starts_on": _date(errors, "starts_on", data.get("starts_on")),
        "ends_on": _date(errors, "ends_on", data.get("ends_on")),
    }
    quantity = clean["quantity"]
    if quantity is not None and not errors.has("quantity"):
        if quantity <= 0:
            errors.add("quantity", _("The quantity must be more than zero."), "min_value")
        elif quantity != quantity.quantize(Decimal("0.01")):
            errors.add("quantity", _("Use at most two decimal places."), "decimal_places")
    if with_price:
        clean["price"] = errors.decimal("price", data.get("price"), maximum=Decimal(10**9))
    starts_on, ends_on = clean["starts_on"], clean["ends_on"]
    if starts_on is not None and starts_on < today:
        errors.add("starts_on", _("The period cannot start in the past."), "in_past")
    if starts_on is not None and ends_on is not None:
        if ends_on < starts_on:
            errors.add("ends_on", _("The period must end on or after its start."), "before_start")
        elif (ends_on - starts_on).days > MAX_PERIOD_DAYS:
            errors.add("ends_on", _("The period may last at most three years."), "too_long")
    return clean


def _date(errors: FieldErrors, field: str, value: Any) -> date | None:
    if value is None or value == "":
        errors.add(field, _("This field is required."), "required")
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.add(field, _("Enter a date as YYYY-MM-DD."), "invalid")
        return None


def day_start(day: date) -> datetime:
    """Midnight at the start of `day` in the hub's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min), timezone.get_default_timezone())


def day_after(day: date) -> datetime:
    """Midnight at the end of `day` (the start of the next) in the hub's time zone."""
    return day_start(day + timedelta(days=1))


def local_date(moment: datetime) -> date:
    return timezone.localtime(moment, timezone.get_default_timezone()).date()
