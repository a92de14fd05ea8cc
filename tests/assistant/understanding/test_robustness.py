"""Any text reads into a need without an error, and a need never holds an impossible value."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from synergy_hub.assistant.understanding.lexicon import RESOURCE_TYPES
from synergy_hub.assistant.understanding.need import UnderstoodNeed
from synergy_hub.assistant.understanding.pipeline import understand
from synergy_hub.eligibility.regions import is_valid_region

TODAY = date(2026, 2, 28)

_PIECES = st.sampled_from(
    [
        "预算",
        "万",
        "5",
        "两",
        "13月",
        "2月30日前",
        "0卡时",
        "99999999999999999999元",
        "Q5",
        "下个月",
        "by 31 February",
        "within 0 days",
        "GPU",
        "不需要",
        "宁波",
        "CE",
        "-",
        "到",
        "k",
        "¥",
        "，",
        " ",
        "also",
        "便宜点",
    ]
)


def _check(need: UnderstoodNeed) -> None:
    assert set(need.resource_types) <= set(RESOURCE_TYPES)
    assert all(is_valid_region(code) for code in need.region_codes)
    assert need.budget_max_yuan is None or need.budget_max_yuan > 0
    assert all(q.amount > 0 for q in need.quantities)
    if need.wanted_from and need.wanted_until:
        assert need.wanted_from <= need.wanted_until
    assert len(need.query) <= 500


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_pieces_of_statements_read_without_errors(text: str) -> None:
    need = understand(text, today=TODAY)
    _check(need)
    _check(understand(text, previous=need, today=TODAY))


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_reads_without_errors(text: str) -> None:
    _check(understand(text, today=TODAY))


def test_a_very_long_statement_is_read_up_to_its_limit() -> None:
    need = understand("需要GPU算力。" * 2000, today=TODAY)
    assert need.resource_types == ("compute",)
    assert len(need.query) <= 500
