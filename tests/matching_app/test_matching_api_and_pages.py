"""Search, matches, the ranking disclosure and the exposure report over the API and pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from synergy_hub.catalog.models import OpennessList
from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.matching.models import RankingConfiguration
from tests import factories
from tests.conftest import World


@pytest.fixture
def published(world: World) -> OpennessList:
    the_list = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    factories.resource(the_list, title_en="GPU computing pool", title_zh="GPU算力资源池")
    factories.resource(
        the_list,
        resource_type="testing_certification",
        title_en="CE testing",
        title_zh="CE认证检测",
        description_en="CE marking",
        description_zh="CE认证",
        unit="test_slot",
    )
    return the_list


def test_search_explains_each_result(api_as: Any, published: OpennessList) -> None:
    status, body = api_as().get("/search?q=GPU%20算力")
    assert status == 200 and body["count"] >= 1
    first = body["items"][0]
    assert first["resource"]["title_en"] == "GPU computing pool"
    names = [p["name"] for p in first["explanation"]["parameters"]]
    assert names[0] == "relevance" and len(names) == 7
    status, body = api_as().get("/search?q=GPU&type=testing_certification")
    assert all(i["resource"]["resource_type"] == "testing_certification" for i in body["items"])


@pytest.mark.parametrize("query", ["", "%F0%9F%98%80", "x" * 400, "%27%20OR%201%3D1--"])
def test_odd_queries_are_answered(api_as: Any, published: OpennessList, query: str) -> None:
    status, _body = api_as().get(f"/search?q={query}")
    assert status == 200


def test_overlong_query_and_unknown_filters_are_refused(
    api_as: Any, published: OpennessList
) -> None:
    assert api_as().get("/search?q=" + "x" * 600)[0] == 422
    status, body = api_as().get("/search?q=GPU&region=123456")
    assert status == 422 and body["detail"][0]["loc"][-1] == "region"


@pytest.mark.parametrize("path", ["/search", "/resources"])
def test_a_search_a_million_results_deep_is_refused_naming_the_offset(
    api_as: Any, published: OpennessList, path: str
) -> None:
    status, body = api_as().get(f"{path}?q=算力&offset=999990&limit=50")
    assert status == 422
    assert [item["loc"][-1] for item in body["detail"]] == ["offset"]
    assert body["detail"][0]["type"] == "max_depth"
    assert "1000" in body["detail"][0]["msg"]
    # The deepest page a ranked search reaches is still answered.
    assert api_as().get(f"{path}?q=算力&offset=950&limit=50")[0] == 200


def test_ranked_pages_hold_at_most_a_hundred_results(api_as: Any, published: OpennessList) -> None:
    status, body = api_as().get("/resources?q=GPU&limit=500")
    assert status == 422 and body["detail"][0]["loc"][-1] == "limit"
    # A plain listing may go deep: it is one database query, not a ranking.
    assert api_as().get("/resources?offset=999990&limit=50") == (200, {"items": [], "count": 2})


def test_need_matches_are_private(api_as: Any, world: World, published: OpennessList) -> None:
    need = factories.need(
        world.sme,
        world.sam,
        title="CE认证",
        description="出口需要CE认证",
        resource_types=["testing_certification"],
    )
    status, body = api_as(world.sam).get(f"/needs/{need.pk}/matches")
    assert status == 200 and body["items"][0]["resource"]["title_en"] == "CE testing"
    assert api_as(world.sid).get(f"/needs/{need.pk}/matches")[0] == 404


def test_disclosure_follows_the_active_configuration(api_as: Any, world: World) -> None:
    status, body = api_as().get("/ranking")
    assert status == 200 and body["version"] == "default-1"
    assert "None" in body["paid_influence"] or "无" in body["paid_influence"]
    weights = {
        "relevance": 0.5,
        "eligibility_fit": 0.1,
        "region_proximity": 0.1,
        "price_fit": 0.1,
        "free_capacity": 0.1,
        "provider_track_record": 0.05,
        "freshness": 0.05,
    }
    assert api_as(world.alice).post("/ranking", {"version": "2027-1", "weights": weights})[0] == 403
    status, body = api_as(world.officer).post(
        "/ranking", {"version": "2027-1", "weights": {"relevance": 2}}
    )
    assert status == 422 and body["detail"][0]["loc"][-1] == "weights"
    status, body = api_as(world.officer).post("/ranking", {"version": "2027-1", "weights": weights})
    assert status == 201 and body["version"] == "2027-1"
    assert body["parameters"][0]["name"] == "relevance" and body["parameters"][0]["weight"] == 0.5
    assert RankingConfiguration.objects.get().created_by == world.officer
    page = Client(headers={"Accept-Language": "en"}).get("/how-ranking-works/").content.decode()
    assert "2027-1" in page and "50%" in page


def test_exposure_report_for_officers(api_as: Any, world: World, published: OpennessList) -> None:
    from synergy_hub.matching.services import search_resources

    for _ in range(3):
        search_resources("GPU")
    status, body = api_as(world.officer).get("/exposure-report")
    assert status == 200 and body["rankings"] == 3
    assert {row["key"] for row in body["groups"]} == {"large"}
    assert api_as(world.alice).get("/exposure-report")[0] == 403
    client = Client()
    client.force_login(world.officer)
    assert client.get("/workspace/exposure/").status_code == 200
    client.force_login(world.alice)
    assert client.get("/workspace/exposure/").status_code == 403


def test_catalog_page_ranks_and_explains(published: OpennessList) -> None:
    page = Client(headers={"Accept-Language": "en"}).get("/resources/?q=GPU").content.decode()
    assert "Why this ranks here" in page and "GPU computing pool" in page
