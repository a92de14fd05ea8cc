"""The account pages: logging in, signing up with the computed size class, form errors."""

from __future__ import annotations

import pytest

from synergy_hub.accounts import services
from synergy_hub.accounts.models import User
from synergy_hub.accounts.services import authenticate_token, create_api_token
from synergy_hub.catalog.models import OpennessList
from tests.conftest import World
from tests.factories import signup_payload
from tests.pages import client_for, published_gpu_list
from tests.permissions import LOGIN, assert_page_refused


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
    assert response.status_code == 302 and response["Location"] == "/login/"
    client.force_login(User.objects.get(email="new@example.org"))
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


# --- who is refused (the personas of tests/conftest.py) ------------------------------------


@pytest.mark.parametrize(
    "path", ["/workspace/organisation/", "/workspace/tokens/", "/workspace/organisations/"]
)
def test_account_pages_send_visitors_to_log_in(world: World, path: str) -> None:
    assert_page_refused(world, "GET", path, anonymous=LOGIN)


def test_only_officers_see_and_decide_sign_ups(world: World) -> None:
    _owner, org = services.register_organisation(signup_payload())
    refused = {
        "sme_a": 403,
        "platform_operator": 403,
        "platform_viewer": 403,
        "other_platform": 403,
        "provider": 403,
    }
    assert_page_refused(world, "GET", "/workspace/organisations/", anonymous=LOGIN, **refused)
    assert_page_refused(
        world, "POST", f"/workspace/organisations/{org.pk}/approve/", anonymous=LOGIN, **refused
    )
    assert_page_refused(
        world,
        "POST",
        f"/workspace/organisations/{org.pk}/reject/",
        {"reason": "证照不符"},
        **refused,
    )
    org.refresh_from_db()
    assert org.status == "pending"
    page = client_for(world.officer, "en").get("/workspace/organisations/")
    assert page.status_code == 200 and org.name in page.content.decode()


def test_the_profile_form_saves_for_administrators_only(world: World) -> None:
    """Editors and viewers read their organisation's profile; saving it is refused."""
    org = world.platform_a
    form = {
        "name_zh": org.name_zh,
        "uscc": org.uscc,
        "region": org.region_id,
        "industry": org.industry_id,
        "employees": 1,
        "revenue": "100",
    }
    assert client_for(world.bob).get("/workspace/organisation/").status_code == 200
    assert_page_refused(
        world,
        "POST",
        "/workspace/organisation/",
        form,
        platform_operator=403,
        platform_viewer=403,
    )
    org.refresh_from_db()
    assert org.employees == 500


def test_a_token_is_revoked_from_the_page_by_its_owner_only(world: World) -> None:
    token, secret = create_api_token(world.alice, "ERP sync")
    assert_page_refused(
        world,
        "POST",
        f"/workspace/tokens/{token.pk}/revoke/",
        anonymous=LOGIN,
        platform_viewer=404,
        other_platform=404,
        officer=404,
    )
    assert authenticate_token(secret) == token
    assert client_for(world.alice).post(f"/workspace/tokens/{token.pk}/revoke/").status_code == 302
    assert authenticate_token(secret) is None
