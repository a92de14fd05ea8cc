"""An agreement's life: it starts, may be suspended, restricted or terminated, and ends.

Time-driven steps (activate on the start date, expire at the end, a termination whose
notice has run) are taken by `advance_agreements`, which `synergy access tick` runs and
which reads and uses of an agreement also run lazily, so the state is right without a
scheduler. A termination of an active agreement takes effect no earlier than 30 days
after notice unless an exception ground (legal obligation, repeated infringement) is
recorded with its facts.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub.access import workflow
from synergy_hub.access.models import Agreement, StatementOfReasons
from synergy_hub.access.notifications import notify, params_for
from synergy_hub.access.services import capacity
from synergy_hub.access.services.steps import (
    agreement_snapshot,
    agreement_transition,
    as_party,
    lock_agreement,
    party_of,
    require_step,
)
from synergy_hub.access.services.terms import NOTICE_DAYS, clean_statement, day_start, local_date
from synergy_hub.access.vocabulary import (
    HAND_EXCEPTION_GROUNDS,
    AgreementState,
    ReasonKind,
)
from synergy_hub.accounts.models import User
from synergy_hub.audit.services import record
from synergy_hub.validation import FieldErrors

RUNNING = [state.value for state in workflow.RUNNING_AGREEMENT_STATES]


def agreement_url(agreement: Agreement) -> str:
    return reverse("access:agreement", args=[agreement.pk])


def due_filter(now: datetime) -> Q:
    """Agreements a time-driven step is due for at `now`."""
    return (
        Q(state=AgreementState.AGREED, starts_at__lte=now)
        | Q(state__in=RUNNING, ends_at__lte=now)
        | Q(state__in=RUNNING, termination_effective_at__lte=now)
    )


def is_due(agreement: Agreement, now: datetime) -> bool:
    """The same test as `due_filter`, on a loaded row (to skip needless locking)."""
    running = agreement.state in RUNNING
    return (
        (agreement.state == AgreementState.AGREED and agreement.starts_at <= now)
        or (running and agreement.ends_at <= now)
        or (
            running
            and agreement.termination_effective_at is not None
            and agreement.termination_effective_at <= now
        )
    )


def _release_unused(locked: Agreement, now: datetime) -> None:
    """Give back the booked capacity an ending agreement will not use.

    All of it when the agreement's period has not begun (a slot that started already, say
    this month, still holds no use of it); otherwise the slots from tomorrow on.
    """
    today = local_date(now)
    from_day = None if today < locked.starts_on else today + timedelta(days=1)
    capacity.release(locked.access_request, now, from_day=from_day)


def _system_step(
    locked: Agreement, transition: workflow.Transition, now: datetime, *, verb: str
) -> None:
    before = locked.state
    locked.state = agreement_transition(locked, transition, workflow.Actor.SYSTEM)
    locked.updated_at = now
    if locked.state != AgreementState.ACTIVE:
        locked.ended_at = now
    locked.save()
    if transition in (workflow.Transition.TERMINATE, workflow.Transition.COMPLETE):
        _release_unused(locked, now)
    record(
        actor=None,
        action=f"access.agreement.{locked.state}",
        obj=locked,
        organisation_id=locked.provider_id,
        before={"state": before},
        after=agreement_snapshot(locked),
    )
    notify(
        verb=verb,
        obj=locked,
        url=agreement_url(locked),
        organisations=[locked.provider, locked.consumer],
        params=params_for(locked.resource, None),
    )


def advance_locked(locked: Agreement, now: datetime) -> Agreement:
    """Take every time-driven step due at `now` on a locked agreement (inside a transaction)."""
    effective = locked.termination_effective_at
    running = locked.state in RUNNING
    if running and effective is not None and effective <= now and effective < locked.ends_at:
        _system_step(locked, workflow.Transition.TERMINATE, now, verb="agreement.terminated")
        return locked
    if locked.state in RUNNING and locked.ends_at <= now:
        _system_step(locked, workflow.Transition.EXPIRE, now, verb="agreement.expired")
        return locked
    if locked.state == AgreementState.AGREED and locked.starts_at <= now:
        _system_step(locked, workflow.Transition.ACTIVATE, now, verb="agreement.activated")
    return locked


def complete_locked(locked: Agreement, now: datetime) -> None:
    """Complete an active agreement whose whole quantity has been used."""
    _system_step(locked, workflow.Transition.COMPLETE, now, verb="agreement.completed")


def advance_agreement(agreement: Agreement, now: datetime | None = None) -> Agreement:
    """Bring one agreement's state up to date (run lazily when it is read)."""
    now = now or timezone.now()
    if not is_due(agreement, now):
        return agreement
    with transaction.atomic(durable=True):
        return advance_locked(lock_agreement(agreement), now)


def advance_agreements(now: datetime | None = None, **filters: Any) -> int:
    """Take every due time-driven step; each agreement in its own transaction.

    Returns how many agreements changed. `filters` narrow the agreements considered
    (e.g. to one organisation's, when its inbox is read).
    """
    now = now or timezone.now()
    changed = 0
    due = Agreement.objects.filter(due_filter(now), **filters).order_by("pk")
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic(durable=True):
            locked = (
                Agreement.objects.select_for_update()
                .select_related("resource", "provider", "consumer", "access_request")
                .get(pk=pk)
            )
            before = locked.state
            advance_locked(locked, now)
            changed += locked.state != before
    return changed


def _statement(
    locked: Agreement,
    actor: User,
    side: workflow.Actor,
    kind: str,
    clean: Mapping[str, str],
    *,
    effective_at: datetime,
    exception: str = "",
    measure: StatementOfReasons | None = None,
) -> StatementOfReasons:
    return StatementOfReasons.objects.create(
        kind=kind,
        access_request=locked.access_request,
        agreement=locked,
        provider_id=locked.provider_id,
        consumer_id=locked.consumer_id,
        author=actor,
        party=as_party(side),
        effective_at=effective_at,
        exception=exception,
        measure=measure,
        automated=measure.automated if measure is not None else False,
        **clean,
    )


def _require_transaction(name: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{name} needs the caller's transaction")


def _party_step(
    actor: User,
    locked: Agreement,
    side: workflow.Actor,
    *,
    action: str,
    verb: str,
    before: dict[str, Any],
    extra: Mapping[str, Any] | None = None,
) -> Agreement:
    locked.updated_at = timezone.now()
    locked.save()
    acting = locked.provider if side is workflow.Actor.PROVIDER else locked.consumer
    other = locked.consumer if side is workflow.Actor.PROVIDER else locked.provider
    record(
        actor=actor,
        action=action,
        obj=locked,
        organisation_id=acting.pk,
        before=before,
        after=agreement_snapshot(locked) | dict(extra or {}),
    )
    notify(
        verb=verb,
        obj=locked,
        url=agreement_url(locked),
        organisations=[other],
        params=params_for(locked.resource, acting),
    )
    return locked


def _begin(
    actor: User, agreement: Agreement, transition: workflow.Transition | None
) -> workflow.Actor:
    side = party_of(actor, agreement.provider_id, agreement.consumer_id)
    if transition is not None:
        require_step(side, transition)
    return side


def suspend_agreement(actor: User, agreement: Agreement, data: Mapping[str, Any]) -> Agreement:
    """The provider suspends an active agreement (uses are denied), with reasons."""
    side = _begin(actor, agreement, workflow.Transition.SUSPEND)
    errors = FieldErrors()
    clean = clean_statement(data, errors)
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        return suspend_agreement_in_transaction(actor, agreement, side, clean)


def suspend_agreement_in_transaction(
    actor: User,
    agreement: Agreement,
    side: workflow.Actor,
    clean: Mapping[str, str],
    *,
    measure: StatementOfReasons | None = None,
) -> Agreement:
    """The inner form (decision 0008): checked side and clean reasons, the caller's transaction.

    `measure` is the statement of a measure on the whole relationship this suspension
    carries out (governance); the agreement's own statement points to it.
    """
    _require_transaction("suspend_agreement_in_transaction")
    locked = advance_locked(lock_agreement(agreement), timezone.now())
    before = agreement_snapshot(locked)
    locked.state = agreement_transition(locked, workflow.Transition.SUSPEND, side)
    _statement(
        locked,
        actor,
        side,
        ReasonKind.SUSPENSION,
        clean,
        effective_at=timezone.now(),
        measure=measure,
    )
    return _party_step(
        actor,
        locked,
        side,
        action="access.agreement.suspended",
        verb="agreement.suspended",
        before=before,
        extra={"reasons": dict(clean)} | ({"measure": measure.pk} if measure else {}),
    )


def resume_agreement(actor: User, agreement: Agreement) -> Agreement:
    """The provider lifts a suspension."""
    side = _begin(actor, agreement, workflow.Transition.RESUME)
    with transaction.atomic(durable=True):
        return resume_agreement_in_transaction(actor, agreement, side)


def resume_agreement_in_transaction(
    actor: User,
    agreement: Agreement,
    side: workflow.Actor,
    *,
    measure: StatementOfReasons | None = None,
) -> Agreement:
    """The inner form (decision 0008): checked side, the caller's transaction.

    `measure` is the lifted measure on the whole relationship whose suspension this ends
    (governance); the audit event names it.
    """
    _require_transaction("resume_agreement_in_transaction")
    locked = advance_locked(lock_agreement(agreement), timezone.now())
    before = agreement_snapshot(locked)
    locked.state = agreement_transition(locked, workflow.Transition.RESUME, side)
    return _party_step(
        actor,
        locked,
        side,
        action="access.agreement.resumed",
        verb="agreement.resumed",
        before=before,
        extra={"measure": measure.pk} if measure else None,
    )


def withdraw_termination_in_transaction(
    actor: User, agreement: Agreement, side: workflow.Actor, *, measure: StatementOfReasons
) -> Agreement:
    """The provider withdraws a pending notice of termination that a measure on the whole
    relationship gave (governance), before it takes effect: the agreement runs on.

    Refused (`state`, `termination_effective`) once the termination has taken effect.
    """
    _require_transaction("withdraw_termination_in_transaction")
    if side is not workflow.Actor.PROVIDER:
        raise PermissionDenied(_("This step belongs to the provider."))
    now = timezone.now()
    locked = advance_locked(lock_agreement(agreement), now)
    if locked.state not in RUNNING or locked.termination_effective_at is None:
        raise ValidationError(
            {
                "state": ValidationError(
                    _("The termination of this agreement has already taken effect."),
                    code="termination_effective",
                )
            }
        )
    before = agreement_snapshot(locked)
    locked.termination_notice_at = None
    locked.termination_effective_at = None
    return _party_step(
        actor,
        locked,
        side,
        action="access.agreement.termination_withdrawn",
        verb="agreement.termination_withdrawn",
        before=before,
        extra={"measure": measure.pk},
    )


def restrict_agreement(actor: User, agreement: Agreement, data: Mapping[str, Any]) -> Agreement:
    """The provider lowers the agreed quantity (not below what is used), with reasons."""
    side = _begin(actor, agreement, None)
    if side is not workflow.Actor.PROVIDER:
        raise PermissionDenied(_("This step belongs to the provider."))
    errors = FieldErrors()
    clean = clean_statement(data, errors)
    quantity = errors.decimal("quantity", data.get("quantity"), required=True)
    errors.raise_if_any()
    assert quantity is not None
    with transaction.atomic(durable=True):
        locked = advance_locked(lock_agreement(agreement), timezone.now())
        if locked.state not in (AgreementState.ACTIVE, AgreementState.SUSPENDED):
            raise ValidationError(
                {
                    "state": ValidationError(
                        _("Only an active or suspended agreement can be restricted."),
                        code="illegal_transition",
                    )
                }
            )
        if not locked.used_quantity <= quantity < locked.quantity or quantity <= 0:
            raise ValidationError(
                {
                    "quantity": ValidationError(
                        _(
                            "A restriction lowers the quantity: enter less than %(quantity)s "
                            "and not less than the %(used)s already used."
                        )
                        % {"quantity": locked.quantity, "used": locked.used_quantity},
                        code="invalid_restriction",
                    )
                }
            )
        before = agreement_snapshot(locked)
        locked.quantity = quantity
        _statement(locked, actor, side, ReasonKind.RESTRICTION, clean, effective_at=timezone.now())
        _party_step(
            actor,
            locked,
            side,
            action="access.agreement.restricted",
            verb="agreement.restricted",
            before=before,
            extra={"reasons": clean},
        )
        if locked.used_quantity == locked.quantity and locked.state == AgreementState.ACTIVE:
            complete_locked(locked, timezone.now())
        return locked


def earliest_termination(notice_at: datetime) -> date:
    """The first day a termination noticed at `notice_at` may take effect (30 days later)."""
    return local_date(notice_at) + timedelta(days=NOTICE_DAYS)


def terminate_agreement(actor: User, agreement: Agreement, data: Mapping[str, Any]) -> Agreement:
    """Either side ends the agreement, with a statement of reasons.

    An agreement that has not started ends at once. An active (or suspended) one ends on
    `effective_on`, at least 30 days after today's notice; with an exception ground
    (`legal_obligation`, `imperative_reason`, `repeated_infringement`, or the SME's
    `fee_change_refused`) it may end at once or on any later day. Until then it stays in
    force and its uses are metered as before.
    """
    side = _begin(actor, agreement, workflow.Transition.TERMINATE)
    errors = FieldErrors()
    clean = clean_statement(data, errors)
    exception = clean_exception(data.get("exception"), errors)
    effective_on = _optional_date(errors, "effective_on", data.get("effective_on"))
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        return terminate_agreement_in_transaction(
            actor, agreement, side, clean, exception=exception, effective_on=effective_on
        )


def clean_exception(value: Any, errors: FieldErrors) -> str:
    """An exception ground to the 30-day notice (P2B Art 4(4)), or "" for none.

    `fee_change_refused` is not among them: only the fee notice's "leave without penalty"
    records it (governance), so no one can skip the notice period by typing it.
    """
    exception = str(value or "").strip()
    if exception not in HAND_EXCEPTION_GROUNDS:
        errors.add(
            "exception",
            _("Choose one of: %(allowed)s.")
            % {"allowed": ", ".join(v for v in HAND_EXCEPTION_GROUNDS if v)},
            "invalid_choice",
        )
    return exception


def terminate_agreement_in_transaction(
    actor: User,
    agreement: Agreement,
    side: workflow.Actor,
    clean: Mapping[str, str],
    *,
    exception: str,
    effective_on: date | None,
    measure: StatementOfReasons | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Agreement:
    """The inner form (decision 0008): checked side, clean reasons, the caller's transaction."""
    _require_transaction("terminate_agreement_in_transaction")
    now = timezone.now()
    locked = advance_locked(lock_agreement(agreement), now)
    agreement_transition(locked, workflow.Transition.TERMINATE, side)  # state check
    effective_at = _effective_at(locked, now, effective_on, exception)
    before = agreement_snapshot(locked)
    _statement(
        locked,
        actor,
        side,
        ReasonKind.TERMINATION,
        clean,
        effective_at=effective_at,
        exception=exception,
        measure=measure,
    )
    if effective_at <= now:
        locked.state = agreement_transition(locked, workflow.Transition.TERMINATE, side)
        locked.termination_notice_at = now
        locked.termination_effective_at = now
        locked.ended_at = now
        _release_unused(locked, now)
        verb, action = "agreement.terminated", "access.agreement.terminated"
    else:
        locked.termination_notice_at = now
        locked.termination_effective_at = effective_at
        verb, action = "agreement.termination_notice", "access.agreement.termination_noticed"
    return _party_step(
        actor,
        locked,
        side,
        action=action,
        verb=verb,
        before=before,
        extra={
            "reasons": dict(clean),
            "exception": exception,
            "effective_at": effective_at,
            **({"measure": measure.pk} if measure else {}),
            **dict(extra or {}),
        },
    )


def _effective_at(
    locked: Agreement, now: datetime, effective_on: date | None, exception: str
) -> datetime:
    """When a termination takes effect, or a ValidationError naming the broken rule."""
    if locked.state == AgreementState.AGREED:
        return day_start(effective_on) if effective_on and day_start(effective_on) > now else now
    if locked.termination_effective_at is not None and not exception:
        raise ValidationError(
            {
                "state": ValidationError(
                    _("Notice of termination was already given (effective %(when)s).")
                    % {"when": local_date(locked.termination_effective_at)},
                    code="termination_pending",
                )
            }
        )
    if exception:
        if effective_on is None or day_start(effective_on) <= now:
            return now
        return day_start(effective_on)
    earliest = earliest_termination(now)
    if effective_on is None:
        effective_on = earliest
    if effective_on < earliest:
        raise ValidationError(
            {
                "effective_on": ValidationError(
                    _(
                        "A termination takes effect no earlier than 30 days after notice "
                        "(%(earliest)s), unless a legal obligation or repeated infringement is "
                        "recorded as the exception ground."
                    )
                    % {"earliest": earliest},
                    code="notice_too_short",
                )
            }
        )
    return day_start(effective_on)


def _optional_date(errors: FieldErrors, field: str, value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        errors.add(field, _("Enter a date as YYYY-MM-DD."), "invalid")
        return None


__all__ = [
    "advance_agreement",
    "advance_agreements",
    "clean_exception",
    "earliest_termination",
    "restrict_agreement",
    "resume_agreement",
    "resume_agreement_in_transaction",
    "suspend_agreement",
    "suspend_agreement_in_transaction",
    "terminate_agreement",
    "terminate_agreement_in_transaction",
    "withdraw_termination_in_transaction",
]
