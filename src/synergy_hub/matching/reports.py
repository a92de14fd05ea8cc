"""The exposure report with names: size classes in words, providers by name."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from synergy_hub.accounts.models import Organisation, SizeClass, pick_language
from synergy_hub.matching.engine.exposure import ExposureRow
from synergy_hub.matching.services import exposure_report
from synergy_hub.web import charts


def _row(row: ExposureRow, label: str) -> dict[str, Any]:
    return {
        "key": row.key,
        "label": label,
        "exposure": row.exposure,
        "exposure_share": row.exposure_share,
        "relevance": row.relevance,
        "relevance_share": row.relevance_share,
        "ratio": row.ratio,
        "impressions": row.impressions,
        "appearances": row.appearances,
    }


def named_exposure_report(since: date | None = None, until: date | None = None) -> dict[str, Any]:
    """Exposure share against relevance share per provider size class and per provider."""
    report = exposure_report(since, until)
    sizes = dict(SizeClass.choices)
    names = {
        pk: pick_language(zh, en)
        for pk, zh, en in Organisation.objects.filter(
            pk__in=[int(r.key) for r in report.providers]
        ).values_list("pk", "name_zh", "name_en")
    }
    providers = sorted(report.providers, key=lambda r: -r.relevance)
    return {
        "rankings": report.rankings,
        "groups": [_row(r, str(sizes.get(r.key, r.key))) for r in report.groups],
        "providers": [_row(r, names.get(int(r.key)) or r.key) for r in providers],
    }


def exposure_chart(rows: list[dict[str, Any]]) -> charts.Chart:
    """Exposure share beside relevance share for each group, in percent, with a data table."""

    def cell(share: float) -> charts.Cell:
        percent = round(100 * share, 1)
        return charts.Cell(percent, f"{percent:g}%")

    return charts.Chart(
        kind="hbar",
        caption=_("Exposure share and relevance share by provider size class"),
        label_header=_("Provider size class"),
        series=(_("Exposure share"), _("Relevance share")),
        rows=tuple(
            charts.Row(r["label"], (cell(r["exposure_share"]), cell(r["relevance_share"])))
            for r in rows
        ),
        maximum=100,
        suffix="%",
        testid="exposure-chart",
    )
