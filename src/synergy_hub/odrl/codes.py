"""Containment between Chinese region codes (GB/T 2260) and industry codes (GB/T 4754).

These give the `spatial` and `industry` left operands their isPartOf / hasPart / isA
meaning: Shenzhen (440300) is part of Guangdong (440000); an enterprise in division 39 is
part of manufacturing (section C) when the caller supplies the division-to-section table.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping

__all__ = [
    "PartOf",
    "SectionOf",
    "industry_part_of",
    "is_region_code",
    "province_name",
    "region_part_of",
]

#: ``part_of(part, whole)`` tells whether `part` lies within `whole` (equal counts).
PartOf = Callable[[str, str], bool]

#: Maps a GB/T 4754 division (two digits) to its section letter, or None when unknown.
SectionOf = Callable[[str], str | None]

_REGION = re.compile(r"^\d{6}$")

# Province-level divisions of GB/T 2260 (the first two digits + "0000"): names for
# plain-language descriptions. Prefectures and counties are named by their code.
_PROVINCES: dict[str, tuple[str, str]] = {
    "11": ("Beijing", "北京市"),
    "12": ("Tianjin", "天津市"),
    "13": ("Hebei", "河北省"),
    "14": ("Shanxi", "山西省"),
    "15": ("Inner Mongolia", "内蒙古自治区"),
    "21": ("Liaoning", "辽宁省"),
    "22": ("Jilin", "吉林省"),
    "23": ("Heilongjiang", "黑龙江省"),
    "31": ("Shanghai", "上海市"),
    "32": ("Jiangsu", "江苏省"),
    "33": ("Zhejiang", "浙江省"),
    "34": ("Anhui", "安徽省"),
    "35": ("Fujian", "福建省"),
    "36": ("Jiangxi", "江西省"),
    "37": ("Shandong", "山东省"),
    "41": ("Henan", "河南省"),
    "42": ("Hubei", "湖北省"),
    "43": ("Hunan", "湖南省"),
    "44": ("Guangdong", "广东省"),
    "45": ("Guangxi", "广西壮族自治区"),
    "46": ("Hainan", "海南省"),
    "50": ("Chongqing", "重庆市"),
    "51": ("Sichuan", "四川省"),
    "52": ("Guizhou", "贵州省"),
    "53": ("Yunnan", "云南省"),
    "54": ("Xizang", "西藏自治区"),
    "61": ("Shaanxi", "陕西省"),
    "62": ("Gansu", "甘肃省"),
    "63": ("Qinghai", "青海省"),
    "64": ("Ningxia", "宁夏回族自治区"),
    "65": ("Xinjiang", "新疆维吾尔自治区"),
    "71": ("Taiwan", "台湾省"),
    "81": ("Hong Kong", "香港特别行政区"),
    "82": ("Macao", "澳门特别行政区"),
}


def is_region_code(code: str) -> bool:
    """Tell whether `code` has the shape of a GB/T 2260 code (six digits)."""
    return bool(_REGION.match(code))


def province_name(code: str, lang: str) -> str | None:
    """Return the name of a province-level code (``440000``) in "en" or "zh", else None."""
    if not is_region_code(code) or not code.endswith("0000"):
        return None
    names = _PROVINCES.get(code[:2])
    if names is None:
        return None
    return names[1] if lang == "zh" else names[0]


def region_part_of(part: str, whole: str) -> bool:
    """Tell whether region `part` lies within region `whole` by the GB/T 2260 prefix rule.

    ``XX0000`` is a province and covers every code starting with ``XX``; ``XXYY00`` is a
    prefecture and covers every code starting with ``XXYY``; other codes cover themselves.
    Values that are not six-digit codes only match themselves.
    """
    if part == whole:
        return True
    if not (is_region_code(part) and is_region_code(whole)):
        return False
    if whole.endswith("0000"):
        return part[:2] == whole[:2]
    if whole.endswith("00"):
        return part[:4] == whole[:4]
    return False


_INDUSTRY = re.compile(r"^(?P<section>[A-T])?(?P<digits>\d{2,4})?$")


def _split_industry(code: str) -> tuple[str | None, str | None]:
    match = _INDUSTRY.match(code.strip().upper())
    if not match or not (match.group("section") or match.group("digits")):
        return None, None
    return match.group("section"), match.group("digits")


def industry_part_of(section_of: SectionOf | Mapping[str, str] | None = None) -> PartOf:
    """Build the GB/T 4754 containment relation for the `industry` left operand.

    Numeric codes nest by prefix (class ``3911`` within group ``391`` within division
    ``39``); a code written with its section letter (``C39``) names its section itself. To
    let a section letter (``C``) cover bare divisions, pass `section_of`, a mapping or a
    callable from a two-digit division to its letter; without it a section only matches
    codes that carry that letter, so unknown structure never widens a grant.
    """
    lookup: SectionOf
    if section_of is None:

        def lookup(_division: str) -> str | None:
            return None

    elif isinstance(section_of, Mapping):
        table = dict(section_of)

        def lookup(division: str) -> str | None:
            return table.get(division)

    else:
        lookup = section_of

    def part_of(part: str, whole: str) -> bool:
        if part == whole:
            return True
        part_section, part_digits = _split_industry(part)
        whole_section, whole_digits = _split_industry(whole)
        if part_section is None and part_digits is None:
            return False
        if whole_section is None and whole_digits is None:
            return False
        if part_section is None and part_digits is not None:
            part_section = lookup(part_digits[:2])
        if whole_digits is None:
            return whole_section is not None and part_section == whole_section
        if part_digits is None or not part_digits.startswith(whole_digits):
            return False
        return whole_section is None or part_section in {None, whole_section}

    return part_of
