"""What every programme service shares: who may apply, limits, the state refusal, row locks."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from synergy_hub.accounts.models import (
    Organisation,
    OrganisationKind,
    User,
)
from synergy_hub.accounts.permissions import require_member
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.selectors import published_resources
from synergy_hub.languages import as_list
from synergy_hub.programmes.vocabulary import (
    Metric,
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


def refuse_state(message: str) -> ValidationError:
    return ValidationError({"state": [ValidationError(message, code="invalid_state")]})


def lock_row(model: Any, pk: int) -> Any:
    return model.objects.select_for_update().get(pk=pk)


def applicant_of(actor: User) -> Organisation:
    return require_member(actor, kinds=APPLICANT_KINDS).organisation


def parse_ids(errors: FieldErrors, field: str, value: Any, most: int) -> list[int]:
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


def named_published_resources(errors: FieldErrors, value: Any) -> list[Resource]:
    """The resources a form names (`resources`), each on a published openness list."""
    resource_ids = parse_ids(errors, "resources", value, MAX_RESOURCES)
    resources = list(published_resources().filter(pk__in=resource_ids))
    if len(resources) != len(set(resource_ids)):
        errors.add(
            "resources",
            _("Only resources on published openness lists can be used."),
            "invalid_choice",
        )
    return resources
