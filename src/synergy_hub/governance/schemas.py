"""The API's shapes for fee schedules, notices, disclosures, mediators and complaints."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema

from synergy_hub.accounts.schemas import OrganisationRef
from synergy_hub.api.bounds import ObjectId
from synergy_hub.governance.vocabulary import (
    ComplaintCategory,
    FeeBasis,
    FeeKind,
    Jurisdiction,
    Outcome,
)


class FeeItemIn(Schema):
    kind: FeeKind
    basis: FeeBasis
    rate: Decimal = Field(ge=0, description="percent for `percentage`, amount otherwise")
    unit: str = Field("", max_length=40)
    tiers: list[dict[str, Any]] = Field(default_factory=list)
    cap: Decimal | None = Field(None, ge=0)
    sme_discount_percent: Decimal = Field(Decimal(0), ge=0, le=100)
    applies_to: str = Field("", max_length=300)


class FeeItemOut(FeeItemIn):
    id: int


class FeeScheduleIn(Schema):
    jurisdiction: Jurisdiction = Jurisdiction.PRC
    summary_zh: str = Field(max_length=2000)
    summary_en: str = Field("", max_length=4000)
    items: list[FeeItemIn] = Field(min_length=1)


class PublishIn(Schema):
    effective_from: datetime = Field(
        description="when the change applies: at least the rule set's notice period ahead"
    )


class FeeScheduleOut(Schema):
    id: int
    platform: OrganisationRef
    version: int
    jurisdiction: str
    state: str
    summary_zh: str
    summary_en: str
    published_at: datetime | None
    effective_from: datetime | None
    items: list[FeeItemOut]

    @staticmethod
    def resolve_items(obj: Any) -> list[Any]:
        return list(obj.items.all())


class FeeNoticeOut(Schema):
    id: int
    schedule: FeeScheduleOut
    created_at: datetime
    response: str
    response_text: str
    responded_at: datetime | None


class NoticeAnswerIn(Schema):
    response: Literal["objected", "leaving"]
    text: str = Field("", max_length=4000)


class DisclosedParameterIn(Schema):
    name_zh: str = Field(min_length=1, max_length=100)
    name_en: str = Field(min_length=1, max_length=200)
    weight: float = Field(ge=0, le=100, description="relative importance, all summing to 100")
    reason_zh: str = Field(min_length=1, max_length=1000)
    reason_en: str = Field(min_length=1, max_length=2000)


class PlatformRankingDisclosureIn(Schema):
    parameters: list[DisclosedParameterIn] = Field(min_length=1)
    paid_influence_zh: str = Field(max_length=2000)
    paid_influence_en: str = Field(max_length=4000)
    own_offers_zh: str = Field(max_length=2000)
    own_offers_en: str = Field(max_length=4000)


class PlatformRankingDisclosureOut(Schema):
    id: int
    platform: OrganisationRef
    version: int
    parameters: list[DisclosedParameterIn]
    paid_influence_zh: str
    paid_influence_en: str
    own_offers_zh: str
    own_offers_en: str
    published_at: datetime


class RankingPreferenceIO(Schema):
    non_personalised: bool = Field(
        description="rank by relevance, price and freshness only, nothing about the user"
    )


class MediatorIn(Schema):
    name_zh: str = Field(min_length=1, max_length=200)
    name_en: str = Field("", max_length=200)
    contact: str = Field(min_length=1, max_length=300)


class MediatorOut(MediatorIn):
    id: int
    platform_id: int


class ComplaintIn(Schema):
    platform_id: ObjectId
    category: ComplaintCategory
    subject: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=8000)


class ComplaintDecisionIn(Schema):
    outcome: Outcome
    reasons: str = Field(min_length=1, max_length=8000)


class EscalationIn(Schema):
    mediator_id: ObjectId | None = Field(
        None, description="one of the platform's; none: the office"
    )


class EvidenceOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class ComplaintOut(Schema):
    id: int
    complainant: OrganisationRef
    platform: OrganisationRef
    category: str
    subject: str
    description: str
    rule_set: str
    state: str
    filed_at: datetime
    acknowledge_by: datetime
    decide_by: datetime
    acknowledged_at: datetime | None
    decided_at: datetime | None
    outcome: str
    reasons: str
    mediator_id: int | None
    escalated_at: datetime | None
    evidence: list[EvidenceOut]

    @staticmethod
    def resolve_evidence(obj: Any) -> list[Any]:
        return list(obj.evidence.defer("data"))


class StatisticsOut(Schema):
    year: int
    platform_id: int | None
    total: int
    decided: int
    open: int
    by_category: dict[str, int]
    outcomes: dict[str, int]
    average_days: float | None = Field(description="mean days from filing to decision")
    median_days: float | None


class BurdenPointOut(Schema):
    version: int
    effective_from: datetime
    monthly_fees: Decimal
    change_percent: Decimal | None
    flagged: bool = Field(description="an increase above the officers' threshold")


class PlatformBurdenOut(Schema):
    platform: OrganisationRef
    versions: list[BurdenPointOut]


class BurdenOut(Schema):
    size_class: str
    sales: Decimal
    units: Decimal
    threshold_percent: int
    platforms: list[PlatformBurdenOut]


class RelationshipMeasureIn(Schema):
    """A measure on the whole relationship with an SME, with its statement of reasons."""

    consumer_id: ObjectId
    kind: Literal["restriction", "suspension", "termination"]
    scope: str = Field(max_length=2000, description="the measure and its scope")
    facts: str = Field(max_length=4000)
    ground: str = Field(max_length=4000, description="the legal or contractual ground")
    redress: str = Field(max_length=4000, description="how the SME can seek redress")
    automated: bool = False
    exception: Literal["", "legal_obligation", "imperative_reason", "repeated_infringement"] = ""
    effective_on: date | None = Field(
        None, description="termination only: at least 30 days ahead without an exception"
    )
    resources: list[ObjectId] = Field(
        default_factory=list, max_length=200, description="restriction only"
    )


class RelationshipMeasureLiftIn(Schema):
    """Lifting a restriction or suspension, or withdrawing a termination before it applies."""

    reason: str = Field(max_length=2000, description="why the measure is lifted")


class RelationshipMeasureOut(Schema):
    id: int
    kind: str
    provider: OrganisationRef
    consumer: OrganisationRef
    scope: str
    facts: str
    ground: str
    redress: str
    automated: bool
    exception: str
    effective_at: datetime | None
    created_at: datetime
    agreements: list[int]
    resource_lineages: list[str]
    lifted_at: datetime | None
    lift_reason: str

    @staticmethod
    def resolve_agreements(obj: Any) -> list[int]:
        return sorted(obj.carried_out_by.values_list("agreement_id", flat=True))
