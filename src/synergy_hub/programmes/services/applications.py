"""Pilot applications: drafts for one's own organisation, submission with eligibility
reasons, withdrawal."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub.accounts.models import (
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Role,
    User,
)
from synergy_hub.accounts.permissions import require_member
from synergy_hub.audit.services import record
from synergy_hub.catalog.services.fields import choice, optional_date
from synergy_hub.catalog.vocabulary import Pillar
from synergy_hub.programmes import rules
from synergy_hub.programmes.models import (
    Application,
    PilotCall,
)
from synergy_hub.programmes.services.common import (
    APPLICANT_KINDS,
    MAX_BUDGET,
    MAX_MILESTONES,
    MAX_PARTNERS,
    MAX_TEXT,
    MAX_TITLE,
    applicant_of,
    lock_row,
    named_published_resources,
    parse_ids,
    refuse_state,
)
from synergy_hub.programmes.vocabulary import (
    ApplicationState,
    CallState,
)
from synergy_hub.validation import FieldErrors


def applicant_organisation(actor: User, *, write: bool = True) -> Organisation:
    """The organisation an SME, platform or provider member applies for, or PermissionDenied."""
    if write:
        return applicant_of(actor)
    return require_member(actor, kinds=APPLICANT_KINDS, roles=frozenset(Role.values)).organisation


def require_own_application(actor: User, application: Application) -> Organisation:
    """Refuse anyone but a member (write role) of the application's lead organisation."""
    organisation = applicant_of(actor)
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
    partner_ids = parse_ids(errors, "partners", data.get("partners"), MAX_PARTNERS)
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
    clean["resources"] = named_published_resources(errors, data.get("resources"))
    return clean


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
    lead = applicant_of(actor)
    if call.state != CallState.OPEN:
        raise refuse_state(_("The call is not open for applications."))
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
        locked = lock_row(Application, application.pk)
        if locked.state != ApplicationState.DRAFT:
            raise refuse_state(_("Only a draft can be submitted."))
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
        locked = lock_row(Application, application.pk)
        if locked.state not in (ApplicationState.DRAFT, ApplicationState.SUBMITTED):
            raise refuse_state(_("This application can no longer be withdrawn."))
        if locked.call.state != CallState.OPEN:
            raise refuse_state(_("The call is closed: applications can no longer be withdrawn."))
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
