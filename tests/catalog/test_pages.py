"""The catalog pages as a user walks them: public browsing, publishing, review, needs."""

from __future__ import annotations

from typing import Any

import pytest

from synergy_hub.catalog.models import OpennessList
from synergy_hub.catalog.vocabulary import ListState
from tests import factories
from tests.conftest import World
from tests.pages import client_for, published_gpu_list


@pytest.fixture
def published(world: World) -> OpennessList:
    return published_gpu_list(world)


@pytest.mark.parametrize("path", ["/", "/lists/"])
def test_public_pages_in_both_languages(published: OpennessList, path: str) -> None:
    zh = client_for().get(path)
    en = client_for(language="en").get(path)
    assert zh.status_code == en.status_code == 200
    assert b'<html lang="zh-hans">' in zh.content and b'<html lang="en">' in en.content


def test_home_shows_programme_targets_and_lists(published: OpennessList) -> None:
    page = client_for(language="en").get("/").content.decode()
    assert "Platform A openness list" in page
    assert "≥ 100" in page and "≥ 60" in page and "≥ 10" in page
    assert "Innovation collaboration" in page


def test_resource_page_says_what_to_whom_how(published: OpennessList) -> None:
    resource = published.resources.first()
    page = client_for(language="en").get(f"/resources/{resource.pk}/").content.decode()
    for text in ("GPU pool", "¥12.00", "¥9.60", "−20%", "Platform A", "1000"):
        assert text in page


def test_list_page_query_count_does_not_grow_with_rows(
    published: OpennessList, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(12):
        client_for().get(f"/lists/{published.pk}/")


def test_operator_publishing_pages(world: World) -> None:
    client = client_for(world.alice)
    response = client.post(
        "/workspace/lists/new/", {"batch": world.batch.pk, "title_zh": "甲平台清单"}
    )
    the_list = OpennessList.objects.get()
    assert response.status_code == 302 and response.url == f"/workspace/lists/{the_list.pk}/"
    form = factories.resource_payload()
    form["regions"] = ["330000"]
    form["keywords"] = "检测, testing"
    response = client.post(f"/workspace/lists/{the_list.pk}/resources/new/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    bad = client.post(
        f"/workspace/lists/{the_list.pk}/resources/new/",
        {**form, "price": "", "access_mode": "paid"},
    )
    assert bad.status_code == 200 and 'data-field="price"' in bad.content.decode()
    client.post(f"/workspace/lists/{the_list.pk}/submit/")
    the_list.refresh_from_db()
    assert the_list.state == ListState.SUBMITTED and the_list.resources.count() == 1


def test_officer_review_pages(world: World, published: OpennessList) -> None:
    submitted = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.SUBMITTED
    )
    factories.resource(submitted)
    client = client_for(world.officer)
    assert "开放清单".encode() in client.get("/workspace/review/").content
    client.post(f"/workspace/review/{submitted.pk}/start_review/")
    client.post(f"/workspace/review/{submitted.pk}/return/", {"reasons": "请补充价格"})
    submitted.refresh_from_db()
    assert submitted.state == ListState.RETURNED and submitted.return_reasons == "请补充价格"


def test_pages_refuse_wrong_roles_and_other_organisations(world: World) -> None:
    draft = factories.openness_list(world.platform_a, world.batch, world.alice)
    assert client_for(world.sam).get("/workspace/lists/").status_code == 403
    assert client_for(world.alice).get("/workspace/review/").status_code == 403
    assert client_for(world.charlie).get(f"/workspace/lists/{draft.pk}/").status_code == 404
    assert client_for(world.charlie).get(f"/lists/{draft.pk}/").status_code == 404
    assert client_for(world.alice).get("/workspace/needs/").status_code == 403
    assert client_for().get("/workspace/").status_code == 302


def test_sme_records_a_need(world: World) -> None:
    sam = client_for(world.sam, "en")
    response = sam.post(
        "/workspace/needs/new/",
        {"title": "Need GPU", "description": "200 GPU-hours", "resource_types": ["compute"]},
    )
    assert response.status_code == 302
    assert b"Need GPU" in sam.get("/workspace/needs/").content
