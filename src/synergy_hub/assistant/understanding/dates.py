"""Dates and time frames in both languages, relative to a given day.

A mention reads into a `TimeFrame`: the wanted period (`start`, `end`) and, for "before X"
and "within N days" phrasings, a hard `deadline` (the period then runs from today to it).
A month or day without a year means the next such date from today ("三月" in December is
next March). Recognised: 下个月/next month, 本月/this month, 下周/next week, 下季度/next
quarter, Q1–Q4 and 第二季度, 上半年/下半年, 明年/next year, 年底前/by the end of the year,
月底前, N天内/N周内/N个月内/within N days|weeks|months, 3月/三月份/in March, 3月到5月,
三月底前/by end of March, 3月15日前/by 15 March/before March 15th, mid-April/4月中旬.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from .numbers import NUMBER, parse_number
from .spans import Rule, compile_rules, find

__all__ = ["TimeFrame", "find_time_frames"]


@dataclass(frozen=True)
class TimeFrame:
    """A wanted period and an optional hard deadline, with the words it was read from."""

    start: date | None
    end: date | None
    deadline: date | None
    start_index: int
    end_index: int
    text: str


_MONTHS_EN = {
    "january": 1,
    "jan": 1,
    "february": 2,
    "feb": 2,
    "march": 3,
    "mar": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "june": 6,
    "jun": 6,
    "july": 7,
    "jul": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sept": 9,
    "sep": 9,
    "october": 10,
    "oct": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
}
_MONTH_EN = (
    r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
)
_ZH_MONTH = r"(?:1[0-2]|0?[1-9]|十[一二]|十|[一二三四五六七八九])"
_ZH_DAY = r"(?:3[01]|[12]\d|0?[1-9]|[一二三]?十[一二三四五六七八九]?|[一二三四五六七八九])"
_BEFORE_ZH = r"(?:之前|以前|前|为止|截止|内)"
_BEFORE_EN = r"(?:by|before|no\s+later\s+than|until|till|due|deadline(?:\s+is)?)"


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _next_month_on_or_after(today: date, month: int) -> int:
    """The year in which the named month next comes (this year if not yet past)."""
    return today.year if month >= today.month else today.year + 1


def _next_date(today: date, month: int, day: int) -> date:
    year = today.year
    day = min(day, calendar.monthrange(year, month)[1])
    candidate = date(year, month, day)
    if candidate < today:
        year += 1
        candidate = date(year, month, min(day, calendar.monthrange(year, month)[1]))
    return candidate


def _int(token: str) -> int:
    value = parse_number(token)
    return int(value) if value is not None else 0


def _quarter(today: date, quarter: int, *, next_year: bool = False) -> tuple[date, date]:
    year = today.year + (1 if next_year else 0)
    first = date(year, 3 * quarter - 2, 1)
    last = _month_end(year, 3 * quarter)
    if last < today and not next_year:
        first, last = date(year + 1, first.month, 1), _month_end(year + 1, last.month)
    return first, last


#: Spring Festival (春节) by year: "春节前/年前" is before it, the usual deadline of the year.
SPRING_FESTIVAL = {
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
    2031: date(2031, 1, 23),
}

_QUARTER_ZH = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}

Read = tuple[date | None, date | None, date | None] | None
Reader = Callable[[re.Match[str]], Read]


def find_time_frames(
    text: str, today: date, taken: list[tuple[int, int]] | None = None
) -> list[TimeFrame]:
    """Every time frame mentioned, in text order; overlapping mentions keep the longest."""
    readers = _readers(today)
    frames = []
    for hit in find(text, _rules(), taken):
        read = readers[hit.value][1](hit.match)
        if read is None:
            continue
        start, end, deadline = read
        frames.append(TimeFrame(start, end, deadline, hit.start, hit.end, hit.text))
    return frames


@cache
def _rules() -> tuple[Rule[int], ...]:
    """The patterns, compiled once; each rule's value is the index of its reader."""
    readers = _readers(date(2000, 1, 1))  # the patterns do not depend on the day
    return compile_rules((pattern, index) for index, (pattern, _reader) in enumerate(readers))


def _readers(today: date) -> list[tuple[str, Reader]]:
    def month_range(month: int) -> tuple[date, date, None]:
        year = _next_month_on_or_after(today, month)
        return date(year, month, 1), _month_end(year, month), None

    def before(day: date) -> tuple[date, date, date]:
        return today, day, day

    def zh_month(token: str) -> int:
        return _int(token)

    def next_month(_m: re.Match[str]) -> tuple[date, date, None]:
        first = _add_months(today.replace(day=1), 1)
        return first, _month_end(first.year, first.month), None

    def end_of_next_month(_m: re.Match[str]) -> tuple[date, date, date]:
        first = _add_months(today.replace(day=1), 1)
        return before(_month_end(first.year, first.month))

    def this_month(_m: re.Match[str]) -> tuple[date, date, None]:
        return today, _month_end(today.year, today.month), None

    def end_of_this_month(_m: re.Match[str]) -> tuple[date, date, date]:
        return before(_month_end(today.year, today.month))

    def next_week(_m: re.Match[str]) -> tuple[date, date, None]:
        monday = today + timedelta(days=7 - today.weekday())
        return monday, monday + timedelta(days=6), None

    def this_week(_m: re.Match[str]) -> tuple[date, date, None]:
        return today, today + timedelta(days=6 - today.weekday()), None

    def relative_day(m: re.Match[str]) -> Read:
        first = today.replace(day=1)
        if m.group("rel").startswith("下"):
            first = _add_months(first, 1)
        day = _int(m.group("d"))
        if not 1 <= day <= calendar.monthrange(first.year, first.month)[1]:
            return None
        when = first.replace(day=day)
        if m.group("b"):
            return before(when)
        return when, when, None

    def within(m: re.Match[str]) -> tuple[date, date, date] | None:
        amount = parse_number(m.group("n"))
        if amount is None or amount <= 0:
            return None
        unit = m.group("u").lower()
        count = int(amount)
        if unit.startswith(("天", "日", "day")):
            end = today + timedelta(days=count)
        elif unit.startswith(("周", "星期", "礼拜", "week")):
            end = today + timedelta(weeks=count)
        else:
            end = _add_months(today, count)
        return before(end)

    def half_month_zh(m: re.Match[str]) -> tuple[date, date, None]:
        return month_range(zh_month(m.group("m")))

    def month_span(m: re.Match[str]) -> tuple[date, date, None] | None:
        first, last = _int(m.group("a")), _int(m.group("b"))
        if not (1 <= first <= 12 and 1 <= last <= 12):
            return None
        start, _e, _d = month_range(first)
        year = start.year if last >= first else start.year + 1
        return start, _month_end(year, last), None

    def month_only(m: re.Match[str]) -> tuple[date, date, None] | None:
        month = _int(m.group("m") or m.group("m2"))
        return month_range(month) if 1 <= month <= 12 else None

    def month_en(m: re.Match[str]) -> tuple[date, date, None]:
        return month_range(_MONTHS_EN[m.group("m").lower().rstrip(".")])

    def end_of_month_zh(m: re.Match[str]) -> tuple[date, date, date] | None:
        month = _int(m.group("m"))
        if not 1 <= month <= 12:
            return None
        year = _next_month_on_or_after(today, month)
        return before(_month_end(year, month))

    def end_of_month_en(m: re.Match[str]) -> tuple[date, date, date]:
        month = _MONTHS_EN[m.group("m").lower().rstrip(".")]
        year = _next_month_on_or_after(today, month)
        return before(_month_end(year, month))

    def mid_month(month: int) -> date:
        return _next_date(today, month, 15)

    def mid_zh(m: re.Match[str]) -> tuple[date, date, date] | tuple[date, date, None] | None:
        month = _int(m.group("m"))
        if not 1 <= month <= 12:
            return None
        day = mid_month(month)
        if m.group("b"):
            return before(day)
        return date(day.year, month, 11), date(day.year, month, 20), None

    def mid_en(m: re.Match[str]) -> tuple[date, date, date] | tuple[date, date, None]:
        month = _MONTHS_EN[m.group("m").lower().rstrip(".")]
        day = mid_month(month)
        if m.group("b"):
            return before(day)
        return date(day.year, month, 11), date(day.year, month, 20), None

    def early_zh(m: re.Match[str]) -> tuple[date, date, date] | tuple[date, date, None] | None:
        month = _int(m.group("m"))
        if not 1 <= month <= 12:
            return None
        year = _next_month_on_or_after(today, month)
        if m.group("b"):
            return before(date(year, month, 1))
        return date(year, month, 1), date(year, month, 10), None

    def day_zh(m: re.Match[str]) -> tuple[date, date, date] | tuple[date, date, None] | None:
        month, day = _int(m.group("m")), _int(m.group("d"))
        if not (1 <= month <= 12 and 1 <= day <= 31):
            return None
        when = _next_date(today, month, day)
        if m.group("b"):
            return before(when)
        return when, when, None

    def day_en(m: re.Match[str]) -> tuple[date, date, date] | tuple[date, date, None] | None:
        month = _MONTHS_EN[m.group("m").lower().rstrip(".")]
        day = int(m.group("d"))
        if not 1 <= day <= 31:
            return None
        when = _next_date(today, month, day)
        if m.group("b"):
            return before(when)
        return when, when, None

    def quarter_of(m: re.Match[str]) -> tuple[date, date, None]:
        first, last = _quarter(today, _QUARTER_ZH[m.group("q") or m.group("q2")])
        return first, last, None

    def next_quarter(_m: re.Match[str]) -> tuple[date, date, None]:
        current = (today.month - 1) // 3 + 1
        if current == 4:
            first, last = _quarter(today, 1, next_year=True)
        else:
            first, last = _quarter(today, current + 1)
        return first, last, None

    def first_half(_m: re.Match[str]) -> tuple[date, date, None]:
        year = today.year if today.month <= 6 else today.year + 1
        return date(year, 1, 1), date(year, 6, 30), None

    def second_half(_m: re.Match[str]) -> tuple[date, date, None]:
        return date(today.year, 7, 1), date(today.year, 12, 31), None

    def next_year(_m: re.Match[str]) -> tuple[date, date, None]:
        return date(today.year + 1, 1, 1), date(today.year + 1, 12, 31), None

    def year_end(_m: re.Match[str]) -> tuple[date, date, date]:
        return before(date(today.year, 12, 31))

    def this_year(_m: re.Match[str]) -> tuple[date, date, None]:
        return today, date(today.year, 12, 31), None

    def spring_festival(_m: re.Match[str]) -> Read:
        coming = [day for day in SPRING_FESTIVAL.values() if day >= today]
        return before(min(coming)) if coming else None

    def national_day(_m: re.Match[str]) -> Read:
        return before(_next_date(today, 10, 1))

    def new_year(_m: re.Match[str]) -> Read:
        return before(date(today.year + 1, 1, 1))

    def tomorrow_week(_m: re.Match[str]) -> tuple[date, date, date]:
        return before(today + timedelta(days=7))

    n = NUMBER
    before_zh = _BEFORE_ZH
    return [
        (
            r"下个?月底" + before_zh + r"?|(?:by\s+)?the\s+end\s+of\s+next\s+month",
            end_of_next_month,
        ),
        (
            r"(?P<rel>下个?|本|这个?)月(?P<d>" + _ZH_DAY + r")(?:日|号)(?P<b>" + before_zh + r")?",
            relative_day,
        ),
        (r"下(?:个)?月(?:份)?|(?<![A-Za-z])next\s+month(?![A-Za-z])", next_month),
        (
            r"(?:本|这个?|当)月底"
            + before_zh
            + r"?|月底"
            + before_zh
            + r"|(?:by\s+)?the\s+end\s+of\s+(?:this|the)\s+month",
            end_of_this_month,
        ),
        (r"(?:本|这个?|当)月(?:内)?|(?<![A-Za-z])this\s+month(?![A-Za-z])", this_month),
        (r"下(?:个)?(?:周|星期|礼拜)|(?<![A-Za-z])next\s+(?:week|wk)(?![A-Za-z])", next_week),
        (
            r"(?:本|这个?)(?:周|星期|礼拜)(?:内)?|(?<![A-Za-z])this\s+(?:week|wk)(?![A-Za-z])",
            this_week,
        ),
        (r"(?P<n>" + n + r")\s*(?:个)?(?P<u>天|日|周|星期|礼拜|月)(?:之内|以内|内)", within),
        (
            r"(?:within|in\s+the\s+next|in\s+the\s+coming|in|inside)\s+(?:the\s+next\s+)?(?P<n>"
            + n
            + r")\s*(?P<u>days?|weeks?|months?)(?![A-Za-z])",
            within,
        ),
        (
            r"(?P<a>"
            + _ZH_MONTH
            + r")月(?:份)?\s*(?:到|至|-|~|—)\s*(?P<b>"
            + _ZH_MONTH
            + r")月(?:份)?",
            month_span,
        ),
        (r"(?P<m>" + _ZH_MONTH + r")月(?:份)?(?:底|末)" + before_zh + r"?", end_of_month_zh),
        (
            r"(?:(?:by|before)\s+)?(?:the\s+)?end\s+of\s+(?P<m>" + _MONTH_EN + r")(?![A-Za-z])",
            end_of_month_en,
        ),
        (r"(?P<m>" + _ZH_MONTH + r")月(?:份)?(?:中旬|中)(?P<b>" + before_zh + r")?", mid_zh),
        (r"(?P<b>(?:by|before)\s+)?mid[-\s](?P<m>" + _MONTH_EN + r")(?![A-Za-z])", mid_en),
        (r"(?P<m>" + _ZH_MONTH + r")月(?:份)?(?:初|上旬)(?P<b>" + before_zh + r")?", early_zh),
        (
            r"(?:20\d\d年)?(?P<m>"
            + _ZH_MONTH
            + r")月(?P<d>"
            + _ZH_DAY
            + r")(?:日|号)(?P<b>"
            + before_zh
            + r")?",
            day_zh,
        ),
        (
            r"(?:20\d\d[-/.])?(?P<m>1[0-2]|0?[1-9])[-/.](?P<d>3[01]|[12]\d|0?[1-9])(?P<b>"
            + before_zh
            + r")",
            day_zh,
        ),
        (
            r"(?P<b>"
            + _BEFORE_EN
            + r"\s+)?(?:the\s+)?(?P<d>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>"
            + _MONTH_EN
            + r")(?![A-Za-z])",
            day_en,
        ),
        (
            r"(?P<b>"
            + _BEFORE_EN
            + r"\s+)?(?P<m>"
            + _MONTH_EN
            + r")\s+(?P<d>3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?![\dA-Za-z])",
            day_en,
        ),
        (
            r"(?P<m>"
            + _ZH_MONTH
            + r")月份|(?<![\d年])(?P<m2>"
            + _ZH_MONTH
            + r")月(?![\d一二三四五六七八九十日号底末中初])",
            month_only,
        ),
        (r"(?<![A-Za-z])in\s+(?P<m>" + _MONTH_EN + r")(?![A-Za-z])", month_en),
        (r"(?<![A-Za-z])Q(?P<q>[1-4])(?![\dA-Za-z])|第?(?P<q2>[一二三四1-4])季度", quarter_of),
        (r"下(?:个)?季度|(?<![A-Za-z])next\s+quarter(?![A-Za-z])", next_quarter),
        (r"上半年|(?:the\s+)?first\s+half\s+of\s+(?:the\s+)?(?:next\s+)?year|\bH1\b", first_half),
        (r"下半年|(?:the\s+)?second\s+half\s+of\s+(?:the|this)\s+year|\bH2\b", second_half),
        (r"明年|(?<![A-Za-z])next\s+year(?![A-Za-z])", next_year),
        (
            r"(?:春节|过年|农历新年|Chinese\s+New\s+Year|Spring\s+Festival)(?:之前|以前|前)|(?<![今明去])年前"
            r"|(?:before|by)\s+(?:the\s+)?(?:Chinese\s+New\s+Year|Spring\s+Festival)",
            spring_festival,
        ),
        (r"国庆(?:节)?(?:之前|以前|前)|(?:before|by)\s+(?:the\s+)?National\s+Day", national_day),
        (r"元旦(?:之前|以前|前)|(?:before|by)\s+New\s+Year'?s?(?:\s+Day)?", new_year),
        (
            r"(?:年底|年末|今年底)"
            + before_zh
            + r"?|(?:by\s+)?(?:the\s+)?end\s+of\s+(?:the|this)\s+year|(?:by\s+)?year[-\s]end",
            year_end,
        ),
        (r"今年(?:内)?|(?<![A-Za-z])this\s+year(?![A-Za-z])", this_year),
        (r"一周之内|一个星期内", tomorrow_week),
    ]
