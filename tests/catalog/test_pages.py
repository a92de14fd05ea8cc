"""The catalog pages as a user walks them: public browsing, publishing, review, needs."""

from __future__ import annotations

import re
from typing import Any

import pytest

from synergy_hub.catalog.forms import ResourceForm
from synergy_hub.catalog.models import OpennessList
from synergy_hub.catalog.vocabulary import ListState
from tests import factories
from tests.conftest import World
from tests.pages import client_for, published_gpu_list
from tests.permissions import LOGIN, assert_page_refused


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
    for text in ("GPU pool", "¥12.00", "¥9.60", "SME −20%", "Platform A", "1,000"):
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


# --- who is refused (the personas of tests/conftest.py) ------------------------------------

#: Platform A's list pages for everyone but its editors: other organisations find no such
#: list (404), visitors are sent to log in.
OUTSIDERS = {
    "anonymous": LOGIN,
    "other_platform": 404,
    "provider": 404,
    "sme_a": 404,
    "officer": 404,
}


def test_publishing_pages_are_for_publishers_editors(world: World) -> None:
    assert client_for(world.lena).get("/workspace/lists/new/").status_code == 200
    for path in ("/workspace/lists/", "/workspace/lists/new/"):
        assert_page_refused(
            world, "GET", path, anonymous=LOGIN, sme_a=403, platform_viewer=403, officer=403
        )


def test_another_organisations_list_pages_answer_404(world: World) -> None:
    draft = factories.openness_list(world.platform_a, world.batch, world.alice)
    resource = factories.resource(draft)
    for path in (
        f"/workspace/lists/{draft.pk}/",
        f"/workspace/lists/{draft.pk}/resources/new/",
        f"/workspace/resources/{resource.pk}/",
    ):
        assert_page_refused(world, "GET", path, **OUTSIDERS)
    for path in (
        f"/workspace/lists/{draft.pk}/submit/",
        f"/workspace/lists/{draft.pk}/new-version/",
        f"/workspace/resources/{resource.pk}/remove/",
    ):
        assert_page_refused(world, "POST", path, **OUTSIDERS)
    assert draft.resources.count() == 1


def test_the_publishers_viewer_reads_the_list_but_cannot_change_it(world: World) -> None:
    draft = factories.openness_list(world.platform_a, world.batch, world.alice)
    resource = factories.resource(draft)
    assert client_for(world.bob).get(f"/workspace/lists/{draft.pk}/").status_code == 200
    form = factories.resource_payload()
    form["regions"] = ["330000"]
    form["keywords"] = "检测, testing"
    for path, data in (
        (f"/workspace/lists/{draft.pk}/", {"title_zh": "改"}),
        (f"/workspace/lists/{draft.pk}/resources/new/", form),
        (f"/workspace/resources/{resource.pk}/", form),
        (f"/workspace/resources/{resource.pk}/remove/", None),
        (f"/workspace/lists/{draft.pk}/submit/", None),
    ):
        assert_page_refused(world, "POST", path, data, platform_viewer=403)
    draft.refresh_from_db()
    assert draft.title_zh == "开放清单" and draft.state == ListState.DRAFT
    assert list(draft.resources.all()) == [resource]


def test_review_pages_are_the_officers_alone(world: World) -> None:
    submitted = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.SUBMITTED
    )
    factories.resource(submitted)
    not_officers = {
        "sme_a": 404,
        "platform_operator": 404,
        "platform_viewer": 404,
        "other_platform": 404,
        "provider": 404,
    }
    assert_page_refused(
        world,
        "GET",
        "/workspace/review/",
        anonymous=LOGIN,
        **{persona: 403 for persona in not_officers},
    )
    assert_page_refused(
        world, "GET", f"/workspace/review/{submitted.pk}/", anonymous=LOGIN, **not_officers
    )
    for action in ("start_review", "publish", "return"):
        assert_page_refused(
            world,
            "POST",
            f"/workspace/review/{submitted.pk}/{action}/",
            {"reasons": "No"},
            anonymous=LOGIN,
            **not_officers,
        )
    submitted.refresh_from_db()
    assert submitted.state == ListState.SUBMITTED


def test_need_pages_are_for_the_smes_own_needs(world: World) -> None:
    need = factories.need(world.sme, world.sam)
    for path in ("/workspace/needs/", "/workspace/needs/new/"):
        assert_page_refused(
            world,
            "GET",
            path,
            anonymous=LOGIN,
            platform_operator=403,
            provider=403,
            officer=403,
        )
    assert_page_refused(
        world,
        "GET",
        f"/workspace/needs/{need.pk}/",
        anonymous=LOGIN,
        sme_b=404,
        platform_operator=404,
        officer=404,
    )
    assert_page_refused(
        world,
        "POST",
        f"/workspace/needs/{need.pk}/",
        {"title": "mine now", "description": "y", "status": "open"},
        sme_b=404,
    )
    need.refresh_from_db()
    assert need.title == "需要GPU算力"


def test_public_pages_hide_what_is_not_published_like_what_is_missing(world: World) -> None:
    draft = factories.openness_list(world.platform_a, world.batch, world.alice)
    resource = factories.resource(draft)
    pending = factories.organisation(status="pending")
    hidden = {"anonymous": 404, "other_platform": 404, "provider": 404, "sme_a": 404}
    for path in (
        f"/lists/{draft.pk}/",
        f"/resources/{resource.pk}/",
        f"/organisations/{pending.pk}/",
    ):
        assert_page_refused(world, "GET", path, **hidden)
    assert client_for(world.officer).get(f"/organisations/{pending.pk}/").status_code == 200


def test_resource_form_is_grouped_in_steps_with_pickers(world: World) -> None:
    """Every field sits in exactly one step; regions and industries are marked for the
    hierarchical picker and stay native multi-selects with grouped options without script."""
    draft = factories.openness_list(world.platform_a, world.batch, world.alice)
    page = client_for(world.alice, "en").get(f"/workspace/lists/{draft.pk}/resources/new/")
    html = page.content.decode()
    form = ResourceForm()
    stepped = [name for _title, names in ResourceForm.STEPS for name in names]
    assert sorted(stepped) == sorted(form.fields) and len(stepped) == len(set(stepped))
    for number in range(1, len(ResourceForm.STEPS) + 1):
        assert f'data-testid="step-{number}"' in html
    for name in ("regions", "industries"):
        select = re.search(rf'<select name="{name}"[^>]*>', html)
        assert select and "multiple" in select.group(0) and "data-picker" in select.group(0)
    assert "<optgroup" in html and "web/picker.js" in html
    assert 'data-field-wrap="price"' in html  # hidden by CSS for free access modes
