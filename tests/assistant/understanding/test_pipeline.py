"""The offline reading of a problem statement, end to end, and follow-up turns."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from synergy_hub.assistant.understanding.pipeline import detect_language, understand
from synergy_hub.assistant.understanding.search_terms import search_terms

TODAY = date(2026, 12, 7)


def test_the_issue_example_reads_testing_in_ningbo_within_fifty_thousand_yuan() -> None:
    need = understand(
        "我们是宁波一家做锂电池外壳的小厂，产品要出口德国，需要做CE检测，预算5万以内", today=TODAY
    )
    assert need.resource_types == ("testing_certification",)
    assert need.region_codes == ("330200",)
    assert need.budget_max_yuan == Decimal(50000)
    assert need.certifications == ("CE",)
    assert need.industry_codes == ("38",)
    assert need.language == "zh"
    assert need.evidence["region_codes"] == "宁波"
    assert need.evidence["budget_max_yuan"] == "5万"


def test_an_english_statement_with_quantity_time_frame_and_money() -> None:
    need = understand("We need 500 GPU hours next month in Hangzhou, budget 50k RMB", today=TODAY)
    assert need.resource_types == ("compute",)
    assert need.region_codes == ("330100",)
    assert need.budget_max_yuan == Decimal(50000)
    assert [(q.amount, q.unit) for q in need.quantities] == [(Decimal(500), "gpu_hour")]
    assert (need.wanted_from, need.wanted_until) == (date(2027, 1, 1), date(2027, 1, 31))
    assert need.language == "en"


def test_language_detection_tells_mixed_from_chinese_with_abbreviations() -> None:
    assert detect_language("需要GPU和CE认证") == "zh"
    assert detect_language("我们需要 some GPU hours for training") == "mixed"
    assert detect_language("Need CE testing") == "en"
    assert detect_language("12345") == ""


def test_follow_ups_refine_and_keep_what_they_do_not_touch() -> None:
    first = understand(
        "我们是宁波一家做锂电池外壳的小厂，产品要出口德国，需要做CE检测，预算5万以内", today=TODAY
    )
    cheaper = understand("便宜点", previous=first, today=TODAY)
    assert cheaper.price_preference == "lower"
    assert cheaper.resource_types == first.resource_types
    assert cheaper.budget_max_yuan == first.budget_max_yuan

    zhejiang = understand("只要浙江的", previous=cheaper, today=TODAY)
    assert zhejiang.region_codes == ("330000",)
    assert zhejiang.certifications == ("CE",)

    later = understand("next month", previous=zhejiang, today=TODAY)
    assert (later.wanted_from, later.wanted_until) == (date(2027, 1, 1), date(2027, 1, 31))
    assert later.region_codes == ("330000",)

    more = understand("also need GPU", previous=later, today=TODAY)
    assert more.resource_types == ("testing_certification", "compute")
    assert more.budget_max_yuan == Decimal(50000)


def test_search_terms_filter_by_type_and_region_and_judge_the_budget() -> None:
    need = understand("宁波的厂，需要500个GPU卡时，预算1万", today=TODAY)
    terms = search_terms(need)
    assert terms.catalog_filters() == {"resource_types": ["compute"], "region": "330200"}
    assert terms.engine_filters().regions == frozenset({"330200"})
    assert terms.affordable(None, "gpu_hour")  # free fits any budget
    assert terms.affordable(Decimal(20), "gpu_hour")  # 500 x 20 = 10,000
    assert not terms.affordable(Decimal(21), "gpu_hour")
    assert terms.affordable(Decimal(9000), "core_hour")  # no quantity in that unit


@pytest.mark.parametrize(
    ("text", "certifications"),
    [
        ("要做CE和RoHS", ("CE", "RoHS")),
        ("3C认证", ("CCC",)),
        ("need FCC and UL listing", ("FCC", "UL")),
        ("ISO9001和ISO 14001体系认证", ("ISO 9001", "ISO 14001")),
        ("ISO-13485 for our devices", ("ISO 13485",)),
        ("REACH法规", ("REACH",)),
        ("CB报告", ("CB",)),
        ("the CEO wants it", ()),
        ("we reach out to customers", ()),
    ],
)
def test_certifications_named(text: str, certifications: tuple[str, ...]) -> None:
    need = understand(text, today=TODAY)
    assert need.certifications == certifications
    if certifications:
        assert "testing_certification" in need.resource_types


def test_every_filled_field_has_its_evidence() -> None:
    need = understand("苏州的五金厂，下个月要做CE认证，预算2万，大概4个样品，尽快", today=TODAY)
    assert need.evidence == {
        "time_frame": "下个月",
        "certifications": "CE",
        "quantities": "4个样品",
        "budget_max_yuan": "2万",
        "resource_types": "认证",
        "industry_codes": "五金",
        "region_codes": "苏州",
        "constraints": "尽快",
    }


def test_traditional_characters_read_like_simplified_ones() -> None:
    need = understand("寧波的工廠需要檢測認證，預算3萬", today=TODAY)
    assert need.resource_types == ("testing_certification",)
    assert need.budget_max_yuan == Decimal(30000)


def test_an_empty_statement_is_an_empty_need() -> None:
    need = understand("", today=TODAY)
    assert need.resource_types == () and need.query == "" and need.evidence == {}


def test_a_unit_price_ceiling_is_kept_apart_from_the_budget() -> None:
    need = understand("GPU每卡时不超过10元，总预算5千", today=TODAY)
    assert need.unit_price_max_yuan == Decimal(10)
    assert need.budget_max_yuan == Decimal(5000)
    terms = search_terms(need)
    assert not terms.affordable(Decimal(11), "gpu_hour")
    assert terms.affordable(Decimal(10), "gpu_hour")


def test_the_query_adds_the_catalog_words_of_each_type() -> None:
    need = understand("显卡不够用", today=TODAY)
    assert need.query == "显卡不够用 算力"
    assert understand("our graphics cards are too slow", today=TODAY).query.endswith(
        "computing power"
    )


def test_a_follow_up_naming_another_type_replaces_the_types() -> None:
    first = understand("需要实验室做配方验证，预算2万", today=TODAY)
    then = understand("其实要的是检测报告", previous=first, today=TODAY)
    assert then.resource_types == ("testing_certification",)
    assert then.budget_max_yuan == Decimal(20000)
    assert "检测" in then.query


def test_a_follow_up_budget_and_deadline_replace_the_previous_ones() -> None:
    first = understand("need CE testing within 2 weeks, budget 30k RMB", today=TODAY)
    then = understand("预算改成2万，三月底前就行", previous=first, today=TODAY)
    assert then.budget_max_yuan == Decimal(20000)
    assert then.deadline == date(2027, 3, 31)
    assert then.resource_types == ("testing_certification",)


def test_a_follow_up_with_a_new_quantity_replaces_that_unit_only() -> None:
    first = understand("需要500卡时和3个CAD账号", today=TODAY)
    then = understand("改成800卡时", previous=first, today=TODAY)
    assert {(q.amount, q.unit) for q in then.quantities} == {
        (Decimal(800), "gpu_hour"),
        (Decimal(3), "seat"),
    }


def test_a_certificate_already_held_is_a_fact_not_a_wish() -> None:
    need = understand("我们已经通过ISO9001认证了，现在想要CAD软件", today=TODAY)
    assert need.resource_types == ("software_tool",)
    assert need.certifications == ()
    assert need.constraints == ("holds:ISO 9001",)
    need = understand("We already hold ISO 9001 certification, now need CE testing", today=TODAY)
    assert need.certifications == ("CE",)
    assert "holds:ISO 9001" in need.constraints


def test_a_monthly_budget_is_a_budget_and_a_price_per_seat_is_a_unit_price() -> None:
    assert understand("云服务器每月预算500元", today=TODAY).budget_max_yuan == Decimal(500)
    need = understand("要20个账号，每个账号一年不超过1500", today=TODAY)
    assert (need.budget_max_yuan, need.unit_price_max_yuan) == (None, Decimal(1500))


def test_describing_the_company_does_not_ask_for_a_resource() -> None:
    assert understand("高校孵化的初创团队，想找免费算力", today=TODAY).resource_types == (
        "compute",
    )
    need = understand("我们是做电商代运营的，想找物流仓储合作", today=TODAY)
    assert need.resource_types == ("supply_chain_service",)
    assert need.industry_codes == ("52",)


def test_a_day_of_next_month() -> None:
    need = understand("下个月十号之前要拿到报告", today=TODAY)
    assert (need.wanted_until, need.deadline) == (date(2027, 1, 10), date(2027, 1, 10))


def test_a_named_certification_outweighs_a_weak_word() -> None:
    need = understand("想要一个ISO 27001的咨询辅导，预算在两三万左右", today=TODAY)
    assert need.resource_types == ("testing_certification",)
    assert need.budget_max_yuan == Decimal(30000)


def test_a_price_per_user_is_a_unit_price() -> None:
    need = understand("we need some kind of ERP, 10 users, under 2k per user per year", today=TODAY)
    assert (need.budget_max_yuan, need.unit_price_max_yuan) == (None, Decimal(2000))
    assert [(q.amount, q.unit) for q in need.quantities] == [(Decimal(10), "seat")]


def test_a_follow_up_query_drops_the_catalog_words_of_types_no_longer_wanted() -> None:
    first = understand("需要做CE认证，宁波的", today=TODAY)
    assert first.query.endswith("检验检测认证")
    then = understand("不要检测了，要实验室", previous=first, today=TODAY)
    assert then.query == "实验室 需要做CE认证，宁波的"
    more = understand("还要GPU", previous=then, today=TODAY)
    assert more.resource_types == ("laboratory", "compute")
    assert more.query == "GPU 算力 实验室 需要做CE认证，宁波的"


def test_chat_style_english() -> None:
    need = understand(
        "we gotta get our stuff certified b4 shipping to europe lol, budget's like 30k",
        today=TODAY,
    )
    assert need.resource_types == ("testing_certification",)
    assert need.budget_max_yuan == Decimal(30000)
    need = understand("any1 got cheap GPU? need it this wk, 25k core-hrs too", today=TODAY)
    assert (need.wanted_from, need.wanted_until) == (TODAY, date(2026, 12, 13))
    assert [(q.amount, q.unit) for q in need.quantities] == [(Decimal(25000), "core_hour")]
    assert need.price_preference == "lower"
