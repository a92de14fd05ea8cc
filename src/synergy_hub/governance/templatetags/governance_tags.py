"""Template helpers of the governance pages."""

from __future__ import annotations

from typing import Any

from django import template

from synergy_hub.governance.selectors import in_force
from synergy_hub.languages import pick_language

register = template.Library()


@register.filter
def shown(record: Any, field: str) -> str:
    """A bilingual field (`<field>_zh` / `<field>_en`) in the active language."""
    if isinstance(record, dict):
        return pick_language(str(record.get(f"{field}_zh", "")), str(record.get(f"{field}_en", "")))
    return pick_language(getattr(record, f"{field}_zh", ""), getattr(record, f"{field}_en", ""))


@register.simple_tag
def fee_schedule_of(agreement: Any) -> Any:
    """The provider's fee schedule in force when the agreement was made (None if it had none).

    The agreement page (access) shows it through `governance/_agreement_fee_schedule.html`,
    so access needs no import of this app.
    """
    return in_force(agreement.provider_id, agreement.created_at)
