from django.contrib import admin

from synergy_hub.audit.admin_mixins import AuditedAdminMixin
from synergy_hub.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(AuditedAdminMixin):
    """Read-only view of the log, for the hub's operator (a superuser) only.

    Events carry the before and after values of every party's private records (needs,
    agreements, usage), which a programme officer may not read (decision 0016).
    """

    list_display = ("seq", "occurred_at", "actor_label", "action", "object_type", "object_id")
    list_filter = ("action", "object_type")
    search_fields = ("actor_label", "action", "object_id")
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_module_permission(self, request):
        return bool(request.user.is_active and request.user.is_superuser)

    def has_view_permission(self, request, obj=None):
        return bool(request.user.is_active and request.user.is_superuser)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
