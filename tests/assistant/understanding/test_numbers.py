"""Numbers in both languages: digits, Chinese numerals, multipliers."""

from __future__ import annotations

from decimal import Decimal

import pytest

from synergy_hub.assistant.understanding.numbers import parse_number, plain


@pytest.mark.parametrize(
    ("token", "multiplier", "value"),
    [
        ("12", "", 12),
        ("12,500", "", 12500),
        ("1.5", "万", 15000),
        ("3", "千", 3000),
        ("50", "k", 50000),
        ("2", "w", 20000),
        ("两万", "", 20000),
        ("一百五十", "", 150),
        ("十二", "", 12),
        ("三千五", "", 3500),
        ("二十万", "", 200000),
        ("一二三", "", 123),
        ("fifty", " thousand", 50000),
        ("two", " million", 2000000),
        ("a few", "", 3),
    ],
)
def test_numbers_read_with_their_multiplier(token: str, multiplier: str, value: int) -> None:
    assert parse_number(token, multiplier) == Decimal(value)


def test_a_word_that_is_not_a_number_reads_as_none() -> None:
    assert parse_number("GPU") is None
    assert parse_number("万能") is None


def test_plain_drops_exponents_and_trailing_zeros() -> None:
    assert str(plain(Decimal("5E+4"))) == "50000"
    assert str(plain(Decimal("1.50"))) == "1.5"
