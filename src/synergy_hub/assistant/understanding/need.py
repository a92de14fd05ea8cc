"""The structured need the assistant reads from a problem statement, shown to the user to confirm."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True)
class Quantity:
    """An amount with its unit, e.g. 500 GPU-hours; ``unit`` is a catalog ``Unit`` value."""

    amount: Decimal
    unit: str
    source_text: str = ""


@dataclass(frozen=True)
class UnderstoodNeed:
    """What the assistant understood; every field may be empty, none is guessed without evidence.

    ``resource_types`` are catalog ``ResourceType`` values, ``region_codes`` GB/T 2260 codes
    (most specific first), ``industry_codes`` GB/T 4754 codes, ``budget_max_yuan`` the upper
    bound in yuan, ``wanted_from``/``wanted_until`` the time frame, ``deadline`` a hard date,
    ``certifications`` named schemes (CE, CCC, FCC, ISO 9001 …), ``constraints`` other
    conditions in the user's words, ``query`` the text to search the catalog with, and
    ``evidence`` maps each filled field to the words it was read from.
    ``unit_price_max_yuan`` is a ceiling on the price per unit ("每卡时不超过10元"), and
    ``price_preference`` is "lower" when the user asked for cheaper offers ("便宜点").
    """

    resource_types: tuple[str, ...] = ()
    region_codes: tuple[str, ...] = ()
    industry_codes: tuple[str, ...] = ()
    budget_max_yuan: Decimal | None = None
    wanted_from: date | None = None
    wanted_until: date | None = None
    deadline: date | None = None
    quantities: tuple[Quantity, ...] = ()
    certifications: tuple[str, ...] = ()
    constraints: tuple[str, ...] = ()
    query: str = ""
    language: str = ""
    evidence: dict[str, str] = field(default_factory=dict)
    unit_price_max_yuan: Decimal | None = None
    price_preference: str = ""
