"""JSON API of the access workflow: request, offer, counter, accept, agree, use, end.

Thin: each handler reads through a scoped selector (404 for "missing" and "not yours"),
calls one service and returns the fresh object. Every POST accepts `Idempotency-Key`.
"""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status

from synergy_hub.access import selectors, services, usage_policy
from synergy_hub.access.schemas import (
    AccessRequestIn,
    AccessRequestOut,
    AgreementOut,
    CapacitySlotOut,
    CounterIn,
    CountOut,
    NotificationOut,
    OfferIn,
    PolicyPreviewIn,
    PolicyPreviewOut,
    RestrictIn,
    StatementIn,
    TerminateIn,
    UsageIn,
    UsageOut,
)
from synergy_hub.access.services import capacity as capacity_slots
from synergy_hub.access.vocabulary import AgreementState, RequestState
from synergy_hub.accounts.api_auth import READ, WRITE
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.api.bounds import ObjectId
from synergy_hub.api.schemas import responses
from synergy_hub.catalog import selectors as catalog_selectors

router = Router(tags=["access"])


class RequestFilters(Schema):
    role: str | None = Field(
        None, pattern="^(provider|consumer)$", max_length=8, description="provider or consumer"
    )
    state: RequestState | None = None


def _request(request: AuthenticatedRequest, pk: int) -> Any:
    return selectors.request_for_party(request.user, pk)


def _agreement(request: AuthenticatedRequest, pk: int) -> Any:
    return selectors.agreement_for_party(request.user, pk)


def _offer_data(payload: OfferIn) -> dict[str, Any]:
    data = payload.dict(exclude={"policy_template"})
    if payload.policy_template is not None and not payload.policy:
        data |= payload.policy_template.dict()
    return data


@router.post(
    "/resources/{resource_id}/access-requests",
    response=responses(201, AccessRequestOut),
    auth=WRITE,
)
def request_access(
    request: AuthenticatedRequest, resource_id: ObjectId, payload: AccessRequestIn
) -> Any:
    """An SME requests access: purpose, quantity, period and (for data) the intended use."""
    resource = selectors.requestable_resource(request.user, resource_id)
    created = services.request_access(request.user, resource, payload.dict())
    return Status(201, _request(request, created.pk))


@router.get("/access-requests", response=responses(200, list[AccessRequestOut]), auth=WRITE)
def list_requests(request: AuthenticatedRequest, filters: Query[RequestFilters]) -> Any:
    """The requests of the caller's organisation, incoming (provider) or outgoing (consumer)."""
    return selectors.requests_for(request.user, role=filters.role, state=filters.state)


@router.get("/access-requests/{request_id}", response=responses(200, AccessRequestOut), auth=WRITE)
def get_request(request: AuthenticatedRequest, request_id: ObjectId) -> Any:
    return _request(request, request_id)


@router.post(
    "/access-requests/{request_id}/offers", response=responses(201, AccessRequestOut), auth=WRITE
)
def make_offer(request: AuthenticatedRequest, request_id: ObjectId, payload: OfferIn) -> Any:
    """The provider offers (or revises) terms: price, quantity, period and usage policy."""
    services.make_offer(request.user, _request(request, request_id), _offer_data(payload))
    return Status(201, _request(request, request_id))


@router.post(
    "/access-requests/{request_id}/counter", response=responses(201, AccessRequestOut), auth=WRITE
)
def counter_offer(request: AuthenticatedRequest, request_id: ObjectId, payload: CounterIn) -> Any:
    """The SME answers an offer with other terms."""
    services.counter_offer(request.user, _request(request, request_id), payload.dict())
    return Status(201, _request(request, request_id))


@router.post(
    "/access-requests/{request_id}/accept", response=responses(200, AccessRequestOut), auth=WRITE
)
def accept_offer(request: AuthenticatedRequest, request_id: ObjectId) -> Any:
    """The SME accepts the offer; bookable capacity is held from now."""
    services.accept_offer(request.user, _request(request, request_id))
    return _request(request, request_id)


@router.post(
    "/access-requests/{request_id}/agree", response=responses(201, AgreementOut), auth=WRITE
)
def agree(request: AuthenticatedRequest, request_id: ObjectId) -> Any:
    """The provider concludes the agreement (on the accepted offer or the SME's terms)."""
    agreement = services.agree(request.user, _request(request, request_id))
    return Status(201, _agreement(request, agreement.pk))


@router.post(
    "/access-requests/{request_id}/reject", response=responses(200, AccessRequestOut), auth=WRITE
)
def reject(request: AuthenticatedRequest, request_id: ObjectId, payload: StatementIn) -> Any:
    """The provider rejects the request with a statement of reasons."""
    services.reject_request(request.user, _request(request, request_id), payload.dict())
    return _request(request, request_id)


@router.post(
    "/access-requests/{request_id}/withdraw", response=responses(200, AccessRequestOut), auth=WRITE
)
def withdraw(request: AuthenticatedRequest, request_id: ObjectId) -> Any:
    services.withdraw_request(request.user, _request(request, request_id))
    return _request(request, request_id)


@router.get("/agreements", response=responses(200, list[AgreementOut]), auth=WRITE)
def list_agreements(request: AuthenticatedRequest, state: AgreementState | None = None) -> Any:
    """The agreements of the caller's organisation (either side)."""
    return selectors.agreements_for(request.user, state=state)


@router.get("/agreements/{agreement_id}", response=responses(200, AgreementOut), auth=WRITE)
def get_agreement(request: AuthenticatedRequest, agreement_id: ObjectId) -> Any:
    return _agreement(request, agreement_id)


@router.post(
    "/agreements/{agreement_id}/terminate", response=responses(200, AgreementOut), auth=WRITE
)
def terminate(request: AuthenticatedRequest, agreement_id: ObjectId, payload: TerminateIn) -> Any:
    """Either side terminates: with 30 days' notice, or at once on an exception ground."""
    services.terminate_agreement(request.user, _agreement(request, agreement_id), payload.dict())
    return _agreement(request, agreement_id)


@router.post(
    "/agreements/{agreement_id}/suspend", response=responses(200, AgreementOut), auth=WRITE
)
def suspend(request: AuthenticatedRequest, agreement_id: ObjectId, payload: StatementIn) -> Any:
    services.suspend_agreement(request.user, _agreement(request, agreement_id), payload.dict())
    return _agreement(request, agreement_id)


@router.post("/agreements/{agreement_id}/resume", response=responses(200, AgreementOut), auth=WRITE)
def resume(request: AuthenticatedRequest, agreement_id: ObjectId) -> Any:
    services.resume_agreement(request.user, _agreement(request, agreement_id))
    return _agreement(request, agreement_id)


@router.post(
    "/agreements/{agreement_id}/restrict", response=responses(200, AgreementOut), auth=WRITE
)
def restrict(request: AuthenticatedRequest, agreement_id: ObjectId, payload: RestrictIn) -> Any:
    services.restrict_agreement(request.user, _agreement(request, agreement_id), payload.dict())
    return _agreement(request, agreement_id)


@router.post("/agreements/{agreement_id}/usage", response=responses(201, UsageOut), auth=WRITE)
def record_use(request: AuthenticatedRequest, agreement_id: ObjectId, payload: UsageIn) -> Any:
    """Meter one use (the provider or its metering system): permitted or denied, and why."""
    usage = services.record_use(request.user, _agreement(request, agreement_id), payload.dict())
    return Status(201, usage)


@router.get("/agreements/{agreement_id}/usage", response=responses(200, list[UsageOut]), auth=WRITE)
def list_usage(request: AuthenticatedRequest, agreement_id: ObjectId) -> Any:
    """Every metered use of the agreement, permitted and denied, newest first."""
    return selectors.usage_of(_agreement(request, agreement_id))


@router.get(
    "/resources/{resource_id}/capacity", response=responses(200, list[CapacitySlotOut]), auth=READ
)
def capacity(
    request: HttpRequest, resource_id: ObjectId, slots: int = Query(12, ge=1, le=60)
) -> Any:
    """Free capacity per slot from today (empty for resources that are not booked in slots)."""
    resource = catalog_selectors.resource_for_viewer(request.user, resource_id)
    return capacity_slots.calendar(resource, timezone.localdate(), slots)


@router.post("/policies/preview", response=responses(200, PolicyPreviewOut), auth=READ)
def preview_policy(request: HttpRequest, payload: PolicyPreviewIn) -> Any:
    """Check a policy (JSON-LD or templates) and describe it in Chinese and English."""
    template = payload.policy_template.dict() if payload.policy_template else None
    return usage_policy.preview(payload.policy, template)


@router.get("/notifications", response=responses(200, list[NotificationOut]), auth=WRITE)
def list_notifications(request: AuthenticatedRequest) -> Any:
    return selectors.notifications_for(request.user)[:100]


@router.post("/notifications/read", response=responses(200, CountOut), auth=WRITE)
def mark_read(request: AuthenticatedRequest) -> Any:
    """Mark all of the caller's notifications read."""
    return {"count": services.mark_notifications_read(request.user)}
