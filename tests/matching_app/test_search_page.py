"""The resource search page: filters, ranked words, htmx updates, query count."""

from __future__ import annotations

from typing import Any

import pytest

from synergy_hub.catalog.models import OpennessList
from tests.conftest import World
from tests.pages import client_for, published_gpu_list


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
