"""The need's search terms, run through the hub's own search, as the assistant's tool runs them."""

from __future__ import annotations

from datetime import date

import pytest

from synergy_hub.assistant.understanding.pipeline import understand
from synergy_hub.assistant.understanding.search_terms import search_terms
from synergy_hub.catalog.models import OpennessList
from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.matching.services import search_resources
from tests import factories
from tests.conftest import World

TODAY = date(2026, 12, 7)
ISSUE_EXAMPLE = "我们是宁波一家做锂电池外壳的小厂，产品要出口德国，需要做CE检测，预算5万以内"


@pytest.fixture
def catalog(world: World) -> OpennessList:
    """Testing in Zhejiang and in Guangdong, national testing, and a GPU pool."""
    the_list = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    for title, regions in (
        ("浙江出口产品检验检测认证", ["330000"]),
        ("广东出口产品检验检测认证", ["440000"]),
        ("全国电池产品检测认证服务", []),
    ):
        factories.resource(
            the_list,
            resource_type="testing_certification",
            title_zh=title,
            title_en="",
            description_zh="CE认证与安全检测，中小企业优先排期。",
            description_en="",
            regions=regions,
            unit="test_slot",
        )
    factories.resource(
        the_list,
        title_zh="GPU算力资源池",
        title_en="GPU computing pool",
        description_zh="面向中小企业开放A800 GPU算力，检测模型训练。",
        description_en="A800 GPU capacity.",
    )
    return the_list


def test_the_issue_example_finds_testing_that_serves_ningbo(catalog: OpennessList) -> None:
    terms = search_terms(understand(ISSUE_EXAMPLE, today=TODAY))
    outcome = search_resources(
        terms.words,
        catalog_filters=terms.catalog_filters(),
        engine_filters=terms.engine_filters(),
        limit=5,
        record_exposure=False,
    )
    found = {item.resource.title_zh for item in outcome.items}
    assert found == {"浙江出口产品检验检测认证", "全国电池产品检测认证服务"}
    assert all(item.resource.resource_type == "testing_certification" for item in outcome.items)
