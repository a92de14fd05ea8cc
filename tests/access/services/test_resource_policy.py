"""A resource's default usage policy set through access (templates or JSON-LD)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from synergy_hub.access import services as access_services
from synergy_hub.catalog.models import Resource
from tests import factories
from tests.conftest import World
from tests.permissions import assert_refused


def resource_on(world: World) -> Resource:
    """A resource of platform A on a draft list, which may still change."""
    return factories.resource(factories.openness_list(world.platform_a, world.batch, world.alice))


def test_access_refuses_an_outsider_before_reading_the_policy(world: World) -> None:
    resource = resource_on(world)
    with pytest.raises(PermissionDenied):
        access_services.set_resource_policy(world.charlie, resource, {"policy": {"oops": 1}})
    with pytest.raises(ValidationError):
        access_services.set_resource_policy(world.alice, resource, {"policy": {"oops": 1}})
    access_services.set_resource_policy(world.alice, resource, {"templates": ["research_only"]})
    resource.refresh_from_db()
    assert resource.usage_policy is not None
    assert resource.usage_policy["target"].endswith(str(resource.lineage))


def test_only_the_publishers_editors_set_a_resources_policy(world: World) -> None:
    resource = resource_on(world)
    assert_refused(
        world,
        lambda actor: access_services.set_resource_policy(
            actor, resource, {"templates": ["research_only"]}
        ),
        "anonymous",
        "platform_viewer",
        "other_platform",
        "provider",
        "sme_a",
        "officer",
    )
    resource.refresh_from_db()
    assert resource.usage_policy is None
