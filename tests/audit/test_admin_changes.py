"""Every change made in the back office leaves an audit event with its before and after values."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import transaction
from django.forms import CheckboxInput, MultiWidget, SelectMultiple
from django.test import Client, RequestFactory

from synergy_hub.accounts.models import ApiToken, Membership, Role
from synergy_hub.accounts.services import create_api_token
from synergy_hub.audit.admin_mixins import HIDDEN, AuditedAdminMixin
from synergy_hub.audit.models import AuditEvent
from synergy_hub.audit.services import verify
from synergy_hub.catalog.admin import NeedAdmin
from synergy_hub.catalog.models import Batch, Need
from synergy_hub.catalog.services import create_need
from tests.conftest import World
from tests.pages import client_for


def test_every_registered_admin_is_audited() -> None:
    unaudited = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not isinstance(model_admin, AuditedAdminMixin)
    ]
    assert unaudited == []


@pytest.fixture
def staff(world: World) -> Client:
    world.officer.is_staff = world.officer.is_superuser = True
    world.officer.save()
    return client_for(world.officer)


def _form_data(response: Any) -> dict[str, Any]:
    """What the browser would post back: the change form and its inlines, as displayed."""
    data: dict[str, Any] = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms.append(formset.management_form)
        forms.extend(formset.forms)
    for form in forms:
        for bound in form:
            widget = getattr(bound.field.widget, "widget", bound.field.widget)  # unwrap "+" links
            if bound.field.disabled:
                continue
            value = bound.value()
            if isinstance(widget, MultiWidget):
                parts = widget.decompress(value)
                for index, sub in enumerate(widget.widgets):
                    data[f"{bound.html_name}_{index}"] = sub.format_value(parts[index]) or ""
            elif isinstance(widget, CheckboxInput):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(widget, SelectMultiple):
                data[bound.html_name] = [str(v) for v in value or []]
            else:
                data[bound.html_name] = widget.format_value(value) or ""
    return data


def _post_change(client: Client, url: str, **changes: Any) -> dict[str, Any]:
    page = client.get(url)
    assert page.status_code == 200
    data = {**_form_data(page), **changes, "_save": "Save"}
    response = client.post(url, data)
    errors = response.context and response.context["adminform"].form.errors
    assert response.status_code == 302, errors
    return data


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def test_editing_a_need_records_the_changed_fields(
    world: World, staff: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The back office reads needs today; were it allowed to edit them, the edit is audited.
    monkeypatch.setattr(NeedAdmin, "has_change_permission", lambda self, request, obj=None: True)
    need = create_need(world.sam, {"title": "GPU hours", "description": "for training"})
    _post_change(staff, f"/admin/catalog/need/{need.pk}/change/", title="GPU hours, urgent")
    (event,) = _events("admin.need.changed")
    assert event.before["title"] == "GPU hours" and event.after["title"] == "GPU hours, urgent"
    assert "description" not in event.after  # only what changed
    assert event.actor_id == world.officer.pk and event.organisation_id == world.sme.pk
    assert event.object_type == "catalog.need" and event.object_id == str(need.pk)


def test_the_need_admin_itself_still_refuses_edits(world: World, staff: Client) -> None:
    need = create_need(world.sam, {"title": "x", "description": "y"})
    response = staff.post(f"/admin/catalog/need/{need.pk}/change/", {"title": "edited"})
    assert response.status_code == 403 and not _events("admin.need.changed")
    assert Need.objects.get(pk=need.pk).title == "x"


def test_revoking_an_api_token_records_its_revocation(world: World, staff: Client) -> None:
    token, _secret = create_api_token(world.alice, "ERP sync")
    response = staff.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", ACTION_CHECKBOX_NAME: [str(token.pk)]},
    )
    assert response.status_code == 302
    (event,) = _events("admin.apitoken.action.revoke")
    assert event.before == {"revoked_at": None} and event.after["revoked_at"]
    assert not ApiToken.objects.get(pk=token.pk).is_active


def test_a_revocation_cannot_be_undone_in_the_back_office(world: World, staff: Client) -> None:
    """Every token field is read-only: a posted revocation time (or its removal) is ignored."""
    token, _secret = create_api_token(world.alice, "ERP sync")
    url = f"/admin/accounts/apitoken/{token.pk}/change/"
    staff.post("/admin/accounts/apitoken/", {"action": "revoke", ACTION_CHECKBOX_NAME: [token.pk]})
    revoked = ApiToken.objects.get(pk=token.pk).revoked_at
    form = staff.get(url).context["adminform"].form
    assert "revoked_at" not in form.fields and "expires_at" not in form.fields
    staff.post(url, {"revoked_at_0": "", "revoked_at_1": "", "scope": "write", "_save": "Save"})
    assert ApiToken.objects.get(pk=token.pk).revoked_at == revoked
    staff.post("/admin/accounts/apitoken/", {"action": "revoke", ACTION_CHECKBOX_NAME: [token.pk]})
    assert ApiToken.objects.get(pk=token.pk).revoked_at == revoked  # revoked once, kept
    assert staff.get("/admin/accounts/apitoken/add/").status_code == 403


def test_deleting_an_api_token_records_it_without_its_digest(world: World, staff: Client) -> None:
    token, _secret = create_api_token(world.alice, "ERP sync")
    response = staff.post(f"/admin/accounts/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not ApiToken.objects.filter(pk=token.pk).exists()
    (event,) = _events("admin.apitoken.deleted")
    assert event.before["name"] == "ERP sync" and event.before["user"] == world.alice.pk
    assert event.before["digest"] == HIDDEN and event.after is None


def test_setting_a_users_password_is_recorded_without_the_password(
    world: World, staff: Client
) -> None:
    url = f"/admin/accounts/user/{world.sam.pk}/password/"
    secret = "Correct-Horse-Battery-42"
    response = staff.post(
        url, {"password1": secret, "password2": secret, "set_usable_password": "true"}
    )
    assert response.status_code == 302
    (event,) = _events("admin.user.password_set")
    assert event.object_id == str(world.sam.pk) and event.actor_id == world.officer.pk
    assert event.after == {"password": HIDDEN, "usable": True}
    world.sam.refresh_from_db()
    assert world.sam.check_password(secret)
    stored = AuditEvent.objects.values_list("before", "after")
    assert all(secret not in str(row) and world.sam.password not in str(row) for row in stored)


def test_bulk_delete_selected_records_one_event_per_object(world: World, staff: Client) -> None:
    tokens = [create_api_token(world.alice, f"token {n}")[0] for n in range(3)]
    response = staff.post(
        "/admin/accounts/apitoken/",
        {
            "action": "delete_selected",
            ACTION_CHECKBOX_NAME: [str(t.pk) for t in tokens[:2]],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    deleted = _events("admin.apitoken.deleted")
    assert sorted(e.object_id for e in deleted) == sorted(str(t.pk) for t in tokens[:2])
    assert {e.before["name"] for e in deleted} == {"token 0", "token 1"}
    assert ApiToken.objects.filter(pk=tokens[2].pk).exists()


def test_adding_a_membership_through_the_inline_names_organisation_and_role(
    world: World, staff: Client
) -> None:
    # Charlie (platform C) made administrator of platform A: the grant is visible in the log.
    url = f"/admin/accounts/organisation/{world.platform_a.pk}/change/"
    page = staff.get(url)
    data = _form_data(page)
    prefix = page.context["inline_admin_formsets"][0].formset.prefix
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": str(total + 1),
            f"{prefix}-{total}-user": str(world.charlie.pk),
            f"{prefix}-{total}-role": Role.ADMIN,
            f"{prefix}-{total}-organisation": str(world.platform_a.pk),
            f"{prefix}-{total}-created_at_0": data[f"{prefix}-0-created_at_0"],
            f"{prefix}-{total}-created_at_1": data[f"{prefix}-0-created_at_1"],
            "_save": "Save",
        }
    )
    response = staff.post(url, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][0].formset.errors
    (event,) = _events("admin.membership.added")
    assert event.after is not None
    assert event.after["organisation"] == world.platform_a.pk
    assert event.after["user"] == world.charlie.pk and event.after["role"] == Role.ADMIN
    assert event.organisation_id == world.platform_a.pk and event.actor_id == world.officer.pk
    assert not _events("admin.organisation.changed")  # nothing else changed: no empty event


def test_changing_and_deleting_a_membership_through_the_inline(world: World, staff: Client) -> None:
    url = f"/admin/accounts/organisation/{world.platform_a.pk}/change/"
    page = staff.get(url)
    data = _form_data(page)
    formset = page.context["inline_admin_formsets"][0].formset
    rows = {form.instance.user_id: form.prefix for form in formset.forms}
    data[f"{rows[world.bob.pk]}-role"] = Role.ADMIN
    data[f"{rows[world.alice.pk]}-DELETE"] = "on"
    staff.post(url, {**data, "_save": "Save"})
    (changed,) = _events("admin.membership.changed")
    assert changed.before["role"] == Role.VIEWER and changed.after["role"] == Role.ADMIN
    assert "user" not in changed.after and changed.organisation_id == world.platform_a.pk
    (deleted,) = _events("admin.membership.deleted")
    assert deleted.before is not None and deleted.before["user"] == world.alice.pk
    assert deleted.before["organisation"] == world.platform_a.pk
    assert not Membership.objects.filter(user=world.alice, organisation=world.platform_a).exists()


def test_changing_a_users_staff_and_superuser_flags_records_both(
    world: World, staff: Client
) -> None:
    url = f"/admin/accounts/user/{world.sam.pk}/change/"
    data = _post_change(staff, url, is_staff="on", is_superuser="on")
    assert "password" not in data  # read-only on this page
    (event,) = _events("admin.user.changed")
    assert (event.before["is_staff"], event.before["is_superuser"]) == (False, False)
    assert (event.after["is_staff"], event.after["is_superuser"]) == (True, True)
    assert "email" not in event.after and event.object_id == str(world.sam.pk)
    assert verify().ok


def test_adding_a_user_to_a_group_records_the_many_to_many_change(
    world: World, staff: Client
) -> None:
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="reviewers")
    _post_change(staff, f"/admin/accounts/user/{world.sam.pk}/change/", groups=[str(group.pk)])
    (event,) = [e for e in _events("admin.user.changed") if "groups" in e.after]
    assert event.before == {"groups": []} and event.after == {"groups": [group.pk]}


def test_an_admin_action_records_what_it_changed_on_each_object(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    def rename(modeladmin: Any, request: Any, queryset: Any) -> None:
        queryset.update(name_en="Renamed")

    model_admin = admin.site._registry[Batch]
    monkeypatch.setattr(model_admin, "actions", [rename])
    request = RequestFactory().post("/admin/catalog/batch/")
    request.user = world.officer
    func, _name, _description = model_admin.get_actions(request)["rename"]
    with transaction.atomic():
        func(model_admin, request, Batch.objects.filter(pk=world.batch.pk))
    (event,) = _events("admin.batch.action.rename")
    assert event.object_id == str(world.batch.pk) and event.actor_id == world.officer.pk
    assert event.before == {"name_en": world.batch.name_en}
    assert event.after == {"name_en": "Renamed"}


def test_a_programme_added_in_the_back_office_is_recorded_with_its_values(
    world: World, staff: Client
) -> None:
    response = staff.post(
        "/admin/catalog/programme/add/",
        {"code": "P-1", "name_zh": "方案", "name_en": "Plan", "start_year": 2026, "end_year": 2028},
    )
    assert response.status_code == 302
    (event,) = _events("admin.programme.added")
    assert event.before is None and event.after is not None and event.after["code"] == "P-1"


def test_clearing_a_login_lockout_in_the_back_office_is_audited(staff: Client) -> None:
    from axes.models import AccessAttempt

    attempt = AccessAttempt.objects.create(
        username="someone@example.org", ip_address="203.0.113.9", failures_since_start=5
    )
    assert staff.get("/admin/axes/accessattempt/").status_code == 200
    response = staff.post(
        "/admin/axes/accessattempt/",
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: [str(attempt.pk)], "post": "yes"},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(pk=attempt.pk).exists()
    (event,) = _events("admin.accessattempt.deleted")
    assert event.before["username"] == "someone@example.org"
