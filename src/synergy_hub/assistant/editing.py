"""The "what I understood" card as the user corrected it, checked field by field.

The page's form and the API's `need` both come here, so a corrected need is held to the
same vocabularies as the reading: catalog resource types and units, GB/T 2260 regions,
GB/T 4754 industries, an ordered time frame.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from synergy_hub.assistant.understanding.need import Quantity, UnderstoodNeed
from synergy_hub.catalog.vocabulary import ResourceType, Unit
from synergy_hub.eligibility import industries, regions
from synergy_hub.validation import FieldErrors


def _codes(
    errors: FieldErrors, field: str, values: Any, valid: Any, message: str
) -> tuple[str, ...]:
    out = []
    for value in values or ():
        code = str(value).strip()
        if not code:
            continue
        if not valid(code):
            errors.add(field, message % {"value": code}, "invalid_choice")
        else:
            out.append(code)
    return tuple(dict.fromkeys(out))


def need_from_card(data: dict[str, Any]) -> UnderstoodNeed:
    """A need from corrected fields; ValidationError naming each field that breaks a rule."""
    errors = FieldErrors()
    types = _codes(
        errors,
        "resource_types",
        data.get("resource_types"),
        lambda code: code in ResourceType.values,
        _("“%(value)s” is not a resource type."),
    )
    region_codes = _codes(
        errors,
        "region_codes",
        data.get("region_codes"),
        regions.is_valid_region,
        _("“%(value)s” is not an administrative division code (GB/T 2260)."),
    )
    industry_codes = _codes(
        errors,
        "industry_codes",
        data.get("industry_codes"),
        industries.is_valid_industry,
        _("“%(value)s” is not an industry code (GB/T 4754)."),
    )
    quantities = []
    for item in data.get("quantities") or ():
        unit = str(item.get("unit") or "")
        if unit not in Unit.values:
            errors.add(
                "quantities", _("“%(value)s” is not a unit.") % {"value": unit}, "invalid_choice"
            )
            continue
        quantities.append(Quantity(amount=Decimal(str(item["amount"])), unit=unit))
    wanted_from, wanted_until = data.get("wanted_from"), data.get("wanted_until")
    if wanted_from and wanted_until and wanted_until < wanted_from:
        errors.add(
            "wanted_until",
            _("The end of the time frame must not be before its start."),
            "before_start",
        )
    errors.raise_if_any()
    budget = data.get("budget_max_yuan")
    certifications = tuple(
        str(c).strip()[:40] for c in data.get("certifications") or () if str(c).strip()
    )
    return UnderstoodNeed(
        resource_types=types,
        region_codes=region_codes,
        industry_codes=industry_codes,
        budget_max_yuan=Decimal(str(budget)) if budget is not None else None,
        wanted_from=wanted_from,
        wanted_until=wanted_until,
        deadline=data.get("deadline"),
        quantities=tuple(quantities),
        certifications=certifications,
        query=str(data.get("query") or "").strip()[:500],
        evidence={"source": "edited"},
    )
