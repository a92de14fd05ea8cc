"""Enterprise size class by the 2011 standard as applied in the 2017 statistical method."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from synergy_hub.accounts.size_class import (
    THRESHOLDS,
    SizeCategory,
    SizeClass,
    SizeClassError,
    classify,
    required_metrics,
    size_category_for_industry,
)
from synergy_hub.eligibility.industries import divisions

C = SizeCategory
E, R, A = "employees", "revenue", "total_assets"

# The table of 《统计上大中小微型企业划分办法(2017)》, written out again independently of the
# module: category → (an industry code of that row, {metric: (large, medium, small)}).
TABLE: dict[SizeCategory, tuple[str, dict[str, tuple[int, int, int]]]] = {
    C.AGRICULTURE: ("01", {R: (20000, 500, 50)}),
    C.INDUSTRY: ("39", {E: (1000, 300, 20), R: (40000, 2000, 300)}),
    C.CONSTRUCTION: ("47", {R: (80000, 6000, 300), A: (80000, 5000, 300)}),
    C.WHOLESALE: ("51", {E: (200, 20, 5), R: (40000, 5000, 1000)}),
    C.RETAIL: ("52", {E: (300, 50, 10), R: (20000, 500, 100)}),
    C.TRANSPORT: ("54", {E: (1000, 300, 20), R: (30000, 3000, 200)}),
    C.WAREHOUSING: ("5920", {E: (200, 100, 20), R: (30000, 1000, 100)}),
    C.POSTAL: ("60", {E: (1000, 300, 20), R: (30000, 2000, 100)}),
    C.ACCOMMODATION: ("61", {E: (300, 100, 10), R: (10000, 2000, 100)}),
    C.CATERING: ("62", {E: (300, 100, 10), R: (10000, 2000, 100)}),
    C.INFORMATION_TRANSMISSION: ("64", {E: (2000, 100, 10), R: (100000, 1000, 100)}),
    C.SOFTWARE_AND_IT_SERVICES: ("65", {E: (300, 100, 10), R: (10000, 1000, 50)}),
    C.REAL_ESTATE_DEVELOPMENT: ("7010", {R: (200000, 1000, 100), A: (10000, 5000, 2000)}),
    C.PROPERTY_MANAGEMENT: ("7020", {E: (1000, 300, 100), R: (5000, 1000, 500)}),
    C.LEASING_AND_BUSINESS_SERVICES: ("72", {E: (300, 100, 10), A: (120000, 8000, 100)}),
    C.OTHER: ("73", {E: (300, 100, 10)}),
}
TIERS = (SizeClass.LARGE, SizeClass.MEDIUM, SizeClass.SMALL)
BELOW = {
    SizeClass.LARGE: SizeClass.MEDIUM,
    SizeClass.MEDIUM: SizeClass.SMALL,
    SizeClass.SMALL: SizeClass.MICRO,
}


def _run(code: str, metrics: dict[str, Decimal | int]) -> SizeClass:
    employees = metrics.get(E)
    revenue = metrics.get(R)
    assets = metrics.get(A)
    return classify(
        code,
        None if employees is None else int(employees),
        None if revenue is None else Decimal(revenue),
        None if assets is None else Decimal(assets),
    )


def _just_below(metric: str, bound: int) -> Decimal | int:
    # Head counts are whole persons; money is compared to the fen (0.01 of 10,000 CNY is 100 CNY).
    return bound - 1 if metric == E else Decimal(bound) - Decimal("0.01")


def test_the_table_has_every_row_of_the_standard() -> None:
    assert set(TABLE) == set(SizeCategory)
    assert {category: {m: tuple(b) for m, b in THRESHOLDS[category].items()} for category in C} == {
        category: bounds for category, (_, bounds) in TABLE.items()
    }


@pytest.mark.parametrize("category", list(SizeCategory))
def test_required_metrics(category: SizeCategory) -> None:
    assert required_metrics(category) == frozenset(TABLE[category][1])
    assert size_category_for_industry(TABLE[category][0]) is category


BOUNDARY_CASES = [
    (category, tier, metric)
    for category, (_, bounds) in TABLE.items()
    for tier in range(3)
    for metric in bounds
]


@pytest.mark.parametrize(("category", "tier", "metric"), BOUNDARY_CASES)
def test_boundaries_on_both_sides(category: SizeCategory, tier: int, metric: str) -> None:
    code, bounds = TABLE[category]
    at_bounds: dict[str, Decimal | int] = {m: b[tier] for m, b in bounds.items()}
    # Exactly on every lower bound of the class: the class itself.
    assert _run(code, at_bounds) is TIERS[tier]
    # One metric just below its bound, the others on theirs: one class down.
    below = {**at_bounds, metric: _just_below(metric, bounds[metric][tier])}
    assert _run(code, below) is BELOW[TIERS[tier]]


@pytest.mark.parametrize("category", list(SizeCategory))
def test_zero_is_micro(category: SizeCategory) -> None:
    code, bounds = TABLE[category]
    assert _run(code, dict.fromkeys(bounds, 0)) is SizeClass.MICRO


@pytest.mark.parametrize(
    ("employees", "revenue", "expected"),
    [
        (5000, 100, SizeClass.MICRO),  # large head count, micro revenue: micro
        (19, 10**6, SizeClass.MICRO),  # micro needs only one metric below
        (1000, 39999, SizeClass.MEDIUM),  # large needs both bounds
        (999, 40000, SizeClass.MEDIUM),
        (299, 10**6, SizeClass.SMALL),
        (10**6, 1999, SizeClass.SMALL),
        (1000, 40000, SizeClass.LARGE),
    ],
)
def test_every_bound_of_a_class_must_be_met(
    employees: int, revenue: int, expected: SizeClass
) -> None:
    assert classify("C", employees, Decimal(revenue)) is expected


def test_one_metric_rows_ignore_other_metrics() -> None:
    assert classify("01", None, Decimal(20000)) is SizeClass.LARGE
    assert classify("01", 1, Decimal(20000), Decimal(0)) is SizeClass.LARGE
    assert classify("73", 300, None) is SizeClass.LARGE
    assert classify("73", 300, Decimal(0), Decimal(0)) is SizeClass.LARGE


def test_revenue_may_be_fractional() -> None:
    assert classify("65", 50, Decimal("49.99")) is SizeClass.MICRO
    assert classify("65", 50, Decimal("50.00")) is SizeClass.SMALL


@pytest.mark.parametrize(
    ("code", "employees", "revenue", "assets", "field"),
    [
        ("39", None, Decimal(1), None, E),
        ("39", 1, None, None, R),
        ("47", None, Decimal(1), None, A),
        ("47", None, None, Decimal(1), R),
        ("01", 5, None, None, R),
        ("72", 5, Decimal(1), None, A),
        ("73", None, Decimal(1), Decimal(1), E),
        ("7010", 5, Decimal(1), None, A),
    ],
)
def test_missing_required_metric(
    code: str, employees: int | None, revenue: Decimal | None, assets: Decimal | None, field: str
) -> None:
    with pytest.raises(SizeClassError) as caught:
        classify(code, employees, revenue, assets)
    assert (caught.value.field, caught.value.rule) == (field, "required")


@pytest.mark.parametrize(
    ("employees", "revenue", "assets", "field"),
    [
        (-1, Decimal(1), None, E),
        (1, Decimal("-0.01"), None, R),
        (1, Decimal(1), Decimal(-5), A),  # checked even where the row does not use it
        (1, Decimal("NaN"), None, R),
        (1, Decimal("Infinity"), None, R),
    ],
)
def test_negative_or_non_finite_metric(
    employees: int, revenue: Decimal, assets: Decimal | None, field: str
) -> None:
    with pytest.raises(SizeClassError) as caught:
        classify("39", employees, revenue, assets)
    assert (caught.value.field, caught.value.rule) == (field, "non_negative")
    assert isinstance(caught.value, ValueError)


# Division → row, per the notes of the 2017 method (None: outside the standard).
EXPECTED_DIVISIONS: dict[range, SizeCategory | None] = {
    range(1, 6): C.AGRICULTURE,
    range(6, 47): C.INDUSTRY,
    range(47, 51): C.CONSTRUCTION,
    range(51, 52): C.WHOLESALE,
    range(52, 53): C.RETAIL,
    range(53, 54): None,
    range(54, 59): C.TRANSPORT,
    range(59, 60): C.WAREHOUSING,
    range(60, 61): C.POSTAL,
    range(61, 62): C.ACCOMMODATION,
    range(62, 63): C.CATERING,
    range(63, 65): C.INFORMATION_TRANSMISSION,
    range(65, 66): C.SOFTWARE_AND_IT_SERVICES,
    range(66, 70): None,
    range(70, 71): C.OTHER,
    range(71, 73): C.LEASING_AND_BUSINESS_SERVICES,
    range(73, 83): C.OTHER,
    range(83, 85): None,
    range(85, 91): C.OTHER,
    range(91, 98): None,
}


@pytest.mark.parametrize("division", [industry.code for industry in divisions()])
def test_every_division_maps_or_is_marked_out_of_scope(division: str) -> None:
    expected = next(cat for span, cat in EXPECTED_DIVISIONS.items() if int(division) in span)
    if expected is None:
        with pytest.raises(SizeClassError) as caught:
            size_category_for_industry(division)
        assert (caught.value.field, caught.value.rule) == ("industry", "not_covered")
    else:
        assert size_category_for_industry(division) is expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("A", C.AGRICULTURE),
        ("b", C.INDUSTRY),
        ("C", C.INDUSTRY),
        ("D", C.INDUSTRY),
        ("E", C.CONSTRUCTION),
        ("K", C.OTHER),
        ("L", C.LEASING_AND_BUSINESS_SERVICES),
        ("M", C.OTHER),
        ("N", C.OTHER),
        ("O", C.OTHER),
        ("R", C.OTHER),
        ("591", C.TRANSPORT),  # 装卸搬运
        ("5910", C.TRANSPORT),
        ("592", C.WAREHOUSING),  # 通用仓储
        ("5990", C.WAREHOUSING),
        ("701", C.REAL_ESTATE_DEVELOPMENT),
        ("7010", C.REAL_ESTATE_DEVELOPMENT),
        ("702", C.PROPERTY_MANAGEMENT),
        ("7020", C.PROPERTY_MANAGEMENT),
        ("7030", C.OTHER),  # 房地产中介服务
        ("7040", C.OTHER),
        ("7090", C.OTHER),
        ("8510", C.OTHER),  # 社会工作
        ("C3911", C.INDUSTRY),
        (" i6510 ", C.SOFTWARE_AND_IT_SERVICES),
        ("0511", C.AGRICULTURE),
        ("1120", C.INDUSTRY),  # 开采专业及辅助性活动
        ("4320", C.INDUSTRY),  # 修理
        ("5810", C.TRANSPORT),  # 多式联运
        ("6311", C.INFORMATION_TRANSMISSION),
        ("6421", C.INFORMATION_TRANSMISSION),
    ],
)
def test_industry_codes_map_to_rows(code: str, expected: SizeCategory) -> None:
    assert size_category_for_industry(code) is expected


@pytest.mark.parametrize("code", ["J", "P", "S", "T", "6610", "J66", "8411", "5311"])
def test_industries_outside_the_standard(code: str) -> None:
    with pytest.raises(SizeClassError) as caught:
        classify(code, 10, Decimal(10), Decimal(10))
    assert (caught.value.field, caught.value.rule) == ("industry", "not_covered")


@pytest.mark.parametrize(
    "code",
    [
        "",
        " ",
        "U",
        "Z",
        "F",
        "G",
        "H",
        "I",
        "Q",
        "00",
        "98",
        "1",
        "65101",
        "C65",
        "６５",
        "6a",
        "--",
    ],
)
def test_unknown_or_ambiguous_industry(code: str) -> None:
    with pytest.raises(SizeClassError) as caught:
        classify(code, 10, Decimal(10), Decimal(10))
    assert (caught.value.field, caught.value.rule) == ("industry", "unknown_industry")


def test_industry_is_checked_before_metrics() -> None:
    with pytest.raises(SizeClassError) as caught:
        classify("98", None, None)
    assert caught.value.rule == "unknown_industry"


def test_chinese_names() -> None:
    assert [size.name_zh for size in SizeClass] == ["大型", "中型", "小型", "微型"]
    assert C.OTHER.name_zh == "其他未列明行业"
    assert C.REAL_ESTATE_DEVELOPMENT.name_zh == "房地产开发经营"


_RANK = {SizeClass.MICRO: 0, SizeClass.SMALL: 1, SizeClass.MEDIUM: 2, SizeClass.LARGE: 3}
_AMOUNT = st.integers(min_value=0, max_value=300_000)


@given(
    category=st.sampled_from(list(SizeCategory)),
    employees=_AMOUNT,
    revenue=_AMOUNT,
    assets=_AMOUNT,
    metric=st.sampled_from([E, R, A]),
    increase=st.integers(min_value=1, max_value=300_000),
)
def test_more_of_a_metric_never_gives_a_smaller_class(
    category: SizeCategory, employees: int, revenue: int, assets: int, metric: str, increase: int
) -> None:
    code = TABLE[category][0]
    before: dict[str, Decimal | int] = {E: employees, R: revenue, A: assets}
    after = {**before, metric: before[metric] + increase}
    assert _RANK[_run(code, after)] >= _RANK[_run(code, before)]
