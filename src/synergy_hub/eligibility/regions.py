"""Administrative divisions of China (GB/T 2260): the table, names and containment.

The table lives in `data/regions.json` (built by `scripts/build_region_data.py` from the
Ministry of Civil Affairs' release as of 2025-12-31) and is read once. Counties of the
municipalities and the county-level units under a province's direct administration
(e.g. 济源市 419001) have the province as their parent, as the ministry records them:
there is no "市辖区" placeholder level.

Names: every page, export and usage-policy text names a region from this table only.
Provincial-level units carry the proper-name part of their official romanisation in
GB/T 2260 (Nei Mongol, Xizang, Xianggang, Aomen …, not "Inner Mongolia" or "Tibet");
lower levels carry the Hanyu Pinyin of the proper name with an English generic term.

Containment is the code's own structure (the one rule the hub uses, see
`region_part_of`): ``XX0000`` is a province, ``XXYY00`` a prefecture, anything else a
county; a province contains every code that starts with its two digits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

__all__ = [
    "Region",
    "all_regions",
    "children_of",
    "get_region",
    "is_region_code",
    "is_valid_region",
    "province_of",
    "provinces",
    "region_ancestors",
    "region_descendant_prefix",
    "region_name",
    "region_part_of",
    "region_path",
    "regions_overlap",
]

RegionLevel = Literal["province", "prefecture", "county"]


@dataclass(frozen=True, slots=True)
class Region:
    """One administrative division: its 6-digit code, names, level and parent's code."""

    code: str
    name_zh: str
    name_en: str
    level: RegionLevel
    parent_code: str | None


@cache
def _table() -> tuple[Region, ...]:
    text = (
        resources.files("synergy_hub.eligibility").joinpath("data/regions.json").read_text("utf-8")
    )
    return tuple(
        Region(
            code=row["code"],
            name_zh=row["name_zh"],
            name_en=row["name_en"],
            level=row["level"],
            parent_code=row["parent"],
        )
        for row in json.loads(text)["regions"]
    )


@cache
def _by_code() -> dict[str, Region]:
    return {region.code: region for region in _table()}


@cache
def _children() -> dict[str, tuple[Region, ...]]:
    grouped: dict[str, list[Region]] = {}
    for region in _table():
        if region.parent_code is not None:
            grouped.setdefault(region.parent_code, []).append(region)
    return {code: tuple(children) for code, children in grouped.items()}


def get_region(code: str) -> Region | None:
    """Return the region with this 6-digit code, or None when the table has no such code."""
    return _by_code().get(code.strip())


def is_valid_region(code: str) -> bool:
    """Tell whether the code is a current province, prefecture or county code."""
    return get_region(code) is not None


def region_path(code: str) -> list[Region]:
    """Return the chain from the province down to the region itself; empty when unknown."""
    path: list[Region] = []
    region = get_region(code)
    while region is not None:
        path.append(region)
        region = None if region.parent_code is None else _by_code()[region.parent_code]
    path.reverse()
    return path


def province_of(code: str) -> Region | None:
    """Return the provincial-level unit that contains the region (itself for a province)."""
    path = region_path(code)
    return path[0] if path else None


def provinces() -> list[Region]:
    """Return the 34 provincial-level units in code order."""
    return [region for region in _table() if region.level == "province"]


def children_of(code: str) -> list[Region]:
    """Return the regions whose parent is this code, in code order (empty for a leaf)."""
    return list(_children().get(code.strip(), ()))


def all_regions() -> list[Region]:
    """Return every region in code order."""
    return list(_table())


def is_region_code(code: str) -> bool:
    """Tell whether `code` has the shape of a GB/T 2260 code: six digits, not starting "00"."""
    return len(code) == 6 and code.isascii() and code.isdigit() and not code.startswith("00")


def region_name(code: str, lang: str) -> str | None:
    """Return the region's name in "zh" or "en" (any other `lang` reads as English), or None."""
    region = get_region(code)
    if region is None:
        return None
    return region.name_zh if lang.startswith("zh") else region.name_en


def region_part_of(part: str, whole: str) -> bool:
    """Tell whether region `part` lies within region `whole` (equal codes count).

    ``XX0000`` (a province) covers every code starting with ``XX``; ``XXYY00`` (a
    prefecture) covers every code starting with ``XXYY``; a county covers itself. The rule
    reads the code, not the table, so a code retired since a registration still nests in
    its province. Values that are not six-digit codes only match themselves.
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


def regions_overlap(first: str, second: str) -> bool:
    """Tell whether two areas share ground, i.e. one contains the other."""
    return region_part_of(first, second) or region_part_of(second, first)


def region_ancestors(code: str) -> tuple[str, ...]:
    """Return the code and every area that contains it (itself, prefecture, province)."""
    if not is_region_code(code):
        return (code,)
    found = [code]
    for area in (code[:4] + "00", code[:2] + "0000"):
        if area not in found and region_part_of(code, area):
            found.append(area)
    return tuple(found)


def region_descendant_prefix(code: str) -> str:
    """Return the prefix every code inside this area starts with ("44" for 440000)."""
    if not is_region_code(code):
        return code
    if code.endswith("0000"):
        return code[:2]
    if code.endswith("00"):
        return code[:4]
    return code
