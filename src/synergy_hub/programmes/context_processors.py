"""The plan's live progress for any page that shows the targets (the home page's cards).

Given as lazy values: the counts are read only by a template that uses them, so other
pages pay nothing. The catalog's home page shows them without importing this app.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from synergy_hub.catalog.plan import PLAN_TARGETS
from synergy_hub.programmes import kpi
from synergy_hub.programmes.selectors import kpi_counts
from synergy_hub.web import charts

PLAN_END = datetime.date(2028, 12, 31)


def _plan_progress(counts: Mapping[str, int]) -> list[kpi.Progress]:
    return [
        kpi.Progress(t.key, t.minimum, counts[t.key], PLAN_END)
        for t in PLAN_TARGETS
        if t.minimum and t.key in counts
    ]


def _plan_chart(counts: Mapping[str, int]) -> charts.Chart:
    """The share of each numeric 2028 target reached so far, as bars with a data table."""
    language = get_language() or "en"
    labels = {t.key: str(t.label) for t in PLAN_TARGETS}
    link = reverse("programmes:kpi")
    rows = [
        (
            labels[p.metric],
            p.percent,
            f"{kpi.format_number(p.current, language)} / "
            f"{kpi.format_number(p.target, language)} · {p.percent}%",
            link,
        )
        for p in _plan_progress(counts)
    ]
    return charts.single(
        "hbar",
        _("Share of each 2028 target reached so far"),
        _("Target"),
        _("Reached"),
        rows,
        maximum=100,
        suffix="%",
        testid="plan-progress-chart",
    )


def plan_progress(request: HttpRequest) -> dict[str, Any]:
    counts: Any = SimpleLazyObject(kpi_counts)  # counted once, by the first value read
    return {
        "plan_progress": counts,
        "plan_percent": SimpleLazyObject(lambda: {p.metric: p for p in _plan_progress(counts)}),
        "plan_chart": SimpleLazyObject(lambda: _plan_chart(counts)),
    }
