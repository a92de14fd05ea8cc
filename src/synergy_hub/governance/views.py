"""Pages of the governance app: thin; each reads through a scoped selector and calls a service."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from synergy_hub.accounts.permissions import (
    PUBLISHER_KINDS,
    is_officer,
    is_publisher,
    organisation_of,
    require_member,
)
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.governance import burden, rules, selectors, services
from synergy_hub.governance.forms import (
    BurdenForm,
    ComplaintForm,
    DecisionForm,
    EscalationForm,
    EvidenceForm,
    FeeScheduleForm,
    NoticeAnswerForm,
    PreferenceForm,
    PublishForm,
    RelationshipMeasureForm,
)
from synergy_hub.governance.models import Complaint
from synergy_hub.governance.services import SME_KINDS
from synergy_hub.governance.vocabulary import ComplaintCategory, Outcome, ScheduleState
from synergy_hub.matching.disclosure import ranking_disclosure
from synergy_hub.web.form_errors import apply_service_errors


def _errors(exc: ValidationError) -> str:
    return " ".join(str(message) for message in exc.messages)


def fee_schedules(request: HttpRequest) -> HttpResponse:
    """Every platform's fee schedules: in force, announced, and past versions (public)."""
    organisation = organisation_of(request.user)
    schedules = selectors.schedules_visible_to(request.user).order_by("platform_id", "-version")
    return render(
        request,
        "governance/fees.html",
        {
            "schedules": schedules,
            "now": timezone.now(),
            "can_publish": organisation is not None and organisation.kind in PUBLISHER_KINDS,
            "rule_sets": rules.RULE_SETS.values(),
        },
    )


def fee_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    """One schedule with its fees; its own platform may publish it while a draft."""
    schedule = selectors.schedule_for_viewer(request.user, pk)
    organisation = organisation_of(request.user)
    own = (
        organisation is not None
        and organisation.pk == schedule.platform_id
        and is_publisher(request.user)
    )
    rule_set = rules.rule_set(schedule.jurisdiction)
    return render(
        request,
        "governance/fee_schedule.html",
        {
            "schedule": schedule,
            "publish_form": PublishForm()
            if own and schedule.state == ScheduleState.DRAFT
            else None,
            "rule_set": rule_set,
            "earliest": rules.earliest_effective(timezone.now(), rule_set),
        },
    )


def fee_burden(request: HttpRequest) -> HttpResponse:
    """What a typical SME pays each platform per month, and how it changed (bar charts).

    Programme officers also see the versions whose increase passes the flag threshold.
    """
    form = BurdenForm(request.GET or None)
    size_class = "small"
    sales = units = None
    if form.is_bound and form.is_valid():
        size_class = form.cleaned_data["size_class"]
        sales, units = form.cleaned_data["sales"], form.cleaned_data["units"]
    typical_sales, typical_units = burden.TYPICAL_MONTH[size_class]
    sales = typical_sales if sales is None else sales
    units = typical_units if units is None else units
    rows = selectors.fee_burden(sales, units)
    top = max((p.cost for row in rows for p in row.points), default=0) or 1
    charts = [
        {
            "platform": row.platform,
            "bars": [{"point": p, "width": round(100 * p.cost / top)} for p in row.points],
        }
        for row in rows
    ]
    officer = is_officer(request.user)
    return render(
        request,
        "governance/burden.html",
        {
            "form": form,
            "sales": sales,
            "units": units,
            "charts": charts,
            "officer": officer,
            "threshold": settings.SYNERGY_FEE_INCREASE_FLAG_PERCENT,
            "flags": [(row.platform, p) for row in rows for p in row.points if p.flagged]
            if officer
            else [],
        },
    )


@login_required
def new_fee_schedule(request: AuthenticatedRequest) -> HttpResponse:
    require_member(request.user, kinds=PUBLISHER_KINDS)
    form = FeeScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.draft_fee_schedule(request.user, form.service_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Draft saved. Publish it with its effective date."))
            return redirect("governance:fee_schedule", pk=created.pk)
    return render(request, "governance/fee_form.html", {"form": form})


@login_required
@require_POST
def publish_fee_schedule(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    schedule = selectors.schedule_for_platform(request.user, pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            services.publish_fee_schedule(
                request.user, schedule, form.cleaned_data["effective_from"]
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Published. Affected SMEs were notified."))
    else:
        messages.error(request, _errors(ValidationError(form.errors)))
    return redirect("governance:fee_schedule", pk=schedule.pk)


@login_required
def fee_notices(request: AuthenticatedRequest) -> HttpResponse:
    """The fee changes the SME was told about: what changes, when, and its answer."""
    return render(
        request,
        "governance/notices.html",
        {
            "notices": selectors.notices_for(request.user),
            "form": NoticeAnswerForm(),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def answer_notice(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    notice = selectors.notice_for_owner(request.user, pk)
    form = NoticeAnswerForm(request.POST)
    if form.is_valid():
        try:
            services.answer_fee_notice(
                request.user, notice, form.cleaned_data["response"], form.cleaned_data["text"]
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Your answer was recorded and sent to the platform."))
    else:
        messages.error(request, _errors(ValidationError(form.errors)))
    return redirect("governance:notices")


def ranking(request: HttpRequest) -> HttpResponse:
    """Platforms' ranking disclosures beside the hub's own, and the user's ordering choice."""
    return render(
        request,
        "governance/ranking.html",
        {
            "disclosures": selectors.current_disclosures(),
            "hub": ranking_disclosure(),
            "form": PreferenceForm(
                initial={"non_personalised": selectors.is_non_personalised(request.user)}
            ),
        },
    )


@login_required
@require_POST
def ranking_preference(request: AuthenticatedRequest) -> HttpResponse:
    form = PreferenceForm(request.POST)
    form.is_valid()
    chosen = bool(form.cleaned_data.get("non_personalised"))
    services.set_ranking_preference(request.user, non_personalised=chosen)
    messages.success(
        request,
        _("Your searches now use the non-personalised ordering.")
        if chosen
        else _("Your searches now use the disclosed ordering with your profile."),
    )
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("governance:ranking")


@login_required
def complaints(request: AuthenticatedRequest) -> HttpResponse:
    """The complaints the user is a party to (officers: all)."""
    organisation = organisation_of(request.user)
    return render(
        request,
        "governance/complaints.html",
        {
            "complaints": selectors.complaints_for(request.user),
            "can_file": organisation is not None and organisation.kind in SME_KINDS,
        },
    )


@login_required
def new_complaint(request: AuthenticatedRequest) -> HttpResponse:
    require_member(request.user, kinds=SME_KINDS)
    # A statement of reasons links here with its platform and the type already chosen.
    initial = {k: request.GET[k] for k in ("platform", "category") if k in request.GET}
    form = ComplaintForm(
        request.POST or None,
        request.FILES or None,
        platforms=selectors.platforms(),
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        evidence = [data["evidence"]] if data.get("evidence") else []
        try:
            created = services.file_complaint(
                request.user, data["platform"], data, evidence=evidence
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(
                request, _("Your complaint was filed. The platform must answer in time.")
            )
            return redirect("governance:complaint", pk=created.pk)
    return render(request, "governance/complaint_form.html", {"form": form})


def _complaint_page(request: AuthenticatedRequest, complaint: Complaint) -> HttpResponse:
    organisation = organisation_of(request.user)
    is_platform = organisation is not None and organisation.pk == complaint.platform_id
    is_complainant = organisation is not None and organisation.pk == complaint.complainant_id
    return render(
        request,
        "governance/complaint.html",
        {
            "complaint": complaint,
            "steps": services.complaint_steps(complaint),
            "is_platform": is_platform,
            "decision_form": DecisionForm() if is_platform else None,
            "escalation_form": EscalationForm(
                mediators=selectors.mediators_of(complaint.platform_id)
            )
            if is_complainant
            else None,
            "mediators": selectors.mediators_of(complaint.platform_id),
            "mediator_shortfall": selectors.mediator_shortfall(complaint.platform_id),
            "evidence": complaint.evidence.defer("data"),
            "evidence_form": EvidenceForm()
            if is_complainant and complaint.decided_at is None
            else None,
        },
    )


@login_required
def complaint(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _complaint_page(request, selectors.complaint_for_party(request.user, pk))


@login_required
@require_POST
def add_evidence(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = selectors.complaint_for_party(request.user, pk)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.add_evidence(request.user, found, [form.cleaned_data["evidence"]])
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("The evidence was added."))
    else:
        messages.error(request, _errors(ValidationError(form.errors)))
    return redirect("governance:complaint", pk=pk)


@login_required
def evidence(request: AuthenticatedRequest, pk: int, evidence_id: int) -> HttpResponse:
    """Download one evidence file: only the complaint's parties (and officers) may."""
    found = selectors.evidence_for_party(request.user, pk, evidence_id)
    response = HttpResponse(bytes(found.data), content_type=found.content_type)
    response["Content-Disposition"] = content_disposition_header(True, found.name) or "attachment"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def acknowledge(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = selectors.complaint_for_party(request.user, pk)
    try:
        services.acknowledge_complaint(request.user, found)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    return redirect("governance:complaint", pk=pk)


@login_required
@require_POST
def decide(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = selectors.complaint_for_party(request.user, pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.decide_complaint(
                request.user, found, form.cleaned_data["outcome"], form.cleaned_data["reasons"]
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Your decision was sent to the SME."))
    else:
        messages.error(request, _errors(ValidationError(form.errors)))
    return redirect("governance:complaint", pk=pk)


@login_required
@require_POST
def escalate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = selectors.complaint_for_party(request.user, pk)
    form = EscalationForm(request.POST, mediators=selectors.mediators_of(found.platform_id))
    if form.is_valid():
        mediator = form.cleaned_data["mediator"]
        try:
            services.escalate_complaint(
                request.user, found, mediator_id=mediator.pk if mediator else None
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("The complaint was escalated."))
    else:
        messages.error(request, _errors(ValidationError(form.errors)))
    return redirect("governance:complaint", pk=pk)


def _bars(counts: dict[str, int], labels: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows of a bar chart drawn in CSS: label, count and width in percent of the largest."""
    top = max(counts.values(), default=0) or 1
    return [
        {"label": labels.get(key, key), "count": count, "width": round(100 * count / top)}
        for key, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]


def statistics(request: HttpRequest) -> HttpResponse:
    """P2B Art 11(4)'s yearly complaint figures per platform, with bar charts (public)."""
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    year = min(max(year, 2000), 2100)
    categories = dict(ComplaintCategory.choices)
    outcomes = dict(Outcome.choices)
    by_platform = selectors.statistics_by_platform(year)
    shown = [
        platform
        for platform in selectors.platforms()
        if platform.pk in by_platform or is_officer(request.user)
    ]
    shortfalls = selectors.mediator_shortfalls([platform.pk for platform in shown])
    empty = rules.complaint_statistics([])
    rows = []
    for platform in shown:
        figures = by_platform.get(platform.pk, empty)
        rows.append(
            {
                "platform": platform,
                "figures": figures,
                "types": _bars(dict(figures.by_category), categories),
                "outcomes": _bars(dict(figures.outcomes), outcomes),
                "mediator_shortfall": shortfalls[platform.pk],
            }
        )
    return render(
        request,
        "governance/statistics.html",
        {
            "year": year,
            "rows": rows,
            "overall_total": sum(figures.total for figures in by_platform.values()),
        },
    )


@login_required
def measures(request: AuthenticatedRequest) -> HttpResponse:
    """Restrictions, suspensions and terminations of whole relationships the user is party to."""
    organisation = organisation_of(request.user)
    can_take = organisation is not None and is_publisher(request.user)
    now = timezone.now()
    shown = list(selectors.measures_for(request.user).prefetch_related("carried_out_by"))
    # The lift button: for the platform's own write members, while the state allows it.
    liftable = {
        measure.pk
        for measure in shown
        if can_take
        and organisation is not None
        and measure.provider_id == organisation.pk
        and services.can_lift(measure, now)
    }
    return render(
        request,
        "governance/measures.html",
        {
            "measures": shown,
            "can_take": can_take,
            "is_sme": organisation is not None and organisation.kind in SME_KINDS,
            "liftable": liftable,
        },
    )


@login_required
@require_POST
def lift_measure(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The platform lifts its restriction or suspension, or withdraws its termination."""
    found = selectors.measure_for_party(request.user, pk)
    # The service checks who acts first (403), then the reason (required, 2000 characters).
    try:
        services.lift_relationship_measure(
            request.user, found, {"reason": request.POST.get("reason", "")}
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request, _("The measure was lifted; the SME was told and may request again.")
        )
    return redirect("governance:measures")


@login_required
def new_measure(request: AuthenticatedRequest) -> HttpResponse:
    """A platform restricts, suspends or terminates its relationship with an SME."""
    membership = require_member(request.user, kinds=PUBLISHER_KINDS)
    platform = membership.organisation
    form = RelationshipMeasureForm(
        request.POST or None,
        platform=platform,
        smes=selectors.related_smes(platform),
        resources=selectors.own_resource_choices(platform),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.take_relationship_measure(
                request.user, data.pop("consumer"), data.pop("kind"), data
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The measure and its statement of reasons were recorded."))
            return redirect("governance:measures")
    return render(request, "governance/measure_form.html", {"form": form})
