"""Governance fixtures: a fee schedule draft of platform A and a GPU pool SMEs request."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from synergy_hub.access import services as access_services
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.governance import services
from synergy_hub.governance.models import FeeSchedule
from tests import factories
from tests.access.conftest import terms
from tests.conftest import World


def schedule_data(**overrides: Any) -> dict[str, Any]:
    """A valid fee schedule as the services take it: a commission and a compute fee."""
    return {
        "jurisdiction": "PRC",
        "summary_zh": "技术服务费由5%调整为4%。",
        "summary_en": "The technical service fee goes from 5% to 4%.",
        "items": [
            {
                "kind": "commission",
                "basis": "percentage",
                "rate": "4",
                "cap": "5000",
                "sme_discount_percent": "25",
                "applies_to": "all paid resources",
            },
            {"kind": "data_compute", "basis": "per_unit", "rate": "1.2", "unit": "gpu_hour"},
        ],
    } | overrides


@pytest.fixture
def draft(world: World) -> FeeSchedule:
    return services.draft_fee_schedule(world.alice, schedule_data())


@pytest.fixture
def gpu(world: World) -> Resource:
    published = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    return factories.resource(published, capacity=Decimal(1000), capacity_period="month")


@pytest.fixture
def sam_requested(world: World, gpu: Resource) -> Any:
    """Small Co asked platform A for GPU hours: it is affected by A's fee changes."""
    return access_services.request_access(world.sam, gpu, terms())
