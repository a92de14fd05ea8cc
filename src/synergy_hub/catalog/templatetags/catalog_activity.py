"""Template helpers of the catalog's activity streams: each event in one line of words."""

from __future__ import annotations

from django import template

from synergy_hub.catalog import activity

register = template.Library()


@register.filter
def activity_headline(item: activity.Activity) -> str:
    """What a list-version event did, in the active language."""
    return activity.headline(item)


@register.filter
def change_headline(change: activity.ResourceChange) -> str:
    """What a published version did to one resource, in the active language."""
    return activity.change_headline(change)
