"""Template tags that put the access workflow into shared pages (navigation, workspace)."""

from __future__ import annotations

from typing import Any

from django import template

from synergy_hub.access import selectors, workflow
from synergy_hub.access.services import capacity
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
