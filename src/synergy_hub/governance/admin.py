"""The back office reads the governance records; they change only through the services.

A published fee schedule or disclosure is history the platform must keep (3 years for
fees), and a complaint's dates feed the public statistics: none is added, edited or
deleted here, not even by the operator. Programme officers read what the API shows them
(decision 0016): published schedules, disclosures, mediators, and the complaints the
office handles.
"""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from synergy_hub.accounts.back_office import BackOfficeAdmin
from synergy_hub.governance import models, selectors


class ReadOnlyAdmin(BackOfficeAdmin):
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(models.FeeSchedule)
class FeeScheduleAdmin(ReadOnlyAdmin):
    list_display = ("platform", "version", "state", "published_at", "effective_from")
    list_filter = ("state", "jurisdiction")

    def readable_by(self, user: Any) -> QuerySet[Any] | None:
        return selectors.schedules_visible_to(user)


@admin.register(models.RankingDisclosure)
class RankingDisclosureAdmin(ReadOnlyAdmin):
    list_display = ("platform", "version", "published_at")

    def readable_by(self, user: Any) -> QuerySet[Any] | None:
        return selectors.disclosures()


@admin.register(models.Mediator)
class MediatorAdmin(ReadOnlyAdmin):
    list_display = ("platform", "name_zh", "contact")

    def readable_by(self, user: Any) -> QuerySet[Any] | None:
        return models.Mediator.objects.all()


@admin.register(models.Complaint)
class ComplaintAdmin(ReadOnlyAdmin):
    list_display = ("subject", "platform", "complainant", "category", "state", "filed_at")
    list_filter = ("state", "category")

    def readable_by(self, user: Any) -> QuerySet[Any] | None:
        return selectors.complaints_for(user)
