"""The matching pages: the resource search page (filters, ranked words, htmx updates, query
count), a need's matches and the exposure report, and who may see them.
"""

from __future__ import annotations

from typing import Any

import pytest

from synergy_hub.catalog.models import OpennessList
from tests import factories
from tests.conftest import World
from tests.pages import client_for, published_gpu_list
from tests.permissions import LOGIN, assert_page_refused


@pytest.fixture
def published(world: World) -> OpennessList:
    return published_gpu_list(world)


@pytest.mark.parametrize("path", ["/resources/", "/resources/?q=GPU&type=compute&region=330100"])
def test_public_pages_in_both_languages(published: OpennessList, path: str) -> None:
    zh = client_for().get(path)
    en = client_for(language="en").get(path)
    assert zh.status_code == en.status_code == 200
    assert b'<html lang="zh-hans">' in zh.content and b'<html lang="en">' in en.content


def test_catalog_page_query_count_does_not_grow_with_rows(
    published: OpennessList, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(12):
        client_for().get("/resources/")


def test_htmx_filter_returns_only_the_results(published: OpennessList) -> None:
    response = client_for().get("/resources/?type=compute", headers={"HX-Request": "true"})
    assert b"<html" not in response.content and b"GPU" in response.content


def test_a_page_beyond_the_ranked_end_shows_the_last_ranked_page(published: OpennessList) -> None:
    """Page 50,000 of a search is not a search a million results deep: it is page 50."""
    response = client_for(language="en").get("/resources/?q=GPU&page=50000")
    assert response.status_code == 200
    assert b'data-testid="ranked-end"' in response.content
    assert b"first 1000 results" in response.content
    assert response.context["outcome"].items == []  # 12 results: page 50 is past them
    normal = client_for(language="en").get("/resources/?q=GPU&page=1")
    assert b'data-testid="ranked-end"' not in normal.content


def test_an_anonymous_search_says_results_need_a_sign_in(
    world: World, published: OpennessList
) -> None:
    from tests import factories

    factories.resource(published, title_en="GPU for SRDI SMEs", eligible_tiers=["srdi"])
    anonymous = client_for(language="en").get("/resources/?q=GPU")
    assert anonymous.content.count(b'data-testid="sign-in-to-confirm"') == 1
    assert b"GPU for SRDI SMEs" in anonymous.content
    # Signed in as an SME without a tier, the resource is not shown at all.
    signed_in = client_for(world.sam, language="en").get("/resources/?q=GPU")
    assert b"GPU for SRDI SMEs" not in signed_in.content
    assert b'data-testid="sign-in-to-confirm"' not in signed_in.content


def test_a_profile_without_a_size_class_is_told_to_complete_it(
    world: World, published: OpennessList
) -> None:
    from tests import factories

    factories.resource(published, title_en="GPU for small firms", eligible_size_classes=["small"])
    world.sme.size_class = ""
    world.sme.save(update_fields=["size_class"])
    page = client_for(world.sam, language="en").get("/resources/?q=GPU")
    assert page.content.count(b'data-testid="eligibility-unconfirmed"') == 1
    assert b"size class is not known yet" in page.content


# --- who is refused (the personas of tests/conftest.py) ------------------------------------


def test_a_needs_matches_page_is_its_smes_alone(world: World, published: OpennessList) -> None:
    need = factories.need(world.sme, world.sam)
    path = f"/workspace/needs/{need.pk}/matches/"
    assert client_for(world.sam).get(path).status_code == 200
    assert_page_refused(
        world,
        "GET",
        path,
        anonymous=LOGIN,
        sme_b=404,
        platform_operator=404,
        provider=404,
        officer=404,
    )


def test_the_exposure_page_is_the_officers_alone(world: World) -> None:
    assert_page_refused(
        world,
        "GET",
        "/workspace/exposure/",
        anonymous=LOGIN,
        sme_a=403,
        platform_operator=403,
        platform_viewer=403,
        provider=403,
    )
