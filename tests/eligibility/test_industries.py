"""GB/T 4754-2017 sections and divisions, tested without Django."""

from __future__ import annotations

import dataclasses
import string

import pytest

from synergy_hub.eligibility.industries import (
    Industry,
    all_industries,
    divisions,
    get_industry,
    is_valid_industry,
    section_of,
    sections,
)

# Divisions per section as the standard lists them (first and last two-digit code).
SECTION_RANGES = {
    "A": (1, 5),
    "B": (6, 12),
    "C": (13, 43),
    "D": (44, 46),
    "E": (47, 50),
    "F": (51, 52),
    "G": (53, 60),
    "H": (61, 62),
    "I": (63, 65),
    "J": (66, 69),
    "K": (70, 70),
    "L": (71, 72),
    "M": (73, 75),
    "N": (76, 79),
    "O": (80, 82),
    "P": (83, 83),
    "Q": (84, 85),
    "R": (86, 90),
    "S": (91, 96),
    "T": (97, 97),
}


def test_twenty_sections_a_to_t() -> None:
    assert [industry.code for industry in sections()] == list(string.ascii_uppercase[:20])
    assert all(industry.level == "section" for industry in sections())


def test_ninety_seven_divisions() -> None:
    # The 2017 edition numbers its 97 divisions 01-97 without a gap.
    assert [industry.code for industry in divisions()] == [f"{n:02d}" for n in range(1, 98)]
    assert len(all_industries()) == 20 + 97


@pytest.mark.parametrize(("section", "bounds"), sorted(SECTION_RANGES.items()))
def test_divisions_of_each_section(section: str, bounds: tuple[int, int]) -> None:
    first, last = bounds
    expected = [f"{n:02d}" for n in range(first, last + 1)]
    assert [industry.code for industry in divisions(section)] == expected
    assert [industry.code for industry in divisions(section.lower())] == expected


def test_all_industries_lists_each_section_before_its_divisions() -> None:
    current = None
    for industry in all_industries():
        if industry.level == "section":
            current = industry.code
        assert industry.section == current


def test_names_are_present_and_unique() -> None:
    for industry in all_industries():
        assert industry.name_zh.strip() and industry.name_en.strip()
        assert industry.name_en.isascii()
    division_names = [industry.name_zh for industry in divisions()]
    assert len(set(division_names)) == 97


@pytest.mark.parametrize(
    ("code", "name_zh", "section"),
    [
        ("A", "农、林、牧、渔业", "A"),
        ("05", "农、林、牧、渔专业及辅助性活动", "A"),
        ("11", "开采专业及辅助性活动", "B"),
        ("39", "计算机、通信和其他电子设备制造业", "C"),
        ("43", "金属制品、机械和设备修理业", "C"),
        ("58", "多式联运和运输代理业", "G"),
        ("59", "装卸搬运和仓储业", "G"),
        ("60", "邮政业", "G"),
        ("63", "电信、广播电视和卫星传输服务", "I"),
        ("64", "互联网和相关服务", "I"),
        ("65", "软件和信息技术服务业", "I"),
        ("70", "房地产业", "K"),
        ("79", "土地管理业", "N"),
        ("85", "社会工作", "Q"),
        ("97", "国际组织", "T"),
    ],
)
def test_known_entries(code: str, name_zh: str, section: str) -> None:
    industry = get_industry(code)
    assert industry is not None
    assert (industry.name_zh, industry.section) == (name_zh, section)


def test_lookup_normalises_case_and_spaces() -> None:
    assert get_industry(" i ") == get_industry("I")
    assert is_valid_industry("c")


@pytest.mark.parametrize("code", ["", "U", "00", "98", "1", "651", "6510", "C39"])
def test_unknown_codes(code: str) -> None:
    assert get_industry(code) is None
    assert not is_valid_industry(code)


@pytest.mark.parametrize(
    ("code", "section"),
    [("I", "I"), ("65", "I"), ("651", "I"), ("6510", "I"), ("7010", "K"), ("0511", "A")],
)
def test_section_of(code: str, section: str) -> None:
    found = section_of(code)
    assert found is not None
    assert (found.code, found.level) == (section, "section")


@pytest.mark.parametrize("code", ["", "U", "98", "9810", "00", "65101", "６５"])
def test_section_of_unknown(code: str) -> None:
    assert section_of(code) is None


def test_industries_are_frozen() -> None:
    industry = get_industry("C")
    assert isinstance(industry, Industry)
    with pytest.raises(dataclasses.FrozenInstanceError):
        industry.name_en = "changed"  # type: ignore[misc]
