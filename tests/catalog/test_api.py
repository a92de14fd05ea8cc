"""The catalog API as a client sees it: schema-valid answers, workflow, refusals, bad input."""

from __future__ import annotations

from typing import Any

import pytest

from synergy_hub.catalog.models import OpennessList, Resource
from synergy_hub.catalog.vocabulary import ListState
from tests import factories
from tests.conftest import World
from tests.openapi import error_fields
from tests.pages import published_gpu_and_dataset
from tests.permissions import assert_api_refused


@pytest.fixture
def published(world: World) -> OpennessList:
    return published_gpu_and_dataset(world)


def test_drafts_are_invisible_to_others(api_as: Any, world: World) -> None:
    draft = factories.openness_list(world.platform_a, world.batch, world.alice)
    assert api_as(world.charlie).get(f"/lists/{draft.pk}")[0] == 404
    assert api_as().get(f"/lists/{draft.pk}")[0] == 404
    assert api_as(world.alice).get(f"/lists/{draft.pk}")[0] == 200
    assert api_as(world.officer).get(f"/lists/{draft.pk}")[0] == 200


def test_workflow_through_the_api(api_as: Any, world: World) -> None:
    alice, officer = api_as(world.alice), api_as(world.officer)
    status, created = alice.post("/lists", {"title_zh": "甲平台第一批开放清单"})
    assert status == 201 and created["state"] == "draft" and created["batch"] == 1
    list_id = created["id"]
    status, resource = alice.post(f"/lists/{list_id}/resources", factories.resource_payload())
    assert status == 201 and resource["regions"][0]["code"] == "330000"
    status, changed = alice.patch(f"/resources/{resource['id']}", {"price": "750.00"})
    assert (
        status == 200 and changed["price"] == "750.00" and changed["title_zh"] == "产品检验检测服务"
    )
    assert alice.post(f"/lists/{list_id}/submit")[1]["state"] == "submitted"
    status, queue = officer.get("/review-queue")
    assert [item["id"] for item in queue] == [list_id]
    assert officer.post(f"/lists/{list_id}/start-review")[1]["state"] == "under_review"
    status, body = officer.post(f"/lists/{list_id}/publish")
    assert status == 200 and body["state"] == "published"
    status, body = api_as().get("/resources")
    assert body["count"] == 1
    status, draft = alice.post(f"/lists/{list_id}/new-version")
    assert status == 201 and draft["version"] == 2 and draft["state"] == "draft"
    status, versions = alice.get(f"/lists/{draft['id']}/versions")
    assert [v["version"] for v in versions] == [2, 1]


def test_officer_returns_with_reasons(api_as: Any, world: World) -> None:
    alice, officer = api_as(world.alice), api_as(world.officer)
    list_id = alice.post("/lists", {"title_en": "A list"})[1]["id"]
    alice.post(f"/lists/{list_id}/resources", factories.resource_payload())
    alice.post(f"/lists/{list_id}/submit")
    status, body = officer.post(f"/lists/{list_id}/return", {"reasons": ""})
    assert status == 422 and "reasons" in error_fields(body)
    status, body = officer.post(f"/lists/{list_id}/return", {"reasons": "Please add prices."})
    assert (
        status == 200
        and body["state"] == "returned"
        and body["return_reasons"] == "Please add prices."
    )


def test_bad_input_is_refused_and_nothing_is_written(api_as: Any, world: World) -> None:
    alice = api_as(world.alice)
    list_id = alice.post("/lists", {"title_zh": "清单"})[1]["id"]
    status, body = alice.post(f"/lists/{list_id}/submit")
    assert status == 422 and "resources" in error_fields(body)  # submitting an empty list
    status, body = alice.post(
        f"/lists/{list_id}/resources", factories.resource_payload(description_zh="长" * 6000)
    )
    assert status == 422 and "description_zh" in error_fields(body)  # oversized text
    status, body = alice.post(
        f"/lists/{list_id}/resources", factories.resource_payload(price="-5", regions=["000001"])
    )
    assert status == 422 and {"price", "regions"} <= error_fields(body)
    status, body = alice.post(f"/lists/{list_id}/resources", {"price": "not a number"})
    assert status == 422 and "price" in error_fields(body)
    assert not Resource.objects.exists()
    status, body = alice.post("/lists", {"batch": 3, "title_zh": "x"})
    assert status == 422 and "batch" in error_fields(body)


def test_editing_a_published_version_is_refused(
    api_as: Any, world: World, published: OpennessList
) -> None:
    alice = api_as(world.alice)
    resource = published.resources.first()
    status, body = alice.patch(f"/resources/{resource.pk}", {"price": "1.00"})
    assert status == 422 and "state" in error_fields(body)
    status, body = alice.patch(f"/lists/{published.pk}", {"title_zh": "改"})
    assert status == 422
    resource.refresh_from_db()
    assert resource.price == 12


def test_wrong_role_and_other_organisation(api_as: Any, world: World) -> None:
    list_id = api_as(world.alice).post("/lists", {"title_zh": "清单"})[1]["id"]
    assert (
        api_as(world.charlie).post(f"/lists/{list_id}/resources", factories.resource_payload())[0]
        == 404
    )
    assert api_as(world.sam).post("/lists", {"title_zh": "x"})[0] == 403
    assert api_as(world.bob).post("/lists", {"title_zh": "x"})[0] == 403
    assert api_as(world.alice).post(f"/lists/{list_id}/publish")[0] == 404  # not an officer
    assert api_as().post("/lists", {"title_zh": "x"})[0] == 401


def test_needs_api(api_as: Any, world: World) -> None:
    sam = api_as(world.sam)
    status, need = sam.post(
        "/needs",
        {
            "title": "找检测机构",
            "description": "出口欧洲需要CE认证",
            "resource_types": ["testing_certification"],
        },
    )
    assert status == 201
    assert api_as(world.sid).get(f"/needs/{need['id']}")[0] == 404
    assert sam.patch(f"/needs/{need['id']}", {"status": "closed"})[1]["status"] == "closed"
    status, body = sam.post("/needs", {"title": "", "description": "x"})
    assert status == 422 and "title" in error_fields(body)
    assert api_as(world.alice).post("/needs", {"title": "x", "description": "y"})[0] == 403


def test_resource_list_query_count_does_not_grow_with_rows(
    api_as: Any, world: World, django_assert_max_num_queries: Any
) -> None:
    the_list = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    for n in range(30):
        factories.resource(the_list, title_en=f"Pool {n}", regions=["330000"], industries=["C"])
    client = api_as()
    with django_assert_max_num_queries(6):
        status, body = client.get("/resources?limit=50")
    assert status == 200 and body["count"] == 30
    with django_assert_max_num_queries(8):
        assert client.get(f"/lists/{the_list.pk}")[0] == 200


# --- who is refused (the personas of tests/conftest.py) ------------------------------------

#: How the workflow endpoints of platform A's list answer everyone but its editors: the
#: viewer is refused (403), other organisations find no such list (404).
NOT_THE_PUBLISHERS_EDITORS = {
    "anonymous": 401,
    "platform_viewer": 403,
    "other_platform": 404,
    "provider": 404,
    "sme_a": 404,
    "officer": 404,
}


def test_a_draft_changes_over_the_api_only_by_its_publishers_editors(
    api_as: Any, world: World
) -> None:
    alice = api_as(world.alice)
    list_id = alice.post("/lists", {"title_zh": "清单"})[1]["id"]
    resource_id = alice.post(f"/lists/{list_id}/resources", factories.resource_payload())[1]["id"]
    for method, path, body in (
        ("PATCH", f"/lists/{list_id}", {"title_en": "Taken"}),
        ("POST", f"/lists/{list_id}/resources", factories.resource_payload()),
        ("PATCH", f"/resources/{resource_id}", {"price": "1.00"}),
        ("DELETE", f"/resources/{resource_id}", None),
        ("POST", f"/lists/{list_id}/submit", None),
    ):
        assert_api_refused(world, method, path, body, **NOT_THE_PUBLISHERS_EDITORS)
    _status, body = alice.get(f"/lists/{list_id}")
    assert body["state"] == "draft" and body["title_en"] == ""
    assert [r["price"] for r in body["resources"]] == ["800.00"]


def test_a_new_version_over_the_api_only_by_the_publishers_editors(
    api_as: Any, world: World, published: OpennessList
) -> None:
    assert_api_refused(
        world, "POST", f"/lists/{published.pk}/new-version", **NOT_THE_PUBLISHERS_EDITORS
    )
    assert OpennessList.objects.count() == 1


def test_drafting_over_the_api_is_for_publishers_editors(api_as: Any, world: World) -> None:
    status, body = api_as(world.lena).post("/lists", {"title_zh": "检测实验室开放清单"})
    assert status == 201 and body["publisher"]["id"] == world.testing_lab.pk
    assert_api_refused(
        world,
        "POST",
        "/lists",
        {"title_zh": "x"},
        anonymous=401,
        sme_a=403,
        platform_viewer=403,
        officer=403,
    )


def test_the_review_is_the_officers_alone(api_as: Any, world: World) -> None:
    submitted = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.SUBMITTED
    )
    factories.resource(submitted)
    not_officers = {
        "anonymous": 401,
        "sme_a": 404,
        "platform_operator": 404,  # its own list, but not its review
        "platform_viewer": 404,
        "other_platform": 404,
        "provider": 404,
    }
    for step, body in (("start-review", None), ("return", {"reasons": "No"}), ("publish", None)):
        assert_api_refused(world, "POST", f"/lists/{submitted.pk}/{step}", body, **not_officers)
    for persona in ("sme_a", "platform_operator", "provider"):
        assert api_as(world.persona(persona)).get("/review-queue") == (200, [])
    submitted.refresh_from_db()
    assert submitted.state == ListState.SUBMITTED


def test_unpublished_lists_and_resources_are_hidden_like_missing_ones(
    api_as: Any, world: World
) -> None:
    draft = factories.openness_list(world.platform_a, world.batch, world.alice)
    resource = factories.resource(draft)
    outsiders = {"anonymous": 404, "other_platform": 404, "provider": 404, "sme_a": 404}
    for path in (f"/lists/{draft.pk}", f"/lists/{draft.pk}/versions", f"/resources/{resource.pk}"):
        assert_api_refused(world, "GET", path, **outsiders)
    assert api_as(world.bob).get(f"/resources/{resource.pk}")[0] == 200
    assert api_as(world.charlie).get("/workspace/lists") == (200, [])
    assert [item["id"] for item in api_as(world.bob).get("/workspace/lists")[1]] == [draft.pk]


def test_needs_over_the_api_belong_to_their_sme(api_as: Any, world: World) -> None:
    status, need = api_as(world.sam).post("/needs", {"title": "找检测机构", "description": "CE"})
    assert status == 201
    others = {"anonymous": 401, "sme_b": 404, "platform_operator": 404, "officer": 404}
    assert_api_refused(world, "GET", f"/needs/{need['id']}", **others)
    assert_api_refused(world, "PATCH", f"/needs/{need['id']}", {"title": "mine now"}, **others)
    assert api_as(world.sid).get("/needs") == (200, [])
    assert_api_refused(
        world,
        "POST",
        "/needs",
        {"title": "x", "description": "y"},
        anonymous=401,
        platform_operator=403,
        provider=403,
        officer=403,
    )
    assert api_as(world.sam).get(f"/needs/{need['id']}")[1]["title"] == "找检测机构"
