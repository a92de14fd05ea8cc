"""Programme targets: the plan's seeded numbers and officers' own targets."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from synergy_hub.accounts.models import (
    User,
)
from synergy_hub.accounts.permissions import require_officer
from synergy_hub.audit.services import record
from synergy_hub.catalog.models import Programme
from synergy_hub.catalog.services.fields import choice, optional_date
from synergy_hub.programmes.models import (
    ProgrammeTarget,
)
from synergy_hub.programmes.services.common import (
    PLAN_DUE,
    PLAN_TARGETS,
)
from synergy_hub.programmes.vocabulary import (
    Metric,
)
from synergy_hub.validation import FieldErrors


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


PROGRAMME_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,48}[a-z0-9]$")
PROGRAMME_FIELDS = ("name_zh", "name_en", "summary_zh", "summary_en", "start_year", "end_year")


def clean_programme_data(
    data: Mapping[str, Any], errors: FieldErrors, *, creating: bool
) -> dict[str, Any]:
    """A programme's fields, each error named at once: code (new ones only), names, years."""
    clean: dict[str, Any] = {}
    if creating:
        code = errors.text("code", data.get("code"), max_length=50, required=True) or ""
        if code and not PROGRAMME_CODE.match(code):
            errors.add(
                "code",
                _("Use 3 to 50 lower-case letters, digits and hyphens, e.g. zhejiang-2026."),
                "invalid",
            )
        elif code == "new" or (code and Programme.objects.filter(code=code).exists()):
            errors.add("code", _("A programme with this code exists."), "unique")
        clean["code"] = code
    clean["name_zh"] = errors.text("name_zh", data.get("name_zh"), max_length=200, required=True)
    clean["name_en"] = errors.text("name_en", data.get("name_en"), max_length=300, required=True)
    clean["summary_zh"] = errors.text("summary_zh", data.get("summary_zh"), max_length=4000) or ""
    clean["summary_en"] = errors.text("summary_en", data.get("summary_en"), max_length=4000) or ""
    start = errors.integer("start_year", data.get("start_year"), minimum=2000, required=True)
    end = errors.integer("end_year", data.get("end_year"), minimum=2000, required=True)
    for name, year in (("start_year", start), ("end_year", end)):
        if year is not None and year > 2100 and not errors.has(name):
            errors.add(name, _("Enter a year up to 2100."), "max_value")
    if start is not None and end is not None and end < start and not errors.has("end_year"):
        errors.add("end_year", _("The last year cannot be before the first."), "before_start")
    clean["start_year"], clean["end_year"] = start, end
    return clean


def save_programme(
    actor: User, data: Mapping[str, Any], programme: Programme | None = None
) -> Programme:
    """An officer creates a programme (a province's own plan) or edits one; its code is fixed.

    Its targets are added with `add_target`; the hub's counts are compared with them.
    """
    require_officer(actor)
    errors = FieldErrors()
    clean = clean_programme_data(data, errors, creating=programme is None)
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        if programme is None:
            saved = Programme.objects.create(**clean)
            before: dict[str, Any] = {}
            action = "programmes.programme.created"
        else:
            saved = Programme.objects.select_for_update().get(pk=programme.pk)
            before = {name: getattr(saved, name) for name in PROGRAMME_FIELDS}
            for name in PROGRAMME_FIELDS:
                setattr(saved, name, clean[name])
            saved.save(update_fields=list(PROGRAMME_FIELDS))
            action = "programmes.programme.updated"
        record(
            actor=actor,
            action=action,
            obj=saved,
            organisation_id=None,
            before=before,
            after={"code": saved.code} | {name: clean[name] for name in PROGRAMME_FIELDS},
        )
    return saved
