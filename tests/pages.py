"""Shared by the page tests of every app: a published list to browse and a client per persona.

Each test module declares its own `published` fixture from `published_gpu_list`, so a
reader sees where the data comes from.
"""

from __future__ import annotations

from typing import Any

from django.test import Client

from synergy_hub.catalog.models import OpennessList
from synergy_hub.catalog.vocabulary import ListState
from tests import factories
from tests.conftest import World


def published_gpu_list(world: World) -> OpennessList:
    """Platform A's published list with twelve GPU resources in Zhejiang."""
    the_list = factories.openness_list(
        world.platform_a,
        world.batch,
        world.alice,
        state=ListState.PUBLISHED,
        title_zh="甲平台开放清单",
        title_en="Platform A openness list",
    )
    for n in range(12):
        factories.resource(
            the_list, title_zh=f"GPU算力{n}", title_en=f"GPU pool {n}", regions=["330000"]
        )
    return the_list


def published_gpu_and_dataset(world: World) -> OpennessList:
    """Platform A's published list: a GPU pool in Zhejiang for manufacturing, an open dataset."""
    the_list = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    factories.resource(the_list, regions=["330000"], industries=["C"])
    factories.resource(
        the_list,
        resource_type="dataset",
        access_mode="open",
        price=None,
        title_en="Open dataset",
        title_zh="开放数据集",
        description_en="Supply chain data",
        description_zh="供应链数据",
        keywords=["数据"],
    )
    return the_list


def client_for(user: Any = None, language: str = "zh-hans") -> Client:
    client = Client(headers={"Accept-Language": language})
    if user is not None:
        client.force_login(user)
    return client
