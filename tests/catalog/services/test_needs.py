"""SME needs through the services."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from synergy_hub.catalog import selectors, services
from synergy_hub.catalog.models import Need
from tests.conftest import World
from tests.permissions import assert_refused


def test_sme_records_a_need(world: World) -> None:
    need = services.create_need(
        world.sam,
        {
            "title": "需要GPU算力",
            "description": "训练质检模型需要两百卡时",
            "resource_types": ["compute"],
            "region": "330100",
            "budget": "20000",
            "wanted_from": "2026-12-01",
            "wanted_until": "2027-02-28",
        },
    )
    assert need.organisation == world.sme and need.region_id == "330100"
    updated = services.update_need(world.sam, need, {"status": "fulfilled"})
    assert updated.status == "fulfilled" and updated.title == "需要GPU算力"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "", "description": "x"}, "title"),
        ({"title": "x", "description": "x", "resource_types": ["rocket"]}, "resource_types"),
        ({"title": "x", "description": "x", "region": "123456"}, "region"),
        ({"title": "x", "description": "x", "budget": "-5"}, "budget"),
        (
            {
                "title": "x",
                "description": "x",
                "wanted_from": "2027-01-02",
                "wanted_until": "2027-01-01",
            },
            "wanted_until",
        ),
        ({"title": "x", "description": "x", "wanted_from": "soon"}, "wanted_from"),
    ],
)
def test_bad_need_input(world: World, data: dict, field: str) -> None:
    with pytest.raises(ValidationError) as exc:
        services.create_need(world.sam, data)
    assert field in exc.value.message_dict
    assert not Need.objects.exists()


def test_platforms_cannot_record_needs(world: World) -> None:
    with pytest.raises(PermissionDenied):
        services.create_need(world.alice, {"title": "x", "description": "y"})


def test_other_sme_cannot_see_or_change_the_need(world: World) -> None:
    need = services.create_need(world.sam, {"title": "x", "description": "y"})
    with pytest.raises(Http404):
        selectors.need_for_owner(world.sid, need.pk)
    with pytest.raises(PermissionDenied):
        services.update_need(world.sid, need, {"title": "mine now"})


def test_only_sme_users_record_needs(world: World) -> None:
    assert_refused(
        world,
        lambda actor: services.create_need(actor, {"title": "x", "description": "y"}),
        "anonymous",
        "platform_operator",
        "platform_viewer",
        "provider",
        "officer",
    )
    assert not Need.objects.exists()


def test_a_need_is_read_and_changed_by_its_own_sme_only(world: World) -> None:
    need = services.create_need(world.sam, {"title": "x", "description": "y"})
    others = ("anonymous", "sme_b", "platform_operator", "provider", "officer")
    assert_refused(
        world, lambda actor: selectors.need_for_owner(actor, need.pk), *others, raises=Http404
    )
    assert_refused(
        world, lambda actor: services.update_need(actor, need, {"title": "mine now"}), *others
    )
    need.refresh_from_db()
    assert need.title == "x"
