"""JSON API of the governance records: fee schedules and notices, disclosures, complaints.

Thin: each handler reads through a scoped selector (404 for "missing" and "not yours"),
calls one service and returns the fresh object.
"""

from decimal import Decimal
from typing import Annotated, Any, Literal

from django.conf import settings
from django.utils import timezone
from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from synergy_hub.access import selectors as access_selectors
from synergy_hub.accounts.api_auth import READ, WRITE
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.api.bounds import ObjectId
from synergy_hub.api.schemas import responses
from synergy_hub.governance import burden, selectors, services
from synergy_hub.governance.schemas import (
    BurdenOut,
    ComplaintDecisionIn,
    ComplaintIn,
    ComplaintOut,
    EscalationIn,
    FeeNoticeOut,
    FeeScheduleIn,
    FeeScheduleOut,
    MediatorIn,
    MediatorOut,
    NoticeAnswerIn,
    PlatformRankingDisclosureIn,
    PlatformRankingDisclosureOut,
    PublishIn,
    RankingPreferenceIO,
    RelationshipMeasureIn,
    RelationshipMeasureLiftIn,
    RelationshipMeasureOut,
    StatisticsOut,
)

router = Router(tags=["governance"])

#: A statistics year: the hub's programme years and the history it keeps.
Year = Annotated[int, Field(ge=2000, le=2100)]


@router.get("/fee-schedules", response=responses(200, list[FeeScheduleOut]), auth=READ)
def list_fee_schedules(request: Any, platform_id: ObjectId | None = None) -> Any:
    """Published fee schedules, every version (kept at least 3 years), and your own drafts."""
    queryset = selectors.schedules_visible_to(request.user)
    if platform_id is not None:
        queryset = queryset.filter(platform_id=platform_id)
    return list(queryset)


@router.post("/fee-schedules", response=responses(201, FeeScheduleOut), auth=WRITE)
def draft_fee_schedule(request: AuthenticatedRequest, payload: FeeScheduleIn) -> Any:
    """Draft the next version of your platform's fee schedule."""
    created = services.draft_fee_schedule(request.user, payload.dict())
    return Status(201, selectors.schedule_for_platform(request.user, created.pk))


@router.get("/fee-schedules/{schedule_id}", response=responses(200, FeeScheduleOut), auth=READ)
def get_fee_schedule(request: Any, schedule_id: ObjectId) -> Any:
    """One schedule: published ones are public; a draft only for its own platform."""
    return selectors.schedule_for_viewer(request.user, schedule_id)


@router.post(
    "/fee-schedules/{schedule_id}/publish", response=responses(200, FeeScheduleOut), auth=WRITE
)
def publish_fee_schedule(
    request: AuthenticatedRequest, schedule_id: ObjectId, payload: PublishIn
) -> Any:
    """Publish a draft to apply from `effective_from`, no earlier than the notice period.

    PRC rules (E-Commerce Law Art 34): 7 days; EU (P2B Art 3(2)): 15 days. An earlier date
    answers 422 naming the rule; a valid one notifies every affected SME.
    """
    schedule = selectors.schedule_for_platform(request.user, schedule_id)
    services.publish_fee_schedule(request.user, schedule, payload.effective_from)
    return selectors.schedule_for_viewer(request.user, schedule_id)


class BurdenQuery(Schema):
    size_class: Literal["micro", "small", "medium"] = "small"
    sales: int | None = Field(None, ge=0, le=10**12, description="monthly sales, whole yuan")
    units: int | None = Field(None, ge=0, le=10**9, description="monthly usage units")


@router.get("/fee-burden", response=responses(200, BurdenOut), auth=READ)
def fee_burden(request: Any, query: Query[BurdenQuery]) -> Any:
    """What a typical SME pays each platform per month, per fee schedule version.

    Without `sales` and `units` the size class's typical month is used. A version that
    raises the fees by more than the officers' threshold is `flagged`.
    """
    size_class = query.size_class
    typical_sales, typical_units = burden.TYPICAL_MONTH[size_class]
    sales = typical_sales if query.sales is None else Decimal(query.sales)
    units = typical_units if query.units is None else Decimal(query.units)
    return {
        "size_class": size_class,
        "sales": sales,
        "units": units,
        "threshold_percent": settings.SYNERGY_FEE_INCREASE_FLAG_PERCENT,
        "platforms": [
            {
                "platform": row.platform,
                "versions": [
                    {
                        "version": p.version,
                        "effective_from": p.effective_from,
                        "monthly_fees": p.cost,
                        "change_percent": p.change_percent,
                        "flagged": p.flagged,
                    }
                    for p in row.points
                ],
            }
            for row in selectors.fee_burden(sales, units)
        ],
    }


@router.get(
    "/agreements/{agreement_id}/fee-schedule",
    response=responses(200, FeeScheduleOut | None),
    auth=WRITE,
)
def agreement_fee_schedule(request: AuthenticatedRequest, agreement_id: ObjectId) -> Any:
    """The provider's fee schedule version in force when the agreement was made (null: none).

    Versions never change, so the answer stays what it was on the day of the agreement.
    """
    agreement = access_selectors.agreement_for_party(request.user, agreement_id)
    return selectors.in_force(agreement.provider_id, agreement.created_at)


@router.get("/fee-notices", response=responses(200, list[FeeNoticeOut]), auth=WRITE)
def list_fee_notices(request: AuthenticatedRequest) -> Any:
    """The fee changes your organisation was told about: what changes and when."""
    return list(selectors.notices_for(request.user))


@router.post("/fee-notices/{notice_id}/answer", response=responses(200, FeeNoticeOut), auth=WRITE)
def answer_fee_notice(
    request: AuthenticatedRequest, notice_id: ObjectId, payload: NoticeAnswerIn
) -> Any:
    """Object to a fee change, or leave without penalty, before it applies."""
    notice = selectors.notice_for_owner(request.user, notice_id)
    services.answer_fee_notice(request.user, notice, payload.response, payload.text)
    return selectors.notice_for_owner(request.user, notice_id)


@router.get(
    "/ranking-disclosures", response=responses(200, list[PlatformRankingDisclosureOut]), auth=READ
)
def list_ranking_disclosures(request: Any, history: bool = False) -> Any:
    """Each platform's current ranking disclosure (with `history`, every version)."""
    if history:
        return list(selectors.disclosures())
    return selectors.current_disclosures()


@router.post(
    "/ranking-disclosures", response=responses(201, PlatformRankingDisclosureOut), auth=WRITE
)
def publish_ranking_disclosure(
    request: AuthenticatedRequest, payload: PlatformRankingDisclosureIn
) -> Any:
    """File a new version of your platform's ranking disclosure (P2B Art 5 and 7)."""
    return Status(201, services.publish_ranking_disclosure(request.user, payload.dict()))


@router.get("/me/ranking-preference", response=responses(200, RankingPreferenceIO), auth=WRITE)
def get_ranking_preference(request: AuthenticatedRequest) -> Any:
    """Whether your searches use the non-personalised ordering."""
    return {"non_personalised": selectors.is_non_personalised(request.user)}


@router.put("/me/ranking-preference", response=responses(200, RankingPreferenceIO), auth=WRITE)
def set_ranking_preference(request: AuthenticatedRequest, payload: RankingPreferenceIO) -> Any:
    """Switch to or from the non-personalised ordering; it applies from the next search."""
    preference = services.set_ranking_preference(
        request.user, non_personalised=payload.non_personalised
    )
    return {"non_personalised": preference.non_personalised}


@router.get(
    "/platforms/{platform_id}/mediators", response=responses(200, list[MediatorOut]), auth=READ
)
def list_mediators(request: Any, platform_id: ObjectId) -> Any:
    """The mediators a platform names (P2B Art 12)."""
    return list(selectors.mediators_of(selectors.platform(platform_id).pk))


@router.post("/mediators", response=responses(201, MediatorOut), auth=WRITE)
def add_mediator(request: AuthenticatedRequest, payload: MediatorIn) -> Any:
    """Name a mediator for your platform."""
    return Status(201, services.add_mediator(request.user, payload.dict()))


@router.get("/complaints", response=responses(200, list[ComplaintOut]), auth=WRITE)
def list_complaints(request: AuthenticatedRequest) -> Any:
    """Your SME's complaints, or those about your platform (officers: all)."""
    return list(selectors.complaints_for(request.user))


@router.post("/complaints", response=responses(201, ComplaintOut), auth=WRITE)
def file_complaint(request: AuthenticatedRequest, payload: ComplaintIn) -> Any:
    """File a complaint about a platform's conduct; free of charge."""
    platform = selectors.platform(payload.platform_id)
    created = services.file_complaint(request.user, platform, payload.dict())
    return Status(201, selectors.complaint_for_party(request.user, created.pk))


@router.get("/complaints/{complaint_id}", response=responses(200, ComplaintOut), auth=WRITE)
def get_complaint(request: AuthenticatedRequest, complaint_id: ObjectId) -> Any:
    """One complaint you are a party to."""
    return selectors.complaint_for_party(request.user, complaint_id)


@router.post(
    "/complaints/{complaint_id}/evidence", response=responses(200, ComplaintOut), auth=WRITE
)
def add_evidence(
    request: AuthenticatedRequest, complaint_id: ObjectId, file: File[UploadedFile]
) -> Any:
    """Add a PDF, PNG, JPEG or text file (at most 5 MiB) to your complaint (multipart)."""
    complaint = selectors.complaint_for_party(request.user, complaint_id)
    services.add_evidence(request.user, complaint, [file])
    return selectors.complaint_for_party(request.user, complaint_id)


@router.post(
    "/complaints/{complaint_id}/acknowledge", response=responses(200, ComplaintOut), auth=WRITE
)
def acknowledge_complaint(request: AuthenticatedRequest, complaint_id: ObjectId) -> Any:
    """The platform confirms receipt."""
    complaint = selectors.complaint_for_party(request.user, complaint_id)
    services.acknowledge_complaint(request.user, complaint)
    return selectors.complaint_for_party(request.user, complaint_id)


@router.post("/complaints/{complaint_id}/decide", response=responses(200, ComplaintOut), auth=WRITE)
def decide_complaint(
    request: AuthenticatedRequest, complaint_id: ObjectId, payload: ComplaintDecisionIn
) -> Any:
    """The platform's individual outcome with its reasons."""
    complaint = selectors.complaint_for_party(request.user, complaint_id)
    services.decide_complaint(request.user, complaint, payload.outcome, payload.reasons)
    return selectors.complaint_for_party(request.user, complaint_id)


@router.post(
    "/complaints/{complaint_id}/escalate", response=responses(200, ComplaintOut), auth=WRITE
)
def escalate_complaint(
    request: AuthenticatedRequest, complaint_id: ObjectId, payload: EscalationIn
) -> Any:
    """Take the complaint to one of the platform's mediators, or to the programme office."""
    complaint = selectors.complaint_for_party(request.user, complaint_id)
    services.escalate_complaint(request.user, complaint, mediator_id=payload.mediator_id)
    return selectors.complaint_for_party(request.user, complaint_id)


@router.get("/complaint-statistics", response=responses(200, StatisticsOut), auth=READ)
def complaint_statistics(
    request: Any, year: Year | None = None, platform_id: ObjectId | None = None
) -> Any:
    """P2B Art 11(4)'s yearly figures, for one platform or (without `platform_id`) all."""
    year = year or timezone.localdate().year
    if platform_id is not None:
        selectors.platform(platform_id)
    figures = selectors.complaint_statistics(year, platform_id)
    return {
        "year": year,
        "platform_id": platform_id,
        "total": figures.total,
        "decided": figures.decided,
        "open": figures.open,
        "by_category": dict(figures.by_category),
        "outcomes": dict(figures.outcomes),
        "average_days": figures.average_days,
        "median_days": figures.median_days,
    }


@router.get(
    "/relationship-measures", response=responses(200, list[RelationshipMeasureOut]), auth=WRITE
)
def list_relationship_measures(request: AuthenticatedRequest) -> Any:
    """Restrictions, suspensions and terminations of whole relationships: a platform's own,
    those against an SME, all for officers."""
    return list(selectors.measures_for(request.user)[:500])


@router.post("/relationship-measures", response=responses(201, RelationshipMeasureOut), auth=WRITE)
def take_relationship_measure(request: AuthenticatedRequest, payload: RelationshipMeasureIn) -> Any:
    """A platform restricts, suspends or terminates its relationship with an SME (P2B Art 4).

    Restriction and suspension apply at once; a termination at least 30 days after this
    statement unless an exception ground (P2B Art 4(4)) is given. The agreements reached are
    suspended or terminated, each with a statement pointing to this one.
    """
    data = payload.dict()
    consumer = selectors.measure_consumer(data.pop("consumer_id"))
    measure = services.take_relationship_measure(request.user, consumer, data.pop("kind"), data)
    return Status(201, measure)


@router.post(
    "/relationship-measures/{measure_id}/lift",
    response=responses(200, RelationshipMeasureOut),
    auth=WRITE,
)
def lift_relationship_measure(
    request: AuthenticatedRequest, measure_id: ObjectId, payload: RelationshipMeasureLiftIn
) -> Any:
    """The platform lifts its restriction or suspension, or withdraws its termination before
    it takes effect (P2B Art 4), with its reason: the agreements it suspended resume, the
    notices it gave are withdrawn, the SME is told and may request again."""
    measure = selectors.measure_for_party(request.user, measure_id)
    services.lift_relationship_measure(request.user, measure, payload.dict())
    return selectors.measure_for_party(request.user, measure_id)
