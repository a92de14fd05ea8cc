"""Who acts and which step: the access state machine applied to locked rows.

Each negotiation or agreement service asks here which side the actor is on, whether the
step is theirs and legal in the row's state, and what the audit log records of the row.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from synergy_hub.access import workflow
from synergy_hub.access.models import AccessRequest, Agreement
from synergy_hub.access.vocabulary import AgreementState, Party, RequestState
from synergy_hub.accounts.models import User
from synergy_hub.accounts.permissions import require_member


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
