"""Every back-office admin follows decision 0016: the operator administers everything; a
programme officer reads only what the API shows them, and edits nothing; other staff see
nothing.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from synergy_hub.accounts.back_office import BackOfficeAdmin
from tests.conftest import World
from tests.pages import client_for


def _request(user: object) -> object:
    request = RequestFactory().get("/admin/")
    request.user = user  # type: ignore[attr-defined]
    return request


def test_every_admin_scopes_what_an_officer_reads(world: World) -> None:
    world.officer.is_staff = True
    world.officer.save()
    request = _request(world.officer)
    for model, model_admin in admin.site._registry.items():
        label = model._meta.label
        assert not model_admin.has_add_permission(request), label
        assert not model_admin.has_change_permission(request), label
        assert not model_admin.has_delete_permission(request), label
        if isinstance(model_admin, BackOfficeAdmin):
            readable = model_admin.readable_by(world.officer)
            assert model_admin.has_view_permission(request) == (readable is not None), label
            if readable is not None:  # the listing is the API's rows, no more
                shown = set(model_admin.get_queryset(request).values_list("pk", flat=True))
                assert shown == set(readable.values_list("pk", flat=True)), label
        else:
            assert label == "audit.AuditEvent", f"{label} is not a BackOfficeAdmin"
            assert not model_admin.has_view_permission(request), label


@pytest.mark.parametrize("name", ["sme_a", "platform_operator", "platform_viewer", "provider"])
def test_staff_who_are_not_officers_see_nothing(world: World, name: str) -> None:
    user = world.persona(name)
    user.is_staff = True
    user.save()
    request = _request(user)
    for model, model_admin in admin.site._registry.items():
        assert not model_admin.has_module_permission(request), model._meta.label
        assert not model_admin.has_view_permission(request), model._meta.label
    assert (
        client_for(user).get(f"/admin/accounts/organisation/{world.sme.pk}/change/").status_code
        == 403
    )


def test_the_demo_officer_is_not_a_superuser(db: None) -> None:
    from datetime import date

    from synergy_hub.accounts.models import User
    from synergy_hub.demo.loader import load_demo_data

    load_demo_data(resources=30, smes=5, needs=3, today=date(2026, 11, 22))
    officer = User.objects.get(email__startswith="officer@")
    assert officer.is_staff and not officer.is_superuser
    assert not User.objects.filter(is_superuser=True).exists()
