"""The access world: platform A publishes a GPU pool (booked in monthly slots) and a dataset."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from synergy_hub import odrl
from synergy_hub.access import services, usage_policy
from synergy_hub.access.models import AccessRequest, Agreement
from synergy_hub.catalog.models import OpennessList, Resource
from synergy_hub.catalog.vocabulary import ListState
from tests import factories
from tests.conftest import World

REASONS_EXAMPLE = {
    "facts": "The laboratory is closed for maintenance that week.",
    "ground": "Terms of use, clause 5: scheduled maintenance.",
    "redress": "Ask for another period, or complain through the hub.",
}


def today() -> date:
    return timezone.localdate()


def terms(**overrides: Any) -> dict[str, Any]:
    """A valid request as the services take it: 10 units over the next 30 days."""
    data: dict[str, Any] = {
        "purpose": "训练质检模型 / training an inspection model",
        "purpose_code": "research",
        "intended_use": "",
        "quantity": "10",
        "starts_on": today(),
        "ends_on": today() + timedelta(days=29),
    }
    data.update(overrides)
    return data


def offer_terms(**overrides: Any) -> dict[str, Any]:
    data = terms(price="9.60") | overrides
    return {k: v for k, v in data.items() if k not in ("purpose", "purpose_code", "intended_use")}


def policy_document(*parts: odrl.Policy) -> dict[str, Any]:
    """Templates combined into JSON-LD, as the policy editor sends them."""
    return usage_policy.to_jsonld(odrl.combine(*parts) if parts else usage_policy.default_policy())


@pytest.fixture
def published(world: World) -> OpennessList:
    return factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )


@pytest.fixture
def gpu(published: OpennessList) -> Resource:
    """Computing power: 1000 GPU-hours per month, booked in monthly slots."""
    return factories.resource(published, capacity=Decimal(1000), capacity_period="month")


@pytest.fixture
def dataset(published: OpennessList) -> Resource:
    """A data set used through an API: metered, not booked."""
    return factories.resource(
        published,
        resource_type="dataset",
        title_zh="供应链数据集",
        title_en="Supply chain data",
        access_mode="on_request",
        price=None,
        unit="api_call",
        capacity=Decimal(10000),
        capacity_period="day",
    )


def requested(world: World, resource: Resource, **overrides: Any) -> AccessRequest:
    return services.request_access(world.sam, resource, terms(**overrides))


def offered(
    world: World, resource: Resource, policy: dict[str, Any] | None = None, **overrides: Any
) -> AccessRequest:
    access_request = requested(world, resource, **overrides)
    data = offer_terms(**overrides)
    if policy is not None:
        data["policy"] = policy
    services.make_offer(world.alice, access_request, data)
    return AccessRequest.objects.get(pk=access_request.pk)


def agreed(
    world: World, resource: Resource, policy: dict[str, Any] | None = None, **overrides: Any
) -> Agreement:
    access_request = offered(world, resource, policy, **overrides)
    services.accept_offer(world.sam, access_request)
    return services.agree(world.alice, access_request)
