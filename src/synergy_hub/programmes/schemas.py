"""API shapes of the programme office: calls, applications, reviews, selection and KPI."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from ninja import Field, Schema

from synergy_hub.api.bounds import Integer, ObjectId
from synergy_hub.programmes.models import Application
from synergy_hub.validation import INTEGER_MAX


class Criterion(Schema):
    key: str = Field(max_length=40)
    label_zh: str = Field("", max_length=100)
    label_en: str = Field("", max_length=100)
    weight: float = Field(gt=0, le=100)


class CallIn(Schema):
    """A call's terms; quotas map "region:<code>", "industry:<code>" or "pillar:<pillar>" to
    the most projects that group may receive."""

    title_zh: str = Field("", max_length=200)
    title_en: str = Field("", max_length=300)
    description_zh: str = Field("", max_length=5000)
    description_en: str = Field("", max_length=5000)
    pillars: list[str] = Field(max_length=3)
    eligible_kinds: list[str] = Field(default_factory=list, max_length=3)
    themes: list[str] = Field(default_factory=list, max_length=20)
    budget: int = Field(ge=1, le=INTEGER_MAX)
    quotas: dict[str, Integer] = Field(default_factory=dict)
    min_sme_share: int = Field(0, ge=0, le=100)
    max_projects: int | None = Field(None, ge=1, le=INTEGER_MAX)
    rubric: list[Criterion] = Field(min_length=1, max_length=20)
    scale_max: int = Field(10, ge=1, le=100)
    opens_on: date
    closes_on: date
    review_by: date
    decide_by: date


class CallOut(Schema):
    id: int
    title_zh: str
    title_en: str
    pillars: list[str]
    eligible_kinds: list[str]
    themes: list[str]
    budget: int
    quotas: dict[str, int]
    min_sme_share: int
    max_projects: int | None
    rubric: list[dict[str, Any]]
    scale_max: int
    opens_on: date
    closes_on: date
    review_by: date
    decide_by: date
    state: str


class Milestone(Schema):
    title: str = Field(max_length=200)
    due_on: date
    kpi: str = Field("", max_length=500)


class ApplicationIn(Schema):
    title: str = Field(max_length=200)
    scenario: str = Field(max_length=5000)
    pillar: str
    budget: int = Field(ge=1, le=INTEGER_MAX)
    partners: list[ObjectId] = Field(default_factory=list, max_length=20)
    resources: list[ObjectId] = Field(default_factory=list, max_length=50)
    milestones: list[Milestone] = Field(default_factory=list, max_length=20)


class ApplicationOut(Schema):
    id: int
    call: int = Field(alias="call_id")
    lead: int = Field(alias="lead_id")
    partners: list[int]
    title: str
    pillar: str
    budget: int
    state: str
    score: Decimal | None
    rank: int | None
    selection_reasons: list[str]

    @staticmethod
    def resolve_partners(obj: Application) -> list[int]:
        return sorted(obj.partners.values_list("pk", flat=True))


class ReviewerIn(Schema):
    reviewer: ObjectId


class AssignmentOut(Schema):
    id: int
    application: int = Field(alias="application_id")
    reviewer: int = Field(alias="reviewer_id")
    submitted: bool
    scores: dict[str, int]
    total: Decimal | None

    @staticmethod
    def resolve_submitted(obj: Any) -> bool:
        return obj.submitted_at is not None


class ScoresIn(Schema):
    scores: dict[str, Integer]


class OutcomeOut(Schema):
    application: int
    title: str
    lead: str
    score: Decimal | None
    rank: int | None
    state: str
    reasons: list[str]
    override_reason: str


class SelectionOut(Schema):
    call: int
    selected: list[int]
    total_points: int
    total_cost: int
    outcomes: list[OutcomeOut]


class OverrideIn(Schema):
    selected: bool
    reason: str = Field(max_length=5000)


class TargetOut(Schema):
    metric: str
    label: str
    target: int
    current: int
    percent: int
    due_on: date


class SeriesPoint(Schema):
    month: date
    count: int


class BreakdownRow(Schema):
    label: str
    count: int
    link: str


class KpiOut(Schema):
    programme: str | None
    targets: list[TargetOut]
    series: dict[str, list[SeriesPoint]]
    breakdowns: dict[str, list[BreakdownRow]]
    figures: dict[str, int]


class TargetIn(Schema):
    metric: str
    number: int = Field(ge=1, le=INTEGER_MAX)
    due_on: date


class TargetRecordOut(Schema):
    id: int
    metric: str
    number: int
    due_on: date


class PlatformIn(Schema):
    name_zh: str = Field(max_length=200)
    name_en: str = Field("", max_length=300)
    services: str = Field(max_length=5000)
    region: str = Field(max_length=6)
    pillar: str
    smes_served: int = Field(0, ge=0, le=INTEGER_MAX)
    resources: list[ObjectId] = Field(default_factory=list, max_length=50)
    agreements: list[ObjectId] = Field(default_factory=list, max_length=50)


class PlatformOut(Schema):
    id: int
    operator: int = Field(alias="operator_id")
    name_zh: str
    name_en: str
    services: str
    region: str = Field(alias="region_id")
    pillar: str
    smes_served: int
    state: str


class ScenarioIn(Schema):
    title_zh: str = Field("", max_length=200)
    title_en: str = Field("", max_length=300)
    problem: str = Field(max_length=5000)
    ai_capability: str
    region: str = Field(max_length=6)
    pillar: str
    smes_served: int = Field(0, ge=0, le=INTEGER_MAX)
    resources: list[ObjectId] = Field(default_factory=list, max_length=50)
    agreements: list[ObjectId] = Field(default_factory=list, max_length=50)


class ScenarioOut(Schema):
    id: int
    proposer: int = Field(alias="proposer_id")
    title_zh: str
    title_en: str
    ai_capability: str
    region: str = Field(alias="region_id")
    pillar: str
    smes_served: int
    evidence: str
    state: str


class EvidenceIn(Schema):
    evidence: str = Field(max_length=5000)


class ProgrammeIn(Schema):
    """A programme (a province's own plan); `code` is fixed once created."""

    code: str = Field(max_length=50, description="lower-case letters, digits and hyphens")
    name_zh: str = Field(max_length=200)
    name_en: str = Field(max_length=300)
    summary_zh: str = Field("", max_length=4000)
    summary_en: str = Field("", max_length=4000)
    start_year: int = Field(ge=2000, le=2100)
    end_year: int = Field(ge=2000, le=2100)


class ProgrammeUpdateIn(Schema):
    name_zh: str = Field(max_length=200)
    name_en: str = Field(max_length=300)
    summary_zh: str = Field("", max_length=4000)
    summary_en: str = Field("", max_length=4000)
    start_year: int = Field(ge=2000, le=2100)
    end_year: int = Field(ge=2000, le=2100)


class ProgrammeOut(Schema):
    id: int
    code: str
    name_zh: str
    name_en: str
    summary_zh: str
    summary_en: str
    start_year: int
    end_year: int
    targets: list[TargetRecordOut]

    @staticmethod
    def resolve_targets(obj: Any) -> list[Any]:
        return list(obj.targets.order_by("due_on", "metric"))
