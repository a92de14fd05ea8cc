"""Numbers with thousands separators, and policy rules named in words in both languages."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import translation

from synergy_hub.access.decisions import explain, rule_name
from synergy_hub.web.templatetags.web_tags import icon, money, number


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (8200000, None, "8,200,000"),
        (Decimal("41800.00"), 2, "41,800.00"),
        (Decimal("2.50"), None, "2.5"),
        (Decimal("1000.00"), None, "1,000"),
        ("abc", None, "abc"),
        (None, None, ""),
    ],
)
def test_number_groups_thousands(value: object, places: int | None, expected: str) -> None:
    assert number(value, places) == expected


def test_money_has_two_places_and_a_dash_for_none() -> None:
    assert money(Decimal("41800")) == "¥41,800.00" and money(None) == "—"


def test_icons_are_inline_svg_and_unknown_names_are_empty() -> None:
    assert str(icon("check")).startswith("<svg") and 'aria-hidden="true"' in str(icon("check"))
    assert 'aria-label="OK"' in str(icon("check", "OK")) and str(icon("nope")) == ""


@pytest.mark.parametrize(
    ("path", "en", "zh"),
    [
        ("permission[0]", "permission 1", "第1项许可"),
        ("permission[0].constraint[1]", "condition 2 of permission 1", "第1项许可的第2项条件"),
        ("prohibition[1] <urn:uid:x>", "prohibition 2", "第2项禁止"),
        ("agreement.quantity", "the agreed quantity", "约定数量"),
        ("odd.path[x]", "odd.path[x]", "odd.path[x]"),
    ],
)
def test_rule_names_in_both_languages(path: str, en: str, zh: str) -> None:
    with translation.override("en"):
        assert rule_name(path) == en
    with translation.override("zh-hans"):
        assert rule_name(path) == zh


def test_explanations_carry_no_rule_ids_or_operator_codes() -> None:
    params = {
        "path": "permission[0].constraint[1]",
        "actual": "330100",
        "operator": "isPartOf",
        "right_operand": "440000",
    }
    with translation.override("en"):
        text = explain("outside_region", params)
    assert "permission[0]" not in text and "isPartOf" not in text
    assert "condition 2 of permission 1" in text and "is within" in text
    with translation.override("zh-hans"):
        zh = explain("outside_region", params)
    assert zh.count("拒绝") == 1  # said once, not twice
