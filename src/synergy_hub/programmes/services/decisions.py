"""Selection and what follows it: the exact optimum recorded with reasons, officers'
overrides, project status."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub.accounts.models import (
    OrganisationKind,
    User,
)
from synergy_hub.accounts.permissions import require_member, require_officer
from synergy_hub.audit.services import record
from synergy_hub.catalog.services.fields import choice
from synergy_hub.programmes import selection
from synergy_hub.programmes.models import (
    Application,
    PilotCall,
    PilotProject,
    ReviewAssignment,
)
from synergy_hub.programmes.services.applications import application_snapshot
from synergy_hub.programmes.services.calls import call_snapshot
from synergy_hub.programmes.services.common import (
    MAX_TEXT,
    MIN_REVIEWS,
    lock_row,
    refuse_state,
)
from synergy_hub.programmes.vocabulary import (
    ApplicationState,
    CallState,
    ProjectStatus,
)
from synergy_hub.validation import FieldErrors

POINTS = 10000  # a normalised score of 1.0 is worth this many integer points


def selection_problem(call: PilotCall, applications: list[Application]) -> selection.Problem:
    """The call's rules and its scored applications as the pure solver's integers."""
    candidates = []
    for order, app in enumerate(applications):
        groups = {f"pillar:{app.pillar}"}
        if app.region_id:
            groups.add(f"region:{app.region_id}")
            groups.add(f"region:{app.region_id[:2]}0000")
        if app.industry_code:
            groups.add(f"industry:{app.industry_code}")
        candidates.append(
            selection.Candidate(
                key=app.pk,
                points=round(float(app.score or 0) * POINTS),
                cost=app.budget,
                groups=frozenset(groups),
                sme_led=app.sme_led,
                order=order,
            )
        )
    return selection.Problem(
        candidates=candidates,
        budget=call.budget,
        quotas=dict(call.quotas),
        min_sme_share=call.min_sme_share,
        max_projects=call.max_projects,
    )


def run_selection(actor: User, call: PilotCall) -> selection.Result:
    """Select the call's projects exactly (decision 0019) and record each outcome and reason."""
    require_officer(actor)
    call = PilotCall.objects.get(pk=call.pk)  # the state now, not when the caller read it
    if call.state != CallState.CLOSED:
        raise refuse_state(_("Selection runs on a closed call."))
    applications = list(
        call.applications.filter(state=ApplicationState.SUBMITTED).order_by("submitted_at", "pk")
    )
    scored = {
        row["application"]: row["n"]
        for row in ReviewAssignment.objects.filter(
            application__in=applications, submitted_at__isnull=False
        )
        .values("application")
        .annotate(n=Count("pk"))
    }
    short = [a for a in applications if scored.get(a.pk, 0) < MIN_REVIEWS]
    if short:
        raise ValidationError(
            {
                "reviews": [
                    ValidationError(
                        _("%(count)d applications have fewer than %(min)d scores: %(titles)s.")
                        % {
                            "count": len(short),
                            "min": MIN_REVIEWS,
                            "titles": ", ".join(a.title for a in short[:5]),
                        },
                        code="too_few_reviews",
                    )
                ]
            }
        )
    result = selection.select(selection_problem(call, applications))
    outcomes = {o.key: o for o in result.outcomes}
    with transaction.atomic(durable=True):
        locked_call = lock_row(PilotCall, call.pk)
        if locked_call.state != CallState.CLOSED:
            raise refuse_state(_("Selection runs on a closed call."))
        for app in Application.objects.select_for_update().filter(
            pk__in=[a.pk for a in applications]
        ):
            outcome = outcomes[app.pk]
            before = application_snapshot(app)
            app.state = (
                ApplicationState.SELECTED if outcome.selected else ApplicationState.NOT_SELECTED
            )
            app.rank = outcome.rank
            app.selection_reasons = list(outcome.reasons)
            app.save(update_fields=["state", "rank", "selection_reasons"])
            if outcome.selected:
                PilotProject.objects.create(application=app)
            record(
                actor=actor,
                action="programmes.application.decided",
                obj=app,
                organisation_id=app.lead_id,
                before=before,
                after=application_snapshot(app),
            )
        before = call_snapshot(locked_call)
        locked_call.state = CallState.DECIDED
        locked_call.decided_at = timezone.now()
        locked_call.save(update_fields=["state", "decided_at"])
        record(
            actor=actor,
            action="programmes.call.decided",
            obj=locked_call,
            before=before,
            after=call_snapshot(locked_call)
            | {
                "selected": sorted(result.selected),
                "total_points": result.total_points,
                "total_cost": result.total_cost,
            },
        )
    return result


def override_selection(
    actor: User, application: Application, *, selected: bool, reason: str
) -> Application:
    """Let an officer overturn the solver's outcome for one application, with a written reason."""
    require_officer(actor)
    errors = FieldErrors()
    reason = errors.text("reason", reason, max_length=MAX_TEXT, required=True)
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        locked = lock_row(Application, application.pk)
        if locked.call.state != CallState.DECIDED or locked.state not in (
            ApplicationState.SELECTED,
            ApplicationState.NOT_SELECTED,
        ):
            raise refuse_state(_("Only decided applications can be overridden."))
        wanted = ApplicationState.SELECTED if selected else ApplicationState.NOT_SELECTED
        if locked.state == wanted:
            raise refuse_state(_("The application already has this outcome."))
        before = application_snapshot(locked)
        locked.state = wanted
        locked.override_reason = reason
        locked.save(update_fields=["state", "override_reason"])
        project = PilotProject.objects.filter(application=locked).first()
        if selected and project is None:
            PilotProject.objects.create(application=locked)
        elif not selected and project is not None:
            project.delete()
        record(
            actor=actor,
            action="programmes.application.overridden",
            obj=locked,
            organisation_id=locked.lead_id,
            before=before,
            after=application_snapshot(locked) | {"override_reason": reason},
        )
    return locked


def set_project_status(actor: User, project: PilotProject, status: str) -> PilotProject:
    """The lead organisation or an officer reports a project on track, at risk, late or done."""
    membership = require_member(actor)
    if (
        membership.organisation.kind != OrganisationKind.AUTHORITY
        and project.application.lead_id != membership.organisation_id
    ):
        raise PermissionDenied(_("This project belongs to another organisation."))
    errors = FieldErrors()
    status = choice(errors, "status", status, ProjectStatus.values, required=True)
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        locked = lock_row(PilotProject, project.pk)
        before = {"status": locked.status}
        locked.status = status
        locked.save(update_fields=["status"])
        record(
            actor=actor,
            action="programmes.project.status",
            obj=locked,
            organisation_id=locked.application.lead_id,
            before=before,
            after={"status": status},
        )
    return locked
