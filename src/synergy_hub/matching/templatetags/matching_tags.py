"""Template helpers of the catalog page: a result's eligibility in words."""

from __future__ import annotations

from typing import Any

from django import template

from synergy_hub.catalog.eligibility import reasons, what_would_qualify
from synergy_hub.eligibility import Verdict

register = template.Library()


@register.filter
def eligibility_reasons(found: Verdict) -> list[str]:
    """Why the seeker's organisation may not use a result (or what is not known yet)."""
    return reasons(found)


@register.filter
def eligibility_remedies(resource: Any, found: Verdict) -> list[str]:
    """Who the result is opened to instead, for each rule the organisation fails."""
    return what_would_qualify(resource, found)
