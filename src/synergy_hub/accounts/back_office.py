"""Who reads what in the back office (decision 0016).

The hub's operator (a superuser) administers everything. A programme officer gets the back
office as a reading room: exactly the rows the API lets them read, through the same selector
functions the API uses, and no edits (state changes go through the pages and their services).
Everyone else, staff flag or not, sees nothing. So a private agreement, a usage record or an
SME's need answers 404 to an officer in the API and 403 in the back office, from one rule.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest

from synergy_hub.accounts.permissions import is_officer
from synergy_hub.audit.admin_mixins import AuditedAdminMixin


def is_operator(user: Any) -> bool:
    """The hub's operator: an active superuser, who administers the back office."""
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


class BackOfficeAdmin(AuditedAdminMixin):
    """An audited admin whose rows a programme officer may read only as the API shows them.

    Subclasses whose model the API shows officers override `readable_by` with the app's
    selector (the API's own query); the default None hides the model from everyone but the
    operator.
    """

    def readable_by(self, user: Any) -> QuerySet[Any] | None:
        """The rows of this model the API lets `user` read; None: not shown at all."""
        return None

    def _officer_rows(self, request: HttpRequest) -> QuerySet[Any] | None:
        if not is_officer(request.user):
            return None
        return self.readable_by(request.user)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        queryset = super().get_queryset(request)
        if is_operator(request.user):
            return queryset
        rows = self._officer_rows(request)
        if rows is None:
            return queryset.none()
        return queryset.filter(pk__in=rows.values("pk"))

    def has_module_permission(self, request: HttpRequest) -> bool:
        if is_operator(request.user):
            return super().has_module_permission(request)
        return self._officer_rows(request) is not None

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if is_operator(request.user):
            return super().has_view_permission(request, obj)
        rows = self._officer_rows(request)
        if rows is None:
            return False
        return obj is None or rows.filter(pk=obj.pk).exists()

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_operator(request.user) and super().has_add_permission(request, *args)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_operator(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_operator(request.user) and super().has_delete_permission(request, obj)
