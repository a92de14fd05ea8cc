"""Industries of GB/T 4754-2017 (国民经济行业分类): its 20 sections and 97 divisions.

The table lives in `data/industries.json` and is read once. Finer codes (groups and
classes, 3 and 4 digits) are not listed; `section_of` still places them by their
division, the first two digits.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal

__all__ = [
    "Industry",
    "all_industries",
    "divisions",
    "get_industry",
    "is_valid_industry",
    "section_of",
    "sections",
]

IndustryLevel = Literal["section", "division"]


@dataclass(frozen=True, slots=True)
class Industry:
    """One section (门类, a letter) or division (大类, two digits) of GB/T 4754-2017."""

    code: str
    name_zh: str
    name_en: str
    level: IndustryLevel
    section: str


@cache
def _table() -> tuple[Industry, ...]:
    # Kept in the file's order: each section followed by its divisions.
    text = (
        resources.files("synergy_hub.accounts").joinpath("data/industries.json").read_text("utf-8")
    )
    rows = json.loads(text)["industries"]
    return tuple(
        Industry(
            code=row["code"],
            name_zh=row["name_zh"],
            name_en=row["name_en"],
            level=row["level"],
            section=row["section"],
        )
        for row in rows
    )


@cache
def _by_code() -> dict[str, Industry]:
    return {industry.code: industry for industry in _table()}


def _normalise(code: str) -> str:
    return code.strip().upper()


def get_industry(code: str) -> Industry | None:
    """Return the section or division with this code (e.g. "C", "39"), or None."""
    return _by_code().get(_normalise(code))


def is_valid_industry(code: str) -> bool:
    """Tell whether the code is one of the standard's sections or divisions."""
    return get_industry(code) is not None


def section_of(code: str) -> Industry | None:
    """Return the section a section, division or finer (3-4 digit) code belongs to, or None."""
    normalised = _normalise(code)
    if len(normalised) in (3, 4) and normalised.isascii() and normalised.isdigit():
        normalised = normalised[:2]
    industry = _by_code().get(normalised)
    if industry is None:
        return None
    return _by_code()[industry.section]


def sections() -> list[Industry]:
    """Return the 20 sections A-T in order."""
    return [industry for industry in _table() if industry.level == "section"]


def divisions(section: str | None = None) -> list[Industry]:
    """Return the divisions in code order, all of them or those of one section letter."""
    wanted = None if section is None else _normalise(section)
    return [
        industry
        for industry in _table()
        if industry.level == "division" and (wanted is None or industry.section == wanted)
    ]


def all_industries() -> list[Industry]:
    """Return every section followed by its divisions, in the standard's order."""
    return list(_table())
