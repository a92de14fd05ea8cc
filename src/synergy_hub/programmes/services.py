"""Every change of the programme office's records goes through a function here.

Each public service `verb_noun(actor, …)` checks who may act, validates its input (field
errors raised together as one `ValidationError`), then in one
`transaction.atomic(durable=True)` locks the row it changes, re-checks the state under the
lock, writes and appends the audit event. The rules that need no database (eligibility,
conflicts, scores, selection) live in `programmes.rules` and `programmes.selection`.
"""

from __future__ import annotations

import datetime
import hashlib
import itertools
import uuid
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub.access.models import Agreement
from synergy_hub.accounts.models import (
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Region,
    Role,
    User,
)
from synergy_hub.accounts.permissions import membership_of, require_member, require_officer
from synergy_hub.audit.services import record
from synergy_hub.catalog.models import Programme, Resource
from synergy_hub.catalog.selectors import published_resources
from synergy_hub.catalog.services.fields import choice, optional_date
from synergy_hub.catalog.vocabulary import Pillar
from synergy_hub.languages import as_list
from synergy_hub.programmes import rules, selection
from synergy_hub.programmes.models import (
    Application,
    ParentOrganisation,
    PilotCall,
    PilotProject,
    ProgrammeTarget,
    ProjectReport,
    ReviewAssignment,
    Scenario,
    ServicePlatform,
)
from synergy_hub.programmes.vocabulary import (
    AiCapability,
    ApplicationState,
    CallState,
    Metric,
    PlatformState,
    ProjectStatus,
    ScenarioState,
)
from synergy_hub.validation import FieldErrors

#: Organisations that may lead or join a pilot application.
APPLICANT_KINDS = frozenset(
    {OrganisationKind.SME, OrganisationKind.PLATFORM, OrganisationKind.PROVIDER}
)
#: Organisations that may operate a service platform.
OPERATOR_KINDS = frozenset({OrganisationKind.PLATFORM, OrganisationKind.PROVIDER})
#: An application is decided on at least this many independent scores.
MIN_REVIEWS = 3
#: Agreements in these states make a reviewer's organisation a business partner.
LIVE_AGREEMENT_STATES = ("agreed", "active", "suspended")
MAX_TITLE = 200
MAX_TEXT = 5000
MAX_BUDGET = 10**12
MAX_PARTNERS = 20
MAX_RESOURCES = 50
MAX_MILESTONES = 20

#: The action plan's own targets, seeded for its programme (end of 2028).
PLAN_TARGETS = {
    Metric.BATCHES: 3,
    Metric.PILOT_PROJECTS: 100,
    Metric.SERVICE_PLATFORMS: 10,
    Metric.SCENARIOS: 60,
}
PLAN_DUE = datetime.date(2028, 12, 31)


def _refuse_state(message: str) -> ValidationError:
    return ValidationError({"state": [ValidationError(message, code="invalid_state")]})


def _lock(model: Any, pk: int) -> Any:
    return model.objects.select_for_update().get(pk=pk)


# --- targets -----------------------------------------------------------------------------


def seed_plan_targets(programme: Programme) -> list[ProgrammeTarget]:
    """Give the action plan's programme its four numeric 2028 targets (idempotent)."""
    targets = []
    with transaction.atomic():
        for metric, number in PLAN_TARGETS.items():
            target, created = ProgrammeTarget.objects.get_or_create(
                programme=programme, metric=metric, due_on=PLAN_DUE, defaults={"number": number}
            )
            if created:
                record(
                    actor=None,
                    action="programmes.target.seeded",
                    obj=target,
                    after={"metric": metric, "number": number, "due_on": PLAN_DUE},
                )
            targets.append(target)
    return targets


def add_target(actor: User, programme: Programme, data: Mapping[str, Any]) -> ProgrammeTarget:
    """Let an officer give a programme (e.g. a province's own plan) a target of its own."""
    require_officer(actor)
    errors = FieldErrors()
    metric = choice(errors, "metric", data.get("metric"), Metric.values, required=True)
    number = errors.integer("number", data.get("number"), minimum=1, required=True)
    due_on = optional_date(errors, "due_on", data.get("due_on"))
    if due_on is None and not errors.has("due_on"):
        errors.add("due_on", _("This field is required."), "required")
    errors.raise_if_any()
    assert number is not None and due_on is not None  # checked above
    if ProgrammeTarget.objects.filter(programme=programme, metric=metric, due_on=due_on).exists():
        errors.add(
            "due_on", _("This programme already has a target for this metric and date."), "unique"
        )
        errors.raise_if_any()
    with transaction.atomic(durable=True):
        target = ProgrammeTarget.objects.create(
            programme=programme, metric=metric, number=number, due_on=due_on
        )
        record(
            actor=actor,
            action="programmes.target.added",
            obj=target,
            organisation_id=None,
            after={"metric": metric, "number": number, "due_on": due_on},
        )
    return target


# --- calls -------------------------------------------------------------------------------


def _clean_rubric(errors: FieldErrors, value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value:
        errors.add("rubric", _("Give at least one criterion with a key and a weight."), "required")
        return []
    rubric: list[dict[str, Any]] = []
    keys: set[str] = set()
    for item in value[:20]:
        key = str(item.get("key", "")).strip() if isinstance(item, dict) else ""
        try:
            weight = float(item.get("weight", 0)) if isinstance(item, dict) else 0.0
        except (TypeError, ValueError):
            weight = 0.0
        if not key or key in keys or not 0 < weight <= 100:
            errors.add(
                "rubric",
                _("Each criterion needs its own key and a weight above 0 and at most 100."),
                "invalid",
            )
            return []
        keys.add(key)
        rubric.append(
            {
                "key": key[:40],
                "label_zh": str(item.get("label_zh", key))[:100],
                "label_en": str(item.get("label_en", key))[:100],
                "weight": weight,
            }
        )
    return rubric


def _clean_quotas(errors: FieldErrors, value: Any) -> dict[str, int]:
    if value in (None, ""):
        return {}
    if not isinstance(value, dict):
        errors.add("quotas", _("Give quotas as group → most projects."), "invalid")
        return {}
    quotas: dict[str, int] = {}
    for group, maximum in value.items():
        kind, _sep, code = str(group).partition(":")
        if kind not in ("region", "industry", "pillar") or not code:
            errors.add(
                "quotas",
                _("“%(group)s” is not a quota group (region:…, industry:… or pillar:…).")
                % {"group": str(group)[:40]},
                "invalid",
            )
            continue
        if kind == "pillar" and code not in Pillar.values:
            errors.add("quotas", _("Unknown pillar “%(code)s”.") % {"code": code[:20]}, "invalid")
            continue
        number = errors.integer("quotas", maximum, minimum=0, maximum=100000, required=True)
        if number is not None:
            quotas[f"{kind}:{code}"] = number
    return quotas


def clean_call_data(data: Mapping[str, Any], errors: FieldErrors) -> dict[str, Any]:
    """Validate a call's fields: texts, pillars, kinds, budget, quotas, rubric and dates."""
    clean: dict[str, Any] = {
        "title_zh": errors.text("title_zh", data.get("title_zh"), max_length=MAX_TITLE),
        "title_en": errors.text("title_en", data.get("title_en"), max_length=300),
        "description_zh": errors.text(
            "description_zh", data.get("description_zh"), max_length=MAX_TEXT
        ),
        "description_en": errors.text(
            "description_en", data.get("description_en"), max_length=MAX_TEXT
        ),
        "themes": [t[:100] for t in as_list(data.get("themes"))][:20],
        "budget": errors.integer(
            "budget", data.get("budget"), minimum=1, maximum=MAX_BUDGET, required=True
        ),
        "min_sme_share": errors.integer(
            "min_sme_share", data.get("min_sme_share", 0), minimum=0, maximum=100
        )
        or 0,
        "max_projects": errors.integer(
            "max_projects", data.get("max_projects"), minimum=1, maximum=100000
        ),
        "scale_max": errors.integer("scale_max", data.get("scale_max", 10), minimum=1, maximum=100)
        or 10,
        "quotas": _clean_quotas(errors, data.get("quotas")),
        "rubric": _clean_rubric(errors, data.get("rubric")),
    }
    errors.require_one(clean, ("title_zh", "title_en"), _("Give the title in Chinese or English."))
    pillars = as_list(data.get("pillars"))
    clean["pillars"] = [choice(errors, "pillars", p, Pillar.values, required=True) for p in pillars]
    if not pillars:
        errors.add("pillars", _("Choose at least one pillar."), "required")
    kinds = as_list(data.get("eligible_kinds")) or sorted(APPLICANT_KINDS)
    clean["eligible_kinds"] = [
        choice(errors, "eligible_kinds", k, sorted(APPLICANT_KINDS), required=True) for k in kinds
    ]
    for field in ("opens_on", "closes_on", "review_by", "decide_by"):
        clean[field] = optional_date(errors, field, data.get(field))
        if clean[field] is None and not errors.has(field):
            errors.add(field, _("This field is required."), "required")
    order = ("opens_on", "closes_on", "review_by", "decide_by")
    for earlier, later in itertools.pairwise(order):
        if clean.get(earlier) and clean.get(later) and clean[later] < clean[earlier]:
            errors.add(later, _("This date must not be before the previous step's."), "order")
    return clean


def call_snapshot(call: PilotCall) -> dict[str, Any]:
    return {
        "title_zh": call.title_zh,
        "state": call.state,
        "budget": call.budget,
        "quotas": call.quotas,
        "min_sme_share": call.min_sme_share,
        "max_projects": call.max_projects,
        "opens_on": call.opens_on,
        "closes_on": call.closes_on,
    }


def create_call(actor: User, programme: Programme, data: Mapping[str, Any]) -> PilotCall:
    """Draft a pilot call (officers only); it is seen by the public once opened."""
    require_officer(actor)
    errors = FieldErrors()
    clean = clean_call_data(data, errors)
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        call = PilotCall.objects.create(programme=programme, created_by=actor, **clean)
        record(
            actor=actor,
            action="programmes.call.created",
            obj=call,
            after=call_snapshot(call),
        )
    return call


def _move_call(actor: User, call: PilotCall, source: str, target: str, action: str) -> PilotCall:
    require_officer(actor)
    with transaction.atomic(durable=True):
        locked = _lock(PilotCall, call.pk)
        if locked.state != source:
            raise _refuse_state(
                _("The call is %(state)s; this step needs it %(needed)s.")
                % {"state": locked.get_state_display(), "needed": CallState(source).label}
            )
        before = call_snapshot(locked)
        locked.state = target
        locked.save(update_fields=["state"])
        record(actor=actor, action=action, obj=locked, before=before, after=call_snapshot(locked))
    return locked


def open_call(actor: User, call: PilotCall) -> PilotCall:
    """Open a drafted call for applications (the public sees it from now on)."""
    if call.closes_on < timezone.localdate():
        raise ValidationError(
            {"closes_on": [ValidationError(_("The closing date has passed."), code="past")]}
        )
    return _move_call(actor, call, CallState.DRAFT, CallState.OPEN, "programmes.call.opened")


def close_call(actor: User, call: PilotCall) -> PilotCall:
    """Close a call: no more submissions; review and selection follow."""
    return _move_call(actor, call, CallState.OPEN, CallState.CLOSED, "programmes.call.closed")


# --- applications ------------------------------------------------------------------------


def _applicant(actor: User) -> Organisation:
    return require_member(actor, kinds=APPLICANT_KINDS).organisation


def applicant_organisation(actor: User, *, write: bool = True) -> Organisation:
    """The organisation an SME, platform or provider member applies for, or PermissionDenied."""
    if write:
        return _applicant(actor)
    return require_member(actor, kinds=APPLICANT_KINDS, roles=frozenset(Role.values)).organisation


def require_own_application(actor: User, application: Application) -> Organisation:
    """Refuse anyone but a member (write role) of the application's lead organisation."""
    organisation = _applicant(actor)
    if application.lead_id != organisation.pk:
        raise PermissionDenied(_("This application belongs to another organisation."))
    return organisation


def _clean_milestones(errors: FieldErrors, value: Any) -> list[dict[str, Any]]:
    if value in (None, ""):
        return []
    if not isinstance(value, list):
        errors.add("milestones", _("Give milestones as a list."), "invalid")
        return []
    milestones: list[dict[str, Any]] = []
    for item in value[:MAX_MILESTONES]:
        if not isinstance(item, dict):
            errors.add("milestones", _("Each milestone needs a title and a due date."), "invalid")
            return []
        title = errors.text("milestones", item.get("title"), max_length=MAX_TITLE, required=True)
        due = optional_date(errors, "milestones", item.get("due_on"))
        kpi = errors.text("milestones", item.get("kpi"), max_length=500)
        if due is None and not errors.has("milestones"):
            errors.add("milestones", _("Each milestone needs a title and a due date."), "required")
        milestones.append({"title": title, "due_on": due.isoformat() if due else "", "kpi": kpi})
    return milestones


def clean_application_data(
    data: Mapping[str, Any], errors: FieldErrors, lead: Organisation
) -> dict[str, Any]:
    """Validate an application's fields; partners and resources must exist and be visible."""
    clean: dict[str, Any] = {
        "title": errors.text("title", data.get("title"), max_length=MAX_TITLE, required=True),
        "scenario": errors.text(
            "scenario", data.get("scenario"), max_length=MAX_TEXT, required=True
        ),
        "pillar": choice(errors, "pillar", data.get("pillar"), Pillar.values, required=True),
        "budget": errors.integer(
            "budget", data.get("budget"), minimum=1, maximum=MAX_BUDGET, required=True
        ),
        "milestones": _clean_milestones(errors, data.get("milestones")),
    }
    partner_ids = _ids(errors, "partners", data.get("partners"), MAX_PARTNERS)
    partners = list(
        Organisation.objects.filter(
            pk__in=partner_ids, status=OrganisationStatus.APPROVED, kind__in=APPLICANT_KINDS
        ).exclude(pk=lead.pk)
    )
    if len(partners) != len(set(partner_ids) - {lead.pk}):
        errors.add(
            "partners",
            _("Partners must be approved SMEs, platforms or providers other than the lead."),
            "invalid_choice",
        )
    clean["partners"] = partners
    resource_ids = _ids(errors, "resources", data.get("resources"), MAX_RESOURCES)
    resources = list(published_resources().filter(pk__in=resource_ids))
    if len(resources) != len(set(resource_ids)):
        errors.add(
            "resources",
            _("Only resources on published openness lists can be used."),
            "invalid_choice",
        )
    clean["resources"] = resources
    return clean


def _ids(errors: FieldErrors, field: str, value: Any, most: int) -> list[int]:
    items = as_list(value) if not isinstance(value, list) else [str(v) for v in value]
    if len(items) > most:
        errors.add(field, _("At most %(max)d items are allowed.") % {"max": most}, "max_items")
        return []
    ids = []
    for item in items:
        try:
            ids.append(int(item))
        except ValueError:
            errors.add(field, _("Enter whole-number identifiers."), "invalid")
            return []
    return ids


def application_snapshot(application: Application) -> dict[str, Any]:
    return {
        "title": application.title,
        "state": application.state,
        "budget": application.budget,
        "pillar": application.pillar,
        "lead": application.lead_id,
        "score": application.score,
        "rank": application.rank,
        "reasons": application.selection_reasons,
    }


def create_application(actor: User, call: PilotCall, data: Mapping[str, Any]) -> Application:
    """Draft an application to an open call for the actor's own organisation (the lead)."""
    lead = _applicant(actor)
    if call.state != CallState.OPEN:
        raise _refuse_state(_("The call is not open for applications."))
    errors = FieldErrors()
    clean = clean_application_data(data, errors, lead)
    errors.raise_if_any()
    partners = clean.pop("partners")
    resources = clean.pop("resources")
    with transaction.atomic(durable=True):
        application = Application.objects.create(call=call, lead=lead, created_by=actor, **clean)
        application.partners.set(partners)
        application.resources.set(resources)
        record(
            actor=actor,
            action="programmes.application.created",
            obj=application,
            organisation_id=lead.pk,
            after=application_snapshot(application) | {"partners": sorted(p.pk for p in partners)},
        )
    return application


def eligibility_of(application: Application) -> list[str]:
    """The reasons (codes of `programmes.rules`) an application may not be submitted."""
    call = application.call
    today = timezone.localdate()
    resources = list(application.resources.select_related("openness_list"))
    facts = rules.ApplicationFacts(
        lead_kind=application.lead.kind,
        partner_kinds=[p.kind for p in application.partners.all()],
        eligible_kinds=call.eligible_kinds,
        pillar=application.pillar,
        call_pillars=call.pillars,
        resource_published=[r.openness_list.state == "published" for r in resources],
        milestone_count=len(application.milestones),
        call_open=call.state == CallState.OPEN and call.opens_on <= today <= call.closes_on,
    )
    return rules.eligibility_problems(facts)


def eligibility_messages() -> dict[str, str]:
    """Each eligibility reason code in words, for the pages and the API."""
    return {
        rules.CALL_CLOSED: _("The call is not open for submissions (closed or past its deadline)."),
        rules.LEAD_KIND: _("The call does not accept this kind of lead organisation."),
        rules.NO_SME: _("At least one SME must lead or join the application."),
        rules.NO_PUBLISHER: _("At least one platform enterprise or service provider must join."),
        rules.PILLAR_NOT_IN_CALL: _("The application's pillar is not one of the call's."),
        rules.NO_RESOURCE: _("Name at least one resource from a published openness list."),
        rules.RESOURCE_NOT_PUBLISHED: _("A resource named is no longer published."),
        rules.NO_MILESTONE: _("Give at least one milestone with its KPI."),
    }


def submit_application(actor: User, application: Application) -> Application:
    """Submit a draft before the deadline; eligibility is checked and every reason shown."""
    lead = require_own_application(actor, application)
    with transaction.atomic(durable=True):
        locked = _lock(Application, application.pk)
        if locked.state != ApplicationState.DRAFT:
            raise _refuse_state(_("Only a draft can be submitted."))
        problems = eligibility_of(locked)
        if problems:
            messages = eligibility_messages()
            raise ValidationError(
                {"eligibility": [ValidationError(messages[p], code=p) for p in problems]}
            )
        before = application_snapshot(locked)
        locked.state = ApplicationState.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.region_id = lead.region_id
        locked.industry_code = (lead.industry_id or "")[:4]
        locked.sme_led = lead.kind == OrganisationKind.SME
        locked.save(update_fields=["state", "submitted_at", "region", "industry_code", "sme_led"])
        record(
            actor=actor,
            action="programmes.application.submitted",
            obj=locked,
            organisation_id=lead.pk,
            before=before,
            after=application_snapshot(locked),
        )
    return locked


def withdraw_application(actor: User, application: Application) -> Application:
    """Withdraw a draft or submitted application while the call is still open."""
    lead = require_own_application(actor, application)
    with transaction.atomic(durable=True):
        locked = _lock(Application, application.pk)
        if locked.state not in (ApplicationState.DRAFT, ApplicationState.SUBMITTED):
            raise _refuse_state(_("This application can no longer be withdrawn."))
        if locked.call.state != CallState.OPEN:
            raise _refuse_state(_("The call is closed: applications can no longer be withdrawn."))
        before = application_snapshot(locked)
        locked.state = ApplicationState.WITHDRAWN
        locked.save(update_fields=["state"])
        record(
            actor=actor,
            action="programmes.application.withdrawn",
            obj=locked,
            organisation_id=lead.pk,
            before=before,
            after=application_snapshot(locked),
        )
    return locked


# --- review ------------------------------------------------------------------------------


def conflicts_of(reviewer_org: Organisation, application: Application) -> list[str]:
    """The conflicts of interest (codes of `programmes.rules`) of a reviewer's organisation."""
    parties = [application.lead_id, *application.partners.values_list("pk", flat=True)]
    orgs = {reviewer_org.pk, *parties}
    parents = dict(
        ParentOrganisation.objects.filter(organisation_id__in=orgs).values_list(
            "organisation_id", "parent_id"
        )
    )
    pairs = Agreement.objects.filter(
        Q(provider_id=reviewer_org.pk, consumer_id__in=parties)
        | Q(consumer_id=reviewer_org.pk, provider_id__in=parties),
        state__in=LIVE_AGREEMENT_STATES,
    ).values_list("provider_id", "consumer_id")
    return rules.conflicts(reviewer_org.pk, parties, parents, list(pairs))


def conflict_messages() -> dict[str, str]:
    return {
        rules.CONFLICT_PARTY: _("The reviewer's organisation leads or joins this application."),
        rules.CONFLICT_GROUP: _(
            "The reviewer's organisation shares a parent organisation with a party."
        ),
        rules.CONFLICT_AGREEMENT: _(
            "The reviewer's organisation has an active agreement with a party."
        ),
    }


def assign_reviewer(actor: User, application: Application, reviewer: User) -> ReviewAssignment:
    """Assign a reviewer to a submitted application; a conflict of interest is refused."""
    require_officer(actor)
    membership = membership_of(reviewer)
    if membership is None or not reviewer.is_active:
        raise ValidationError(
            {
                "reviewer": [
                    ValidationError(
                        _("The reviewer must be an active member of an organisation."),
                        code="invalid",
                    )
                ]
            }
        )
    found = conflicts_of(membership.organisation, application)
    if found:
        messages = conflict_messages()
        raise ValidationError({"reviewer": [ValidationError(messages[c], code=c) for c in found]})
    with transaction.atomic(durable=True):
        locked = _lock(Application, application.pk)
        if locked.state != ApplicationState.SUBMITTED:
            raise _refuse_state(_("Only submitted applications are reviewed."))
        if locked.call.state == CallState.DECIDED:
            raise _refuse_state(_("The call has been decided."))
        if ReviewAssignment.objects.filter(application=locked, reviewer=reviewer).exists():
            raise ValidationError(
                {
                    "reviewer": [
                        ValidationError(
                            _("This reviewer is already assigned to the application."),
                            code="unique",
                        )
                    ]
                }
            )
        assignment = ReviewAssignment.objects.create(
            application=locked,
            reviewer=reviewer,
            reviewer_organisation=membership.organisation,
            assigned_by=actor,
        )
        record(
            actor=actor,
            action="programmes.review.assigned",
            obj=assignment,
            after={"application": locked.pk, "reviewer": reviewer.pk},
        )
    return assignment


def _rubric(call: PilotCall) -> list[rules.Criterion]:
    return [rules.Criterion(c["key"], float(c["weight"])) for c in call.rubric]


def submit_scores(
    actor: User, assignment: ReviewAssignment, scores: Mapping[str, Any]
) -> ReviewAssignment:
    """Record a reviewer's scores once; outlying scores among the application's are flagged."""
    if assignment.reviewer_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the assigned reviewer may score."))
    call = assignment.application.call
    errors = FieldErrors()
    clean: dict[str, int] = {}
    for criterion in call.rubric:
        value = errors.integer(
            f"scores.{criterion['key']}",
            scores.get(criterion["key"]),
            minimum=0,
            maximum=call.scale_max,
            required=True,
        )
        if value is not None:
            clean[criterion["key"]] = value
    unknown = set(scores) - {c["key"] for c in call.rubric}
    if unknown:
        errors.add(
            "scores",
            _("Unknown criteria: %(keys)s.") % {"keys": ", ".join(sorted(unknown))[:200]},
            "invalid",
        )
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        locked = _lock(ReviewAssignment, assignment.pk)
        if locked.submitted_at is not None:
            raise _refuse_state(_("These scores were already submitted."))
        if locked.application.state != ApplicationState.SUBMITTED:
            raise _refuse_state(_("Only submitted applications are reviewed."))
        if locked.application.call.state == CallState.DECIDED:
            raise _refuse_state(_("The call has been decided."))
        locked.scores = clean
        locked.total = Decimal(
            str(round(rules.weighted_score(_rubric(call), clean, call.scale_max), 4))
        )
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["scores", "total", "submitted_at"])
        _rescore(locked.application)
        record(
            actor=actor,
            action="programmes.review.scored",
            obj=locked,
            after={"scores": clean, "total": locked.total},
        )
    return locked


def _rescore(application: Application) -> None:
    """Refresh the outlier flags and the application's mean score (inside the transaction)."""
    reviews = list(
        ReviewAssignment.objects.select_for_update()
        .filter(application=application, submitted_at__isnull=False)
        .order_by("pk")
    )
    totals = [float(r.total or 0) for r in reviews]
    for review, flagged in zip(reviews, rules.outliers(totals), strict=True):
        if review.outlier != flagged:
            review.outlier = flagged
            review.save(update_fields=["outlier"])
    score = Decimal(str(round(sum(totals) / len(totals), 4))) if totals else None
    Application.objects.filter(pk=application.pk).update(score=score)


# --- selection ---------------------------------------------------------------------------

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
        raise _refuse_state(_("Selection runs on a closed call."))
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
        locked_call = _lock(PilotCall, call.pk)
        if locked_call.state != CallState.CLOSED:
            raise _refuse_state(_("Selection runs on a closed call."))
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
        locked = _lock(Application, application.pk)
        if locked.call.state != CallState.DECIDED or locked.state not in (
            ApplicationState.SELECTED,
            ApplicationState.NOT_SELECTED,
        ):
            raise _refuse_state(_("Only decided applications can be overridden."))
        wanted = ApplicationState.SELECTED if selected else ApplicationState.NOT_SELECTED
        if locked.state == wanted:
            raise _refuse_state(_("The application already has this outcome."))
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
        locked = _lock(PilotProject, project.pk)
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


# --- service platforms and scenarios -----------------------------------------------------


def _region(errors: FieldErrors, value: Any) -> Region | None:
    code = str(value or "").strip()
    region = Region.objects.filter(pk=code).first() if code else None
    if region is None:
        errors.add(
            "region",
            _("Choose a valid administrative division code (GB/T 2260)."),
            "invalid_choice",
        )
    return region


def _links(errors: FieldErrors, data: Mapping[str, Any]) -> tuple[list[Resource], list[Agreement]]:
    resource_ids = _ids(errors, "resources", data.get("resources"), MAX_RESOURCES)
    resources = list(published_resources().filter(pk__in=resource_ids))
    if len(resources) != len(set(resource_ids)):
        errors.add(
            "resources",
            _("Only resources on published openness lists can be used."),
            "invalid_choice",
        )
    agreement_ids = _ids(errors, "agreements", data.get("agreements"), MAX_RESOURCES)
    return resources, agreement_ids  # type: ignore[return-value]


def _own_agreements(
    errors: FieldErrors, organisation: Organisation, ids: list[int]
) -> list[Agreement]:
    agreements = list(
        Agreement.objects.filter(pk__in=ids).filter(
            Q(provider=organisation) | Q(consumer=organisation)
        )
    )
    if len(agreements) != len(set(ids)):
        errors.add(
            "agreements",
            _("Only agreements your organisation is a party to can be linked."),
            "invalid_choice",
        )
    return agreements


def register_platform(actor: User, data: Mapping[str, Any]) -> ServicePlatform:
    """A platform enterprise or provider registers a service platform it operates."""
    operator = require_member(actor, kinds=OPERATOR_KINDS).organisation
    errors = FieldErrors()
    clean = {
        "name_zh": errors.text("name_zh", data.get("name_zh"), max_length=MAX_TITLE, required=True),
        "name_en": errors.text("name_en", data.get("name_en"), max_length=300),
        "services": errors.text(
            "services", data.get("services"), max_length=MAX_TEXT, required=True
        ),
        "region": _region(errors, data.get("region")),
        "pillar": choice(errors, "pillar", data.get("pillar"), Pillar.values, required=True),
        "smes_served": errors.integer("smes_served", data.get("smes_served", 0), maximum=10**9)
        or 0,
    }
    resources, agreement_ids = _links(errors, data)
    agreements = _own_agreements(errors, operator, agreement_ids)  # type: ignore[arg-type]
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        platform = ServicePlatform.objects.create(operator=operator, **clean)
        platform.resources.set(resources)
        platform.agreements.set(agreements)
        record(
            actor=actor,
            action="programmes.platform.registered",
            obj=platform,
            organisation_id=operator.pk,
            after={"name_zh": platform.name_zh, "state": platform.state},
        )
    return platform


def confirm_platform(actor: User, platform: ServicePlatform) -> ServicePlatform:
    """An officer confirms a proposed service platform as operating (it then counts)."""
    require_officer(actor)
    with transaction.atomic(durable=True):
        locked = _lock(ServicePlatform, platform.pk)
        if locked.state != PlatformState.PROPOSED:
            raise _refuse_state(_("Only a proposed platform can be confirmed."))
        locked.state = PlatformState.OPERATING
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["state", "confirmed_at"])
        record(
            actor=actor,
            action="programmes.platform.confirmed",
            obj=locked,
            organisation_id=locked.operator_id,
            before={"state": PlatformState.PROPOSED},
            after={"state": locked.state},
        )
    return locked


def propose_scenario(actor: User, data: Mapping[str, Any]) -> Scenario:
    """An SME, platform or provider proposes an intelligent service application scenario."""
    proposer = _applicant(actor)
    errors = FieldErrors()
    clean = {
        "title_zh": errors.text("title_zh", data.get("title_zh"), max_length=MAX_TITLE),
        "title_en": errors.text("title_en", data.get("title_en"), max_length=300),
        "problem": errors.text("problem", data.get("problem"), max_length=MAX_TEXT, required=True),
        "ai_capability": choice(
            errors, "ai_capability", data.get("ai_capability"), AiCapability.values, required=True
        ),
        "region": _region(errors, data.get("region")),
        "pillar": choice(errors, "pillar", data.get("pillar"), Pillar.values, required=True),
        "smes_served": errors.integer("smes_served", data.get("smes_served", 0), maximum=10**9)
        or 0,
    }
    errors.require_one(clean, ("title_zh", "title_en"), _("Give the title in Chinese or English."))
    resources, agreement_ids = _links(errors, data)
    agreements = _own_agreements(errors, proposer, agreement_ids)  # type: ignore[arg-type]
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        scenario = Scenario.objects.create(proposer=proposer, **clean)
        scenario.resources.set(resources)
        scenario.agreements.set(agreements)
        record(
            actor=actor,
            action="programmes.scenario.proposed",
            obj=scenario,
            organisation_id=proposer.pk,
            after={"title": scenario.title, "state": scenario.state},
        )
    return scenario


def _move_scenario(
    actor: User, scenario: Scenario, source: str, changes: dict[str, Any], action: str
) -> Scenario:
    with transaction.atomic(durable=True):
        locked = _lock(Scenario, scenario.pk)
        if locked.state != source:
            raise _refuse_state(
                _("The scenario is %(state)s; this step needs it %(needed)s.")
                % {"state": locked.get_state_display(), "needed": ScenarioState(source).label}
            )
        before = {"state": locked.state, "evidence": locked.evidence}
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(changes))
        record(
            actor=actor,
            action=action,
            obj=locked,
            organisation_id=locked.proposer_id,
            before=before,
            after={"state": locked.state, "evidence": locked.evidence},
        )
    return locked


def start_scenario_pilot(actor: User, scenario: Scenario) -> Scenario:
    """The proposer starts piloting its scenario."""
    if _applicant(actor).pk != scenario.proposer_id:
        raise PermissionDenied(_("This scenario belongs to another organisation."))
    return _move_scenario(
        actor,
        scenario,
        ScenarioState.PROPOSED,
        {"state": ScenarioState.PILOTING},
        "programmes.scenario.piloting",
    )


def record_scenario_evidence(actor: User, scenario: Scenario, evidence: str) -> Scenario:
    """The proposer records the evidence of implementation an officer will check."""
    if _applicant(actor).pk != scenario.proposer_id:
        raise PermissionDenied(_("This scenario belongs to another organisation."))
    errors = FieldErrors()
    evidence = errors.text("evidence", evidence, max_length=MAX_TEXT, required=True)
    errors.raise_if_any()
    return _move_scenario(
        actor,
        scenario,
        ScenarioState.PILOTING,
        {"evidence": evidence},
        "programmes.scenario.evidence",
    )


def confirm_scenario_implemented(actor: User, scenario: Scenario) -> Scenario:
    """An officer confirms a piloted scenario with evidence as implemented (it then counts)."""
    require_officer(actor)
    if not scenario.evidence.strip():
        raise ValidationError(
            {
                "evidence": [
                    ValidationError(
                        _("Evidence of implementation is needed before confirmation."),
                        code="required",
                    )
                ]
            }
        )
    return _move_scenario(
        actor,
        scenario,
        ScenarioState.PILOTING,
        {
            "state": ScenarioState.IMPLEMENTED,
            "confirmed_by": actor,
            "implemented_at": timezone.now(),
        },
        "programmes.scenario.implemented",
    )


# --- tracking: progress reports with evidence, final evaluation --------------------------


def require_project_lead(actor: User, project: PilotProject) -> Organisation:
    """Refuse anyone but a member (write role) of the project's lead organisation."""
    organisation = _applicant(actor)
    if project.application.lead_id != organisation.pk:
        raise PermissionDenied(_("This project belongs to another organisation."))
    return organisation


def _store_evidence(upload: Any) -> tuple[str, int, str]:
    """Write an uploaded file under the evidence folder by a random name; (path, size, sha256)."""
    folder = Path(settings.SYNERGY_EVIDENCE_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    relative = f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()[:8]}"
    digest = hashlib.sha256()
    size = 0
    with open(folder / relative, "xb") as out:
        for chunk in upload.chunks():
            size += len(chunk)
            digest.update(chunk)
            out.write(chunk)
    return relative, size, digest.hexdigest()


def evidence_file(report: ProjectReport) -> Path:
    """Where a report's evidence is stored (for the download view)."""
    return Path(settings.SYNERGY_EVIDENCE_DIR) / report.evidence_path


def report_progress(
    actor: User, project: PilotProject, data: Mapping[str, Any], evidence: Any = None
) -> ProjectReport:
    """The lead reports a milestone's KPI and the project's status, with optional evidence.

    Evidence is at most 10 MB of PDF, PNG, JPEG, DOCX or XLSX, checked by its first bytes;
    the file is written before the transaction and removed again if the report is refused.
    """
    lead = require_project_lead(actor, project)
    errors = FieldErrors()
    titles = [m.get("title", "") for m in project.application.milestones]
    milestone = choice(errors, "milestone", data.get("milestone"), titles, required=True)
    kpi_report = errors.text(
        "kpi_report", data.get("kpi_report"), max_length=MAX_TEXT, required=True
    )
    status = choice(errors, "status", data.get("status"), ProjectStatus.values, required=True)
    if evidence is not None:
        head = evidence.read(16)
        evidence.seek(0)
        problem = rules.evidence_problem(evidence.name or "", evidence.size or 0, head)
        if problem == rules.EVIDENCE_TOO_LARGE:
            errors.add("evidence", _("The file is larger than 10 MB."), problem)
        elif problem:
            errors.add(
                "evidence", _("Only PDF, PNG, JPEG, DOCX or XLSX files are accepted."), problem
            )
    errors.raise_if_any()
    stored = _store_evidence(evidence) if evidence is not None else ("", None, "")
    try:
        with transaction.atomic(durable=True):
            locked = _lock(PilotProject, project.pk)
            if locked.evaluated_at is not None:
                raise _refuse_state(_("The project has been evaluated; reports are closed."))
            report = ProjectReport.objects.create(
                project=locked,
                milestone=milestone,
                kpi_report=kpi_report,
                status=status,
                evidence_name=(evidence.name or "")[:200] if evidence is not None else "",
                evidence_path=stored[0],
                evidence_size=stored[1],
                evidence_sha256=stored[2],
                reported_by=actor,
            )
            before = {"status": locked.status}
            locked.status = status
            locked.save(update_fields=["status"])
            record(
                actor=actor,
                action="programmes.project.reported",
                obj=report,
                organisation_id=lead.pk,
                before=before,
                after={
                    "milestone": milestone,
                    "status": status,
                    "evidence_sha256": stored[2],
                },
            )
    except BaseException:
        if stored[0]:
            (Path(settings.SYNERGY_EVIDENCE_DIR) / stored[0]).unlink(missing_ok=True)
        raise
    return report


def evaluate_project(
    actor: User,
    project: PilotProject,
    *,
    evaluation: str,
    replicable_model: str = "",
) -> PilotProject:
    """An officer records the final evaluation; a successful project's replicable model
    write-up is published on its page."""
    require_officer(actor)
    errors = FieldErrors()
    evaluation = errors.text("evaluation", evaluation, max_length=MAX_TEXT, required=True)
    replicable_model = errors.text("replicable_model", replicable_model, max_length=MAX_TEXT * 2)
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        locked = _lock(PilotProject, project.pk)
        if locked.evaluated_at is not None:
            raise _refuse_state(_("The project has already been evaluated."))
        before = {"status": locked.status}
        locked.final_evaluation = evaluation
        locked.replicable_model = replicable_model
        locked.evaluated_at = timezone.now()
        locked.status = ProjectStatus.DONE
        locked.save(
            update_fields=["final_evaluation", "replicable_model", "evaluated_at", "status"]
        )
        record(
            actor=actor,
            action="programmes.project.evaluated",
            obj=locked,
            organisation_id=locked.application.lead_id,
            before=before,
            after={
                "status": locked.status,
                "evaluation": evaluation,
                "replicable_model": bool(replicable_model),
            },
        )
    return locked
