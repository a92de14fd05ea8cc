"""Pages of the pilot workflow: officers run calls and decide, applicants apply, reviewers score.

Thin: each reads through a scoped selector, calls one service and shows its refusals on
the form; every rule lives in `programmes.services`.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from synergy_hub.accounts.permissions import (
    is_officer,
    organisation_of,
    require_member,
    require_officer,
)
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.catalog.models import Programme
from synergy_hub.programmes import selectors, services
from synergy_hub.programmes.forms import (
    ApplicationForm,
    CallForm,
    EvaluationForm,
    OverrideForm,
    PlatformForm,
    ProgrammeForm,
    ReportForm,
    ReviewerForm,
    ScenarioForm,
    ScoreForm,
    TargetForm,
)
from synergy_hub.programmes.services.targets import PROGRAMME_FIELDS
from synergy_hub.programmes.views import reason_text
from synergy_hub.programmes.vocabulary import CallState
from synergy_hub.web import attention
from synergy_hub.web.form_errors import apply_service_errors


def _messages_of(exc: ValidationError) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [str(m) for errors in exc.error_dict.values() for e in errors for m in e.messages]
    return [str(m) for m in exc.messages]


def _report(request: AuthenticatedRequest, exc: ValidationError) -> None:
    for text in _messages_of(exc):
        messages.error(request, text)


# --- officers ----------------------------------------------------------------------------


@login_required
def office(request: AuthenticatedRequest) -> HttpResponse:
    """Every call, drafts included, with the step each one is ready for."""
    require_officer(request.user)
    return render(request, "programmes/office.html", {"calls": selectors.office_calls()})


@login_required
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    """What needs the officer's attention today, from every app, with counts and links."""
    require_officer(request.user)
    groups: dict[str, list[attention.Item]] = {}
    for item in attention.collect(timezone.localdate()):
        groups.setdefault(item.group, []).append(item)
    return render(request, "programmes/dashboard.html", {"groups": groups})


@login_required
def programmes(request: AuthenticatedRequest) -> HttpResponse:
    """Every programme with its targets; officers create a province's own plan here."""
    require_officer(request.user)
    return render(
        request,
        "programmes/programmes.html",
        {"programmes": Programme.objects.prefetch_related("targets").order_by("code")},
    )


@login_required
def programme_form(request: AuthenticatedRequest, programme_code: str = "") -> HttpResponse:
    """Create a programme, or edit one and add its targets (officers)."""
    require_officer(request.user)
    programme = None
    if programme_code:
        programme = Programme.objects.filter(code=programme_code).first()
        if programme is None:
            raise Http404("programme not found")
    initial = {name: getattr(programme, name) for name in PROGRAMME_FIELDS} if programme else {}
    form = ProgrammeForm(request.POST or None, editing=programme is not None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_programme(request.user, form.cleaned_data, programme)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Programme saved."))
            return redirect("programmes:programme", programme_code=saved.code)
    return render(
        request,
        "programmes/programme_form.html",
        {"form": form, "programme": programme, "target_form": TargetForm()},
    )


@login_required
@require_POST
def add_programme_target(request: AuthenticatedRequest, programme_code: str) -> HttpResponse:
    """Give a programme a target (officers)."""
    require_officer(request.user)
    programme = Programme.objects.filter(code=programme_code).first()
    if programme is None:
        raise Http404("programme not found")
    target_form = TargetForm(request.POST)
    if target_form.is_valid():
        try:
            services.add_target(request.user, programme, target_form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(target_form, exc)
        else:
            messages.success(request, _("Target added."))
            return redirect("programmes:programme", programme_code=programme.code)
    form = ProgrammeForm(
        editing=True,
        initial={name: getattr(programme, name) for name in PROGRAMME_FIELDS},
    )
    return render(
        request,
        "programmes/programme_form.html",
        {"form": form, "programme": programme, "target_form": target_form},
    )


@login_required
def new_call(request: AuthenticatedRequest) -> HttpResponse:
    """Draft a call for the action plan's programme (officers); it is opened from the list."""
    require_officer(request.user)
    programme = Programme.objects.filter(code="2026-2028").first() or Programme.objects.first()
    if programme is None:
        raise Http404("no programme")
    form = CallForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            call = services.create_call(request.user, programme, form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The call was drafted."))
            return redirect("programmes:office_call", pk=call.pk)
    return render(request, "programmes/call_form.html", {"form": form})


@login_required
@require_POST
def call_step(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    """Open, close or decide a call (officers)."""
    require_officer(request.user)
    call = selectors.call_for_viewer(request.user, pk)
    steps = {
        "open": services.open_call,
        "close": services.close_call,
        "select": services.run_selection,
    }
    if step not in steps:
        raise Http404("unknown step")
    try:
        steps[step](request.user, call)
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect("programmes:office_call", pk=pk)


@login_required
def office_call(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The decision page: each application's reviews, score, rank and reasons, with actions."""
    require_officer(request.user)
    call = selectors.call_for_viewer(request.user, pk)
    rows = list(selectors.decision_rows(call))
    for row in rows:
        row.reason_texts = [reason_text(code) for code in row.selection_reasons]  # type: ignore[attr-defined]
    return render(
        request,
        "programmes/office_call.html",
        {
            "call": call,
            "rows": rows,
            "reviewer_form": ReviewerForm(),
            "override_form": OverrideForm(),
        },
    )


@login_required
@require_POST
def assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Assign a reviewer by e-mail address; a conflict of interest is shown and refused."""
    require_officer(request.user)
    application = selectors.application_for_party(request.user, pk)
    form = ReviewerForm(request.POST)
    if form.is_valid():
        reviewer = selectors.reviewer_by_email(form.cleaned_data["reviewer"])
        if reviewer is None:
            messages.error(request, _("No active user has this e-mail address."))
        else:
            try:
                services.assign_reviewer(request.user, application, reviewer)
            except ValidationError as exc:
                _report(request, exc)
            else:
                messages.success(request, _("The reviewer was assigned."))
    else:
        messages.error(request, _("Enter the reviewer's e-mail address."))
    return redirect("programmes:office_call", pk=application.call_id)


@login_required
@require_POST
def override(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_officer(request.user)
    application = selectors.application_for_party(request.user, pk)
    form = OverrideForm(request.POST)
    if form.is_valid():
        try:
            services.override_selection(
                request.user,
                application,
                selected=form.cleaned_data["selected"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            _report(request, exc)
        else:
            messages.success(request, _("The outcome was changed and recorded."))
    else:
        messages.error(request, _("Choose the outcome and give the reason."))
    return redirect("programmes:office_call", pk=application.call_id)


# --- applicants --------------------------------------------------------------------------


@login_required
def apply(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Apply to an open call for one's own organisation: saved as a draft, then submitted."""
    organisation = services.applicant_organisation(request.user)
    call = selectors.call_for_viewer(request.user, pk)
    if call.state != CallState.OPEN:
        raise Http404("call not open")
    form = ApplicationForm(
        request.POST or None,
        lead=organisation,
        partners=selectors.partner_choices(exclude=organisation.pk),
        resources=selectors.resource_choices(),
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.create_application(request.user, call, form.service_data())
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            try:
                services.submit_application(request.user, application)
            except ValidationError as exc:
                messages.warning(request, _("Saved as a draft; it cannot be submitted yet:"))
                _report(request, exc)
            else:
                messages.success(request, _("Your application was submitted."))
            return redirect("programmes:my_applications")
    return render(request, "programmes/apply.html", {"call": call, "form": form})


@login_required
def my_applications(request: AuthenticatedRequest) -> HttpResponse:
    organisation = services.applicant_organisation(request.user, write=False)
    return render(
        request,
        "programmes/my_applications.html",
        {"applications": selectors.applications_of(organisation)},
    )


@login_required
@require_POST
def application_step(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    """Submit or withdraw one's own application."""
    application = selectors.application_for_party(request.user, pk)
    steps = {"submit": services.submit_application, "withdraw": services.withdraw_application}
    if step not in steps:
        raise Http404("unknown step")
    try:
        steps[step](request.user, application)
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect("programmes:my_applications")


# --- reviewers ---------------------------------------------------------------------------


@login_required
def my_reviews(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request, "programmes/my_reviews.html", {"reviews": selectors.assignments_of(request.user)}
    )


@login_required
def review(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Score one's own assignment; other reviewers' scores are never shown here."""
    assignment = selectors.assignment_for_reviewer(request.user, pk)
    call = assignment.application.call
    form = ScoreForm(request.POST or None, call=call)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_scores(request.user, assignment, form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your scores were submitted."))
            return redirect("programmes:my_reviews")
    return render(
        request, "programmes/review.html", {"assignment": assignment, "form": form, "call": call}
    )


# --- projects: tracking and evaluation ---------------------------------------------------


def project(request: HttpRequest, pk: int) -> HttpResponse:
    """A pilot project's page: milestones, reports, evaluation and, when published, its
    replicable model; the lead reports progress here and an officer evaluates."""
    found = selectors.project_detail(pk)
    organisation = organisation_of(request.user)
    is_lead = organisation is not None and organisation.pk == found.application.lead_id
    context = {
        "project": found,
        "reports": found.reports.order_by("reported_at", "pk"),
        "see_evidence": selectors.may_see_evidence(request.user, found),
        "report_form": ReportForm(project=found) if is_lead and not found.evaluated_at else None,
        "evaluation_form": (
            EvaluationForm() if is_officer(request.user) and not found.evaluated_at else None
        ),
    }
    return render(request, "programmes/project.html", context)


@login_required
@require_POST
def report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    found = selectors.project_detail(pk)
    services.require_project_lead(request.user, found)
    form = ReportForm(request.POST, request.FILES, project=found)
    if form.is_valid():
        try:
            services.report_progress(
                request.user, found, form.cleaned_data, form.cleaned_data.get("evidence")
            )
        except ValidationError as exc:
            _report(request, exc)
        else:
            messages.success(request, _("Your report was recorded."))
    else:
        for name, errors in form.errors.items():
            label = form.fields[name].label if name in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else str(error))
    return redirect("programmes:project", pk=pk)


@login_required
@require_POST
def evaluate(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_officer(request.user)
    found = selectors.project_detail(pk)
    form = EvaluationForm(request.POST)
    if form.is_valid():
        try:
            services.evaluate_project(
                request.user,
                found,
                evaluation=form.cleaned_data["evaluation"],
                replicable_model=form.cleaned_data["replicable_model"],
            )
        except ValidationError as exc:
            _report(request, exc)
        else:
            messages.success(request, _("The evaluation was recorded."))
    else:
        messages.error(request, _("Write the final evaluation."))
    return redirect("programmes:project", pk=pk)


@login_required
def evidence(request: AuthenticatedRequest, pk: int) -> FileResponse:
    """Download a report's evidence (the project's parties and officers only)."""
    found = selectors.report_with_evidence(request.user, pk)
    path = services.evidence_file(found)
    if not path.is_file():
        raise Http404("evidence missing")
    return FileResponse(path.open("rb"), as_attachment=True, filename=found.evidence_name)


# --- registries: service platforms and scenarios -----------------------------------------


@login_required
def new_platform(request: AuthenticatedRequest) -> HttpResponse:
    """Register a service platform the member's platform enterprise or provider operates."""
    require_member(request.user, kinds=services.OPERATOR_KINDS)
    form = PlatformForm(request.POST or None, resources=selectors.resource_choices())
    if request.method == "POST" and form.is_valid():
        try:
            services.register_platform(request.user, form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The platform was registered; an officer confirms it."))
            return redirect("programmes:platforms")
    return render(request, "programmes/registry_form.html", {"form": form, "kind": "platform"})


@login_required
def new_scenario(request: AuthenticatedRequest) -> HttpResponse:
    """Propose an intelligent service application scenario for the member's organisation."""
    services.applicant_organisation(request.user)
    form = ScenarioForm(request.POST or None, resources=selectors.resource_choices())
    if request.method == "POST" and form.is_valid():
        try:
            services.propose_scenario(request.user, form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The scenario was proposed."))
            return redirect("programmes:scenarios")
    return render(request, "programmes/registry_form.html", {"form": form, "kind": "scenario"})


@login_required
@require_POST
def confirm_platform(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    try:
        services.confirm_platform(request.user, selectors.platform_by_id(pk))
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect("programmes:platforms")


@login_required
@require_POST
def scenario_step(request: AuthenticatedRequest, pk: int, step: str) -> HttpResponse:
    """The proposer pilots a scenario or records its evidence; an officer confirms it."""
    scenario = selectors.scenario_by_id(pk)
    try:
        if step == "pilot":
            services.start_scenario_pilot(request.user, scenario)
        elif step == "evidence":
            services.record_scenario_evidence(
                request.user, scenario, request.POST.get("evidence", "")
            )
        elif step == "confirm":
            services.confirm_scenario_implemented(request.user, scenario)
        else:
            raise Http404("unknown step")
    except ValidationError as exc:
        _report(request, exc)
    else:
        messages.success(request, _("Done."))
    return redirect("programmes:scenarios")
