"""Enterprise size class (大型/中型/小型/微型) by the national SME classification standard.

Thresholds: 《中小企业划型标准规定》(工信部联企业〔2011〕300号), as the National Bureau of
Statistics applies them to GB/T 4754-2017 industries in 《统计上大中小微型企业划分办法(2017)》
(国统字〔2017〕213号). Its rule: large, medium and small must each reach *every* lower bound
of their row, otherwise the enterprise drops one class; micro needs only one metric below
the small bounds.

Units are the standard's: employees (从业人员) in persons at the end of the period;
operating revenue (营业收入) and total assets (资产总额) in 10,000 CNY (万元).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple

from synergy_hub.eligibility.industries import get_industry

__all__ = [
    "METRIC_EMPLOYEES",
    "METRIC_REVENUE",
    "METRIC_TOTAL_ASSETS",
    "RULE_NON_NEGATIVE",
    "RULE_NOT_COVERED",
    "RULE_REQUIRED",
    "RULE_UNKNOWN_INDUSTRY",
    "THRESHOLDS",
    "LowerBounds",
    "SizeCategory",
    "SizeClass",
    "SizeClassError",
    "classify",
    "required_metrics",
    "size_category_for_industry",
]

METRIC_EMPLOYEES = "employees"
METRIC_REVENUE = "revenue"
METRIC_TOTAL_ASSETS = "total_assets"
_METRIC_ORDER = (METRIC_EMPLOYEES, METRIC_REVENUE, METRIC_TOTAL_ASSETS)

RULE_REQUIRED = "required"
RULE_NON_NEGATIVE = "non_negative"
RULE_UNKNOWN_INDUSTRY = "unknown_industry"
# A real GB/T 4754 code that the standard does not size (finance has its own standard).
RULE_NOT_COVERED = "not_covered"

# Field named in industry errors: the form and model field that holds the code.
_INDUSTRY_FIELD = "industry"


class SizeClass(StrEnum):
    """The four enterprise size classes of the standard."""

    LARGE = "large"
    MEDIUM = "medium"
    SMALL = "small"
    MICRO = "micro"

    @property
    def name_zh(self) -> str:
        """Return the class's Chinese name (大型, 中型, 小型, 微型)."""
        return _SIZE_CLASS_ZH[self]


_SIZE_CLASS_ZH = {
    SizeClass.LARGE: "大型",
    SizeClass.MEDIUM: "中型",
    SizeClass.SMALL: "小型",
    SizeClass.MICRO: "微型",
}


class SizeCategory(StrEnum):
    """The rows of the standard's table: industries that share one set of thresholds."""

    AGRICULTURE = "agriculture"
    INDUSTRY = "industry"
    CONSTRUCTION = "construction"
    WHOLESALE = "wholesale"
    RETAIL = "retail"
    TRANSPORT = "transport"
    WAREHOUSING = "warehousing"
    POSTAL = "postal"
    ACCOMMODATION = "accommodation"
    CATERING = "catering"
    INFORMATION_TRANSMISSION = "information_transmission"
    SOFTWARE_AND_IT_SERVICES = "software_and_it_services"
    REAL_ESTATE_DEVELOPMENT = "real_estate_development"
    PROPERTY_MANAGEMENT = "property_management"
    LEASING_AND_BUSINESS_SERVICES = "leasing_and_business_services"
    OTHER = "other"

    @property
    def name_zh(self) -> str:
        """Return the row's name as the standard prints it."""
        return _CATEGORY_ZH[self]


_CATEGORY_ZH = {
    SizeCategory.AGRICULTURE: "农、林、牧、渔业",
    SizeCategory.INDUSTRY: "工业",
    SizeCategory.CONSTRUCTION: "建筑业",
    SizeCategory.WHOLESALE: "批发业",
    SizeCategory.RETAIL: "零售业",
    SizeCategory.TRANSPORT: "交通运输业",
    SizeCategory.WAREHOUSING: "仓储业",
    SizeCategory.POSTAL: "邮政业",
    SizeCategory.ACCOMMODATION: "住宿业",
    SizeCategory.CATERING: "餐饮业",
    SizeCategory.INFORMATION_TRANSMISSION: "信息传输业",
    SizeCategory.SOFTWARE_AND_IT_SERVICES: "软件和信息技术服务业",
    SizeCategory.REAL_ESTATE_DEVELOPMENT: "房地产开发经营",
    SizeCategory.PROPERTY_MANAGEMENT: "物业管理",
    SizeCategory.LEASING_AND_BUSINESS_SERVICES: "租赁和商务服务业",
    SizeCategory.OTHER: "其他未列明行业",
}


class LowerBounds(NamedTuple):
    """The lowest value of one metric that still counts as large, medium or small."""

    large: int
    medium: int
    small: int


# The standard's table, row by row: metric → lower bounds (persons, or 10,000 CNY).
THRESHOLDS: Mapping[SizeCategory, Mapping[str, LowerBounds]] = {
    SizeCategory.AGRICULTURE: {METRIC_REVENUE: LowerBounds(20000, 500, 50)},
    SizeCategory.INDUSTRY: {
        METRIC_EMPLOYEES: LowerBounds(1000, 300, 20),
        METRIC_REVENUE: LowerBounds(40000, 2000, 300),
    },
    SizeCategory.CONSTRUCTION: {
        METRIC_REVENUE: LowerBounds(80000, 6000, 300),
        METRIC_TOTAL_ASSETS: LowerBounds(80000, 5000, 300),
    },
    SizeCategory.WHOLESALE: {
        METRIC_EMPLOYEES: LowerBounds(200, 20, 5),
        METRIC_REVENUE: LowerBounds(40000, 5000, 1000),
    },
    SizeCategory.RETAIL: {
        METRIC_EMPLOYEES: LowerBounds(300, 50, 10),
        METRIC_REVENUE: LowerBounds(20000, 500, 100),
    },
    SizeCategory.TRANSPORT: {
        METRIC_EMPLOYEES: LowerBounds(1000, 300, 20),
        METRIC_REVENUE: LowerBounds(30000, 3000, 200),
    },
    SizeCategory.WAREHOUSING: {
        METRIC_EMPLOYEES: LowerBounds(200, 100, 20),
        METRIC_REVENUE: LowerBounds(30000, 1000, 100),
    },
    SizeCategory.POSTAL: {
        METRIC_EMPLOYEES: LowerBounds(1000, 300, 20),
        METRIC_REVENUE: LowerBounds(30000, 2000, 100),
    },
    SizeCategory.ACCOMMODATION: {
        METRIC_EMPLOYEES: LowerBounds(300, 100, 10),
        METRIC_REVENUE: LowerBounds(10000, 2000, 100),
    },
    SizeCategory.CATERING: {
        METRIC_EMPLOYEES: LowerBounds(300, 100, 10),
        METRIC_REVENUE: LowerBounds(10000, 2000, 100),
    },
    SizeCategory.INFORMATION_TRANSMISSION: {
        METRIC_EMPLOYEES: LowerBounds(2000, 100, 10),
        METRIC_REVENUE: LowerBounds(100000, 1000, 100),
    },
    SizeCategory.SOFTWARE_AND_IT_SERVICES: {
        METRIC_EMPLOYEES: LowerBounds(300, 100, 10),
        METRIC_REVENUE: LowerBounds(10000, 1000, 50),
    },
    SizeCategory.REAL_ESTATE_DEVELOPMENT: {
        METRIC_REVENUE: LowerBounds(200000, 1000, 100),
        METRIC_TOTAL_ASSETS: LowerBounds(10000, 5000, 2000),
    },
    SizeCategory.PROPERTY_MANAGEMENT: {
        METRIC_EMPLOYEES: LowerBounds(1000, 300, 100),
        METRIC_REVENUE: LowerBounds(5000, 1000, 500),
    },
    SizeCategory.LEASING_AND_BUSINESS_SERVICES: {
        METRIC_EMPLOYEES: LowerBounds(300, 100, 10),
        METRIC_TOTAL_ASSETS: LowerBounds(120000, 8000, 100),
    },
    SizeCategory.OTHER: {METRIC_EMPLOYEES: LowerBounds(300, 100, 10)},
}

# GB/T 4754-2017 division → row, from the notes to the 2017 method's table. Divisions 59
# (split between 装卸搬运 and 仓储) and 70 (房地产业) are refined by their group in
# `_category_of_division`; None marks divisions outside the standard's scope.
_DIVISION_RANGES: tuple[tuple[int, int, SizeCategory | None], ...] = (
    (1, 5, SizeCategory.AGRICULTURE),
    (6, 46, SizeCategory.INDUSTRY),  # 采矿业, 制造业, 电力热力燃气及水生产和供应业
    (47, 50, SizeCategory.CONSTRUCTION),
    (51, 51, SizeCategory.WHOLESALE),
    (52, 52, SizeCategory.RETAIL),
    (53, 53, None),  # 铁路运输业: excluded from 交通运输业 and from the standard
    (54, 58, SizeCategory.TRANSPORT),  # road, water, air, pipeline, multimodal and agency
    (59, 59, SizeCategory.WAREHOUSING),
    (60, 60, SizeCategory.POSTAL),
    (61, 61, SizeCategory.ACCOMMODATION),
    (62, 62, SizeCategory.CATERING),
    (63, 64, SizeCategory.INFORMATION_TRANSMISSION),  # telecoms/broadcasting, internet
    (65, 65, SizeCategory.SOFTWARE_AND_IT_SERVICES),
    (66, 69, None),  # 金融业: 《金融业企业划型标准规定》(银发〔2015〕309号) applies instead
    (70, 70, SizeCategory.OTHER),
    (71, 72, SizeCategory.LEASING_AND_BUSINESS_SERVICES),
    (73, 82, SizeCategory.OTHER),  # sections M, N, O
    (83, 84, None),  # 教育, 卫生: outside the 2017 method's scope
    (85, 85, SizeCategory.OTHER),  # 社会工作, the one division of Q that is in scope
    (86, 90, SizeCategory.OTHER),  # section R
    (91, 97, None),  # public administration and international organisations
)

# Section letters that name a single row; F, G, H, I and Q span several rows and need a
# division code, while J, P, S and T are wholly outside the standard.
_SECTION_CATEGORIES: Mapping[str, SizeCategory | None] = {
    "A": SizeCategory.AGRICULTURE,
    "B": SizeCategory.INDUSTRY,
    "C": SizeCategory.INDUSTRY,
    "D": SizeCategory.INDUSTRY,
    "E": SizeCategory.CONSTRUCTION,
    "J": None,
    "K": SizeCategory.OTHER,
    "L": SizeCategory.LEASING_AND_BUSINESS_SERVICES,
    "M": SizeCategory.OTHER,
    "N": SizeCategory.OTHER,
    "O": SizeCategory.OTHER,
    "P": None,
    "R": SizeCategory.OTHER,
    "S": None,
    "T": None,
}


class SizeClassError(ValueError):
    """Input that cannot be classified; `field` names the input, `rule` the broken rule."""

    def __init__(self, field: str, rule: str, message: str) -> None:
        super().__init__(f"{field}: {rule}: {message}")
        self.field = field
        self.rule = rule


def _not_covered(code: str) -> SizeClassError:
    return SizeClassError(
        _INDUSTRY_FIELD,
        RULE_NOT_COVERED,
        f"industry {code!r} is outside the scope of the SME size classification standard",
    )


def _unknown(code: str, reason: str) -> SizeClassError:
    return SizeClassError(_INDUSTRY_FIELD, RULE_UNKNOWN_INDUSTRY, f"{code!r}: {reason}")


def _category_of_division(code: str, digits: str) -> SizeCategory:
    division = int(digits[:2])
    if division == 59 and digits[2:3] == "1":
        # Group 591 装卸搬运 belongs to 交通运输业; groups 592-599 are 仓储业.
        return SizeCategory.TRANSPORT
    if division == 70:
        # Only groups 701 (房地产开发经营) and 702 (物业管理) have rows of their own.
        if digits[2:3] == "1":
            return SizeCategory.REAL_ESTATE_DEVELOPMENT
        if digits[2:3] == "2":
            return SizeCategory.PROPERTY_MANAGEMENT
    for first, last, category in _DIVISION_RANGES:
        if first <= division <= last:
            if category is None:
                raise _not_covered(code)
            return category
    raise _unknown(code, "not a GB/T 4754-2017 division")  # pragma: no cover - table is total


def size_category_for_industry(industry_code: str) -> SizeCategory:
    """Return the row of the standard that applies to a GB/T 4754-2017 section or code."""
    code = industry_code.strip().upper()
    if len(code) == 1:
        if get_industry(code) is None:
            raise _unknown(code, "not a GB/T 4754-2017 section")
        if code not in _SECTION_CATEGORIES:
            raise _unknown(code, "the section spans several rows of the standard; give a division")
        category = _SECTION_CATEGORIES[code]
        if category is None:
            raise _not_covered(code)
        return category
    # Codes are often written with their section letter ("C3911"); it must agree.
    letter, digits = (code[0], code[1:]) if code[:1].isalpha() else ("", code)
    if not (2 <= len(digits) <= 4 and digits.isascii() and digits.isdigit()):
        raise _unknown(code, "expected a section letter or a 2-4 digit code")
    division = get_industry(digits[:2])
    if division is None:
        raise _unknown(code, "not a GB/T 4754-2017 division")
    if letter and letter != division.section:
        raise _unknown(code, f"division {digits[:2]} belongs to section {division.section}")
    return _category_of_division(code, digits)


def required_metrics(category: SizeCategory) -> frozenset[str]:
    """Return which of "employees", "revenue" and "total_assets" the row needs."""
    return frozenset(THRESHOLDS[category])


def _checked(field: str, value: int | Decimal | None, required: bool) -> Decimal | None:
    if value is None:
        if required:
            raise SizeClassError(field, RULE_REQUIRED, f"{field} is needed for this industry")
        return None
    amount = Decimal(value)
    # NaN and infinity would make every comparison meaningless, so they count as invalid too.
    if not amount.is_finite() or amount < 0:
        raise SizeClassError(
            field, RULE_NON_NEGATIVE, f"expected a finite number of at least 0, found {value}"
        )
    return amount


def metrics_needed(industry_code: str) -> frozenset[str]:
    """The figures the size rule of an industry needs (raises SizeClassError as `classify`)."""
    return frozenset(THRESHOLDS[size_category_for_industry(industry_code)])


def metrics_most_rules_need() -> frozenset[str]:
    """The figures that most industries' size rules need (employees and operating revenue).

    Asked while the industry is not known yet, so a form can ask for them in the same round
    as its other errors instead of after the industry is chosen (decision 0027).
    """
    counts: dict[str, int] = {}
    for bounds in THRESHOLDS.values():
        for metric in bounds:
            counts[metric] = counts.get(metric, 0) + 1
    return frozenset(metric for metric, n in counts.items() if 2 * n > len(THRESHOLDS))


def classify(
    industry_code: str,
    employees: int | None,
    revenue: Decimal | None,
    total_assets: Decimal | None = None,
) -> SizeClass:
    """Return the size class of an enterprise from its industry code and metrics (money in 万元)."""
    category = size_category_for_industry(industry_code)
    bounds = THRESHOLDS[category]
    given = {
        METRIC_EMPLOYEES: employees,
        METRIC_REVENUE: revenue,
        METRIC_TOTAL_ASSETS: total_assets,
    }
    values: dict[str, Decimal] = {}
    for metric in _METRIC_ORDER:
        amount = _checked(metric, given[metric], required=metric in bounds)
        if amount is not None:
            values[metric] = amount
    # Each class must reach every lower bound of its row; failing one drops a class.
    for tier, size in enumerate((SizeClass.LARGE, SizeClass.MEDIUM, SizeClass.SMALL)):
        if all(values[metric] >= limits[tier] for metric, limits in bounds.items()):
            return size
    return SizeClass.MICRO
