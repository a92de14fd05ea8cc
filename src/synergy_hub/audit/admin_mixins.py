"""Back-office edits are state changes too: record them in the audit log."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.forms.models import model_to_dict
from django.http import HttpRequest

from synergy_hub.audit.services import record


class AuditedAdminMixin(admin.ModelAdmin):
    """Append an audit event for every save and delete made in the admin.

    The admin runs each change view in a transaction, so the event is written atomically
    with the change.
    """

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = form.initial if change else None
        super().save_model(request, obj, form, change)
        record(
            actor=request.user,
            action=f"admin.{obj._meta.model_name}.{'changed' if change else 'added'}",
            obj=obj,
            before={k: before.get(k) for k in form.changed_data} if before else None,
            after={
                k: v for k, v in model_to_dict(obj).items() if not change or k in form.changed_data
            },
        )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        record(
            actor=request.user,
            action=f"admin.{obj._meta.model_name}.deleted",
            obj=obj,
            before={k: v for k, v in model_to_dict(obj).items()},
        )
        super().delete_model(request, obj)
