"""An agreement's usage over time as a chart (the agreement page's include)."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from synergy_hub.access import selectors
from synergy_hub.access.models import Agreement
from synergy_hub.web import charts

register = template.Library()


def _text(value: Decimal) -> str:
    return number_format(value.normalize(), use_l10n=True, force_grouping=True)


@register.simple_tag
def usage_chart(agreement: Agreement) -> charts.Chart | None:
    """Permitted use added up day by day against the agreed quantity; None before any use."""
    days = selectors.permitted_use_by_day(agreement)
    if not days:
        return None
    rows = []
    total = Decimal(0)
    for day, quantity in days:
        total += quantity or 0
        rows.append((day.isoformat(), float(total), _text(total), ""))
    unit = agreement.resource.get_unit_display()
    return charts.single(
        "line",
        _("Permitted use so far, by day (%(unit)s)") % {"unit": unit},
        _("Day"),
        _("Used so far"),
        rows,
        target=float(agreement.quantity),
        target_label=_("Agreed quantity"),
        target_text=_text(agreement.quantity),
        testid="usage-chart",
    )
