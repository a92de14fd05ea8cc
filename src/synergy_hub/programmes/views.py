"""Pages of the programme office: the KPI dashboard with charts, calls and their results,
pilot projects. Thin: they read through `selectors` and render."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from synergy_hub.accounts.permissions import is_officer, organisation_of
from synergy_hub.catalog.vocabulary import Pillar
from synergy_hub.programmes import kpi, selectors, xlsx
from synergy_hub.programmes.vocabulary import Metric, ProjectStatus
from synergy_hub.web import charts

BREAKDOWN_TITLES = {
    "projects_by_pillar": lambda: _("Pilot projects by pillar"),
    "projects_by_region": lambda: _("Pilot projects by region (province)"),
    "projects_by_industry": lambda: _("Pilot projects by industry (GB/T 4754)"),
    "projects_by_status": lambda: _("Pilot projects by status"),
    "resources_by_type": lambda: _("Open resources by type"),
    "capacity_used_by_unit": lambda: _("Capacity used under agreements, by unit"),
}
FIGURE_LABELS = {
    "smes_reached": lambda: _("SMEs in pilot projects"),
    "smes_served_by_platforms": lambda: _("SMEs served by service platforms"),
    "agreements": lambda: _("Access agreements made"),
    "applications": lambda: _("Pilot applications submitted"),
}
FIGURE_LINKS = {
    "smes_reached": "programmes:projects",
    "smes_served_by_platforms": "programmes:platforms",
    "applications": "programmes:calls",
}
METRIC_LINKS: dict[str, str] = {
    Metric.BATCHES: "catalog:lists",
    Metric.PILOT_PROJECTS: "programmes:projects",
    Metric.SERVICE_PLATFORMS: "programmes:platforms",
    Metric.SCENARIOS: "programmes:scenarios",
}


@dataclass
class TargetView:
    progress: kpi.Progress
    label: str
    link: str
    chart: charts.Chart


def _number(value: float) -> str:
    return kpi.format_number(value, get_language() or "en")


def target_chart(
    label: str, progress: kpi.Progress, months: list[Any], counts: list[int]
) -> charts.Chart:
    """A target's count at the end of each month, as a line against the target."""
    return charts.single(
        "line",
        _("%(label)s, count at the end of each month") % {"label": label},
        _("Month"),
        _("Count"),
        [
            (month.strftime("%Y-%m"), count, _number(count), "")
            for month, count in zip(months, counts, strict=True)
        ],
        target=progress.target,
        target_label=_("Target"),
        target_text=_number(progress.target),
        testid=f"kpi-chart-{progress.metric}",
    )


def kpi_page(request: HttpRequest) -> HttpResponse:
    """Progress against each target over time, breakdowns, figures; charts with data tables."""
    report = selectors.kpi_report(selectors.programme_by_code(request.GET.get("programme")))
    targets = []
    for p in report.progress:
        label = str(Metric(p.metric).label)
        targets.append(
            TargetView(
                progress=p,
                label=label,
                link=reverse(METRIC_LINKS[p.metric]),
                chart=target_chart(label, p, report.months, report.series[p.metric]),
            )
        )
    breakdowns = [
        (
            breakdown.key,
            charts.single(
                "hbar",
                BREAKDOWN_TITLES[breakdown.key](),
                _("Group"),
                _("Count"),
                [(label, value, _number(value), href) for label, value, href in breakdown.rows],
            ),
        )
        for breakdown in report.breakdowns
    ]
    context = {
        "report": report,
        "targets": targets,
        "breakdowns": breakdowns,
        "figures": [
            (FIGURE_LABELS[k](), v, reverse(FIGURE_LINKS[k]) if k in FIGURE_LINKS else "")
            for k, v in report.figures.items()
        ],
    }
    return render(request, "programmes/kpi.html", context)


def _kpi_rows() -> list[list[Any]]:
    """Every figure of the KPI page as rows: section, key, label, value, target, date."""
    report = selectors.kpi_report()
    rows: list[list[Any]] = []
    for p in report.progress:
        rows.append(
            ["target", p.metric, str(Metric(p.metric).label), p.current, p.target, str(p.due_on)]
        )
    for metric, values in report.series.items():
        for month, count in zip(report.months, values, strict=True):
            rows.append(["series", metric, str(Metric(metric).label), count, "", str(month)])
    for breakdown in report.breakdowns:
        for label, count, _link in breakdown.rows:
            rows.append(["breakdown", breakdown.key, label, count, "", ""])
    for key, value in report.figures.items():
        rows.append(["figure", key, FIGURE_LABELS[key](), value, "", ""])
    return rows


KPI_HEADER = ["section", "key", "label", "value", "target", "date"]


def kpi_csv(request: HttpRequest) -> HttpResponse:
    """The KPI page's figures as CSV: targets, monthly series and breakdowns, one row each."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kpi.csv"'
    writer = csv.writer(response)
    writer.writerow(KPI_HEADER)
    writer.writerows(_kpi_rows())
    return response


def kpi_xlsx(request: HttpRequest) -> HttpResponse:
    """The same figures as an Excel workbook."""
    response = HttpResponse(
        xlsx.workbook("KPI", KPI_HEADER, _kpi_rows()),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="kpi.xlsx"'
    return response


def calls(request: HttpRequest) -> HttpResponse:
    """Open calls and the calls closed or decided, for everyone."""
    return render(
        request,
        "programmes/calls.html",
        {
            "calls": selectors.public_calls().order_by("-opens_on", "pk"),
            "is_officer": is_officer(request.user),
        },
    )


def call_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A call's terms; once decided, each application's score, rank, outcome and reasons."""
    call = selectors.call_for_viewer(request.user, pk)
    outcomes = [
        (application, [reason_text(code) for code in application.selection_reasons])
        for application in selectors.decided_applications(call)
    ]
    return render(request, "programmes/call_detail.html", {"call": call, "outcomes": outcomes})


def reason_text(code: str) -> str:
    """A selection reason code (`programmes.selection`) in words."""
    kind, _sep, group = code.partition(":")
    texts = {
        "selected": _("Selected: among the highest total score within every rule"),
        "over_budget_alone": _("Its budget alone exceeds the call's budget"),
        "budget": _("The call's budget was used by higher-scored applications"),
        "max_projects": _("The call's number of projects was reached"),
        "sme_share": _("Adding it would lower the share of SME-led projects below the minimum"),
        "outscored": _("Higher-scored applications were preferred"),
    }
    if kind == "quota":
        return _("The quota of %(group)s was filled") % {"group": group}
    return texts.get(code, code)


def projects(request: HttpRequest) -> HttpResponse:
    """Pilot projects, filterable by region, industry, pillar and status (the KPI links here)."""
    queryset = selectors.counted_projects().select_related(
        "application__lead", "application__call", "application__region"
    )
    region = request.GET.get("region", "")[:6]
    if region:
        prefix = region[:2] if region.endswith("0000") else region
        queryset = queryset.filter(application__region__code__startswith=prefix)
    industry = request.GET.get("industry", "")[:4]
    if industry:
        queryset = queryset.filter(application__industry_code=industry)
    pillar = request.GET.get("pillar", "")
    if pillar in Pillar.values:
        queryset = queryset.filter(application__pillar=pillar)
    status = request.GET.get("status", "")
    if status in ProjectStatus.values:
        queryset = queryset.filter(status=status)
    page = Paginator(queryset.order_by("-created_at", "pk"), 50).get_page(request.GET.get("page"))
    return render(request, "programmes/projects.html", {"page": page})


def platforms(request: HttpRequest) -> HttpResponse:
    """The registry of service platforms; operating ones count towards the target."""
    rows = selectors.platform_registry()
    return render(
        request,
        "programmes/platforms.html",
        {"platforms": rows, "is_officer": is_officer(request.user)},
    )


def scenarios(request: HttpRequest) -> HttpResponse:
    """The registry of intelligent service application scenarios in every state."""
    rows = selectors.scenario_registry()
    organisation = organisation_of(request.user)
    return render(
        request,
        "programmes/scenarios.html",
        {
            "scenarios": rows,
            "is_officer": is_officer(request.user),
            "own_id": organisation.pk if organisation else None,
        },
    )
