"""The negotiation: an SME requests access, the provider offers terms, both sides agree.

Every function checks the actor's side and role, validates, applies the state machine of
`access.workflow`, writes, audits and notifies the other side in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub import odrl
from synergy_hub.access import measures, slots, usage_policy, workflow
from synergy_hub.access.models import AccessRequest, Agreement, Offer, StatementOfReasons
from synergy_hub.access.notifications import notify, params_for
from synergy_hub.access.services import capacity
from synergy_hub.access.services.agreements import advance_locked
from synergy_hub.access.services.steps import (
    as_party,
    lock_request,
    party_of,
    request_snapshot,
    request_transition,
    require_step,
)
from synergy_hub.access.services.terms import (
    MAX_TEXT,
    clean_statement,
    clean_terms,
    day_after,
    day_start,
)
from synergy_hub.access.vocabulary import Party, Purpose, ReasonKind, RequestState
from synergy_hub.accounts.models import Organisation, OrganisationKind, User
from synergy_hub.accounts.permissions import require_member
from synergy_hub.audit.services import record
from synergy_hub.catalog.eligibility import eligibility_problems
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.policy_documents import read_policy
from synergy_hub.catalog.vocabulary import ListState, ResourceType
from synergy_hub.validation import FieldErrors

#: Resource types that hand over data: the request must say what the data will be used for.
DATA_TYPES = frozenset({ResourceType.DATASET, ResourceType.API, ResourceType.AI_MODEL})


def request_url(access_request: AccessRequest) -> str:
    return reverse("access:request", args=[access_request.pk])


def _clean_request(
    resource: Resource, organisation: Organisation, data: Mapping[str, Any], errors: FieldErrors
) -> dict[str, Any]:
    today = timezone.localdate()
    clean = clean_terms(data, errors, today=today, with_price=False)
    clean["purpose"] = errors.text(
        "purpose", data.get("purpose"), max_length=MAX_TEXT, required=True
    )
    code = str(data.get("purpose_code") or "").strip()
    if code not in Purpose.values:
        errors.add(
            "purpose_code",
            _("Choose one of: %(allowed)s.") % {"allowed": ", ".join(Purpose.values)},
            "invalid_choice",
        )
    clean["purpose_code"] = code
    clean["intended_use"] = errors.text(
        "intended_use",
        data.get("intended_use"),
        max_length=MAX_TEXT,
        required=resource.resource_type in DATA_TYPES,
    )
    clean["note"] = errors.text("note", data.get("note"), max_length=MAX_TEXT)
    if resource.openness_list.state != ListState.PUBLISHED:
        errors.add(
            "resource",
            _("Only resources on a currently published list can be requested."),
            "not_published",
        )
    for problem in eligibility_problems(resource, organisation):
        errors.add("resource", problem, "not_eligible")
    # P2B Art 4(1)/(2): a restriction, suspension or effective termination in force refuses
    # new requests for the platform's resources (`access.measures`, the rule's one home).
    blocked = measures.blocking(resource, organisation.pk)
    if blocked is not None:
        errors.add("resource", measures.reason(blocked), f"relationship_{blocked.kind}")
    _check_slot_count(resource, clean, errors)
    return clean


def _check_slot_count(resource: Resource, clean: Mapping[str, Any], errors: FieldErrors) -> None:
    if not capacity.is_bookable(resource) or errors.has("starts_on") or errors.has("ends_on"):
        return
    if clean.get("starts_on") is None or clean.get("ends_on") is None:
        return
    try:
        capacity.slot_starts(resource, clean["starts_on"], clean["ends_on"])
    except ValueError:
        errors.add("ends_on", _("The period covers too many capacity slots."), "too_many_slots")


def check_request(resource: Resource, organisation: Organisation, data: Mapping[str, Any]) -> None:
    """Check a request without sending it (the request page reports every error at once)."""
    errors = FieldErrors()
    _clean_request(resource, organisation, data, errors)
    errors.raise_if_any()


def request_access(actor: User, resource: Resource, data: Mapping[str, Any]) -> AccessRequest:
    """An SME asks to use a resource of a published list: purpose, quantity and period."""
    membership = require_member(actor, kinds=frozenset({OrganisationKind.SME}))
    organisation = membership.organisation
    errors = FieldErrors()
    clean = _clean_request(resource, organisation, data, errors)
    errors.raise_if_any()
    now = timezone.now()
    with transaction.atomic(durable=True):
        access_request = AccessRequest.objects.create(
            resource=resource,
            resource_lineage=resource.lineage,
            provider_id=resource.openness_list.publisher_id,
            consumer=organisation,
            requested_by=actor,
            purpose=clean["purpose"],
            purpose_code=clean["purpose_code"],
            intended_use=clean["intended_use"],
            created_at=now,
            updated_at=now,
        )
        Offer.objects.create(
            access_request=access_request,
            sequence=1,
            party=Party.CONSUMER,
            created_by=actor,
            price=_sme_price(resource),
            quantity=clean["quantity"],
            starts_on=clean["starts_on"],
            ends_on=clean["ends_on"],
            note=clean["note"],
            created_at=now,
        )
        record(
            actor=actor,
            action="access.request.created",
            obj=access_request,
            organisation_id=organisation.pk,
            after=request_snapshot(access_request) | _terms(clean),
        )
        notify(
            verb="request.created",
            obj=access_request,
            url=request_url(access_request),
            organisations=[access_request.provider],
            params=params_for(resource, organisation),
        )
    return access_request


def _sme_price(resource: Resource) -> Decimal | None:
    price = resource.sme_price
    return price if isinstance(price, Decimal) else None


def _terms(clean: Mapping[str, Any]) -> dict[str, Any]:
    return {k: clean[k] for k in ("quantity", "starts_on", "ends_on", "price") if k in clean}


def _next_sequence(access_request: AccessRequest) -> int:
    last = access_request.offers.order_by("-sequence").values_list("sequence", flat=True).first()
    return (last or 0) + 1


def latest_policy_document(access_request: AccessRequest) -> dict[str, Any] | None:
    """The policy last offered by the provider, else the resource's default policy."""
    offered = (
        access_request.offers.filter(party=Party.PROVIDER, policy__isnull=False)
        .order_by("-sequence")
        .values_list("policy", flat=True)
        .first()
    )
    return offered or access_request.resource.usage_policy


def _offer_policy(
    access_request: AccessRequest, data: Mapping[str, Any], errors: FieldErrors
) -> odrl.Policy | None:
    document = data.get("policy")
    if document:
        policy = read_policy(document, errors)
    elif "templates" in data:  # the editor's choice, even "no conditions"
        try:
            policy = usage_policy.build_from_templates(data)
        except ValueError as exc:
            errors.add("policy", str(exc), "invalid_template")
            return None
    else:
        stored = latest_policy_document(access_request)
        policy = read_policy(stored, errors) if stored else usage_policy.default_policy()
    if policy is None:
        return None
    return usage_policy.bind_to_offer(
        policy, access_request.resource, access_request.provider, errors
    )


def _transition(
    actor: User,
    access_request: AccessRequest,
    transition: workflow.Transition,
) -> tuple[AccessRequest, workflow.Actor, str]:
    """Lock the request, check the step and apply the new state (saved by the caller)."""
    side = party_of(actor, access_request.provider_id, access_request.consumer_id)
    locked = lock_request(access_request)
    before = locked.state
    locked.state = request_transition(locked, transition, side)
    locked.updated_at = timezone.now()
    return locked, side, before


def _finish(
    actor: User,
    locked: AccessRequest,
    side: workflow.Actor,
    before: str,
    *,
    action: str,
    verb: str,
    extra: Mapping[str, Any] | None = None,
) -> AccessRequest:
    if locked.state in {RequestState.AGREED, RequestState.REJECTED, RequestState.WITHDRAWN}:
        locked.closed_at = locked.updated_at
    locked.save()
    acting = locked.provider if side is workflow.Actor.PROVIDER else locked.consumer
    other = locked.consumer if side is workflow.Actor.PROVIDER else locked.provider
    record(
        actor=actor,
        action=action,
        obj=locked,
        organisation_id=acting.pk,
        before={"state": before},
        after=request_snapshot(locked) | dict(extra or {}),
    )
    notify(
        verb=verb,
        obj=locked,
        url=request_url(locked),
        organisations=[other],
        params=params_for(locked.resource, acting),
    )
    return locked


def make_offer(actor: User, access_request: AccessRequest, data: Mapping[str, Any]) -> Offer:
    """The provider proposes terms (price, quantity, period, usage policy), or revises them."""
    side = party_of(actor, access_request.provider_id, access_request.consumer_id)
    require_step(side, workflow.Transition.OFFER)
    errors = FieldErrors()
    clean = clean_terms(data, errors, today=timezone.localdate())
    clean["note"] = errors.text("note", data.get("note"), max_length=MAX_TEXT)
    policy = _offer_policy(access_request, data, errors)
    _check_slot_count(access_request.resource, clean, errors)
    errors.raise_if_any()
    assert policy is not None
    with transaction.atomic(durable=True):
        locked, side, before = _transition(actor, access_request, workflow.Transition.OFFER)
        offer = Offer.objects.create(
            access_request=locked,
            sequence=_next_sequence(locked),
            party=Party.PROVIDER,
            created_by=actor,
            price=clean["price"],
            quantity=clean["quantity"],
            starts_on=clean["starts_on"],
            ends_on=clean["ends_on"],
            policy=usage_policy.to_jsonld(policy),
            note=clean["note"],
        )
        _finish(
            actor,
            locked,
            side,
            before,
            action="access.request.offered",
            verb="request.offered",
            extra=_terms(clean) | {"offer": offer.sequence, "policy": offer.policy},
        )
    return offer


def counter_offer(actor: User, access_request: AccessRequest, data: Mapping[str, Any]) -> Offer:
    """The SME answers an offer with other terms (quantity, period, price); the policy stays."""
    side = party_of(actor, access_request.provider_id, access_request.consumer_id)
    require_step(side, workflow.Transition.COUNTER)
    errors = FieldErrors()
    clean = clean_terms(data, errors, today=timezone.localdate())
    clean["note"] = errors.text("note", data.get("note"), max_length=MAX_TEXT)
    _check_slot_count(access_request.resource, clean, errors)
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        locked, side, before = _transition(actor, access_request, workflow.Transition.COUNTER)
        offer = Offer.objects.create(
            access_request=locked,
            sequence=_next_sequence(locked),
            party=Party.CONSUMER,
            created_by=actor,
            price=clean["price"],
            quantity=clean["quantity"],
            starts_on=clean["starts_on"],
            ends_on=clean["ends_on"],
            note=clean["note"],
        )
        _finish(
            actor,
            locked,
            side,
            before,
            action="access.request.countered",
            verb="request.countered",
            extra=_terms(clean) | {"offer": offer.sequence},
        )
    return offer


def _current_offer(locked: AccessRequest) -> Offer:
    offer = locked.offers.order_by("-sequence").first()
    assert offer is not None, "every request starts with the SME's terms"
    return offer


def _require_no_measure(locked: AccessRequest) -> None:
    """P2B Art 4(1)/(2): no new booking or agreement while a measure in force blocks it."""
    measures.require_none(locked.resource, locked.consumer_id)


def _book(locked: AccessRequest, offer: Offer, now: datetime) -> None:
    capacity.book(locked, locked.resource, offer.quantity, offer.starts_on, offer.ends_on, now)


def accept_offer(actor: User, access_request: AccessRequest) -> AccessRequest:
    """The SME accepts the provider's offer; capacity is held for it from this moment."""
    with transaction.atomic(durable=True):
        locked, side, before = _transition(actor, access_request, workflow.Transition.ACCEPT)
        _require_no_measure(locked)
        offer = _current_offer(locked)
        _book(locked, offer, locked.updated_at)
        return _finish(
            actor,
            locked,
            side,
            before,
            action="access.request.accepted",
            verb="request.accepted",
            extra={"offer": offer.sequence},
        )


def agree(actor: User, access_request: AccessRequest) -> Agreement:
    """The provider concludes the agreement: on the accepted offer, or on the SME's own terms.

    The agreement's ODRL policy is the offered policy (or the resource's default),
    assigned to the SME under the agreement's uid; it starts on its first day.
    """
    with transaction.atomic(durable=True):
        locked, side, before = _transition(actor, access_request, workflow.Transition.AGREE)
        _require_no_measure(locked)
        offer = _current_offer(locked)
        now = locked.updated_at
        if day_after(offer.ends_on) <= now:
            raise ValidationError(
                {
                    "ends_on": ValidationError(
                        _("The period of these terms is already over: make a new offer."),
                        code="period_over",
                    )
                }
            )
        if before == RequestState.REQUESTED:
            _book(locked, offer, now)
        agreement = _create_agreement(locked, offer, now)
        _finish(
            actor,
            locked,
            side,
            before,
            action="access.request.agreed",
            verb="request.agreed",
            extra={"offer": offer.sequence, "agreement": agreement.uid},
        )
        _record_agreement_created(actor, agreement)
        advance_locked(agreement, now)
    return agreement


def _create_agreement(locked: AccessRequest, offer: Offer, now: datetime) -> Agreement:
    errors = FieldErrors()
    document = offer.policy if offer.party == Party.PROVIDER else latest_policy_document(locked)
    offered = read_policy(document, errors) if document else usage_policy.default_policy()
    if offered is None:  # a stored policy no longer reads: refuse rather than guess
        errors.raise_if_any()
    assert offered is not None
    bound = usage_policy.bind_to_offer(offered, locked.resource, locked.provider, errors)
    errors.raise_if_any()
    uid = usage_policy.new_uid()
    policy = usage_policy.agreement_policy(bound, locked.consumer, uid)
    return Agreement.objects.create(
        access_request=locked,
        uid=uid,
        resource=locked.resource,
        resource_lineage=locked.resource_lineage,
        provider=locked.provider,
        consumer=locked.consumer,
        unit=locked.resource.unit,
        price=offer.price,
        quantity=offer.quantity,
        starts_at=day_start(offer.starts_on),
        ends_at=day_after(offer.ends_on),
        policy=usage_policy.to_jsonld(policy),
        created_at=now,
        updated_at=now,
    )


def conclude_allocation_in_transaction(
    actor: User,
    resource: Resource,
    consumer: Organisation,
    requested_by: User,
    purpose: str,
    purpose_code: str,
    parts: dict[date, Decimal],
    now: datetime,
) -> Agreement:
    """An allocation round's result for one resource becomes an agreement (inner form).

    The round replaces the negotiation: the request is created already agreed, on the
    provider's offer of the allocated units with the resource's default usage policy and
    SME price, exactly the slots allocated are booked, and the agreement is made by the
    same code as `agree`. The caller (closing the round) holds the one durable
    transaction and has checked who acts.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("conclude_allocation_in_transaction needs the caller's transaction")
    quantity = sum(parts.values(), Decimal(0))
    starts_on = min(parts)
    ends_on = slots.slot_end(max(parts), resource.capacity_period)
    access_request = AccessRequest.objects.create(
        resource=resource,
        resource_lineage=resource.lineage,
        provider_id=resource.openness_list.publisher_id,
        consumer=consumer,
        requested_by=requested_by,
        purpose=purpose,
        purpose_code=purpose_code,
        state=RequestState.AGREED,
        created_at=now,
        updated_at=now,
        closed_at=now,
    )
    errors = FieldErrors()
    policy = _offer_policy(access_request, {}, errors)
    errors.raise_if_any()
    assert policy is not None
    offer = Offer.objects.create(
        access_request=access_request,
        sequence=1,
        party=Party.PROVIDER,
        created_by=actor,
        price=_sme_price(resource),
        quantity=quantity,
        starts_on=starts_on,
        ends_on=ends_on,
        policy=usage_policy.to_jsonld(policy),
        created_at=now,
    )
    capacity.book_parts(access_request, resource, parts, now)
    agreement = _create_agreement(access_request, offer, now)
    record(
        actor=actor,
        action="access.request.allocated",
        obj=access_request,
        organisation_id=access_request.provider_id,
        after=request_snapshot(access_request)
        | {"quantity": quantity, "starts_on": starts_on, "ends_on": ends_on},
    )
    _record_agreement_created(actor, agreement)
    return advance_locked(agreement, now)


def reject_request(
    actor: User, access_request: AccessRequest, data: Mapping[str, Any]
) -> AccessRequest:
    """The provider refuses the request, with a statement of reasons; held capacity is freed."""
    side = party_of(actor, access_request.provider_id, access_request.consumer_id)
    require_step(side, workflow.Transition.REJECT)
    errors = FieldErrors()
    statement = clean_statement(data, errors)
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        locked, side, before = _transition(actor, access_request, workflow.Transition.REJECT)
        capacity.release(locked, locked.updated_at)
        StatementOfReasons.objects.create(
            kind=ReasonKind.REJECTION,
            access_request=locked,
            author=actor,
            party=as_party(side),
            effective_at=locked.updated_at,
            **statement,
        )
        return _finish(
            actor,
            locked,
            side,
            before,
            action="access.request.rejected",
            verb="request.rejected",
            extra={"reasons": statement},
        )


def withdraw_request(actor: User, access_request: AccessRequest) -> AccessRequest:
    """The SME withdraws its request; held capacity is freed."""
    with transaction.atomic(durable=True):
        locked, side, before = _transition(actor, access_request, workflow.Transition.WITHDRAW)
        capacity.release(locked, locked.updated_at)
        return _finish(
            actor,
            locked,
            side,
            before,
            action="access.request.withdrawn",
            verb="request.withdrawn",
        )


__all__ = [
    "accept_offer",
    "agree",
    "conclude_allocation_in_transaction",
    "counter_offer",
    "make_offer",
    "reject_request",
    "request_access",
    "withdraw_request",
]


def _record_agreement_created(actor: User, agreement: Agreement) -> None:
    """The audit event of a new agreement, with the terms it was made on (price, policy)."""
    record(
        actor=actor,
        action="access.agreement.created",
        obj=agreement,
        organisation_id=agreement.provider_id,
        after={
            "uid": agreement.uid,
            "state": agreement.state,
            "quantity": agreement.quantity,
            "price": agreement.price,
            "starts_at": agreement.starts_at,
            "ends_at": agreement.ends_at,
            "policy": agreement.policy,
        },
    )
