from django.contrib import admin

from synergy_hub.audit.admin_mixins import AuditedAdminMixin
from synergy_hub.governance import models


@admin.register(models.FeeSchedule)
class FeeScheduleAdmin(AuditedAdminMixin):
    list_display = ("platform", "version", "state", "published_at", "effective_from")
    list_filter = ("state", "jurisdiction")


@admin.register(models.RankingDisclosure)
class RankingDisclosureAdmin(AuditedAdminMixin):
    list_display = ("platform", "version", "published_at")


@admin.register(models.Mediator)
class MediatorAdmin(AuditedAdminMixin):
    list_display = ("platform", "name_zh", "contact")


@admin.register(models.Complaint)
class ComplaintAdmin(AuditedAdminMixin):
    list_display = ("subject", "platform", "complainant", "category", "state", "filed_at")
    list_filter = ("state", "category")
