"""The registries of service platforms and intelligent service application scenarios."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub.access.models import Agreement
from synergy_hub.accounts.models import (
    Organisation,
    Region,
    User,
)
from synergy_hub.accounts.permissions import require_member, require_officer
from synergy_hub.audit.services import record
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.services.fields import choice
from synergy_hub.catalog.vocabulary import Pillar
from synergy_hub.programmes.models import (
    Scenario,
    ServicePlatform,
)
from synergy_hub.programmes.services.common import (
    MAX_RESOURCES,
    MAX_TEXT,
    MAX_TITLE,
    OPERATOR_KINDS,
    applicant_of,
    lock_row,
    named_published_resources,
    parse_ids,
    refuse_state,
)
from synergy_hub.programmes.vocabulary import (
    AiCapability,
    PlatformState,
    ScenarioState,
)
from synergy_hub.validation import FieldErrors


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


def _links(errors: FieldErrors, data: Mapping[str, Any]) -> tuple[list[Resource], list[int]]:
    resources = named_published_resources(errors, data.get("resources"))
    agreement_ids = parse_ids(errors, "agreements", data.get("agreements"), MAX_RESOURCES)
    return resources, agreement_ids


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
    agreements = _own_agreements(errors, operator, agreement_ids)
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
        locked = lock_row(ServicePlatform, platform.pk)
        if locked.state != PlatformState.PROPOSED:
            raise refuse_state(_("Only a proposed platform can be confirmed."))
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


def clean_scenario_data(data: Mapping[str, Any], errors: FieldErrors) -> dict[str, Any]:
    """Check a proposed scenario's own fields (not its links) and return the clean values.

    The page's form asks this in the same round as its own checks (decision 0027).
    """
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
    return clean


def propose_scenario(actor: User, data: Mapping[str, Any]) -> Scenario:
    """An SME, platform or provider proposes an intelligent service application scenario."""
    proposer = applicant_of(actor)
    errors = FieldErrors()
    clean = clean_scenario_data(data, errors)
    resources, agreement_ids = _links(errors, data)
    agreements = _own_agreements(errors, proposer, agreement_ids)
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
        locked = lock_row(Scenario, scenario.pk)
        if locked.state != source:
            raise refuse_state(
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
    if applicant_of(actor).pk != scenario.proposer_id:
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
    if applicant_of(actor).pk != scenario.proposer_id:
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
