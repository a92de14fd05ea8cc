"""Money (budgets and unit prices) and quantities with catalog units."""

from __future__ import annotations

from decimal import Decimal

import pytest

from synergy_hub.assistant.understanding.amounts import find_money, find_quantities


def _budget(text: str) -> list[tuple[Decimal, bool]]:
    return [(money.amount, money.per_unit) for money in find_money(text)]


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("预算8万以内", 80000),
        ("花费别超过6千块", 6000),
        ("¥12,000", 12000),
        ("￥3000", 3000),
        ("30k RMB", 30000),
        ("RMB 45,000", 45000),
        ("15万元", 150000),
        ("不超过三万", 30000),
        ("预算大概一万五", 15000),
        ("budget of 9,000 yuan", 9000),
        ("we can spend up to 70k", 70000),
        ("预算2到4万", 40000),
        ("预算3万到5万", 50000),
        ("fifty thousand yuan", 50000),
        ("预算2w", 20000),
    ],
)
def test_money_reads_the_upper_bound_in_yuan(text: str, amount: int) -> None:
    assert _budget(text) == [(Decimal(amount), False)]


@pytest.mark.parametrize(
    "text",
    [
        "我们有50个员工",
        "年营收3000万元",
        "不超过三个人",
        "annual revenue 20 million yuan",
        "a budget-friendly lab",
        "预算一般",
    ],
)
def test_numbers_that_are_not_what_the_firm_can_spend_are_not_money(text: str) -> None:
    assert _budget(text) == []


def test_a_price_per_unit_is_not_a_budget() -> None:
    assert _budget("每卡时不超过12元") == [(Decimal(12), True)]
    assert _budget("20元/小时以内") == [(Decimal(20), True)]
    assert _budget("at most 15 yuan per GPU-hour") == [(Decimal(15), True)]


@pytest.mark.parametrize(
    ("text", "amount", "unit"),
    [
        ("大概600卡时", 600, "gpu_hour"),
        ("需要1200 GPU-hours", 1200, "gpu_hour"),
        ("三万核时", 30000, "core_hour"),
        ("80,000 core hours", 80000, "core_hour"),
        ("每月50万次调用", 500000, "api_call"),
        ("2 million API calls", 2000000, "api_call"),
        ("500万token", 5000, "kilotoken"),
        ("300k tokens", 300, "kilotoken"),
        ("下载20次", None, None),
        ("实验室用3天", 3, "lab_day"),
        ("4 lab days", 4, "lab_day"),
        ("50机时", 50, "equipment_hour"),
        ("30 machine hours", 30, "equipment_hour"),
        ("送检6个样品", 6, "test_slot"),
        ("8个账号", 8, "seat"),
        ("25 seats", 25, "seat"),
        ("12个名额", 12, "participant"),
        ("training for 40 staff", 40, "participant"),
        ("发200单", 200, "service_case"),
    ],
)
def test_quantities_read_with_their_catalog_unit(
    text: str, amount: int | None, unit: str | None
) -> None:
    found = [(q.amount, q.unit) for q in find_quantities(text)]
    assert found == ([] if amount is None else [(Decimal(amount), unit)])


def test_quantities_hide_their_numbers_from_money() -> None:
    taken: list[tuple[int, int]] = []
    text = "预算内需要500卡时"
    assert [q.unit for q in find_quantities(text, taken)] == ["gpu_hour"]
    assert find_money(text, taken) == []


def test_gpu_hours_said_the_other_way_round() -> None:
    assert [(q.amount, q.unit) for q in find_quantities("需要200个小时的GPU")] == [
        (Decimal(200), "gpu_hour")
    ]
    assert [(q.amount, q.unit) for q in find_quantities("GPUs for 300 hours")] == [
        (Decimal(300), "gpu_hour")
    ]
