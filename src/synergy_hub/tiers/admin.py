"""Back office of the tiers: the operator administers; an officer reads what the API shows."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet

from synergy_hub.accounts.back_office import BackOfficeAdmin
from synergy_hub.tiers import selectors
from synergy_hub.tiers.models import IndicatorYear, TierEvaluation


@admin.register(IndicatorYear)
class IndicatorYearAdmin(BackOfficeAdmin):
    """An SME's entered indicators: not shown to officers (no API shows them to them)."""

    list_display = ("organisation", "year", "updated_at")


@admin.register(TierEvaluation)
class TierEvaluationAdmin(BackOfficeAdmin):
    list_display = ("organisation", "year", "rule_set", "tier", "status", "created_at")

    def readable_by(self, user: Any) -> QuerySet[Any]:
        return selectors.own_evaluations(user)  # as GET /api/v1/tiers/evaluations
