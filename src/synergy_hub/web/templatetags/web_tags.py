"""Shared template helpers: numbers and money with thousands separators, and inline icons.

Numbers are grouped by a filter rather than `USE_THOUSAND_SEPARATOR`: that setting groups
every number a template prints, ids in links and hidden inputs included.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "" or isinstance(value, bool):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def group(value: Any, places: int | None = None) -> str:
    """`value` with a comma between thousands: 8200000 → "8,200,000", 41800 with 2 places →
    "41,800.00". Without `places`, trailing decimal zeros are dropped (2.50 → "2.5")."""
    number = _decimal(value)
    if number is None:
        return "" if value is None else str(value)
    if places is None:
        text = f"{number:,f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return text
    return f"{number:,.{places}f}"


@register.filter
def number(value: Any, places: Any = None) -> str:
    """`{{ x|number }}` or `{{ x|number:2 }}`: grouped thousands, optional fixed decimals."""
    return group(value, None if places in (None, "") else int(places))


@register.filter
def money(value: Any) -> str:
    """`{{ price|money }}`: "¥41,800.00"; an empty price is a dash."""
    if _decimal(value) is None:
        return "—"
    return f"¥{group(value, 2)}"


# Simple line icons, 16 px, drawn with the current text colour; no icon font, no CDN.
_ICONS = {
    "search": '<circle cx="7" cy="7" r="4.5"/><path d="M10.5 10.5 14 14"/>',
    "list": '<path d="M5 4h9M5 8h9M5 12h9"/><circle cx="2.2" cy="4" r=".6"/>'
    '<circle cx="2.2" cy="8" r=".6"/><circle cx="2.2" cy="12" r=".6"/>',
    "user": '<circle cx="8" cy="5.5" r="3"/><path d="M2.5 14c.8-3 3-4.5 5.5-4.5s4.7 1.5 5.5 4.5"/>',
    "bell": '<path d="M4 11V7a4 4 0 0 1 8 0v4l1.5 1.5h-11zM6.5 14a1.5 1.5 0 0 0 3 0"/>',
    "check": '<path d="M3 8.5 6.5 12 13 4.5"/>',
    "cross": '<path d="M4 4l8 8M12 4l-8 8"/>',
    "warning": '<path d="M8 2 15 14H1zM8 6.5v3.5M8 12v.5"/>',
    "clock": '<circle cx="8" cy="8" r="6"/><path d="M8 4.5V8l2.5 1.5"/>',
    "doc": '<path d="M4 1.5h5.5L12.5 4.5v10h-8.5zM9.5 1.5v3h3M6 8h4.5M6 11h4.5"/>',
    "chart": '<path d="M2 14h12M4 12V8M7.5 12V4.5M11 12V7"/>',
    "menu": '<path d="M2.5 4h11M2.5 8h11M2.5 12h11"/>',
    "globe": '<circle cx="8" cy="8" r="6"/>'
    '<path d="M2 8h12M8 2c2 2 2 10 0 12M8 2c-2 2-2 10 0 12"/>',
    "stop": '<circle cx="8" cy="8" r="6"/><path d="M4 12 12 4"/>',
}


@register.simple_tag
def icon(name: str, label: str = "") -> SafeString:
    """An inline SVG icon; decorative unless given a `label` for assistive technology."""
    shape = _ICONS.get(name)
    if shape is None:
        return SafeString("")
    if label:
        a11y = format_html('role="img" aria-label="{}"', label)
    else:
        a11y = SafeString('aria-hidden="true"')
    return format_html(
        '<svg class="icon" width="16" height="16" viewBox="0 0 16 16" fill="none" '
        'stroke="currentColor" stroke-width="1.5" stroke-linecap="round" '
        'stroke-linejoin="round" {}>{}</svg>',
        a11y,
        SafeString(shape),  # a constant of this module
    )
