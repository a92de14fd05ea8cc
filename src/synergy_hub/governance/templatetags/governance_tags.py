"""Template helpers of the governance pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import template

from synergy_hub.governance import selectors
from synergy_hub.governance.models import FeeSchedule
from synergy_hub.languages import pick_language

register = template.Library()


@register.filter
def shown(record: Any, field: str) -> str:
    """A bilingual field (`<field>_zh` / `<field>_en`) in the active language."""
    if isinstance(record, dict):
        return pick_language(str(record.get(f"{field}_zh", "")), str(record.get(f"{field}_en", "")))
    return pick_language(getattr(record, f"{field}_zh", ""), getattr(record, f"{field}_en", ""))


@register.simple_tag
def fee_schedule_in_force(platform_id: int, at: datetime) -> FeeSchedule | None:
    """The platform's published fee schedule that applied at `at` (an agreement's date).

    A tag rather than a view's context because the pages that show it (an agreement) belong
    to an app below governance, which may not import it.
    """
    return selectors.in_force(platform_id, at)
