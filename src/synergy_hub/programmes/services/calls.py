"""Pilot calls: drafting with their terms, opening and closing."""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub.accounts.models import (
    User,
)
from synergy_hub.accounts.permissions import require_officer
from synergy_hub.audit.services import record
from synergy_hub.catalog.models import Programme
from synergy_hub.catalog.services.fields import choice, optional_date
from synergy_hub.catalog.vocabulary import Pillar
from synergy_hub.languages import as_list
from synergy_hub.programmes.models import (
    PilotCall,
)
from synergy_hub.programmes.services.common import (
    APPLICANT_KINDS,
    MAX_BUDGET,
    MAX_TEXT,
    MAX_TITLE,
    lock_row,
    refuse_state,
)
from synergy_hub.programmes.vocabulary import (
    CallState,
)
from synergy_hub.validation import FieldErrors


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
        locked = lock_row(PilotCall, call.pk)
        if locked.state != source:
            raise refuse_state(
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
