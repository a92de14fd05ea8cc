"""Template tags that put the access workflow into shared pages (navigation, workspace)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from synergy_hub.access import measures, selectors, workflow
from synergy_hub.access.services import capacity
from synergy_hub.accounts.models import Organisation
from synergy_hub.catalog.models import Resource

register = template.Library()


@register.simple_tag
def unread_notifications(user: Any) -> int:
    """How many unread notifications the user has (one query)."""
    return selectors.unread_count(user)


@register.simple_tag
def access_summary(user: Any) -> dict[str, Any]:
    """Open incoming and outgoing requests and running agreements of the user's organisation."""
    open_states = [state.value for state in workflow.OPEN_REQUEST_STATES]
    return {
        "incoming": selectors.requests_for(user, role="provider")
        .filter(state__in=open_states)
        .count(),
        "outgoing": selectors.requests_for(user, role="consumer")
        .filter(state__in=open_states)
        .count(),
        "agreements": selectors.agreements_for(user)
        .filter(state__in=[s.value for s in workflow.RUNNING_AGREEMENT_STATES])
        .count(),
    }


@register.filter
def is_bookable(resource: Resource) -> bool:
    """Whether the resource's capacity is booked in slots (it has a calendar)."""
    return capacity.is_bookable(resource)


@register.simple_tag
def free_capacity_now(resources: Any) -> dict[int, Any]:
    """Free units in today's slot of each bookable resource shown, by id (one query).

    Takes resources or ranked results (anything with a `resource`)."""
    rows = [getattr(item, "resource", item) for item in resources]
    return capacity.free_now(rows, timezone.localdate())


@register.filter
def free_units_of(free: dict[int, Any], resource: Resource) -> Any:
    """The resource's entry in `free_capacity_now` (None when it is not booked in slots)."""
    return free.get(resource.pk)


@register.simple_tag
def relationship_blocks(resource: Resource, organisation: Organisation | None) -> list[str]:
    """Why a platform's measure in force refuses the organisation's new access to the
    resource, in words (empty when none does; `access.measures`, P2B Art 4)."""
    return measures.problems(resource, organisation)


@register.simple_tag
def blocked_by_measures(resources: Any, organisation: Organisation | None) -> dict[int, str]:
    """For the results shown, why a measure in force keeps the organisation from requesting
    each one it blocks, by id (`access.measures.blocked_among`).

    Takes resources or ranked results (anything with a `resource`)."""
    rows = [getattr(item, "resource", item) for item in resources]
    blocked = measures.blocked_among(rows, organisation)
    return {pk: measures.reason(measure) for pk, measure in blocked.items()}


@register.filter
def blocked_reason(blocked: dict[int, str], resource: Resource) -> str:
    """The resource's entry in `blocked_by_measures` ("" when nothing blocks it, or when the
    page did not ask)."""
    return blocked.get(resource.pk, "") if isinstance(blocked, dict) else ""
