"""Region names in the forms people write them → GB/T 2260 codes of the shipped table."""

from __future__ import annotations

import pytest

from synergy_hub.assistant.understanding.region_names import find_regions, narrowest
from synergy_hub.eligibility.regions import is_valid_region


def _codes(text: str) -> list[str]:
    return [mention.code for mention in find_regions(text)]


@pytest.mark.parametrize(
    ("text", "codes"),
    [
        ("宁波", ["330200"]),
        ("宁波市", ["330200"]),
        ("浙江", ["330000"]),
        ("浙江省", ["330000"]),
        ("广西壮族自治区", ["450000"]),
        ("内蒙古", ["150000"]),
        ("延边", ["222400"]),
        ("吉林", ["220000"]),  # the province wins over 吉林市
        ("鄞州区", ["330212"]),
        ("昆山", ["320583"]),
        ("Ningbo", ["330200"]),
        ("zhejiang", ["330000"]),
        ("Inner Mongolia", ["150000"]),
        ("Suzhou", ["320500"]),
        ("Shenzen", ["440300"]),  # a typo, one letter off
        ("杭洲", ["330100"]),  # a homophone typed by pinyin input
        ("上海和苏州", ["310000", "320500"]),
    ],
)
def test_region_names_read_as_codes(text: str, codes: list[str]) -> None:
    assert _codes(text) == codes
    assert all(is_valid_region(code) for code in codes)


@pytest.mark.parametrize(
    "text", ["三明治", "Mining equipment", "我们做东方美食", "大同小异", "Germany and Japan"]
)
def test_ordinary_words_are_not_regions(text: str) -> None:
    assert _codes(text) == []


def test_narrowest_drops_an_area_that_contains_another_named_one() -> None:
    assert narrowest(["330000", "330200"]) == ("330200",)
    assert narrowest(["330200", "330200", "440300"]) == ("330200", "440300")
