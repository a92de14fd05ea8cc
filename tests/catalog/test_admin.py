"""The catalog's back office (Django admin): it reads what the services wrote, never changes it."""

from __future__ import annotations

from django.test import Client

from synergy_hub.catalog import services
from tests.conftest import World


def test_the_back_office_reads_needs_but_does_not_change_them(world: World) -> None:
    need = services.create_need(world.sam, {"title": "x", "description": "y"})
    world.officer.is_staff = world.officer.is_superuser = True
    world.officer.save()
    client = Client()
    client.force_login(world.officer)
    url = f"/admin/catalog/need/{need.pk}/change/"
    assert client.get(url).status_code == 200
    changed = client.post(url, {"title": "edited", "description": "y", "status": "closed"})
    assert changed.status_code == 403
    assert client.post(f"/admin/catalog/need/{need.pk}/delete/", {"post": "yes"}).status_code == 403
    need.refresh_from_db()
    assert need.title == "x" and need.status == "open"
