"""A small published catalog for the assistant: testing services, compute, a dataset."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from synergy_hub.catalog.vocabulary import ListState
from tests import factories
from tests.conftest import World

EXAMPLE = "我们是宁波一家做锂电池外壳的小厂，产品要出口德国，需要做CE检测，预算5万以内"


@pytest.fixture
def catalog(world: World) -> dict[str, Any]:
    """Platform A's published list: two testing services, GPU compute and a dataset."""
    published = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    return {
        "ce": factories.resource(
            published,
            resource_type="testing_certification",
            title_zh="出口欧盟CE认证检测服务",
            title_en="CE marking testing for exports to the EU",
            description_zh="面向浙江中小企业的CE检测、EMC和低电压指令测试，出具欧盟认可报告。",
            description_en="CE testing (EMC, LVD) for SMEs in Zhejiang exporting to Europe.",
            regions=["330000"],
            unit="test_slot",
            price=Decimal("8000.00"),
            sme_discount_percent=30,
            capacity=Decimal(20),
            capacity_period="month",
            usage_terms_zh="检测报告仅用于申请认证。",
            usage_terms_en="Reports may be used for certification only.",
        ),
        "battery": factories.resource(
            published,
            resource_type="testing_certification",
            title_zh="锂电池安全检测",
            title_en="Lithium battery safety testing",
            description_zh="锂电池及外壳的安全与运输检测，UN38.3、IEC 62133。",
            description_en="Safety and transport testing of lithium batteries and casings.",
            unit="test_slot",
            price=Decimal("12000.00"),
            sme_discount_percent=20,
            capacity=Decimal(10),
            capacity_period="month",
        ),
        "gpu": factories.resource(published),
        "dataset": factories.resource(
            published,
            resource_type="dataset",
            access_mode="open",
            price=None,
            title_zh="供应链价格指数",
            title_en="Supply-chain price index",
            description_zh="供应商月度价格指数。",
            description_en="Monthly price index of suppliers.",
            unit="download",
        ),
    }
