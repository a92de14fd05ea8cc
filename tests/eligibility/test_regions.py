"""GB/T 2260 region table and its lookups, tested without Django."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest

from synergy_hub.eligibility.regions import (
    Region,
    all_regions,
    children_of,
    get_region,
    is_valid_region,
    province_of,
    provinces,
    region_path,
)

# GB/T 2260's romanisation of each provincial-level unit, without the generic term.
PROVINCES_EN = {
    "110000": "Beijing",
    "120000": "Tianjin",
    "130000": "Hebei",
    "140000": "Shanxi",
    "150000": "Nei Mongol",
    "210000": "Liaoning",
    "220000": "Jilin",
    "230000": "Heilongjiang",
    "310000": "Shanghai",
    "320000": "Jiangsu",
    "330000": "Zhejiang",
    "340000": "Anhui",
    "350000": "Fujian",
    "360000": "Jiangxi",
    "370000": "Shandong",
    "410000": "Henan",
    "420000": "Hubei",
    "430000": "Hunan",
    "440000": "Guangdong",
    "450000": "Guangxi",
    "460000": "Hainan",
    "500000": "Chongqing",
    "510000": "Sichuan",
    "520000": "Guizhou",
    "530000": "Yunnan",
    "540000": "Xizang",
    "610000": "Shaanxi",
    "620000": "Gansu",
    "630000": "Qinghai",
    "640000": "Ningxia",
    "650000": "Xinjiang",
    "710000": "Taiwan",
    "810000": "Xianggang",
    "820000": "Aomen",
}


def test_thirty_four_provincial_level_units() -> None:
    assert {region.code: region.name_en for region in provinces()} == PROVINCES_EN
    assert all(region.parent_code is None for region in provinces())


def test_counts_of_the_2025_release() -> None:
    # 民政部 release as of 2025-12-31: 333 prefecture-level and 2845 county-level units.
    levels = Counter(region.level for region in all_regions())
    assert levels == {"province": 34, "prefecture": 333, "county": 2845}


def test_codes_are_unique_six_digit_and_sorted() -> None:
    codes = [region.code for region in all_regions()]
    assert codes == sorted(codes)
    assert len(set(codes)) == len(codes)
    assert all(len(code) == 6 and code.isascii() and code.isdigit() for code in codes)


def test_hierarchy_is_consistent() -> None:
    for region in all_regions():
        assert region.name_zh and region.name_en
        if region.level == "province":
            assert region.code.endswith("0000")
            continue
        parent = get_region(region.parent_code or "")
        assert parent is not None, region
        assert parent.code[:2] == region.code[:2]
        if region.level == "prefecture":
            assert parent.level == "province"
            assert region.code.endswith("00")
        else:
            assert parent.level in {"province", "prefecture"}
            if parent.level == "prefecture":
                assert parent.code[:4] == region.code[:4]


@pytest.mark.parametrize(
    ("code", "path"),
    [
        ("440305", ["广东省", "深圳市", "南山区"]),
        ("110108", ["北京市", "海淀区"]),
        ("330106", ["浙江省", "杭州市", "西湖区"]),
        ("419001", ["河南省", "济源市"]),  # county-level city under the province directly
        ("429004", ["湖北省", "仙桃市"]),
        ("500101", ["重庆市", "万州区"]),
        ("653101", ["新疆维吾尔自治区", "喀什地区", "喀什市"]),
        ("810000", ["香港特别行政区"]),
    ],
)
def test_region_path(code: str, path: list[str]) -> None:
    assert [region.name_zh for region in region_path(code)] == path
    assert region_path(code)[-1] == get_region(code)


@pytest.mark.parametrize(
    ("code", "name_zh", "name_en", "level", "parent"),
    [
        ("440300", "深圳市", "Shenzhen City", "prefecture", "440000"),
        ("150100", "呼和浩特市", "Hohhot City", "prefecture", "150000"),
        ("540100", "拉萨市", "Lhasa City", "prefecture", "540000"),
        (
            "222400",
            "延边朝鲜族自治州",
            "Yanbian Korean Autonomous Prefecture",
            "prefecture",
            "220000",
        ),
        ("152900", "阿拉善盟", "Alxa League", "prefecture", "150000"),
        ("232700", "大兴安岭地区", "Daxing'anling Prefecture", "prefecture", "230000"),
        ("610100", "西安市", "Xi'an City", "prefecture", "610000"),
        ("341500", "六安市", "Lu'an City", "prefecture", "340000"),
        ("310115", "浦东新区", "Pudong New Area", "county", "310000"),
        ("341021", "歙县", "Shexian County", "county", "341000"),
        ("140525", "泽州县", "Zezhou County", "county", "140500"),
        ("140428", "长子县", "Zhangzi County", "county", "140400"),
        ("429021", "神农架林区", "Shennongjia Forestry District", "county", "420000"),
    ],
)
def test_known_regions(code: str, name_zh: str, name_en: str, level: str, parent: str) -> None:
    region = get_region(code)
    assert region == Region(code, name_zh, name_en, level, parent)  # type: ignore[arg-type]


def test_taiwan_hong_kong_and_macao_have_no_subdivisions_listed() -> None:
    for code in ("710000", "810000", "820000"):
        assert get_region(code) is not None
        assert children_of(code) == []


@pytest.mark.parametrize("code", ["", "000000", "11000", "1100000", "990000", "110100", "abcdef"])
def test_unknown_codes(code: str) -> None:
    # 110100 ("市辖区") is not a level of its own in the ministry's current table.
    assert get_region(code) is None
    assert not is_valid_region(code)
    assert region_path(code) == []
    assert province_of(code) is None
    assert children_of(code) == []


def test_lookup_ignores_surrounding_spaces() -> None:
    assert get_region(" 440300 ") == get_region("440300")
    assert is_valid_region("440300 ")


def test_province_of() -> None:
    assert province_of("440305") == get_region("440000")
    assert province_of("440000") == get_region("440000")
    assert province_of("659001") == get_region("650000")


def test_children_of() -> None:
    shenzhen = children_of("440300")
    assert [region.code for region in shenzhen] == sorted(region.code for region in shenzhen)
    assert "440305" in {region.code for region in shenzhen}
    assert {region.code for region in children_of("110000")} >= {"110101", "110108"}
    assert children_of("440305") == []
    assert len(children_of("440000")) == 21  # Guangdong's 21 prefecture-level cities


def test_every_region_is_reachable_from_the_provinces() -> None:
    seen: set[str] = set()
    pending = [region.code for region in provinces()]
    while pending:
        code = pending.pop()
        seen.add(code)
        pending.extend(child.code for child in children_of(code))
    assert seen == {region.code for region in all_regions()}


def test_regions_are_frozen() -> None:
    region = get_region("110000")
    assert region is not None
    with pytest.raises(dataclasses.FrozenInstanceError):
        region.name_en = "Peking"  # type: ignore[misc]


def test_returned_lists_are_copies() -> None:
    provinces().clear()
    all_regions().clear()
    children_of("440300").clear()
    assert len(provinces()) == 34
    assert children_of("440300")
