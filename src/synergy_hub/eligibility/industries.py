"""Industries of GB/T 4754-2017 (国民经济行业分类): the table and containment.

The table lives in `data/industries.json` and is read once: the 20 sections (a letter)
and 97 divisions (two digits). Finer codes (groups and classes, 3 and 4 digits) are not
listed; they nest in their division by their first two digits.

Containment (the one rule the hub uses, see `industry_part_of`): a section contains its
divisions and everything below them; a numeric code contains the longer codes that start
with it (division 39 contains group 391 and class 3911).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

__all__ = [
    "Industry",
    "all_industries",
    "divisions",
    "get_industry",
    "industries_overlap",
    "industry_ancestors",
    "industry_descendants",
    "industry_part_of",
    "is_industry_code",
    "is_valid_industry",
    "section_letter",
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
        resources.files("synergy_hub.eligibility")
        .joinpath("data/industries.json")
        .read_text("utf-8")
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


def is_industry_code(code: str) -> bool:
    """Tell whether `code` is a section letter (A–T) or a 2–4 digit code in canonical form."""
    if len(code) == 1:
        return "A" <= code <= "T"
    return 2 <= len(code) <= 4 and code.isascii() and code.isdigit()


@lru_cache(maxsize=4096)
def _split(code: str) -> tuple[str | None, str]:
    """Split a code into its section letter and digits ("C39" → ("C", "39"), "39" → ("C", "39")).

    The letter of a numeric code comes from the table (None for an unknown division); a
    letter written before the digits must agree with it, else the code names nothing.
    """
    text = code.strip().upper()
    letter = text[:1] if text[:1].isalpha() else None
    digits = text[1:] if letter else text
    if letter is not None and not ("A" <= letter <= "T"):
        return None, ""
    if not digits:
        return letter, ""
    if not (2 <= len(digits) <= 4 and digits.isascii() and digits.isdigit()):
        return None, ""
    division = _by_code().get(digits[:2])
    known = division.section if division is not None else None
    if letter is not None and known is not None and letter != known:
        return None, ""
    return letter or known, digits


def section_letter(code: str) -> str | None:
    """Return the section letter of a section, division or finer code, or None when unknown."""
    return _split(code)[0]


def industry_part_of(part: str, whole: str) -> bool:
    """Tell whether industry `part` lies within industry `whole` (equal codes count).

    A section letter contains every code of its divisions; a numeric code contains the
    longer codes that start with it. A code may carry its section letter ("C39"); one
    whose letter contradicts the table, or an unknown division under a section, matches
    nothing but itself, so unknown structure never widens a grant.
    """
    if part == whole:
        return True
    part_letter, part_digits = _split(part)
    whole_letter, whole_digits = _split(whole)
    if whole_letter is None and not whole_digits:
        return False
    if not whole_digits:
        return part_letter is not None and part_letter == whole_letter
    if not part_digits.startswith(whole_digits):
        return False
    return whole_letter is None or part_letter == whole_letter


def industries_overlap(first: str, second: str) -> bool:
    """Tell whether two industry codes share ground, i.e. one contains the other."""
    return industry_part_of(first, second) or industry_part_of(second, first)


def industry_ancestors(code: str) -> tuple[str, ...]:
    """Return the code and the listed codes that contain it (its division and section)."""
    letter, digits = _split(code)
    found = [code]
    if len(digits) > 2:
        found.append(digits[:2])
    if digits and letter is not None:
        found.append(letter)
    return tuple(found)


def industry_descendants(code: str) -> tuple[str, ...]:
    """Return the listed codes inside a section (its divisions); a division lists none."""
    letter, digits = _split(code)
    if digits or letter is None:
        return ()
    return tuple(industry.code for industry in divisions(letter))
