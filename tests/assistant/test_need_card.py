"""A need stored as JSON reads back the same; a corrected card is held to the vocabularies."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from synergy_hub.assistant.editing import need_from_card
from synergy_hub.assistant.need_json import need_from_json, need_to_json
from synergy_hub.assistant.understanding.need import Quantity, UnderstoodNeed


def test_a_need_survives_json() -> None:
    need = UnderstoodNeed(
        resource_types=("compute", "dataset"),
        region_codes=("330200",),
        industry_codes=("C",),
        budget_max_yuan=Decimal("50000"),
        wanted_from=date(2027, 1, 1),
        wanted_until=date(2027, 1, 31),
        quantities=(Quantity(Decimal("500"), "gpu_hour", "500卡时"),),
        certifications=("CE",),
        query="GPU 算力",
        language="zh",
        evidence={"budget_max_yuan": "5万"},
        price_preference="lower",
    )
    assert need_from_json(need_to_json(need)) == need
    assert need_from_json({}) is None
    assert need_from_json({"wanted_from": "not a date", "query": "x"}) == UnderstoodNeed(query="x")


def test_a_corrected_card_becomes_the_need() -> None:
    need = need_from_card(
        {
            "resource_types": ["testing_certification"],
            "region_codes": ["330000"],
            "industry_codes": ["C"],
            "budget_max_yuan": Decimal("20000"),
            "quantities": [{"amount": Decimal(3), "unit": "test_slot"}],
            "certifications": ["CE", " "],
            "query": " CE 检测 ",
        }
    )
    assert need.resource_types == ("testing_certification",)
    assert need.quantities == (Quantity(Decimal(3), "test_slot"),)
    assert need.certifications == ("CE",) and need.query == "CE 检测"


@pytest.mark.parametrize(
    ("card", "field"),
    [
        ({"resource_types": ["rockets"]}, "resource_types"),
        ({"region_codes": ["123456"]}, "region_codes"),
        ({"industry_codes": ["ZZ"]}, "industry_codes"),
        ({"quantities": [{"amount": 1, "unit": "barrel"}]}, "quantities"),
        (
            {"wanted_from": date(2027, 2, 1), "wanted_until": date(2027, 1, 1)},
            "wanted_until",
        ),
    ],
)
def test_a_card_breaking_a_rule_is_refused_naming_the_field(
    card: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        need_from_card(card)
    assert field in refused.value.message_dict
