"""JSON API of the programme office: KPI, public calls and results, and the pilot workflow."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Status

from synergy_hub.accounts.api_auth import READ, WRITE
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.api.bounds import ObjectId, Word
from synergy_hub.api.schemas import responses
from synergy_hub.catalog.models import Programme
from synergy_hub.programmes import selectors, services
from synergy_hub.programmes.models import PilotCall
from synergy_hub.programmes.schemas import (
    ApplicationIn,
    ApplicationOut,
    AssignmentOut,
    CallIn,
    CallOut,
    EvidenceIn,
    KpiOut,
    OverrideIn,
    PlatformIn,
    PlatformOut,
    ProgrammeIn,
    ProgrammeOut,
    ProgrammeUpdateIn,
    ReviewerIn,
    ScenarioIn,
    ScenarioOut,
    ScoresIn,
    SelectionOut,
    TargetIn,
    TargetRecordOut,
)
from synergy_hub.programmes.vocabulary import Metric

router = Router(tags=["programmes"])


@router.get("/kpi", response=responses(200, KpiOut), auth=READ)
def get_kpi(request: HttpRequest, programme: Word | None = None) -> Any:
    """The programme's targets with their current values, series over time and breakdowns.

    Every figure is counted from the hub's records (pilot projects, confirmed service
    platforms and implemented scenarios, batches with published lists); `programme` picks
    whose targets they are compared with (the action plan's by default).
    """
    report = selectors.kpi_report(selectors.programme_by_code(programme))
    return {
        "programme": report.programme.code if report.programme else None,
        "targets": [
            {
                "metric": p.metric,
                "label": str(Metric(p.metric).label),
                "target": p.target,
                "current": p.current,
                "percent": p.percent,
                "due_on": p.due_on,
            }
            for p in report.progress
        ],
        "series": {
            metric: [{"month": m, "count": c} for m, c in zip(report.months, values, strict=True)]
            for metric, values in report.series.items()
        },
        "breakdowns": {
            b.key: [{"label": label, "count": n, "link": link} for label, n, link in b.rows]
            for b in report.breakdowns
        },
        "figures": report.figures,
    }


@router.get("/programmes/calls", response=responses(200, list[CallOut]), auth=READ)
def list_calls(request: HttpRequest) -> Any:
    """Calls open to the public: open ones and those closed or decided."""
    return selectors.public_calls().order_by("-opens_on", "pk")


@router.post("/programmes/{programme_code}/calls", response=responses(201, CallOut), auth=WRITE)
def create_call(request: AuthenticatedRequest, programme_code: Word, payload: CallIn) -> Any:
    """Draft a call (programme officers)."""
    programme = Programme.objects.filter(code=programme_code).first()
    if programme is None:
        raise Http404("programme not found")
    call = services.create_call(request.user, programme, payload.dict())
    return Status(201, call)


def _call(request: HttpRequest, call_id: ObjectId) -> PilotCall:
    return selectors.call_for_viewer(request.user, call_id)


@router.post("/programmes/calls/{call_id}/open", response=responses(200, CallOut), auth=WRITE)
def open_call(request: AuthenticatedRequest, call_id: ObjectId) -> Any:
    return services.open_call(request.user, _call(request, call_id))


@router.post("/programmes/calls/{call_id}/close", response=responses(200, CallOut), auth=WRITE)
def close_call(request: AuthenticatedRequest, call_id: ObjectId) -> Any:
    return services.close_call(request.user, _call(request, call_id))


@router.post(
    "/programmes/calls/{call_id}/applications",
    response=responses(201, ApplicationOut),
    auth=WRITE,
)
def create_application(
    request: AuthenticatedRequest, call_id: ObjectId, payload: ApplicationIn
) -> Any:
    """Draft an application for the caller's own organisation."""
    application = services.create_application(request.user, _call(request, call_id), payload.dict())
    return Status(201, application)


@router.post(
    "/programmes/applications/{application_id}/submit",
    response=responses(200, ApplicationOut),
    auth=WRITE,
)
def submit_application(request: AuthenticatedRequest, application_id: ObjectId) -> Any:
    """Submit; a 422 lists every eligibility reason under `eligibility`."""
    application = selectors.application_for_party(request.user, application_id)
    return services.submit_application(request.user, application)


@router.post(
    "/programmes/applications/{application_id}/withdraw",
    response=responses(200, ApplicationOut),
    auth=WRITE,
)
def withdraw_application(request: AuthenticatedRequest, application_id: ObjectId) -> Any:
    application = selectors.application_for_party(request.user, application_id)
    return services.withdraw_application(request.user, application)


@router.post(
    "/programmes/applications/{application_id}/reviewers",
    response=responses(201, AssignmentOut),
    auth=WRITE,
)
def assign_reviewer(
    request: AuthenticatedRequest, application_id: ObjectId, payload: ReviewerIn
) -> Any:
    """Assign a reviewer (officers); a conflict of interest answers 422 under `reviewer`."""
    application = selectors.application_for_party(request.user, application_id)
    reviewer = selectors.reviewer_by_id(payload.reviewer)
    return Status(201, services.assign_reviewer(request.user, application, reviewer))


@router.get("/programmes/reviews", response=responses(200, list[AssignmentOut]), auth=WRITE)
def my_reviews(request: AuthenticatedRequest) -> Any:
    """The caller's own review assignments (never another reviewer's scores)."""
    return selectors.assignments_of(request.user)


@router.post(
    "/programmes/reviews/{assignment_id}/scores",
    response=responses(200, AssignmentOut),
    auth=WRITE,
)
def submit_scores(request: AuthenticatedRequest, assignment_id: ObjectId, payload: ScoresIn) -> Any:
    assignment = selectors.assignment_for_reviewer(request.user, assignment_id)
    return services.submit_scores(request.user, assignment, payload.scores)


def _outcomes(call: PilotCall) -> dict[str, Any]:
    applications = list(selectors.decided_applications(call))
    return {
        "call": call.pk,
        "selected": [a.pk for a in applications if a.state == "selected"],
        "total_points": sum(
            round(float(a.score or 0) * services.POINTS)
            for a in applications
            if a.state == "selected"
        ),
        "total_cost": sum(a.budget for a in applications if a.state == "selected"),
        "outcomes": [
            {
                "application": a.pk,
                "title": a.title,
                "lead": a.lead.name,
                "score": a.score,
                "rank": a.rank,
                "state": a.state,
                "reasons": a.selection_reasons,
                "override_reason": a.override_reason,
            }
            for a in applications
        ],
    }


@router.post(
    "/programmes/calls/{call_id}/selection", response=responses(200, SelectionOut), auth=WRITE
)
def run_selection(request: AuthenticatedRequest, call_id: ObjectId) -> Any:
    """Run the exact selection on a closed call (officers) and return every outcome."""
    call = _call(request, call_id)
    services.run_selection(request.user, call)
    call.refresh_from_db()
    return _outcomes(call)


@router.get("/programmes/calls/{call_id}/results", response=responses(200, SelectionOut), auth=READ)
def call_results(request: HttpRequest, call_id: ObjectId) -> Any:
    """A decided call's published results: score, rank, outcome and reasons per application."""
    return _outcomes(_call(request, call_id))


@router.post(
    "/programmes/applications/{application_id}/override",
    response=responses(200, ApplicationOut),
    auth=WRITE,
)
def override(request: AuthenticatedRequest, application_id: ObjectId, payload: OverrideIn) -> Any:
    """Overturn the solver's outcome for one application, with a written reason (officers)."""
    application = selectors.application_for_party(request.user, application_id)
    return services.override_selection(
        request.user, application, selected=payload.selected, reason=payload.reason
    )


@router.post(
    "/programmes/{programme_code}/targets", response=responses(201, TargetRecordOut), auth=WRITE
)
def add_target(request: AuthenticatedRequest, programme_code: Word, payload: TargetIn) -> Any:
    """Give a programme a target of its own (officers), e.g. a province's plan."""
    programme = Programme.objects.filter(code=programme_code).first()
    if programme is None:
        raise Http404("programme not found")
    return Status(201, services.add_target(request.user, programme, payload.dict()))


@router.get("/programmes", response=responses(200, list[ProgrammeOut]), auth=READ)
def list_programmes(request: HttpRequest) -> Any:
    """Every programme with its targets (the action plan's and the provinces' own)."""
    return list(Programme.objects.order_by("code")[:200])


@router.post("/programmes", response=responses(201, ProgrammeOut), auth=WRITE)
def create_programme(request: AuthenticatedRequest, payload: ProgrammeIn) -> Any:
    """Create a programme, e.g. a province running its own plan (officers)."""
    return Status(201, services.save_programme(request.user, payload.dict()))


@router.get("/programmes/platforms", response=responses(200, list[PlatformOut]), auth=READ)
def list_platforms(request: HttpRequest) -> Any:
    """The registry of service platforms (proposed and operating)."""
    return selectors.platform_registry()


@router.post("/programmes/platforms", response=responses(201, PlatformOut), auth=WRITE)
def register_platform(request: AuthenticatedRequest, payload: PlatformIn) -> Any:
    """Register a service platform the caller's platform enterprise or provider operates."""
    return Status(201, services.register_platform(request.user, payload.dict()))


@router.post(
    "/programmes/platforms/{platform_id}/confirm", response=responses(200, PlatformOut), auth=WRITE
)
def confirm_platform(request: AuthenticatedRequest, platform_id: ObjectId) -> Any:
    """Confirm a proposed platform as operating (officers): it then counts."""
    return services.confirm_platform(request.user, selectors.platform_by_id(platform_id))


@router.get("/programmes/scenarios", response=responses(200, list[ScenarioOut]), auth=READ)
def list_scenarios(request: HttpRequest) -> Any:
    return selectors.scenario_registry()


@router.post("/programmes/scenarios", response=responses(201, ScenarioOut), auth=WRITE)
def propose_scenario(request: AuthenticatedRequest, payload: ScenarioIn) -> Any:
    return Status(201, services.propose_scenario(request.user, payload.dict()))


@router.post(
    "/programmes/scenarios/{scenario_id}/pilot", response=responses(200, ScenarioOut), auth=WRITE
)
def start_scenario_pilot(request: AuthenticatedRequest, scenario_id: ObjectId) -> Any:
    return services.start_scenario_pilot(request.user, selectors.scenario_by_id(scenario_id))


@router.post(
    "/programmes/scenarios/{scenario_id}/evidence",
    response=responses(200, ScenarioOut),
    auth=WRITE,
)
def record_scenario_evidence(
    request: AuthenticatedRequest, scenario_id: ObjectId, payload: EvidenceIn
) -> Any:
    return services.record_scenario_evidence(
        request.user, selectors.scenario_by_id(scenario_id), payload.evidence
    )


@router.post(
    "/programmes/scenarios/{scenario_id}/confirm",
    response=responses(200, ScenarioOut),
    auth=WRITE,
)
def confirm_scenario(request: AuthenticatedRequest, scenario_id: ObjectId) -> Any:
    """Confirm a piloted scenario with evidence as implemented (officers): it then counts."""
    return services.confirm_scenario_implemented(
        request.user, selectors.scenario_by_id(scenario_id)
    )


# Last: its path would otherwise catch /programmes/platforms and the other fixed paths.
@router.patch("/programmes/{programme_code}", response=responses(200, ProgrammeOut), auth=WRITE)
def update_programme(
    request: AuthenticatedRequest, programme_code: Word, payload: ProgrammeUpdateIn
) -> Any:
    """Edit a programme's names, summary and years (officers); its code stays."""
    programme = Programme.objects.filter(code=programme_code).first()
    if programme is None:
        raise Http404("programme not found")
    return services.save_programme(request.user, payload.dict(), programme)
