"""POST /tiers/evaluate (nothing stored) and one's own kept evaluations."""

from __future__ import annotations

from typing import Any

from synergy_hub.tiers import services
from synergy_hub.tiers.models import IndicatorYear, TierEvaluation
from tests.conftest import Api, World
from tests.permissions import assert_api_refused
from tests.tiers.test_services import SRDI_2024, SRDI_2025, enter_srdi_sme


def _payload(**now: Any) -> dict[str, Any]:
    return {
        "year": 2025,
        "rule_set": "cn-2022",
        "years": [{"year": 2024, **SRDI_2024}, {"year": 2025, **SRDI_2025, **now}],
    }


def test_evaluate_answers_the_tier_the_breakdown_and_the_path(world: World) -> None:
    status, body = Api().post(
        "/tiers/evaluate", _payload(rd_spend="2.16"), headers={"Accept-Language": "en"}
    )
    assert status == 200, body
    assert body["tier"] == "innovative_sme" and body["next_tier"] == "srdi_sme"
    [block] = body["blocking"]
    assert block["indicator"] == "rd_intensity"
    assert block["shortfall"] == "0.6"
    assert block["text"] == "R&D intensity 2.4 %: 0.6 percentage points short of 3 %"
    assert not IndicatorYear.objects.exists() and not TierEvaluation.objects.exists()


def test_evaluate_in_chinese(world: World) -> None:
    status, body = Api().post(
        "/tiers/evaluate", _payload(rd_spend="2.16"), headers={"Accept-Language": "zh-hans"}
    )
    assert status == 200
    assert body["tier_label"] == "创新型中小企业"
    assert "研发投入强度" in body["blocking"][0]["text"]


def test_missing_indicators_answer_unknown_with_what_to_enter(world: World) -> None:
    status, body = Api().post(
        "/tiers/evaluate", {"year": 2025, "years": [{"year": 2025, "revenue": "10"}]}
    )
    assert status == 200
    assert body["status"] == "unknown" and body["tier"] is None
    assert {"indicator": "revenue", "year": 2024} in [
        {k: m[k] for k in ("indicator", "year")} for m in body["to_enter"]
    ]


def test_bounded_inputs_are_refused_naming_the_field(world: World) -> None:
    cases = [
        ({"year": 2025, "years": [{"year": 2025, "debt_to_asset": "-1"}]}, "debt_to_asset"),
        (
            {"year": 2025, "years": [{"year": 2025, "main_business_share": "101"}]},
            "main_business_share",
        ),
        ({"year": 1500, "years": [{"year": 2025}]}, "year"),
        ({"year": 2025, "years": [{"year": 2025, "ip_level": "best"}]}, "ip_level"),
        ({"year": 2025, "rule_set": "cn-1999", "years": [{"year": 2025}]}, "rule_set"),
        ({"year": 2025, "years": [{"year": 2024}]}, "year"),
        ({"year": 2025, "years": [{"year": 2025}, {"year": 2025}]}, "year"),
        ({"year": 2025, "years": [{"year": 2000 + n} for n in range(11)]}, "years"),
    ]
    for body, field in cases:
        status, answer = Api().post("/tiers/evaluate", body)
        assert status == 422, (body, answer)
        named = [str(item["loc"][-1]).split(".")[-1] for item in answer["detail"]]
        assert field in named, (field, answer)


def test_kept_evaluations_are_listed_for_the_own_organisation_only(world: World) -> None:
    enter_srdi_sme(world)
    kept = services.keep_evaluation(world.sam, 2025, "cn-2022")
    status, body = Api(world.sam).get("/tiers/evaluations")
    assert status == 200 and [item["id"] for item in body] == [kept.pk]
    assert body[0]["evaluation"]["tier"] == "srdi_sme"
    status, body = Api(world.sam).get(f"/tiers/evaluations/{kept.pk}")
    assert status == 200 and body["id"] == kept.pk
    status, body = Api(world.sid).get("/tiers/evaluations")
    assert status == 200 and body == []
    assert_api_refused(
        world,
        "GET",
        f"/tiers/evaluations/{kept.pk}",
        sme_b=404,
        platform_operator=404,
        anonymous=401,
    )
