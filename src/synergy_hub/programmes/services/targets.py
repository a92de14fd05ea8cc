"""Programme targets: the plan's seeded numbers and officers' own targets."""

from __future__ import annotations

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
