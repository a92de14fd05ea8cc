"""SME needs: recording and editing what a company is looking for."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub.accounts.models import (
    Organisation,
    OrganisationKind,
    Region,
    User,
)
from synergy_hub.accounts.permissions import require_member
from synergy_hub.audit.services import record
from synergy_hub.catalog.models import Need
from synergy_hub.catalog.services.fields import (
    MAX_DESCRIPTION,
    MAX_MONEY,
    MAX_TITLE,
    as_list,
    choice,
    optional_date,
)
from synergy_hub.catalog.services.guards import require_transaction
from synergy_hub.catalog.vocabulary import (
    NeedStatus,
    ResourceType,
)
from synergy_hub.validation import FieldErrors


def need_snapshot(need: Need) -> dict[str, Any]:
    """The fields of a need recorded in the audit log."""
    return {
        "title": need.title,
        "resource_types": need.resource_types,
        "region": need.region_id,
        "budget": need.budget,
        "wanted_from": need.wanted_from,
        "wanted_until": need.wanted_until,
        "status": need.status,
    }


def clean_need_data(data: Mapping[str, Any], errors: FieldErrors) -> dict[str, Any]:
    """Validate a need's fields and return clean values."""
    clean: dict[str, Any] = {
        "title": errors.text("title", data.get("title"), max_length=MAX_TITLE, required=True),
        "description": errors.text(
            "description", data.get("description"), max_length=MAX_DESCRIPTION, required=True
        ),
        "budget": errors.decimal("budget", data.get("budget"), maximum=MAX_MONEY),
        "wanted_from": optional_date(errors, "wanted_from", data.get("wanted_from")),
        "wanted_until": optional_date(errors, "wanted_until", data.get("wanted_until")),
    }
    types = as_list(data.get("resource_types"))
    clean["resource_types"] = [
        choice(errors, "resource_types", t, ResourceType.values, required=True) for t in types
    ]
    region_code = str(data.get("region") or "").strip()
    clean["region"] = Region.objects.filter(pk=region_code).first() if region_code else None
    if region_code and clean["region"] is None:
        errors.add(
            "region",
            _("Choose a valid administrative division code (GB/T 2260)."),
            "invalid_choice",
        )
    if (
        clean["wanted_from"]
        and clean["wanted_until"]
        and clean["wanted_until"] < clean["wanted_from"]
    ):
        errors.add(
            "wanted_until",
            _("The end of the time frame must not be before its start."),
            "before_start",
        )
    return clean


def create_need(actor: User, data: Mapping[str, Any]) -> Need:
    """Record an SME's need for its organisation."""
    membership = require_member(actor, kinds=frozenset({OrganisationKind.SME}))
    errors = FieldErrors()
    clean = clean_need_data(data, errors)
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        return create_need_in_transaction(actor, membership.organisation, clean)


def create_need_in_transaction(
    actor: User, organisation: Organisation, clean: Mapping[str, Any]
) -> Need:
    """`create_need` inside the caller's transaction, for checked and validated input."""
    require_transaction()
    need = Need.objects.create(organisation=organisation, created_by=actor, **clean)
    record(
        actor=actor,
        action="catalog.need.created",
        obj=need,
        organisation_id=organisation.pk,
        after=need_snapshot(need),
    )
    return need


def update_need(actor: User, need: Need, data: Mapping[str, Any]) -> Need:
    """Change a need of the actor's own organisation (status open, fulfilled or closed)."""
    membership = require_member(actor, kinds=frozenset({OrganisationKind.SME}))
    if need.organisation_id != membership.organisation_id:
        raise PermissionDenied(_("This need belongs to another organisation."))
    errors = FieldErrors()
    current = need_snapshot(need) | {"description": need.description}
    clean = clean_need_data(current | dict(data), errors)
    clean["status"] = choice(
        errors, "status", data.get("status", need.status), NeedStatus.values, required=True
    )
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        return update_need_in_transaction(actor, need, clean)


def update_need_in_transaction(actor: User, need: Need, clean: Mapping[str, Any]) -> Need:
    """`update_need` inside the caller's transaction, for checked and validated input."""
    require_transaction()
    locked = Need.objects.select_for_update().get(pk=need.pk)
    before = need_snapshot(locked)
    for field, value in clean.items():
        setattr(locked, field, value)
    locked.updated_at = timezone.now()
    locked.save()
    record(
        actor=actor,
        action="catalog.need.updated",
        obj=locked,
        organisation_id=locked.organisation_id,
        before=before,
        after=need_snapshot(locked),
    )
    return locked
