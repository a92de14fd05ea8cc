"""The offline reading of a problem statement, end to end, and follow-up turns."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

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
