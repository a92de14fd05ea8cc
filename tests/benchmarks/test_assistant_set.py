"""The assistant's evaluation set is well formed, and the benchmark scores fields as documented."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from benchmarks.assistant import Row, acceptable, field_results, in_split, load_set

from synergy_hub.assistant.understanding.lexicon import RESOURCE_TYPES
from synergy_hub.assistant.understanding.need import Quantity, UnderstoodNeed
from synergy_hub.catalog.vocabulary import Unit
from synergy_hub.eligibility.industries import get_industry
from synergy_hub.eligibility.regions import is_valid_region


def test_the_set_is_large_bilingual_split_and_uses_real_codes() -> None:
    data = load_set()
    statements = data["statements"]
    assert len(statements) >= 150
    assert {item["lang"] for item in statements} == {"zh", "en", "mixed"}
    assert len({item["id"] for item in statements}) == len(statements)
    assert len({item["text"] for item in statements}) == len(statements)
    test = in_split(statements, "test")
    assert len(statements) / 4 < len(test) < len(statements) / 2
    for item in statements:
        expect = item["expect"]
        assert set(expect["types"]) <= set(RESOURCE_TYPES), item["id"]
        assert expect["region"] is None or is_valid_region(expect["region"]), item["id"]
        assert all(get_industry(code) is not None for code in expect["industries"]), item["id"]
        assert all(unit in Unit.values for _amount, unit in expect["quantities"]), item["id"]
        assert item["acceptable"], item["id"]
        assert all(rule["type"] in RESOURCE_TYPES for rule in item["acceptable"]), item["id"]
        if expect["time_frame"]:
            for key in ("from", "until", "deadline"):
                value = expect["time_frame"][key]
                assert value is None or date.fromisoformat(value), item["id"]
    assert len(data["follow_ups"]) >= 10


def test_fields_count_as_right_only_when_equal_empty_included() -> None:
    expect = {
        "types": ["compute"],
        "region": None,
        "industries": [],
        "budget_max_yuan": 20000,
        "time_frame": None,
        "quantities": [[500, "gpu_hour"]],
    }
    need = UnderstoodNeed(
        resource_types=("compute",),
        region_codes=("330200",),
        budget_max_yuan=Decimal(20000),
        quantities=(Quantity(Decimal(500), "gpu_hour"),),
    )
    assert field_results(need, expect) == {
        "types": True,
        "region": False,  # a region read where the statement names none is wrong
        "industry": True,
        "budget": True,
        "time_frame": True,
        "quantity": True,
    }


def test_acceptable_resources_follow_type_unit_keywords_and_region() -> None:
    rows = {
        "gpu-national": Row("gpu-national", "compute", "gpu_hour", frozenset(), "gpu pool"),
        "gpu-zj": Row("gpu-zj", "compute", "gpu_hour", frozenset({"330000"}), "gpu pool"),
        "gpu-gd": Row("gpu-gd", "compute", "gpu_hour", frozenset({"440000"}), "gpu pool"),
        "hpc": Row("hpc", "compute", "core_hour", frozenset(), "cfd cluster"),
        "lab": Row("lab", "laboratory", "lab_day", frozenset(), "中试 pilot"),
    }
    item = {
        "expect": {"region": "330200"},
        "acceptable": [
            {"type": "compute", "units": ["gpu_hour"]},
            {"type": "laboratory", "keywords": ["Pilot"]},
        ],
    }
    assert acceptable(item, rows) == {"gpu-national", "gpu-zj", "lab"}
