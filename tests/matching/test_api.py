"""The matching API: the resource listing, search with explanations, a need's matches, the
ranking disclosure and the exposure report (and the pages that show the same)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from synergy_hub.catalog.models import OpennessList
from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.matching.models import RankingConfiguration
from tests import factories
from tests.conftest import World
from tests.openapi import error_fields
from tests.pages import published_gpu_and_dataset
from tests.permissions import assert_api_refused


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


# --- /resources: the plain catalog listing (served here, listed under catalog in the schema) ---


@pytest.fixture
def gpu_and_dataset(world: World) -> OpennessList:
    return published_gpu_and_dataset(world)


def test_resources_are_paginated_with_count(api_as: Any, gpu_and_dataset: OpennessList) -> None:
    status, body = api_as().get("/resources?limit=1")
    assert status == 200 and body["count"] == 2 and len(body["items"]) == 1
    item = body["items"][0]
    assert item["publisher"]["name_zh"] == "甲平台" and item["batch"] == 1
    assert item["sme_price"] == "9.60"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=dataset", 1),
        ("type=compute", 1),
        ("batch=1", 2),
        ("batch=2", 0),
        ("access_mode=open", 1),
        ("region=330100", 2),  # city inside a served province, and a nationwide one
        ("region=110000", 1),  # only the nationwide dataset
        ("industry=39", 2),  # a division in section C, plus the all-industries dataset
        ("industry=A", 1),
        ("q=数据", 1),
        ("q=gpu", 1),
        ("q=%27%3B%20DROP%20TABLE%20catalog_resource%3B--", 0),
    ],
)
def test_resource_filters(
    api_as: Any, gpu_and_dataset: OpennessList, query: str, expected: int
) -> None:
    status, body = api_as().get(f"/resources?{query}")
    assert status == 200 and body["count"] == expected


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("type=spaceship", "type"),
        ("batch=9", "batch"),
        ("region=999999", "region"),
        ("industry=ZZ", "industry"),
        ("access_mode=free", "access_mode"),
        ("q=" + "x" * 600, "q"),
    ],
)
def test_unknown_filter_values_are_refused_naming_the_filter(
    api_as: Any, gpu_and_dataset: OpennessList, query: str, field: str
) -> None:
    status, body = api_as().get(f"/resources?{query}")
    assert status == 422 and field in error_fields(body)


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
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(world.officer)
    response = client.get("/workspace/exposure/")
    assert response.status_code == 200
    page = response.content.decode()
    # The chart's table holds both shares of the one group, in percent (all of it: 100%).
    assert 'data-testid="exposure-chart"' in page and 'data-chart-max="100"' in page
    assert page.count('<td data-value="100">100%</td>') == 2
    client.force_login(world.alice)
    assert client.get("/workspace/exposure/").status_code == 403


def test_catalog_page_ranks_and_explains(published: OpennessList) -> None:
    page = Client(headers={"Accept-Language": "en"}).get("/resources/?q=GPU").content.decode()
    assert "Why this ranks here" in page and "GPU computing pool" in page


# --- who is refused (the personas of tests/conftest.py) ------------------------------------


def test_only_the_officer_changes_the_ranking_and_reads_the_exposure_report(
    api_as: Any, world: World
) -> None:
    weights = {"relevance": 0.5, "eligibility_fit": 0.5}
    not_officers = {
        "anonymous": 401,
        "sme_a": 403,
        "platform_operator": 403,
        "platform_viewer": 403,
        "provider": 403,
    }
    assert_api_refused(
        world, "POST", "/ranking", {"version": "2027-1", "weights": weights}, **not_officers
    )
    assert_api_refused(world, "GET", "/exposure-report", **not_officers)
    assert not RankingConfiguration.objects.exists()


def test_a_needs_matches_are_its_smes_alone(
    api_as: Any, world: World, published: OpennessList
) -> None:
    need = factories.need(world.sme, world.sam)
    assert_api_refused(
        world,
        "GET",
        f"/needs/{need.pk}/matches",
        anonymous=401,
        sme_b=404,
        platform_operator=404,
        provider=404,
        officer=404,
    )
