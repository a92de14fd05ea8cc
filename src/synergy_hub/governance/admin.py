"""The back office reads the governance records; they change only through the services.

A published fee schedule or disclosure is history the platform must keep (3 years for
fees), and a complaint's dates feed the public statistics: none is edited or deleted here.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from synergy_hub.audit.admin_mixins import AuditedAdminMixin
from synergy_hub.governance import models


class ReadOnlyAdmin(AuditedAdminMixin):
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.FeeSchedule)
class FeeScheduleAdmin(ReadOnlyAdmin):
    list_display = ("platform", "version", "state", "published_at", "effective_from")
    list_filter = ("state", "jurisdiction")


@admin.register(models.RankingDisclosure)
class RankingDisclosureAdmin(ReadOnlyAdmin):
    list_display = ("platform", "version", "published_at")


@admin.register(models.Mediator)
class MediatorAdmin(ReadOnlyAdmin):
    list_display = ("platform", "name_zh", "contact")


@admin.register(models.Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ("subject", "platform", "complainant", "category", "state", "filed_at")
    list_filter = ("state", "category")
