"""Reads of the programme office's records: public calls and results, and the KPI figures.

Every KPI is counted here from the records the hub keeps, never typed in; the pure
arithmetic (progress, series, chart geometry) is in `programmes.kpi`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Min, Q, QuerySet, Sum
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub.access.models import Agreement
from synergy_hub.accounts.models import Organisation, OrganisationKind, Region, User
from synergy_hub.accounts.permissions import is_officer, organisation_of
from synergy_hub.catalog.models import Batch, Programme
from synergy_hub.catalog.selectors import published_resources
from synergy_hub.catalog.vocabulary import Pillar, ResourceType, Unit
from synergy_hub.programmes import kpi
from synergy_hub.programmes.models import (
    Application,
    PilotCall,
    PilotProject,
    ProgrammeTarget,
    ProjectReport,
    ReviewAssignment,
    Scenario,
    ServicePlatform,
)
from synergy_hub.programmes.vocabulary import (
    ApplicationState,
    CallState,
    Metric,
    PlatformState,
    ProjectStatus,
    ScenarioState,
)
from synergy_hub.web import attention, reminders

PUBLIC_CALL_STATES = (CallState.OPEN, CallState.CLOSED, CallState.DECIDED)


def public_calls() -> QuerySet[PilotCall]:
    """Calls the public sees: open ones, and closed or decided ones with their results."""
    return PilotCall.objects.filter(state__in=PUBLIC_CALL_STATES).annotate(
        application_count=Count(
            "applications", filter=~Q(applications__state__in=["draft", "withdrawn"])
        ),
        selected_count=Count(
            "applications", filter=Q(applications__state=ApplicationState.SELECTED)
        ),
    )


def call_for_viewer(user: Any, pk: int) -> PilotCall:
    """A public call, or any call for officers; 404 for a draft the viewer may not see."""
    queryset = PilotCall.objects.all() if is_officer(user) else public_calls()
    call = queryset.filter(pk=pk).first()
    if call is None:
        raise Http404("call not found")
    return call


def decided_applications(call: PilotCall) -> QuerySet[Application]:
    """A decided call's applications by rank, with their outcome and reasons (published)."""
    if call.state != CallState.DECIDED:
        return Application.objects.none()
    return (
        call.applications.filter(
            state__in=[ApplicationState.SELECTED, ApplicationState.NOT_SELECTED]
        )
        .select_related("lead", "region")
        .order_by("rank", "pk")
    )


# --- KPI ---------------------------------------------------------------------------------


def counted_projects() -> QuerySet[PilotProject]:
    return PilotProject.objects.all()


def counted_platforms() -> QuerySet[ServicePlatform]:
    return ServicePlatform.objects.filter(state=PlatformState.OPERATING)


def counted_scenarios() -> QuerySet[Scenario]:
    return Scenario.objects.filter(state=ScenarioState.IMPLEMENTED)


def released_batches() -> QuerySet[Batch]:
    """Batches in which at least one openness list has been published, with the first date."""
    return (
        Batch.objects.filter(openness_lists__published_at__isnull=False)
        .annotate(first_published=Min("openness_lists__published_at"))
        .distinct()
        .order_by("number")
    )


def kpi_counts() -> dict[str, int]:
    """The current value of each metric, counted from the records."""
    return {
        Metric.BATCHES: released_batches().count(),
        Metric.PILOT_PROJECTS: counted_projects().count(),
        Metric.SERVICE_PLATFORMS: counted_platforms().count(),
        Metric.SCENARIOS: counted_scenarios().count(),
    }


def _dates(values: list[datetime.datetime | None]) -> list[datetime.date]:
    return [timezone.localdate(v) for v in values if v is not None]


def metric_dates() -> dict[str, list[datetime.date]]:
    """When each counted record started to count (publication, selection, confirmation)."""
    return {
        Metric.BATCHES: _dates([getattr(b, "first_published", None) for b in released_batches()]),
        Metric.PILOT_PROJECTS: _dates(
            list(counted_projects().values_list("created_at", flat=True))
        ),
        Metric.SERVICE_PLATFORMS: _dates(
            list(counted_platforms().values_list("confirmed_at", flat=True))
        ),
        Metric.SCENARIOS: _dates(
            list(counted_scenarios().values_list("implemented_at", flat=True))
        ),
    }


def programme_targets(programme: Programme | None) -> list[ProgrammeTarget]:
    """The latest-dated target of each metric for the programme (the plan's by default)."""
    if programme is None:
        return []
    latest: dict[str, ProgrammeTarget] = {}
    for target in programme.targets.order_by("due_on"):
        latest[target.metric] = target
    return [latest[m] for m in Metric.values if m in latest]


@dataclass
class Breakdown:
    """One breakdown of a figure: (label, count, link to the records) rows."""

    key: str
    rows: list[tuple[str, int, str]] = field(default_factory=list)


@dataclass
class KpiReport:
    programme: Programme | None
    progress: list[kpi.Progress]
    months: list[datetime.date]
    series: dict[str, list[int]]
    breakdowns: list[Breakdown]
    figures: dict[str, int]


def _pillar_rows(queryset: Any, path: str, link: str) -> list[tuple[str, int, str]]:
    counts = dict(queryset.values_list(path).annotate(n=Count("pk")).values_list(path, "n"))
    return [(str(Pillar(p).label), counts.get(p, 0), f"{link}?pillar={p}") for p in Pillar.values]


def programme_by_code(code: str | None) -> Programme | None:
    """The programme whose targets to show: the one named, else the plan's; 404 if unknown."""
    if not code:
        return None
    programme = Programme.objects.filter(code=code).first()
    if programme is None:
        raise Http404("programme not found")
    return programme


def kpi_report(programme: Programme | None = None, *, months: int = 12) -> KpiReport:
    """Every figure of the KPI page and API: progress, series over time and breakdowns.

    The counts are the hub's; the targets are the given programme's (the plan's by default),
    so a province running its own plan sees the same figures against its own numbers.
    """
    programme = programme or Programme.objects.filter(code="2026-2028").first()
    programme = programme or Programme.objects.order_by("pk").first()
    counts = kpi_counts()
    progress = [
        kpi.Progress(t.metric, t.number, counts[t.metric], t.due_on)
        for t in programme_targets(programme)
    ]
    month_list = kpi.month_starts(timezone.localdate(), months)
    dates = metric_dates()
    series = {metric: kpi.cumulative(dates[metric], month_list) for metric in Metric.values}

    projects = counted_projects()
    projects_url = reverse("programmes:projects")
    by_region = projects.values("application__region").annotate(n=Count("pk")).order_by()
    province_counts: dict[str, int] = {}
    for row in by_region:
        code = row["application__region"] or ""
        province = (code[:2] + "0000") if code else ""
        province_counts[province] = province_counts.get(province, 0) + row["n"]
    names = {r.code: r.name for r in Region.objects.filter(code__in=list(province_counts))}
    region_rows = sorted(
        (
            (names.get(code, code or "—"), n, f"{projects_url}?region={code}")
            for code, n in province_counts.items()
        ),
        key=lambda row: -row[1],
    )[:10]
    industry_rows = [
        (code or "—", n, f"{projects_url}?industry={code}")
        for code, n in projects.values_list("application__industry_code")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("application__industry_code", "n")[:10]
    ]
    status_counts = dict(
        projects.values_list("status").annotate(n=Count("pk")).values_list("status", "n")
    )
    type_counts = dict(
        published_resources()
        .values_list("resource_type")
        .annotate(n=Count("pk"))
        .values_list("resource_type", "n")
    )
    smes = (
        Organisation.objects.filter(kind=OrganisationKind.SME)
        .filter(
            Q(pilot_applications__project__isnull=False)
            | Q(pilot_partnerships__project__isnull=False)
        )
        .distinct()
        .count()
    )
    used = (
        Agreement.objects.values_list("unit")
        .annotate(total=Sum("used_quantity"))
        .values_list("unit", "total")
        .order_by("unit")
    )
    capacity_rows = [
        (str(Unit(unit).label) if unit in Unit.values else unit, int(total or 0), "")
        for unit, total in used
    ]
    breakdowns = [
        Breakdown(
            "projects_by_pillar",
            _pillar_rows(projects, "application__pillar", projects_url),
        ),
        Breakdown("projects_by_region", region_rows),
        Breakdown("projects_by_industry", industry_rows),
        Breakdown(
            "projects_by_status",
            [
                (
                    str(ProjectStatus(s).label),
                    status_counts.get(s, 0),
                    f"{projects_url}?status={s}",
                )
                for s in ProjectStatus.values
            ],
        ),
        Breakdown(
            "resources_by_type",
            [
                (
                    str(ResourceType(t).label),
                    type_counts.get(t, 0),
                    f"{reverse('matching:resources')}?type={t}",
                )
                for t in ResourceType.values
            ],
        ),
    ]
    breakdowns.append(Breakdown("capacity_used_by_unit", capacity_rows))
    figures = {
        "smes_reached": smes,
        "smes_served_by_platforms": sum(counted_platforms().values_list("smes_served", flat=True)),
        "agreements": Agreement.objects.count(),
        "applications": Application.objects.exclude(
            state__in=[ApplicationState.DRAFT, ApplicationState.WITHDRAWN]
        ).count(),
    }
    return KpiReport(programme, progress, month_list, series, breakdowns, figures)


# --- scoped lookups for the workflow (404 for "missing" and "not yours") -----------------


def application_for_party(user: Any, pk: int) -> Application:
    """An application for a member of its lead or a partner, an officer, or its reviewer."""
    queryset = Application.objects.select_related("call", "lead")
    if not is_officer(user):
        organisation = organisation_of(user)
        mine = Q(reviews__reviewer_id=getattr(user, "pk", None))
        if organisation is not None:
            mine |= Q(lead=organisation) | Q(partners=organisation)
        queryset = queryset.filter(mine).distinct()
    application = queryset.filter(pk=pk).first()
    if application is None:
        raise Http404("application not found")
    return application


def assignment_for_reviewer(user: Any, pk: int) -> ReviewAssignment:
    """A review assignment for its own reviewer only: others' scores stay hidden."""
    assignment = (
        ReviewAssignment.objects.select_related("application__call")
        .filter(pk=pk, reviewer_id=getattr(user, "pk", None))
        .first()
    )
    if assignment is None:
        raise Http404("review not found")
    return assignment


def assignments_of(user: Any) -> QuerySet[ReviewAssignment]:
    return ReviewAssignment.objects.filter(reviewer_id=getattr(user, "pk", None)).select_related(
        "application__call"
    )


def reviewer_by_id(pk: int) -> User:
    """A reviewer by id (officers choose reviewers across organisations); 404 if missing."""
    reviewer = User.objects.filter(pk=pk, is_active=True).first()
    if reviewer is None:
        raise Http404("user not found")
    return reviewer


def platform_registry() -> QuerySet[ServicePlatform]:
    """Service platforms proposed or operating (closed ones leave the public registry)."""
    return (
        ServicePlatform.objects.exclude(state=PlatformState.CLOSED)
        .select_related("operator", "region")
        .annotate(resource_count=Count("resources", distinct=True))
        .order_by("state", "name_zh")
    )


def scenario_registry() -> QuerySet[Scenario]:
    """Intelligent service application scenarios, implemented ones first."""
    return (
        Scenario.objects.select_related("proposer", "region")
        .annotate(resource_count=Count("resources", distinct=True))
        .order_by("-implemented_at", "-created_at", "pk")
    )


def office_calls() -> QuerySet[PilotCall]:
    """Every call for officers, drafts included, newest first, with application counts."""
    return PilotCall.objects.annotate(
        application_count=Count(
            "applications", filter=~Q(applications__state__in=["draft", "withdrawn"])
        ),
        selected_count=Count(
            "applications", filter=Q(applications__state=ApplicationState.SELECTED)
        ),
    ).order_by("-opens_on", "pk")


def decision_rows(call: PilotCall) -> QuerySet[Application]:
    """A call's applications past draft, with their review counts, by rank then submission."""
    return (
        call.applications.exclude(state=ApplicationState.DRAFT)
        .select_related("lead")
        .annotate(
            assigned=Count("reviews", distinct=True),
            scored=Count("reviews", filter=Q(reviews__submitted_at__isnull=False), distinct=True),
            outliers=Count("reviews", filter=Q(reviews__outlier=True), distinct=True),
        )
        .order_by("rank", "submitted_at", "pk")
    )


def reviewer_by_email(email: str) -> User | None:
    return User.objects.filter(email=email.strip().lower(), is_active=True).first()


def applications_of(organisation: Organisation) -> QuerySet[Application]:
    return (
        Application.objects.filter(lead=organisation)
        .select_related("call")
        .order_by("-created_at", "pk")
    )


def partner_choices(*, exclude: int) -> list[tuple[int, str]]:
    """Approved SMEs, platforms and providers an applicant may name as partners."""
    rows = (
        Organisation.objects.filter(
            status="approved",
            kind__in=[OrganisationKind.SME, OrganisationKind.PLATFORM, OrganisationKind.PROVIDER],
        )
        .exclude(pk=exclude)
        .order_by("kind", "name_zh")
    )
    return [(org.pk, f"{org.name} ({org.get_kind_display()})") for org in rows]


def resource_choices() -> list[tuple[int, str]]:
    """Resources on published openness lists, by publisher."""
    return [
        (r.pk, f"{r.openness_list.publisher.name} · {r.title}")
        for r in published_resources().order_by("openness_list__publisher__name_zh", "position")
    ]


def project_detail(pk: int) -> PilotProject:
    """A pilot project (public: its milestones, reports, evaluation and replicable model)."""
    project = (
        PilotProject.objects.select_related(
            "application__lead", "application__call", "application__region"
        )
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404("project not found")
    return project


def may_see_evidence(user: Any, project: PilotProject) -> bool:
    """Evidence files are for the project's lead and partners and for officers."""
    if is_officer(user):
        return True
    organisation = organisation_of(user)
    if organisation is None:
        return False
    application = project.application
    return (
        application.lead_id == organisation.pk
        or application.partners.filter(pk=organisation.pk).exists()
    )


def report_with_evidence(user: Any, pk: int) -> ProjectReport:
    """A report whose evidence the user may download; 404 for the rest."""
    report = (
        ProjectReport.objects.select_related("project__application")
        .filter(pk=pk)
        .exclude(evidence_path="")
        .first()
    )
    if report is None or not may_see_evidence(user, report.project):
        raise Http404("evidence not found")
    return report


def platform_by_id(pk: int) -> ServicePlatform:
    """A registered platform (the registry is public); 404 when missing."""
    platform = ServicePlatform.objects.filter(pk=pk).first()
    if platform is None:
        raise Http404("platform not found")
    return platform


def scenario_by_id(pk: int) -> Scenario:
    """A scenario (the registry is public); 404 when missing."""
    scenario = Scenario.objects.filter(pk=pk).first()
    if scenario is None:
        raise Http404("scenario not found")
    return scenario


# --- what needs an officer's attention (the officer dashboard) ----------------------------

MIN_REVIEWS = 3


def applications_awaiting_review() -> QuerySet[Application]:
    """Submitted applications of open or closed calls with fewer than three scores in."""
    return (
        Application.objects.filter(
            state=ApplicationState.SUBMITTED, call__state__in=[CallState.OPEN, CallState.CLOSED]
        )
        .annotate(scored=Count("reviews", filter=Q(reviews__submitted_at__isnull=False)))
        .filter(scored__lt=MIN_REVIEWS)
    )


def overdue_reviews(today: datetime.date) -> QuerySet[ReviewAssignment]:
    """Assigned reviews not scored by their call's review date."""
    return ReviewAssignment.objects.filter(
        submitted_at__isnull=True,
        application__state=ApplicationState.SUBMITTED,
        application__call__review_by__lt=today,
    )


def milestones_overdue(today: datetime.date) -> list[tuple[PilotProject, dict[str, Any]]]:
    """Milestones past their due date with no report yet, in projects not done."""
    overdue = []
    projects = (
        PilotProject.objects.exclude(status=ProjectStatus.DONE)
        .select_related("application")
        .prefetch_related("reports")
    )
    for project in projects:
        reported = {r.milestone for r in project.reports.all()}
        for milestone in project.application.milestones or []:
            due = milestone.get("due_on") or ""
            if due and due < today.isoformat() and milestone.get("title") not in reported:
                overdue.append((project, milestone))
    return overdue


def milestones_due(today: datetime.date, days: int) -> list[tuple[PilotProject, dict[str, Any]]]:
    """Milestones due within `days` days (today included) with no report yet."""
    end = (today + datetime.timedelta(days=days)).isoformat()
    due_soon = []
    projects = (
        PilotProject.objects.exclude(status=ProjectStatus.DONE)
        .select_related("application")
        .prefetch_related("reports")
    )
    for project in projects:
        reported = {r.milestone for r in project.reports.all()}
        for milestone in project.application.milestones or []:
            due = milestone.get("due_on") or ""
            if today.isoformat() <= due <= end and milestone.get("title") not in reported:
                due_soon.append((project, milestone))
    return due_soon


def reports_at_risk() -> QuerySet[PilotProject]:
    """Projects whose status, from their latest report, is at risk or late."""
    return PilotProject.objects.filter(status__in=[ProjectStatus.AT_RISK, ProjectStatus.LATE])


def platforms_to_confirm() -> QuerySet[ServicePlatform]:
    return ServicePlatform.objects.filter(state=PlatformState.PROPOSED)


def scenarios_to_confirm() -> QuerySet[Scenario]:
    """Scenarios in pilot with evidence recorded: an officer's confirmation makes them count."""
    return Scenario.objects.filter(state=ScenarioState.PILOTING).exclude(evidence="")


def attention_items(today: datetime.date) -> list[attention.Item]:
    """The programme office's share of the officer dashboard."""
    projects = reverse("programmes:projects")
    office = reverse("programmes:office")
    return [
        attention.Item(
            "applications_awaiting_review",
            _("Applications with fewer than three scores"),
            applications_awaiting_review().count(),
            office,
            _("Pilot calls"),
        ),
        attention.Item(
            "reviews_overdue",
            _("Reviews not scored by the call's review date"),
            overdue_reviews(today).count(),
            office,
            _("Pilot calls"),
        ),
        attention.Item(
            "milestones_overdue",
            _("Milestone reports overdue"),
            len(milestones_overdue(today)),
            projects,
            _("Pilot projects"),
        ),
        attention.Item(
            "projects_at_risk",
            _("Projects reported at risk or late"),
            reports_at_risk().count(),
            f"{projects}?status={ProjectStatus.AT_RISK}",
            _("Pilot projects"),
        ),
        attention.Item(
            "platforms_to_confirm",
            _("Service platforms to confirm"),
            platforms_to_confirm().count(),
            reverse("programmes:platforms"),
            _("Registries"),
        ),
        attention.Item(
            "scenarios_to_confirm",
            _("Scenarios with evidence to confirm"),
            scenarios_to_confirm().count(),
            reverse("programmes:scenarios"),
            _("Registries"),
        ),
    ]


MILESTONE_REMINDER_DAYS = 7


def milestone_reminders(now: datetime.datetime) -> list[reminders.Reminder]:
    """Milestone reports due within a week, or overdue, to the project's lead organisation."""
    today = timezone.localdate(now)
    items = milestones_overdue(today) + milestones_due(today, MILESTONE_REMINDER_DAYS)
    result = []
    for project, milestone in items:
        due_on = datetime.date.fromisoformat(milestone["due_on"])
        result.append(
            reminders.Reminder(
                kind="milestone.report",
                key=f"{project.pk}:{milestone['title']}"[:40],
                deadline=timezone.make_aware(datetime.datetime.combine(due_on, datetime.time.min)),
                organisation_id=project.application.lead_id,
                text=_("Milestone report due on %(date)s: %(milestone)s (%(project)s)")
                % {
                    "date": due_on.isoformat(),
                    "milestone": milestone["title"],
                    "project": project.application.title,
                },
                path=reverse("programmes:project", args=[project.pk]),
            )
        )
    return result
