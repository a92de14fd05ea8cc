"""Containment of GB/T 2260 regions and GB/T 4754 industries: the one rule, without Django."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from synergy_hub.eligibility.industries import (
    all_industries,
    industries_overlap,
    industry_ancestors,
    industry_descendants,
    industry_part_of,
    is_industry_code,
    section_letter,
)
from synergy_hub.eligibility.regions import (
    all_regions,
    is_region_code,
    region_ancestors,
    region_descendant_prefix,
    region_name,
    region_part_of,
    regions_overlap,
)


@pytest.mark.parametrize(
    ("part", "whole", "inside"),
    [
        ("440300", "440000", True),  # Shenzhen in Guangdong
        ("440305", "440000", True),  # a district of Shenzhen in Guangdong
        ("440305", "440300", True),  # and in Shenzhen
        ("440000", "440000", True),
        ("440100", "440300", False),  # Guangzhou is not in Shenzhen
        ("310115", "440000", False),  # Pudong is not in Guangdong
        ("440000", "440300", False),  # the province is not part of its city
        ("440305", "440306", False),  # counties only cover themselves
        ("419001", "410000", True),  # Jiyuan, directly under Henan
        ("CN-GD", "440000", False),
        ("CN-GD", "CN-GD", True),  # a value that is not a code only matches itself
    ],
)
def test_region_containment(part: str, whole: str, inside: bool) -> None:
    assert region_part_of(part, whole) is inside


@given(st.from_regex(r"\A[1-8][0-9]{5}\Z"))
def test_every_code_lies_in_its_province_and_prefecture(code: str) -> None:
    assert is_region_code(code)
    assert region_part_of(code, code[:2] + "0000")
    assert region_part_of(code, code[:4] + "00")
    for area in region_ancestors(code):
        assert region_part_of(code, area)
        assert regions_overlap(code, area) and regions_overlap(area, code)


def test_the_table_agrees_with_the_code_rule() -> None:
    """Every region lies within its parent in the table, by the code rule alone."""
    by_code = {region.code: region for region in all_regions()}
    for region in by_code.values():
        if region.parent_code is not None:
            assert region_part_of(region.code, region.parent_code), region.code
            assert region.parent_code in region_ancestors(region.code)
            assert region.code.startswith(region_descendant_prefix(region.parent_code))


@pytest.mark.parametrize("code", ["", "44030", "4403000", "000000", "44a300", "４４０３００"])
def test_region_code_shape(code: str) -> None:
    assert not is_region_code(code)


def test_one_naming_of_every_region() -> None:
    """Provincial-level units carry GB/T 2260's romanisation; lower levels their own names."""
    assert region_name("540000", "en") == "Xizang"
    assert region_name("150000", "en") == "Nei Mongol"
    assert region_name("810000", "en") == "Xianggang"
    assert region_name("540000", "zh") == "西藏自治区"
    assert region_name("440300", "en") == "Shenzhen City"
    assert region_name("440300", "zh-hans") == "深圳市"
    assert region_name("449900", "en") is None


def test_overlap_is_symmetric_and_misses_neighbours() -> None:
    assert regions_overlap("440000", "440305") and regions_overlap("440305", "440000")
    assert not regions_overlap("440100", "440300")


@pytest.mark.parametrize(
    ("part", "whole", "inside"),
    [
        ("39", "39", True),
        ("3911", "39", True),  # classes nest in their division by prefix
        ("391", "39", True),
        ("39", "C", True),  # the table places division 39 in section C
        ("3911", "C", True),
        ("C39", "C", True),  # the code may carry its section letter
        ("C3911", "39", True),
        ("65", "I", True),
        ("65", "C", False),
        ("I39", "C", False),  # a letter that contradicts the table names nothing
        ("I39", "39", False),
        ("40", "39", False),
        ("39", "3911", False),  # a division is not part of one of its classes
        ("C", "39", False),
        ("", "C", False),
        ("99", "T", False),  # unknown division: no section widens to it
        ("991", "99", True),  # but it still nests by prefix
    ],
)
def test_industry_containment(part: str, whole: str, inside: bool) -> None:
    assert industry_part_of(part, whole) is inside


def test_every_division_lies_in_its_section() -> None:
    for industry in all_industries():
        assert industry_part_of(industry.code, industry.section)
        assert section_letter(industry.code) == industry.section
        assert industry.section in industry_ancestors(industry.code)
        if industry.level == "division":
            assert industry.code in industry_descendants(industry.section)
            assert industry_descendants(industry.code) == ()
            assert industries_overlap(industry.section, industry.code)


def test_industry_ancestors_of_a_class() -> None:
    assert industry_ancestors("3911") == ("3911", "39", "C")
    assert industry_ancestors("C") == ("C",)


@pytest.mark.parametrize(("code", "valid"), [("C", True), ("39", True), ("3911", True)])
def test_industry_code_shape(code: str, valid: bool) -> None:
    assert is_industry_code(code) is valid


@pytest.mark.parametrize("code", ["", "U", "c", "3", "39111", "C39", "3a"])
def test_industry_code_shape_refuses(code: str) -> None:
    assert not is_industry_code(code)
