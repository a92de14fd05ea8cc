"""Numbers formatted as the page's readers expect them (thousands separators, 万)."""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from synergy_hub.programmes.kpi import format_number

register = template.Library()


@register.filter
def kpi_number(value: int | float | None) -> str:
    if value is None:
        return "—"
    return format_number(value, get_language() or "en")
