"""A small published catalog around the personas: two platforms' lists and one draft."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from synergy_hub.catalog.models import OpennessList, Resource
from synergy_hub.catalog.vocabulary import ListState
from tests import factories
from tests.conftest import World


@dataclass
class SmallCatalog:
    world: World
    list_a: OpennessList
    list_c: OpennessList
    draft_a: OpennessList
    gpu: Resource  # platform A, compute, paid, innovation
    weather: Resource  # platform A, open dataset without terms (CC BY 4.0)
    lab: Resource  # platform C, laboratory on request, Zhejiang
    secret: Resource  # platform A, on a draft list (private)


@pytest.fixture
def small_catalog(world: World) -> SmallCatalog:
    list_a = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    list_c = factories.openness_list(
        world.platform_c, world.batch, world.charlie, state=ListState.PUBLISHED
    )
    draft_a = factories.openness_list(
        world.platform_a, world.batch, world.alice, title_zh="草稿清单", title_en="Draft list"
    )
    gpu = factories.resource(
        list_a, keywords=["GPU", "算力"], usage_terms_en="Own R&D only; no resale."
    )
    weather = factories.resource(
        list_a,
        resource_type="dataset",
        pillar="open",
        title_zh="开放气象数据",
        title_en="Open weather data",
        description_zh="逐小时气象观测数据。",
        description_en="Hourly weather observations.",
        keywords=["open data", "weather"],
        access_mode="open",
        price=None,
        sme_discount_percent=0,
        unit="download",
        capacity=None,
        capacity_period="",
    )
    lab = factories.resource(
        list_c,
        resource_type="laboratory",
        pillar="open",
        title_zh="材料检测实验室",
        title_en="Materials laboratory",
        description_zh="开放材料力学实验室。",
        description_en="Materials mechanics laboratory opened to SMEs.",
        keywords=["实验室"],
        access_mode="on_request",
        price=None,
        sme_discount_percent=0,
        unit="lab_day",
        regions=["330000"],
        industries=["C"],
        eligible_size_classes=["small", "micro"],
        contact_email="lab@example.org",
        usage_terms_zh="仅限研发使用。",
    )
    secret = factories.resource(
        draft_a,
        resource_type="ai_model",
        title_en="Unpublished model",
        title_zh="",
        keywords=["secret"],
    )
    return SmallCatalog(world, list_a, list_c, draft_a, gpu, weather, lab, secret)


@pytest.fixture(autouse=True)
def _english(settings: Any) -> Iterator[None]:
    """These tests compare report texts in English; the site's default language is Chinese."""
    from django.utils import translation

    with translation.override("en"):
        yield
