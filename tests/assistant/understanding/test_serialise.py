"""A need survives being stored as JSON and read back."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from synergy_hub.assistant.understanding.need import UnderstoodNeed
from synergy_hub.assistant.understanding.pipeline import understand
from synergy_hub.assistant.understanding.serialise import need_from_data, need_to_data

TODAY = date(2026, 12, 7)


def test_a_need_round_trips_through_json() -> None:
    need = understand(
        "宁波的五金厂，下个月要做CE认证，预算2万，大概4个样品，每个不超过3000元，便宜点",
        today=TODAY,
    )
    data = json.loads(json.dumps(need_to_data(need)))
    assert data["budget_max_yuan"] == "20000"
    assert data["wanted_from"] == "2027-01-01"
    assert need_from_data(data) == need


def test_missing_and_unknown_keys_take_defaults() -> None:
    need = need_from_data({"resource_types": ["compute"], "budget_max_yuan": 5000, "later": 1})
    assert need == UnderstoodNeed(resource_types=("compute",), budget_max_yuan=Decimal(5000))
    assert need_from_data({}) == UnderstoodNeed()


def test_a_stored_need_is_a_follow_up_s_previous() -> None:
    stored = need_to_data(understand("need CE testing in Ningbo", today=TODAY))
    then = understand("只要浙江的", previous=need_from_data(stored), today=TODAY)
    assert then.region_codes == ("330000",)
    assert then.resource_types == ("testing_certification",)
