"""The back office reads the access workflow; every change goes through the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from synergy_hub.access.models import (
    AccessRequest,
    Agreement,
    AllocationRound,
    CapacitySlot,
    RoundRequest,
    StatementOfReasons,
    UsageRecord,
)
from synergy_hub.audit.admin_mixins import AuditedAdminMixin


class ReadOnlyAdmin(AuditedAdminMixin):
    """Negotiations and agreements bind two parties: the back office may read, not edit."""

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


@admin.register(Agreement)
class AgreementAdmin(ReadOnlyAdmin):
    list_display = ("uid", "resource", "consumer", "provider", "state", "quantity", "used_quantity")
    list_filter = ("state",)


@admin.register(StatementOfReasons)
class StatementOfReasonsAdmin(ReadOnlyAdmin):
    list_display = ("kind", "access_request", "party", "exception", "created_at")
    list_filter = ("kind",)


@admin.register(CapacitySlot)
class CapacitySlotAdmin(ReadOnlyAdmin):
    list_display = ("resource_lineage", "period", "starts_on", "capacity", "booked")


@admin.register(UsageRecord)
class UsageRecordAdmin(ReadOnlyAdmin):
    list_display = ("agreement", "action", "quantity", "permitted", "code", "path", "occurred_at")
    list_filter = ("permitted",)


@admin.register(AllocationRound)
class AllocationRoundAdmin(ReadOnlyAdmin):
    list_display = ("title", "provider", "starts_on", "ends_on", "state", "solver_status")
    list_filter = ("state", "fairness")


@admin.register(RoundRequest)
class RoundRequestAdmin(ReadOnlyAdmin):
    list_display = ("allocation_round", "consumer", "quantity", "minimum", "weight", "granted")
