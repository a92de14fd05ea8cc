"""Template helpers of the governance pages."""

from __future__ import annotations

from typing import Any

from django import template

from synergy_hub.languages import pick_language

register = template.Library()


@register.filter
def shown(record: Any, field: str) -> str:
    """A bilingual field (`<field>_zh` / `<field>_en`) in the active language."""
    if isinstance(record, dict):
        return pick_language(str(record.get(f"{field}_zh", "")), str(record.get(f"{field}_en", "")))
    return pick_language(getattr(record, f"{field}_zh", ""), getattr(record, f"{field}_en", ""))
