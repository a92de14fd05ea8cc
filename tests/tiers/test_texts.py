"""The engine's codes and numbers as sentences, in English and in Chinese."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from django.utils import translation

from synergy_hub.tiers.engine import Check, Status, evaluate
from synergy_hub.tiers.engine.rules import Band
from synergy_hub.tiers.engine.rulesets import CN_2022
from synergy_hub.tiers.texts import check_text, tier_label
from tests.tiers.test_engine import NOTHING, enterprise

SHORT = Check(
    rule="r",
    kind="min",
    status=Status.FAIL,
    indicator="rd_intensity",
    actual=D("2.4"),
    required=D(3),
    shortfall=D("0.6"),
)
ABOVE = Check(
    rule="r",
    kind="max",
    status=Status.FAIL,
    indicator="debt_to_asset",
    actual=D("75.5"),
    required=D(70),
    shortfall=D("5.5"),
)
MONEY = Check(
    rule="r",
    kind="min",
    status=Status.FAIL,
    indicator="rd_spend",
    actual=D("0.8"),
    required=D(1),
    shortfall=D("0.2"),
)
BAND = Check(
    rule="r",
    kind="band",
    status=Status.PASS,
    indicator="revenue_growth",
    actual=D("12.5"),
    points=15,
    band=Band(15, D(10), D(15)),
)
MISSING = Check(rule="r", kind="min", status=Status.UNKNOWN, indicator="srdi_score")


@pytest.mark.parametrize(
    ("check", "english", "chinese"),
    [
        (
            SHORT,
            "R&D intensity 2.4 %: 0.6 percentage points short of 3 %",
            "研发投入强度 2.4 %：距 3 % 还差 0.6 个百分点",
        ),
        (
            ABOVE,
            "Debt-to-asset ratio 75.5 %: 5.5 percentage points above 70 %",
            "资产负债率 75.5 %：超出 70 % 5.5 个百分点",
        ),
        (
            MONEY,
            "R&D spend 0.8 million yuan: 0.2 million yuan short of 1 million yuan",
            "研发费用 0.8 百万元：距 1 百万元 还差 0.2 百万元",
        ),
        (
            BAND,
            "Revenue growth 12.5 %: 15 points (band 10–15 %)",
            "营业收入增长率 12.5 %：15 分（档次 10–15 %）",
        ),
        (MISSING, "SRDI evaluation score: not known yet", "专精特新评价得分：尚未填写"),
    ],
)
def test_a_check_reads_as_a_sentence_in_both_languages(
    check: Check, english: str, chinese: str
) -> None:
    with translation.override("en"):
        assert check_text(check) == english
    with translation.override("zh-hans"):
        assert check_text(check) == chinese


def test_a_failed_score_names_the_total_and_the_groups() -> None:
    result = evaluate(CN_2022, enterprise(**NOTHING), 2025)
    with translation.override("en"):
        texts = [check_text(c) for c in result.blocking]
        assert tier_label(result.tier) == "no tier yet"
    assert any(text.startswith("Total score ") and "short of 60 points" in text for text in texts)
    assert any(text.startswith("Innovation points ") for text in texts)


def test_a_huge_ratio_is_still_shown() -> None:
    huge = Check(
        rule="r",
        kind="min",
        status=Status.PASS,
        indicator="rd_intensity",
        actual=D("1E+30"),
        required=D(3),
    )
    with translation.override("en"):
        assert check_text(huge).startswith("R&D intensity 1000000000000000000000000000000 %")
