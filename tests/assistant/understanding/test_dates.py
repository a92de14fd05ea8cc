"""Time frames in both languages, relative to a given day."""

from __future__ import annotations

from datetime import date

import pytest

from synergy_hub.assistant.understanding.dates import find_time_frames

TODAY = date(2026, 5, 20)  # a Wednesday in May


def _frame(text: str) -> tuple[date | None, date | None, date | None]:
    frames = find_time_frames(text, TODAY)
    assert len(frames) == 1, frames
    return frames[0].start, frames[0].end, frames[0].deadline


@pytest.mark.parametrize(
    ("text", "start", "end", "deadline"),
    [
        ("下个月", date(2026, 6, 1), date(2026, 6, 30), None),
        ("next month", date(2026, 6, 1), date(2026, 6, 30), None),
        ("下周", date(2026, 5, 25), date(2026, 5, 31), None),
        ("next week", date(2026, 5, 25), date(2026, 5, 31), None),
        ("本月", TODAY, date(2026, 5, 31), None),
        ("两周内", TODAY, date(2026, 6, 3), date(2026, 6, 3)),
        ("10天内", TODAY, date(2026, 5, 30), date(2026, 5, 30)),
        ("within 3 weeks", TODAY, date(2026, 6, 10), date(2026, 6, 10)),
        ("三个月内", TODAY, date(2026, 8, 20), date(2026, 8, 20)),
        ("九月底前", TODAY, date(2026, 9, 30), date(2026, 9, 30)),
        ("三月底前", TODAY, date(2027, 3, 31), date(2027, 3, 31)),  # March has passed
        ("by the end of July", TODAY, date(2026, 7, 31), date(2026, 7, 31)),
        ("by 15 August", TODAY, date(2026, 8, 15), date(2026, 8, 15)),
        ("before June 3rd", TODAY, date(2026, 6, 3), date(2026, 6, 3)),
        ("7月10日前", TODAY, date(2026, 7, 10), date(2026, 7, 10)),
        ("7月10号", date(2026, 7, 10), date(2026, 7, 10), None),
        ("Q3", date(2026, 7, 1), date(2026, 9, 30), None),
        ("Q1", date(2027, 1, 1), date(2027, 3, 31), None),  # this year's Q1 is over
        ("第四季度", date(2026, 10, 1), date(2026, 12, 31), None),
        ("下季度", date(2026, 7, 1), date(2026, 9, 30), None),
        ("8月份", date(2026, 8, 1), date(2026, 8, 31), None),
        ("in October", date(2026, 10, 1), date(2026, 10, 31), None),
        ("6月到8月", date(2026, 6, 1), date(2026, 8, 31), None),
        ("7月中旬", date(2026, 7, 11), date(2026, 7, 20), None),
        ("by mid-June", TODAY, date(2026, 6, 15), date(2026, 6, 15)),
        ("明年", date(2027, 1, 1), date(2027, 12, 31), None),
        ("年底前", TODAY, date(2026, 12, 31), date(2026, 12, 31)),
        ("by year end", TODAY, date(2026, 12, 31), date(2026, 12, 31)),
        ("下半年", date(2026, 7, 1), date(2026, 12, 31), None),
        ("国庆前", TODAY, date(2026, 10, 1), date(2026, 10, 1)),
        ("春节前", TODAY, date(2027, 2, 6), date(2027, 2, 6)),
    ],
)
def test_time_frames(text: str, start: date, end: date, deadline: date | None) -> None:
    assert _frame(text) == (start, end, deadline)


def test_the_longest_phrase_wins_over_the_words_inside_it() -> None:
    frames = find_time_frames("下个月底前要交付", TODAY)
    assert [(f.end, f.deadline) for f in frames] == [(date(2026, 6, 30), date(2026, 6, 30))]


def test_no_time_words_no_frame() -> None:
    assert find_time_frames("我们做服装，需要检测", TODAY) == []
    assert find_time_frames("a 3 month old startup needs a mentor", TODAY) == []
