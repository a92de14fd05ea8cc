"""Quantities with units (catalog ``Unit`` values) and money (a budget or a unit price).

Quantities are read first: a number followed by a unit word ("500个GPU卡时", "200 core
hours", "10个账号", "100万次调用", "3 lab days"). Money is a number with a currency
("3千块", "¥20,000", "50k RMB", "20万元") or a bare amount after a budget word ("预算5万以内",
"不超过两万", "budget 30k"). A range keeps its upper end ("3-5万" → 50,000); "每小时/per
hour" makes it a unit price, not a budget; amounts after 营收/产值/revenue are the company's
figures, not what it can spend, and are skipped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .numbers import MULTIPLIER, NUMBER, parse_number, plain
from .spans import compile_rules, find

__all__ = ["Money", "QuantityMention", "find_money", "find_quantities"]


@dataclass(frozen=True)
class QuantityMention:
    """An amount and its catalog unit, with where it was read."""

    amount: Decimal
    unit: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Money:
    """An amount of yuan; `per_unit` when it is a price per unit rather than a total."""

    amount: Decimal
    per_unit: bool
    start: int
    end: int
    text: str


_N = r"(?P<n>" + NUMBER + r")(?P<x>" + MULTIPLIER + r")?"
_PIECE = r"\s*(?:个|张|块|台|次|名|位|套|份|批|款|人)?\s*"

_UNIT_PAIRS: tuple[tuple[str, str], ...] = (
    (_N + _PIECE + r"(?:GPU|显卡|卡)?\s*(?:卡时|卡小时|GPU\s*(?:小时|时))", "gpu_hour"),
    (_N + r"\s*(?:GPU|graphics\s+card)[-\s]?(?:hours?|hrs?)(?![A-Za-z])", "gpu_hour"),
    (_N + r"\s*(?:个)?小时的?\s*(?:GPU|显卡|算力)", "gpu_hour"),
    (r"(?<![A-Za-z])GPUs?\s+for\s+" + _N + r"\s*(?:hours?|hrs?)(?![A-Za-z])", "gpu_hour"),
    (_N + _PIECE + r"(?:CPU)?\s*(?:核时|核小时|核心小时)", "core_hour"),
    (_N + r"\s*(?:CPU\s+)?core[-\s]?(?:hours?|hrs?)(?![A-Za-z])", "core_hour"),
    (_N + r"\s*(?:次)?(?:API)?\s*(?:调用|请求)(?:次数|量)?", "api_call"),
    (_N + r"\s*(?:API\s+)?(?:calls|requests|API\s+calls)(?![A-Za-z])", "api_call"),
    (_N + r"\s*(?:个)?\s*(?:tokens?|token数)(?![A-Za-z])", "token"),
    (_N + r"\s*(?:次)?下载", "download"),
    (_N + r"\s*downloads(?![A-Za-z])", "download"),
    (
        _N + r"\s*(?:个)?(?:实验室|实验)?(?:工作)?(?:天|日)(?:的)?(?:实验室|实验)(?:时间|使用)?",
        "lab_day",
    ),
    (_N + r"\s*lab(?:oratory)?[-\s]days?(?![A-Za-z])", "lab_day"),
    (r"(?:实验室|lab)[^，,。；;\d]{0,6}" + _N + r"\s*(?:天|days?)(?![A-Za-z])", "lab_day"),
    (_N + _PIECE + r"(?:设备)?(?:机时|设备小时|设备工时)", "equipment_hour"),
    (_N + r"\s*(?:machine|equipment)[-\s](?:hours?|hrs?)(?![A-Za-z])", "equipment_hour"),
    (
        _N + r"\s*(?:个|款|批|批次|组)?\s*(?:样品|型号|检测项目|送检批次|测试项目|检测名额)",
        "test_slot",
    ),
    (
        _N
        + r"\s*(?:test\s+slots?|samples|product\s+models|models\s+to\s+(?:test|certify))(?![A-Za-z])",
        "test_slot",
    ),
    (
        _N
        + r"\s*(?:个|套)?\s*(?:[A-Za-z]{2,8}\s*)?(?:软件)?(?:账号|席位|授权|用户|许可|license|licence)",
        "seat",
    ),
    (_N + r"\s*(?:seats?|licen[cs]es|user\s+accounts|users)(?![A-Za-z])", "seat"),
    (_N + r"\s*(?:个|名)?\s*(?:名额|学员|员工参加|人参加|人参训|人)(?:参加|培训)?", "participant"),
    (
        _N
        + r"\s*(?:participants|trainees|people|staff|employees)\s+(?:to\s+)?(?:attend|join|trained|training|in\s+the)",
        "participant",
    ),
    (_N + r"\s*(?:participants|trainees)(?![A-Za-z])", "participant"),
    (
        r"(?<![A-Za-z])train(?:ing)?\s+(?:for\s+)?"
        + _N
        + r"\s+(?:employees|staff|workers|people|engineers)(?![A-Za-z])",
        "participant",
    ),
    (_N + r"\s*(?:单|票|个订单|批货)", "service_case"),
    (_N + r"\s*(?:shipments|orders|cases)(?![A-Za-z])", "service_case"),
)
_UNIT_RULES = compile_rules(_UNIT_PAIRS)


def find_quantities(text: str, taken: list[tuple[int, int]] | None = None) -> list[QuantityMention]:
    """Every quantity with a recognised unit, in text order (tokens read as thousands)."""
    found: list[QuantityMention] = []
    for hit in find(text, _UNIT_RULES, taken):
        amount = parse_number(hit.match.group("n"), hit.match.group("x") or "")
        if amount is None or amount <= 0:
            continue
        unit = hit.value
        if unit == "token":
            amount, unit = amount / 1000, "kilotoken"
        found.append(QuantityMention(plain(amount), unit, hit.start, hit.end, hit.text))
    return found


_CURRENCY_AFTER = r"(?P<c>\s*(?:元|块钱|块|圆|人民币|RMB|CNY|yuan|rmb|kuai)(?![A-Za-z]))"
_CURRENCY_BEFORE = r"(?P<cb>(?:¥|￥|RMB|CNY)\s*)"
_RANGE = r"(?:(?P<lo>" + NUMBER + r")(?P<lx>" + MULTIPLIER + r")?\s*(?:-|–|~|～|到|至|to)\s*)?"
_MONEY = re.compile(
    _CURRENCY_BEFORE + r"?" + _RANGE + _N + _CURRENCY_AFTER + r"?",
    re.IGNORECASE,
)
_BUDGET_WORD = re.compile(
    r"(?:预算|经费|资金|费用|花费|成本|价格|价钱|报价|不超过|不要超过|不能超过|最多|控制在|以内|以下|"
    r"之内|左右|上限|封顶|budget|under|below|up\s+to|at\s+most|max(?:imum)?|no\s+more\s+than|"
    r"less\s+than|within|spend|afford|cap|around|about)",
    re.IGNORECASE,
)
_NOT_SPENDING = re.compile(
    r"(?:营收|产值|销售额|营业额|收入|流水|注册资本|年销售|年产|产能|revenue|turnover|sales|"
    r"registered\s+capital|annual|employees|员工|工人|人)[^，,。；;]{0,6}$",
    re.IGNORECASE,
)
_PER_UNIT = re.compile(
    r"^\s*(?:/|每|一)\s*(?:个|小时|卡时|核时|天|次|人|张|件|套|样品|账号|席位)|^\s*(?:per|an|a|/|each)\s*"
    r"(?:hour|GPU[-\s]hour|core[-\s]hour|day|call|test|sample|seat|person|unit|user|licen[cs]e|"
    r"account|piece|item|model|participant)",
    re.IGNORECASE,
)
_PER_UNIT_BEFORE = re.compile(
    r"(?:每(?![月年季周天日])|单价|unit\s+price|per\s+(?!month|year|quarter|week)\w+)"
    r"[^，,。；;]{0,10}$",
    re.IGNORECASE,
)


def find_money(text: str, taken: list[tuple[int, int]] | None = None) -> list[Money]:
    """Amounts of money in the text, in order: totals and unit prices."""
    occupied = taken if taken is not None else []
    found: list[Money] = []
    for match in _MONEY.finditer(text):
        if any(match.start() < end and start < match.end() for start, end in occupied):
            continue
        number, multiplier = match.group("n"), match.group("x") or ""
        has_currency = bool(match.group("c") or match.group("cb"))
        if re.fullmatch(r"[A-Za-z\s]+", number) and not multiplier:
            continue  # "a", "few": English number words count only as "fifty thousand"
        # The words before, within the same clause ("budget's like 30k", not a budget
        # named in an earlier sentence).
        before = re.split(r"[，,。；;！!？?\n]", text[max(0, match.start() - 20) : match.start()])[
            -1
        ]
        after = text[match.end() : match.end() + 16]
        if not has_currency:
            near_budget = _BUDGET_WORD.search(before) or re.match(
                r"\s*(?:以内|以下|之内|左右|封顶|上限|的预算|预算|budget)", after, re.IGNORECASE
            )
            if not near_budget:
                continue
            # A bare Chinese numeral after "不超过" is money only with a multiplier
            # ("不超过两万"), not "不超过三个".
            bare = not multiplier and not re.fullmatch(r"[\d,]+(?:\.\d+)?", number)
            if bare and not re.search(r"[千万百亿]", number):
                continue
            if re.match(r"\s*(?:%|％|个|人|天|周|月|年|小时|次|家|台|张|套|GB|TB|名)", after):
                continue
        if _NOT_SPENDING.search(before):
            continue
        amount = parse_number(number, multiplier)
        if amount is None or amount <= 0:
            continue
        if match.group("lo") and not multiplier and match.group("lx"):
            amount = parse_number(number, match.group("lx")) or amount
        per_unit = bool(_PER_UNIT.match(after) or _PER_UNIT_BEFORE.search(before))
        occupied.append((match.start(), match.end()))
        found.append(
            Money(plain(amount), per_unit, match.start(), match.end(), match.group(0).strip())
        )
    return found
