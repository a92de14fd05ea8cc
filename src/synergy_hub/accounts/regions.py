"""Administrative divisions of China (GB/T 2260): provinces, prefectures and counties.

The table lives in `data/regions.json` (built by `scripts/build_region_data.py` from the
Ministry of Civil Affairs' release as of 2025-12-31) and is read once. Counties of the
municipalities and the county-level units under a province's direct administration
(e.g. 济源市 419001) have the province as their parent, as the ministry records them:
there is no "市辖区" placeholder level.
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
    "is_valid_region",
    "province_of",
    "provinces",
    "region_path",
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
    text = resources.files("synergy_hub.accounts").joinpath("data/regions.json").read_text("utf-8")
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
