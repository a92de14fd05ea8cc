"""Back-office edits are state changes too: record each one in the audit log, before and after.

Every registered `ModelAdmin` carries `AuditedAdminMixin` (a test walks the admin registry
to keep it so). It records: objects added or changed (the fields that changed, old and new
values), deleted one by one or with "delete selected", inline rows added, changed or deleted
(a membership names its organisation and role), admin actions (the fields each one changed
on each selected object), and, for users, a password set or removed (never the password).
Secrets (`password`, token digests) appear only as `[hidden]`: the event says that they
changed, not what to.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import admin
from django.db import router, transaction
from django.db.models import Model, QuerySet
from django.http import HttpRequest, HttpResponse

from synergy_hub.audit.services import record

# Passwords, token digests, second-factor keys and recovery codes.
MASKED_FIELDS = frozenset({"password", "digest", "key", "token"})
HIDDEN = "[hidden]"


def snapshot(obj: Model) -> dict[str, Any]:
    """The object's stored field values: related objects by primary key, many-to-many sorted."""
    values: dict[str, Any] = {
        field.name: field.value_from_object(obj) for field in obj._meta.concrete_fields
    }
    if obj.pk is not None:
        for field in obj._meta.many_to_many:
            values[field.name] = sorted(getattr(obj, field.name).values_list("pk", flat=True))
    return values


def stored(obj: Model) -> dict[str, Any] | None:
    """The snapshot of the row as it is in the database now (before a change is saved)."""
    if obj.pk is None:
        return None
    current = type(obj)._default_manager.filter(pk=obj.pk).first()
    return snapshot(current) if current is not None else None


def _masked(values: dict[str, Any]) -> dict[str, Any]:
    return {name: HIDDEN if name in MASKED_FIELDS else value for name, value in values.items()}


def diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields whose value differs, as (old values, new values), secrets masked."""
    changed = [name for name in after if before.get(name) != after[name]]
    return (
        _masked({name: before.get(name) for name in changed}),
        _masked({name: after[name] for name in changed}),
    )


def organisation_of(obj: Model) -> int | None:
    """The organisation an object belongs to, for the event's organisation column."""
    if obj._meta.model_name == "organisation":
        return int(obj.pk) if obj.pk is not None else None
    organisation_id = getattr(obj, "organisation_id", None)
    return int(organisation_id) if organisation_id is not None else None


def _action(obj: Model, verb: str) -> str:
    return f"admin.{obj._meta.model_name}.{verb}"


def record_admin_change(
    request: HttpRequest,
    obj: Model,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    *,
    verb: str | None = None,
) -> None:
    """Record one back-office change: an addition, a change (its diff only) or a deletion."""
    if before is not None and after is not None:
        old, new = diff(before, after)
        if not new:
            return  # saved without a change: nothing happened
        verb = verb or "changed"
    elif after is not None:
        old, new = None, _masked(after)
        verb = verb or "added"
    else:
        old, new = _masked(before or {}), None
        verb = verb or "deleted"
    record(
        actor=request.user,
        action=_action(obj, verb),
        obj=obj,
        organisation_id=organisation_of(obj),
        before=old,
        after=new,
    )


class AuditedAdminMixin(admin.ModelAdmin):
    """Append an audit event, with before and after values, for every change made in the admin.

    The admin's add, change and delete views run in a transaction, so each event is written
    atomically with its change; bulk deletes and actions are given one here.
    """

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        before = stored(obj) if change else None
        related = [field.name for field in obj._meta.many_to_many]
        # Many-to-many fields are saved later, in save_related: they get an event there.
        request._audit_m2m_before = {  # type: ignore[attr-defined]
            name: (before or {}).pop(name, []) for name in related
        }
        super().save_model(request, obj, form, change)
        after = {name: value for name, value in snapshot(obj).items() if name not in related}
        record_admin_change(request, obj, before, after)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        before: dict[str, Any] = getattr(request, "_audit_m2m_before", {})
        if before:
            obj = form.instance
            after = {name: value for name, value in snapshot(obj).items() if name in before}
            record_admin_change(request, obj, before, after, verb="changed")

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        record_admin_change(request, obj, snapshot(obj), None)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        """ "Delete selected": one event per deleted object, in the same transaction."""
        with transaction.atomic(using=router.db_for_write(self.model)):
            for obj in queryset:
                record_admin_change(request, obj, snapshot(obj), None)
            super().delete_queryset(request, queryset)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Inline rows: each added, changed or deleted row is an event of its own."""
        before = {
            row.instance.pk: stored(row.instance)
            for row in formset.forms
            if row.instance.pk is not None and row.has_changed()
        }
        for row in formset.deleted_forms:
            if row.instance.pk is not None:
                record_admin_change(request, row.instance, snapshot(row.instance), None)
        super().save_formset(request, form, formset, change)
        for obj in formset.new_objects:
            record_admin_change(request, obj, None, snapshot(obj))
        for obj, _fields in formset.changed_objects:
            record_admin_change(request, obj, before.get(obj.pk) or {}, snapshot(obj))

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        """Wrap each action so that what it changed on each selected object is recorded."""
        actions: dict[str, Any] = dict(super().get_actions(request))
        return {
            name: (
                (func, action_name, description)
                if name == "delete_selected"  # goes through delete_queryset
                else (_audited_action(func, action_name), action_name, description)
            )
            for name, (func, action_name, description) in actions.items()
        }


def _audited_action(func: Callable[..., Any], name: str) -> Callable[..., Any]:
    @wraps(func)
    def run(
        modeladmin: admin.ModelAdmin,
        request: HttpRequest,
        queryset: QuerySet[Any],
    ) -> HttpResponse | None:
        model = queryset.model
        with transaction.atomic(using=router.db_for_write(model)):
            before = {obj.pk: snapshot(obj) for obj in queryset}
            response = func(modeladmin, request, queryset)
            survivors = {obj.pk: obj for obj in model._default_manager.filter(pk__in=list(before))}
            for pk, old in before.items():
                obj = survivors.get(pk)
                if obj is None:
                    gone = model(**{model._meta.pk.attname: pk})
                    record_admin_change(request, gone, old, None, verb=f"action.{name}")
                else:
                    record_admin_change(request, obj, old, snapshot(obj), verb=f"action.{name}")
        return response

    return run


class AuditedUserAdminMixin(AuditedAdminMixin):
    """For the user admin: setting or removing a password is recorded, without the password."""

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        with transaction.atomic(using=router.db_for_write(self.model)):
            user = self.model._default_manager.filter(pk=id).first()
            response: HttpResponse = super().user_change_password(  # type: ignore[misc]
                request, id, form_url
            )
            if user is not None and request.method == "POST":
                now = self.model._default_manager.get(pk=user.pk)
                if now.password != user.password:
                    verb = "password_set" if now.has_usable_password() else "password_unset"
                    record(
                        actor=request.user,
                        action=_action(now, verb),
                        obj=now,
                        after={"password": HIDDEN, "usable": now.has_usable_password()},
                    )
        return response
