"""A resource's usage policy through catalog's service: who may set it, and when."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from synergy_hub import odrl
from synergy_hub.audit.models import AuditEvent
from synergy_hub.catalog import services
from synergy_hub.catalog.models import OpennessList, Resource
from synergy_hub.catalog.vocabulary import ListState
from tests import factories
from tests.conftest import World


def document() -> dict[str, Any]:
    return odrl.policy_to_jsonld(odrl.no_redistribution())


def resource_on(world: World, state: str = ListState.DRAFT) -> Resource:
    openness_list: OpennessList = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=state
    )
    return factories.resource(openness_list)


def test_the_publisher_sets_the_policy_and_it_is_audited(world: World) -> None:
    resource = resource_on(world)
    stored = services.set_usage_policy(world.alice, resource, document())
    resource.refresh_from_db()
    assert resource.usage_policy == stored.usage_policy
    assert resource.usage_policy["prohibition"][0]["action"] == "distribute"
    event = AuditEvent.objects.get(action="access.resource_policy.set")
    assert event.object_id == str(resource.pk) and event.organisation_id == world.platform_a.pk


@pytest.mark.parametrize("who", ["bob", "charlie", "sam", "officer"])
def test_only_the_publishers_editors_may_set_it(world: World, who: str) -> None:
    """Bob is a viewer of the publisher, Charlie edits another platform, Sam is an SME."""
    resource = resource_on(world)
    with pytest.raises(PermissionDenied):
        services.set_usage_policy(getattr(world, who), resource, document())
    resource.refresh_from_db()
    assert resource.usage_policy is None and not AuditEvent.objects.exists()


@pytest.mark.parametrize(
    "state", [ListState.SUBMITTED, ListState.UNDER_REVIEW, ListState.PUBLISHED]
)
def test_a_list_that_is_not_editable_keeps_its_policies(world: World, state: str) -> None:
    resource = resource_on(world, state)
    with pytest.raises(ValidationError) as exc:
        services.set_usage_policy(world.alice, resource, document())
    assert exc.value.error_dict["state"][0].code == "not_editable"
    resource.refresh_from_db()
    assert resource.usage_policy is None


def test_a_returned_list_is_editable_again(world: World) -> None:
    resource = resource_on(world, ListState.RETURNED)
    services.set_usage_policy(world.alice, resource, document())
    resource.refresh_from_db()
    assert resource.usage_policy is not None


def test_a_document_that_is_no_odrl_policy_is_refused(world: World) -> None:
    resource = resource_on(world)
    broken = document()
    broken["prohibition"][0]["action"] = {"bogus": True}
    for bad in (["not", "an", "object"], broken):
        with pytest.raises(ValidationError) as exc:
            services.set_usage_policy(world.alice, resource, bad)  # type: ignore[arg-type]
        assert "policy" in exc.value.message_dict
    resource.refresh_from_db()
    assert resource.usage_policy is None


def test_none_removes_the_policy(world: World) -> None:
    resource = resource_on(world)
    services.set_usage_policy(world.alice, resource, document())
    services.set_usage_policy(world.alice, resource, None)
    resource.refresh_from_db()
    assert resource.usage_policy is None
