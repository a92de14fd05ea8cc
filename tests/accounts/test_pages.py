"""The account pages: logging in, signing up with the computed size class, form errors."""

from __future__ import annotations

import pytest

from synergy_hub.catalog.models import OpennessList
from tests.conftest import World
from tests.factories import signup_payload
from tests.pages import client_for, published_gpu_list


@pytest.fixture
def published(world: World) -> OpennessList:
    return published_gpu_list(world)


@pytest.mark.parametrize("path", ["/login/", "/signup/"])
def test_public_pages_in_both_languages(published: OpennessList, path: str) -> None:
    zh = client_for().get(path)
    en = client_for(language="en").get(path)
    assert zh.status_code == en.status_code == 200
    assert b'<html lang="zh-hans">' in zh.content and b'<html lang="en">' in en.content


def test_sme_signs_up_and_sees_size_class(world: World) -> None:
    client = client_for(language="en")
    data = signup_payload(email="new@example.org", uscc="914403001922038216", region="440300")
    response = client.post("/signup/", data)
    assert response.status_code == 302
    page = client.get("/workspace/organisation/").content.decode()
    assert "Medium" in page and "Awaiting approval" in page
    bad = client.post("/signup/", {**data, "uscc": "91330100799655058C"})
    assert bad.status_code in (200, 302)


def test_signup_form_shows_the_uscc_error(db: None) -> None:
    response = client_for(language="en").post(
        "/signup/", signup_payload(uscc="91330100799655058C", region="330100")
    )
    page = response.content.decode()
    assert response.status_code == 200 and 'data-field="uscc"' in page and "check character" in page
