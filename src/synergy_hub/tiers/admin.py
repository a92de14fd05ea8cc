from django.contrib import admin

from synergy_hub.audit.admin_mixins import AuditedAdminMixin
from synergy_hub.tiers.models import IndicatorYear, TierEvaluation


@admin.register(IndicatorYear)
class IndicatorYearAdmin(AuditedAdminMixin):
    list_display = ("organisation", "year", "updated_at")


@admin.register(TierEvaluation)
class TierEvaluationAdmin(AuditedAdminMixin):
    list_display = ("organisation", "year", "rule_set", "tier", "status", "created_at")
