"""Resource types and industries from words, and the dictionaries' own consistency."""

from __future__ import annotations

from datetime import date

import pytest

from synergy_hub.assistant.understanding import amounts
from synergy_hub.assistant.understanding.industry_words import INDUSTRY_RULES
from synergy_hub.assistant.understanding.lexicon import (
    NO_TYPE,
    RESOURCE_TYPES,
    TYPE_QUERY_WORDS,
    TYPE_RULES,
)
from synergy_hub.assistant.understanding.pipeline import understand
from synergy_hub.catalog.vocabulary import ResourceType, Unit
from synergy_hub.eligibility.industries import get_industry

TODAY = date(2026, 6, 1)


def test_every_rule_names_a_catalog_type_or_a_division_of_the_table() -> None:
    named = {rule.value for rule in TYPE_RULES} - {NO_TYPE}
    assert named == set(RESOURCE_TYPES) == set(TYPE_QUERY_WORDS)
    for rule in INDUSTRY_RULES:
        industry = get_industry(rule.value)
        assert industry is not None and industry.level == "division", rule.value


def test_the_lexicon_and_the_units_are_the_catalog_s_vocabulary() -> None:
    assert set(RESOURCE_TYPES) == set(ResourceType.values)
    units = {unit for _pattern, unit in amounts._UNIT_PAIRS} - {"token"}  # tokens → kilotokens
    assert units <= set(Unit.values)


@pytest.mark.parametrize(
    ("text", "types"),
    [
        ("显卡不够用", ("compute",)),
        ("想跑个模型", ("compute",)),
        ("要训练自己的模型", ("compute",)),
        ("need GPUs", ("compute",)),
        ("出口德国需要认证", ("testing_certification",)),
        ("想拿到检测报告", ("testing_certification",)),
        ("视觉质检替代人工", ("ai_model",)),
        ("想用大模型写文案", ("ai_model",)),
        ("AI quality inspection for welds", ("ai_model",)),
        ("训练数据哪里找", ("dataset",)),
        ("想要行业行情数据", ("dataset",)),
        ("接入信用评估接口", ("api",)),
        ("need a CRM", ("software_tool",)),
        ("买正版工业软件太贵", ("software_tool",)),
        ("打样要用加工中心", ("equipment",)),
        ("要去实验室做小试", ("laboratory",)),
        ("pilot plant for scale-up", ("laboratory",)),
        ("想给员工安排电商运营培训", ("training_incubation",)),
        ("找个孵化器", ("training_incubation",)),
        ("应收账款压力大，想做订单融资", ("supply_chain_service",)),
        ("想开网店卖货", ("market_access",)),
        ("sell on a cross-border marketplace", ("market_access",)),
    ],
)
def test_resource_types_from_problem_words(text: str, types: tuple[str, ...]) -> None:
    assert understand(text, today=TODAY).resource_types == types


def test_a_denied_type_is_not_read() -> None:
    assert understand("不需要GPU，只要一个CRM", today=TODAY).resource_types == ("software_tool",)
    assert understand("no GPU needed, just a CRM", today=TODAY).resource_types == ("software_tool",)


def test_a_weak_word_counts_only_when_nothing_stronger_is_said() -> None:
    assert understand("想了解AI", today=TODAY).resource_types == ("ai_model",)
    assert understand("AI训练需要GPU算力", today=TODAY).resource_types == ("compute",)


def test_the_company_s_own_trade_is_its_industry_not_a_wanted_resource() -> None:
    need = understand("我们是软件公司，想找检测服务", today=TODAY)
    assert need.industry_codes == ("65",)
    assert need.resource_types == ("testing_certification",)
    assert understand("物流公司要接电子合同接口", today=TODAY).resource_types == ("api",)


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("我们做小家电", ("38",)),
        ("锂电池厂", ("38",)),
        ("做服装的", ("18",)),
        ("纺织面料", ("17",)),
        ("textiles", ("17",)),
        ("auto parts maker", ("36",)),
        ("做化妆品", ("26",)),
        ("医药企业", ("27",)),
        ("家具厂", ("21",)),
        ("做注塑件的", ("29",)),
        ("五金厂", ("33",)),
        ("半导体", ("39",)),
        ("我们开餐厅", ("62",)),
    ],
)
def test_industries_from_trade_words(text: str, codes: tuple[str, ...]) -> None:
    assert understand(text, today=TODAY).industry_codes == codes


def test_recognition_services_are_models_and_selling_online_is_market_access() -> None:
    assert understand("要一个OCR接口识别发票", today=TODAY).resource_types == ("ai_model",)
    need = understand("We want to sell our toys online", today=TODAY)
    assert need.resource_types == ("market_access",)
    assert need.industry_codes == ("24",)


def test_getting_products_into_shops_is_market_access() -> None:
    need = understand("tiny bakery, need help getting our cookies into supermarkets", today=TODAY)
    assert need.resource_types == ("market_access",)
    assert need.industry_codes == ("14",)
    assert understand("产品想进商超", today=TODAY).resource_types == ("market_access",)


@pytest.mark.parametrize(
    ("text", "types"),
    [
        ("有没有做产品碳足迹核算的", ("testing_certification",)),
        ("做跨境的，想找海外仓", ("supply_chain_service",)),
        ("需要开模服务", ("equipment",)),
        ("想租云主机", ("compute",)),
    ],
)
def test_service_words_of_the_catalog_s_types(text: str, types: tuple[str, ...]) -> None:
    assert understand(text, today=TODAY).resource_types == types


def test_marketplace_names_suggest_market_access_only_when_nothing_else_is_asked() -> None:
    assert understand("need help listing on Amazon", today=TODAY).resource_types == (
        "market_access",
    )
    assert understand("我们在淘宝卖货，想找检测报告", today=TODAY).resource_types == (
        "testing_certification",
    )
    assert understand("我想找一个懂外贸的导师", today=TODAY).resource_types == (
        "training_incubation",
    )
