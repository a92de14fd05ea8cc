"""The back office reads the access workflow; every change goes through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from synergy_hub.access import selectors
from synergy_hub.access.models import (
    AccessRequest,
    Agreement,
    CapacitySlot,
    StatementOfReasons,
    UsageRecord,
)
from synergy_hub.accounts.back_office import BackOfficeAdmin


class ReadOnlyAdmin(BackOfficeAdmin):
    """Negotiations and agreements bind two parties: the back office may read, not edit.

    Only the operator reads them all; a programme officer reads what the API shows them,
    the requests and agreements of their own office (decision 0016).
    """

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AccessRequest)
class AccessRequestAdmin(ReadOnlyAdmin):
    list_display = ("pk", "resource", "consumer", "provider", "state", "updated_at")
    list_filter = ("state",)

    def readable_by(self, user: Any) -> QuerySet[Any]:
        return selectors.requests_of_party(user)


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ("uid", "resource", "consumer", "provider", "state", "quantity", "used_quantity")
    list_filter = ("state",)

    def readable_by(self, user: Any) -> QuerySet[Any]:
        return selectors.agreements_of_party(user)


@admin.register(StatementOfReasons)
class StatementOfReasonsAdmin(ReadOnlyAdmin):
    list_display = ("kind", "access_request", "party", "exception", "created_at")
    list_filter = ("kind",)

    def readable_by(self, user: Any) -> QuerySet[Any]:
        return selectors.statements_visible_to(user)


@admin.register(CapacitySlot)
class CapacitySlotAdmin(ReadOnlyAdmin):
    list_display = ("resource_lineage", "period", "starts_on", "capacity", "booked")

    def readable_by(self, user: Any) -> QuerySet[Any]:
        return selectors.capacity_visible_to(user)


@admin.register(UsageRecord)
class UsageRecordAdmin(ReadOnlyAdmin):
    list_display = ("agreement", "action", "quantity", "permitted", "code", "path", "occurred_at")
    list_filter = ("permitted",)

    def readable_by(self, user: Any) -> QuerySet[Any]:
        return selectors.usage_visible_to(user)
