"""Numbers in both languages: Arabic, Chinese numerals, "3千", "1.5万", "50k", "two thousand".

`parse_number` reads one number token (with its multiplier) into a Decimal; `NUMBER` is the
regular expression that finds such tokens in a text. Money and quantities build on both.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

__all__ = ["MULTIPLIER", "NUMBER", "parse_number", "plain", "scale"]

_DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "壹": 1,
    "二": 2,
    "两": 2,
    "贰": 2,
    "三": 3,
    "叁": 3,
    "四": 4,
    "肆": 4,
    "五": 5,
    "伍": 5,
    "六": 6,
    "陆": 6,
    "七": 7,
    "柒": 7,
    "八": 8,
    "捌": 8,
    "九": 9,
    "玖": 9,
}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000}

_EN_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "hundred": 100,
    "couple": 2,
    "few": 3,
}

CN_NUMERAL = "零〇一壹二两贰三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万萬亿"
#: A number: digits (with thousands separators or decimals), Chinese numerals, or an
#: English number word.
NUMBER = (
    r"(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[" + CN_NUMERAL + r"]+"
    r"|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty"
    r"|thirty|forty|fifty|sixty|a\s+couple\s+of|a\s+few|a|an)\b)"
)
#: A multiplier that may follow a number: 万, 千, k, w (colloquial 万), thousand, million.
MULTIPLIER = (
    r"(?:\s?(?:千万|百万|万|萬|千|百|亿)|\s?[kK](?![a-zA-Z])|[wW](?![a-zA-Z])"
    r"|\s+(?:thousand|million|grand)\b|[mM](?![a-zA-Z]))"
)

_MULTIPLIERS = {
    "千万": Decimal(10_000_000),
    "百万": Decimal(1_000_000),
    "万": Decimal(10_000),
    "萬": Decimal(10_000),
    "千": Decimal(1000),
    "百": Decimal(100),
    "亿": Decimal(100_000_000),
    "k": Decimal(1000),
    "w": Decimal(10_000),
    "m": Decimal(1_000_000),
    "thousand": Decimal(1000),
    "grand": Decimal(1000),
    "million": Decimal(1_000_000),
}


def scale(multiplier: str) -> Decimal:
    """The factor of a multiplier word ("万" → 10,000; "k" → 1,000; "" → 1)."""
    return _MULTIPLIERS.get(multiplier.strip().lower(), Decimal(1))


def _chinese(text: str) -> int | None:
    """Read Chinese numerals: 两万, 一百五十, 十二, 三千五 (= 3,500), 一二三 (digit by digit)."""
    if not text or any(ch not in CN_NUMERAL for ch in text):
        return None
    if all(ch in _DIGITS for ch in text):
        return int("".join(str(_DIGITS[ch]) for ch in text))
    total = 0
    section = 0
    number = 0
    last_unit = 1
    for ch in text:
        if ch in _DIGITS:
            number = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            unit = _SMALL_UNITS[ch]
            section += (number or 1) * unit
            number = 0
            last_unit = unit
        else:
            unit = _BIG_UNITS[ch]
            section = (section + number) * unit
            total += section
            section = 0
            number = 0
            last_unit = unit
    # "三千五" is 3,500 and "一万五" 15,000: a digit right after a unit counts in the next
    # lower unit.
    if number and last_unit >= 100 and len(text) >= 2 and text[-2] not in _DIGITS:
        number *= last_unit // 10
    return total + section + number


def parse_number(token: str, multiplier: str = "") -> Decimal | None:
    """Read a number token and its multiplier; None when the token is not a number."""
    text = token.strip().lower()
    value: Decimal | None
    if re.fullmatch(r"[\d,]+(?:\.\d+)?", text):
        try:
            value = Decimal(text.replace(",", ""))
        except InvalidOperation:
            return None
    elif text in _EN_WORDS or re.sub(r"\s+", " ", text) in {"a couple of", "a few"}:
        key = text.split()[-1] if text.startswith("a ") else text
        value = Decimal(_EN_WORDS.get(key, _EN_WORDS.get(text, 1)))
    else:
        read = _chinese(token.strip())
        if read is None:
            return None
        value = Decimal(read)
    return value * scale(multiplier)


def plain(value: Decimal) -> Decimal:
    """The value without exponent or trailing zeros: 50000, not 5E+4; 1.5, not 1.50."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()
