"""API shapes of the access workflow: requests, offers, agreements, usage, capacity."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.urls import reverse
from ninja import Field, Schema

from synergy_hub.access import (
    decisions,
    notifications,
    round_statements,
    selectors,
    usage_policy,
    workflow,
)
from synergy_hub.access.models import AccessRequest, Agreement, Notification, UsageRecord
from synergy_hub.accounts.schemas import OrganisationRef
from synergy_hub.api.bounds import Integer, ObjectId


def _viewer_actions(context: Any, provider_id: int, consumer_id: int) -> workflow.Actor | None:
    request = (context or {}).get("request")
    return selectors.side_of(getattr(request, "user", None), provider_id, consumer_id)


class PolicyTemplateIn(Schema):
    """A policy built from templates: pick some, give their parameters."""

    templates: list[str] = Field(
        default_factory=list,
        description="research_only, no_redistribution, region_limited, time_limited, count_limited",
    )
    purpose: str | None = Field(None, description="purpose code for research_only")
    regions: list[str] = Field(default_factory=list, description="GB/T 2260 codes")
    start: date | None = None
    end: date | None = None
    count: Integer | None = None


class AccessRequestIn(Schema):
    purpose: str | None = None
    purpose_code: str | None = Field(None, description="research, education, commercial, …")
    intended_use: str | None = Field(None, description="required for data, APIs and models")
    quantity: Decimal | None = Field(None, description="in the resource's unit")
    starts_on: date | None = None
    ends_on: date | None = None
    note: str | None = None


class OfferIn(Schema):
    """The provider's terms; the policy as ODRL JSON-LD, or built from templates, or kept."""

    price: Decimal | None = Field(None, description="per unit, CNY")
    quantity: Decimal | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    policy: dict[str, Any] | None = Field(None, description="ODRL JSON-LD")
    policy_template: PolicyTemplateIn | None = None
    note: str | None = None


class CounterIn(Schema):
    price: Decimal | None = None
    quantity: Decimal | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    note: str | None = None


class StatementIn(Schema):
    """A statement of reasons: the specific facts, the ground in the terms, how to seek redress."""

    facts: str | None = None
    ground: str | None = None
    redress: str | None = None


class TerminateIn(StatementIn):
    exception: str | None = Field(
        None, description="legal_obligation or repeated_infringement to end before 30 days"
    )
    effective_on: date | None = Field(None, description="default: 30 days after notice")


class RestrictIn(StatementIn):
    quantity: Decimal | None = Field(None, description="the new, lower quantity")


class UsageIn(Schema):
    action: str | None = Field(None, description="ODRL action; default use")
    quantity: Decimal | None = None
    purpose: str | None = None
    region: str | None = Field(None, description="GB/T 2260 code; default the SME's region")
    recipient: str | None = None
    occurred_at: datetime | None = None
    note: str | None = None


class PolicyPreviewIn(Schema):
    policy: dict[str, Any] | None = None
    policy_template: PolicyTemplateIn | None = None


class ProblemOut(Schema):
    path: str
    rule: str
    message: str


class PolicyPreviewOut(Schema):
    valid: bool
    problems: list[ProblemOut]
    text_zh: str
    text_en: str
    policy: dict[str, Any] | None


class OfferOut(Schema):
    sequence: int
    party: str
    price: Decimal | None
    quantity: Decimal
    total_price: Decimal | None
    starts_on: date
    ends_on: date
    policy: dict[str, Any] | None
    note: str
    created_at: datetime


class StatementOut(Schema):
    kind: str
    party: str
    facts: str
    ground: str
    redress: str
    exception: str
    effective_at: datetime | None
    created_at: datetime


class BookingOut(Schema):
    starts_on: date
    units: Decimal
    released: bool

    @staticmethod
    def resolve_starts_on(obj: Any) -> date:
        return obj.slot.starts_on

    @staticmethod
    def resolve_released(obj: Any) -> bool:
        return obj.released_at is not None


class AccessRequestOut(Schema):
    id: int
    state: str
    resource_id: int
    resource_lineage: UUID
    resource_title_zh: str
    resource_title_en: str
    unit: str
    provider: OrganisationRef
    consumer: OrganisationRef
    purpose: str
    purpose_code: str
    intended_use: str
    offers: list[OfferOut]
    statements: list[StatementOut]
    bookings: list[BookingOut]
    agreement_id: int | None
    allowed_actions: list[str]
    created_at: datetime
    updated_at: datetime
    url: str

    @staticmethod
    def resolve_resource_title_zh(obj: AccessRequest) -> str:
        return obj.resource.title_zh

    @staticmethod
    def resolve_resource_title_en(obj: AccessRequest) -> str:
        return obj.resource.title_en

    @staticmethod
    def resolve_unit(obj: AccessRequest) -> str:
        return obj.resource.unit

    @staticmethod
    def resolve_offers(obj: AccessRequest) -> list[Any]:
        return sorted(obj.offers.all(), key=lambda o: o.sequence)

    @staticmethod
    def resolve_statements(obj: AccessRequest) -> list[Any]:
        return list(obj.statements.all())

    @staticmethod
    def resolve_bookings(obj: AccessRequest) -> list[Any]:
        return list(obj.bookings.all())

    @staticmethod
    def resolve_agreement_id(obj: AccessRequest) -> int | None:
        agreement = getattr(obj, "agreement", None) if obj.state == "agreed" else None
        return agreement.pk if agreement is not None else None

    @staticmethod
    def resolve_allowed_actions(obj: AccessRequest, context: Any) -> list[str]:
        side = _viewer_actions(context, obj.provider_id, obj.consumer_id)
        return [t.value for t in workflow.request_actions(obj.state, side)] if side else []

    @staticmethod
    def resolve_url(obj: AccessRequest) -> str:
        return reverse("access:request", args=[obj.pk])


class AgreementOut(Schema):
    id: int
    uid: str
    state: str
    access_request_id: int
    resource_id: int
    resource_lineage: UUID
    provider: OrganisationRef
    consumer: OrganisationRef
    unit: str
    price: Decimal | None
    quantity: Decimal
    used_quantity: Decimal
    remaining_quantity: Decimal
    starts_at: datetime
    ends_at: datetime
    termination_notice_at: datetime | None
    termination_effective_at: datetime | None
    policy: dict[str, Any]
    policy_text_zh: str
    policy_text_en: str
    statements: list[StatementOut]
    allowed_actions: list[str]
    url: str

    @staticmethod
    def resolve_policy_text_zh(obj: Agreement) -> str:
        return usage_policy.describe_document(obj.policy)["zh"]

    @staticmethod
    def resolve_policy_text_en(obj: Agreement) -> str:
        return usage_policy.describe_document(obj.policy)["en"]

    @staticmethod
    def resolve_statements(obj: Agreement) -> list[Any]:
        return list(obj.statements.all())

    @staticmethod
    def resolve_allowed_actions(obj: Agreement, context: Any) -> list[str]:
        side = _viewer_actions(context, obj.provider_id, obj.consumer_id)
        if side is None:
            return []
        actions = [t.value for t in workflow.agreement_actions(obj.state, side)]
        if side is workflow.Actor.PROVIDER and obj.state == "active":
            actions += ["restrict", "record_use"]
        return actions

    @staticmethod
    def resolve_url(obj: Agreement) -> str:
        return reverse("access:agreement", args=[obj.pk])


class UsageOut(Schema):
    id: int
    agreement_id: int
    action: str
    quantity: Decimal
    occurred_at: datetime
    permitted: bool
    code: str
    reason: str
    path: str
    rule_path: str
    duties: list[str]
    purpose: str
    region: str
    note: str
    created_at: datetime

    @staticmethod
    def resolve_reason(obj: UsageRecord) -> str:
        return decisions.explain(obj.code, obj.params)


class CapacitySlotOut(Schema):
    starts_on: date
    ends_on: date
    capacity: Decimal
    booked: Decimal
    free: Decimal


class NotificationOut(Schema):
    id: int
    verb: str
    message: str
    url: str
    read: bool
    created_at: datetime

    @staticmethod
    def resolve_message(obj: Notification) -> str:
        return notifications.message(obj.verb, obj.params)

    @staticmethod
    def resolve_read(obj: Notification) -> bool:
        return obj.read_at is not None


class CountOut(Schema):
    count: int


class AllocationRoundIn(Schema):
    """A provider's administrator opens a round on its resources for a period."""

    title: str | None = None
    resources: list[ObjectId] = Field(
        default_factory=list, description="ids of equivalent bookable resources", max_length=1000
    )
    starts_on: date | None = None
    ends_on: date | None = None
    fairness: str | None = Field(None, description="proportional or max_min")


class AllocationRoundOut(Schema):
    """A round, its disclosed priorities and, once allocated, how the solver did."""

    id: int
    title: str
    provider: OrganisationRef = Field(description="the organiser: provider, or programme office")
    is_pool: bool = Field(description="a capacity pool across providers")
    resources: list[int]
    starts_on: date
    ends_on: date
    fairness: str
    priorities: dict[str, Any] = Field(description="the weights disclosed when it opened")
    state: str = Field(description="open, closing (allocated in the background) or allocated")
    job_step: str = Field(
        description="a round closing in the background: queued, solving, writing or failed"
    )
    job_error: str
    opened_at: datetime
    closed_at: datetime | None
    solver_method: str
    solver_status: str = Field(
        description="OPTIMAL when proven optimal; FEASIBLE when not proven (see the bound)"
    )
    solver_seconds: float | None
    solver_details: dict[str, Any]

    @staticmethod
    def resolve_resources(obj: Any) -> list[int]:
        return [r.pk for r in obj.resources.all()]


class RoundRequestIn(Schema):
    """An enterprise's request in a round, always for the caller's own organisation."""

    resource: ObjectId | None = None
    flexible: bool = Field(False, description="any equivalent resource of the round will do")
    quantity: Integer | None = Field(None, description="whole units of the resource's unit")
    minimum: Integer | None = Field(0, description="the least accepted; below it, nothing")
    window_starts_on: date | None = Field(None, description="default: the round's start")
    window_ends_on: date | None = Field(None, description="default: the round's end")
    purpose: str | None = None
    purpose_code: str | None = None


class RoundRequestOut(Schema):
    """A request in a round and, once allocated, its statement: units, weight, reasons."""

    id: int
    allocation_round: int
    consumer: OrganisationRef
    resource: int
    flexible: bool
    quantity: int
    minimum: int
    window_starts_on: date
    window_ends_on: date
    weight: int | None
    granted: int | None
    placement: list[dict[str, Any]] = Field(description="units per resource and slot")
    reasons: list[dict[str, Any]] = Field(description="binding constraints as codes")
    statement: list[str] = Field(description="the reasons worded in the request's language")
    priority: list[str] = Field(description="the weight's breakdown, worded")
    agreements: list[str] = Field(description="uids of the agreements made")

    @staticmethod
    def resolve_allocation_round(obj: Any) -> int:
        return int(obj.allocation_round_id)

    @staticmethod
    def resolve_resource(obj: Any) -> int:
        return int(obj.resource_id)

    @staticmethod
    def resolve_statement(obj: Any) -> list[str]:
        return round_statements.statement(obj)

    @staticmethod
    def resolve_priority(obj: Any) -> list[str]:
        return round_statements.describe_priority(obj.priority)

    @staticmethod
    def resolve_agreements(obj: Any) -> list[str]:
        return [a.uid for a in obj.agreements.all()]


class RoundReportRowOut(Schema):
    label: str
    requests: int
    served: int
    demand: int
    granted: int
    granted_percent: int


class RoundReportOut(Schema):
    """Demand against capacity and the allocation by size class and region."""

    capacity: int | None = Field(description="units of the round (once allocated)")
    demand: int
    granted: int
    by_size: list[RoundReportRowOut]
    by_region: list[RoundReportRowOut] = Field(description="by province")
