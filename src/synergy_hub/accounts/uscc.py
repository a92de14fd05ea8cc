"""Unified Social Credit Code (统一社会信用代码) rules of GB 32100-2015.

An 18-character code: registration department (1), organisation type (2), the
registering authority's administrative division (3-8), the organisation code of
GB 11714 with its own check digit (9-17) and a mod-31 check character (18).

Pure Python: the Django layer translates errors by their stable `rule` value.
"""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Mapping

__all__ = [
    "CHARSET",
    "ORGANISATION_TYPES",
    "RULE_CHARSET",
    "RULE_CHECK_CHARACTER",
    "RULE_DEPARTMENT",
    "RULE_LENGTH",
    "RULE_ORGANISATION_CODE_CHECK",
    "RULE_ORGANISATION_TYPE",
    "RULE_REGION_FORMAT",
    "UsccError",
    "generate_uscc",
    "is_valid_uscc",
    "normalise_uscc",
    "organisation_code_check_digit",
    "region_code_of",
    "uscc_check_character",
    "validate_uscc",
]

RULE_LENGTH = "length"
RULE_CHARSET = "charset"
RULE_DEPARTMENT = "department"
RULE_ORGANISATION_TYPE = "organisation_type"
RULE_REGION_FORMAT = "region_format"
RULE_ORGANISATION_CODE_CHECK = "organisation_code_check"
RULE_CHECK_CHARACTER = "check_character"

# The standard leaves out I, O, Z, S and V so that they cannot be misread as 1, 0, 2, 5 and U;
# a character's index in this string is its value in the mod-31 check.
CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {char: index for index, char in enumerate(CHARSET)}
_CHECK_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)

# GB 11714 predates the USCC charset: its characters are 0-9 and the whole alphabet A=10 … Z=35.
_ORGANISATION_CODE_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ORGANISATION_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# Registration department (position 1) → the organisation types (position 2) it may issue.
# Table of GB 32100-2015 with its amendments adding A (CMC reform and staffing office) and
# N (agriculture, rural collective economic organisations). The standard gives Y ("other")
# no sub-table; codes issued under it use "1", the only value accepted here.
ORGANISATION_TYPES: Mapping[str, frozenset[str]] = {
    "1": frozenset("1239"),  # 机构编制: 机关, 事业单位, 中央编办直管群众团体, 其他
    "2": frozenset("19"),  # 外交: 外国常驻新闻机构, 其他
    "3": frozenset(
        "123459"
    ),  # 司法行政: 律师执业机构, 公证处, 基层法律服务所, 司法鉴定机构, 仲裁委员会, 其他
    "4": frozenset("19"),  # 文化: 外国在华文化中心, 其他
    "5": frozenset("1239"),  # 民政: 社会团体, 民办非企业单位, 基金会, 其他
    "6": frozenset("129"),  # 旅游: 外国旅游部门常驻代表机构, 港澳台旅游部门常驻代表机构, 其他
    "7": frozenset("129"),  # 宗教: 宗教活动场所, 宗教院校, 其他
    "8": frozenset("19"),  # 工会: 基层工会, 其他
    "9": frozenset("123"),  # 工商 (now market regulation): 企业, 个体工商户, 农民专业合作社
    "A": frozenset("19"),  # 中央军委改革和编制办公室: 军队事业单位, 其他
    "N": frozenset("1239"),  # 农业: 组级, 村级, 乡镇级集体经济组织, 其他
    "Y": frozenset("1"),  # 其他
}

_LENGTH = 18
_ALLOWED_DESCRIPTION = "0-9 and A-Z without I, O, S, V, Z"


class UsccError(ValueError):
    """A code that breaks a rule of GB 32100-2015; `rule` says which, `position` where (1-based)."""

    def __init__(self, rule: str, message: str, position: int | None = None) -> None:
        super().__init__(f"{rule}: {message}")
        self.rule = rule
        self.position = position


def normalise_uscc(raw: str) -> str:
    """Return the code as it should be stored: NFKC (full-width to ASCII), no spaces, uppercase."""
    # NFKC first so that ideographic spaces become ordinary whitespace before it is dropped.
    folded = unicodedata.normalize("NFKC", raw)
    return "".join(folded.split()).upper()


def organisation_code_check_digit(first8: str) -> str:
    """Return the GB 11714 check digit ('0'-'9' or 'X') of an 8-character organisation code."""
    if len(first8) != 8:
        raise UsccError(RULE_LENGTH, f"expected 8 characters, found {len(first8)}")
    total = 0
    for index, (char, weight) in enumerate(zip(first8, _ORGANISATION_CODE_WEIGHTS, strict=True)):
        value = _ORGANISATION_CODE_CHARS.find(char)
        if value < 0:
            raise UsccError(
                RULE_CHARSET,
                f"expected 0-9 or A-Z at position {index + 1}, found {char!r}",
                index + 1,
            )
        total += value * weight
    check = 11 - total % 11
    if check == 10:
        return "X"
    if check == 11:
        return "0"
    return str(check)


def uscc_check_character(first17: str) -> str:
    """Return the 18th (check) character for the first 17 characters of a code."""
    if len(first17) != 17:
        raise UsccError(RULE_LENGTH, f"expected 17 characters, found {len(first17)}")
    total = 0
    for index, (char, weight) in enumerate(zip(first17, _CHECK_WEIGHTS, strict=True)):
        value = _VALUE.get(char)
        if value is None:
            raise UsccError(
                RULE_CHARSET,
                f"expected {_ALLOWED_DESCRIPTION} at position {index + 1}, found {char!r}",
                index + 1,
            )
        total += value * weight
    # 31 - (sum mod 31) lies in 1..31, and the standard maps 31 to 0.
    return CHARSET[(31 - total % 31) % 31]


def validate_uscc(raw: str) -> str:
    """Return the normalised code, or raise UsccError naming the first rule it breaks."""
    code = normalise_uscc(raw)
    if len(code) != _LENGTH:
        raise UsccError(RULE_LENGTH, f"expected {_LENGTH} characters, found {len(code)}")
    for index, char in enumerate(code):
        if char not in _VALUE:
            raise UsccError(
                RULE_CHARSET,
                f"expected {_ALLOWED_DESCRIPTION} at position {index + 1}, found {char!r}",
                index + 1,
            )
    department, organisation_type = code[0], code[1]
    allowed_types = ORGANISATION_TYPES.get(department)
    if allowed_types is None:
        expected = ", ".join(ORGANISATION_TYPES)
        raise UsccError(
            RULE_DEPARTMENT,
            f"expected a registration department code ({expected}), found {department!r}",
            1,
        )
    if organisation_type not in allowed_types:
        expected = ", ".join(sorted(allowed_types))
        raise UsccError(
            RULE_ORGANISATION_TYPE,
            f"expected an organisation type of department {department!r} ({expected}), "
            f"found {organisation_type!r}",
            2,
        )
    for index in range(2, 8):
        if not code[index].isdigit():
            raise UsccError(
                RULE_REGION_FORMAT,
                f"expected a 6-digit administrative division code in positions 3-8, "
                f"found {code[index]!r} at position {index + 1}",
                index + 1,
            )
    expected_digit = organisation_code_check_digit(code[8:16])
    if code[16] != expected_digit:
        raise UsccError(
            RULE_ORGANISATION_CODE_CHECK,
            f"expected organisation code check digit {expected_digit!r} at position 17, "
            f"found {code[16]!r}",
            17,
        )
    expected_check = uscc_check_character(code[:17])
    if code[17] != expected_check:
        raise UsccError(
            RULE_CHECK_CHARACTER,
            f"expected check character {expected_check!r} at position 18, found {code[17]!r}",
            18,
        )
    return code


def is_valid_uscc(raw: object) -> bool:
    """Tell whether the value is a string holding a valid code (after normalisation)."""
    if not isinstance(raw, str):
        return False
    try:
        validate_uscc(raw)
    except UsccError:
        return False
    return True


def region_code_of(uscc: str) -> str:
    """Return the registering authority's administrative division code (positions 3-8)."""
    return validate_uscc(uscc)[2:8]


def generate_uscc(
    rng: random.Random, region_code: str, department: str = "9", organisation_type: str = "1"
) -> str:
    """Return a valid code drawn from `rng` (same seed, same code) for demo and test data."""
    allowed_types = ORGANISATION_TYPES.get(department)
    if allowed_types is None:
        raise UsccError(RULE_DEPARTMENT, f"unknown registration department {department!r}", 1)
    if organisation_type not in allowed_types:
        raise UsccError(
            RULE_ORGANISATION_TYPE,
            f"organisation type {organisation_type!r} is not issued by department {department!r}",
            2,
        )
    if len(region_code) != 6 or not region_code.isascii() or not region_code.isdigit():
        raise UsccError(
            RULE_REGION_FORMAT, f"expected a 6-digit region code, found {region_code!r}", 3
        )
    # The body is drawn from the USCC charset, not all of GB 11714's, so the result stays
    # inside CHARSET; the check digit ('0'-'9', 'X') always does.
    body = "".join(rng.choice(CHARSET) for _ in range(8))
    first17 = department + organisation_type + region_code + body
    first17 += organisation_code_check_digit(body)
    return first17 + uscc_check_character(first17)
