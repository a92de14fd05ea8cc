"""The CKAN Action API: envelope, errors, verbs, search, private packages, query counts."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from synergy_hub.accounts.services import create_api_token
from synergy_hub.catalog import services
from synergy_hub.catalog.interop import facts
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.vocabulary import ListState
from tests import factories
from tests.catalog.interop.conftest import SmallCatalog


def call(
    verb: str,
    params: dict[str, Any] | None = None,
    *,
    post: bool = False,
    headers: dict[str, str] | None = None,
    prefix: str = "/api/3/action/",
) -> tuple[int, Any]:
    client = Client()
    if post:
        response = client.post(
            prefix + verb,
            data=json.dumps(params or {}),
            content_type="application/json",
            headers=headers or {},
        )
    else:
        response = client.get(prefix + verb, params or {}, headers=headers or {})
    assert response.headers["Content-Type"].startswith("application/json")
    return response.status_code, json.loads(response.content)


def names(body: dict[str, Any]) -> set[str]:
    return {package["title_translated"]["en"] for package in body["result"]["results"]}


# --- envelope and errors ---------------------------------------------------------------------


@pytest.mark.django_db
def test_envelope_on_both_paths(small_catalog: SmallCatalog) -> None:
    for prefix in ("/api/3/action/", "/api/action/"):
        status, body = call("status_show", prefix=prefix)
        assert status == 200
        assert list(body) == ["help", "success", "result"]
        assert body["success"] is True
        assert body["help"].endswith("/api/3/action/help_show?name=status_show")
    status, body = call("help_show", {"name": "package_search"})
    assert "Search packages" in body["result"]


@pytest.mark.parametrize(
    ("verb", "params", "status", "kind"),
    [
        ("package_show", {}, 409, "Validation Error"),
        ("package_show", {"id": "nope"}, 404, "Not Found Error"),
        ("package_show", {"id": "shub-" + "0" * 32}, 404, "Not Found Error"),
        ("resource_show", {"id": "nope"}, 404, "Not Found Error"),
        ("organization_show", {"id": "nope"}, 404, "Not Found Error"),
        ("group_show", {"id": "nope"}, 404, "Not Found Error"),
        ("package_search", {"q": "(unbalanced"}, 400, "Search Query Error"),
        ("package_search", {"q": "nosuchfield:x"}, 400, "Search Query Error"),
        ("package_search", {"sort": "views_recent desc"}, 400, "Search Query Error"),
        ("package_search", {"facet.field": '["maintainer"]'}, 400, "Search Query Error"),
        ("package_search", {"rows": "ten"}, 409, "Validation Error"),
        ("package_search", {"start": "-1"}, 409, "Validation Error"),
    ],
)
@pytest.mark.django_db
def test_errors_have_ckans_types_and_statuses(
    small_catalog: SmallCatalog, verb: str, params: dict[str, Any], status: int, kind: str
) -> None:
    got, body = call(verb, params)
    assert got == status
    assert body["success"] is False and body["error"]["__type"] == kind


@pytest.mark.django_db
def test_unknown_actions_and_bad_bodies_are_bad_requests() -> None:
    status, body = call("package_create")
    assert status == 400 and "Action name not known" in body
    response = Client().post(
        "/api/3/action/package_search", data="[1, 2]", content_type="application/json"
    )
    assert response.status_code == 400


@pytest.mark.django_db
def test_a_wrong_key_is_an_authorization_error(small_catalog: SmallCatalog) -> None:
    status, body = call("package_search", headers={"Authorization": "shub_wrong"})
    assert status == 403 and body["error"]["__type"] == "Authorization Error"


# --- verbs -------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_package_show_by_id_or_name_and_post(small_catalog: SmallCatalog) -> None:
    gpu = small_catalog.gpu
    _, by_id = call("package_show", {"id": str(gpu.lineage)})
    _, by_name = call("package_show", {"id": facts.package_name(gpu.lineage)}, post=True)
    assert by_id["result"] == by_name["result"]
    package = by_id["result"]
    assert package["name"] == "shub-" + gpu.lineage.hex and package["type"] == "dataset"
    assert package["organization"]["name"] == small_catalog.world.platform_a.uscc.lower()
    assert package["groups"][0]["name"] == "innovation"
    assert {t["name"] for t in package["tags"]} == {"GPU", "算力"}
    assert package["license_id"] == "publisher-terms" and package["private"] is False
    assert package["resources"][0]["url"].endswith(f"/resources/{gpu.pk}/")
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert extras["price"] == "12.00" and extras["resource_type"] == "compute"
    _, shown = call("resource_show", {"id": package["resources"][0]["id"]})
    assert shown["result"]["package_id"] == package["id"]


@pytest.mark.django_db
def test_the_package_id_survives_a_new_list_version(small_catalog: SmallCatalog) -> None:
    world = small_catalog.world
    draft = services.create_new_version(world.alice, small_catalog.list_a)
    services.update_resource(
        world.alice, draft.resources.get(lineage=small_catalog.gpu.lineage), {"price": "9"}
    )
    services.submit_list(world.alice, draft)
    services.start_review(world.officer, draft)
    services.publish_list(world.officer, draft)
    _, body = call("package_show", {"id": facts.package_name(small_catalog.gpu.lineage)})
    extras = {e["key"]: e["value"] for e in body["result"]["extras"]}
    assert extras["price"] == "9.00" and body["result"]["version"] == "2"


@pytest.mark.django_db
def test_lists_of_packages_organizations_groups_tags_licences(small_catalog: SmallCatalog) -> None:
    _, packages = call("package_list")
    published = {r.lineage for r in (small_catalog.gpu, small_catalog.weather, small_catalog.lab)}
    assert set(packages["result"]) == {facts.package_name(lineage) for lineage in published}
    _, limited = call("package_list", {"limit": 1, "offset": 1})
    assert limited["result"] == sorted(packages["result"])[1:2]
    _, orgs = call("organization_list", {"all_fields": "true"})
    counts = {o["name"]: o["package_count"] for o in orgs["result"]}
    world = small_catalog.world
    assert counts == {world.platform_a.uscc.lower(): 2, world.platform_c.uscc.lower(): 1}
    _, org = call("organization_show", {"id": world.platform_c.uscc, "include_datasets": True})
    assert [p["name"] for p in org["result"]["packages"]] == [
        facts.package_name(small_catalog.lab.lineage)
    ]
    _, groups = call("group_list", {"all_fields": True})
    assert {g["name"]: g["package_count"] for g in groups["result"]} == {
        "ecosystem": 0,
        "innovation": 1,
        "open": 2,
    }
    _, tags = call("tag_list")
    assert "secret" not in tags["result"] and {"GPU", "weather", "实验室"} <= set(tags["result"])
    _, some = call("tag_list", {"query": "WEA"})
    assert some["result"] == ["weather"]
    _, licences = call("license_list")
    assert [lic["id"] for lic in licences["result"]] == ["cc-by-4.0", "publisher-terms"]
    _, open_data = call("package_show", {"id": str(small_catalog.weather.lineage)})
    assert open_data["result"]["license_id"] == "cc-by-4.0" and open_data["result"]["isopen"]


# --- search ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, {"GPU computing pool", "Open weather data", "Materials laboratory"}),
        ({"q": "weather"}, {"Open weather data"}),
        ({"q": "气象"}, {"Open weather data"}),
        ({"q": "算力"}, {"GPU computing pool"}),
        ({"q": "tags:GPU"}, {"GPU computing pool"}),
        ({"q": 'tags:"open data"'}, {"Open weather data"}),
        ({"q": "tags:gpu"}, set()),  # tags match exactly, as a Solr string field
        ({"fq": "groups:open"}, {"Open weather data", "Materials laboratory"}),
        ({"fq": "-groups:open"}, {"GPU computing pool"}),
        ({"fq": "res_format:HTML AND license_id:cc-by-4.0"}, {"Open weather data"}),
        ({"q": "title:weath*"}, {"Open weather data"}),
        ({"fq": "region:330000"}, {"Materials laboratory"}),
        (
            {"fq": "resource_type:laboratory OR resource_type:compute"},
            {"GPU computing pool", "Materials laboratory"},
        ),
        (
            {"fq": "metadata_modified:[2000-01-01 TO NOW]"},
            {"GPU computing pool", "Open weather data", "Materials laboratory"},
        ),
        ({"fq": "metadata_modified:[* TO 2000-01-01]"}, set()),
        (
            {"q": "*:*", "fq_list": ["groups:open", "access_mode:on_request"]},
            {"Materials laboratory"},
        ),
    ],
)
@pytest.mark.django_db
def test_search_syntax(
    small_catalog: SmallCatalog, params: dict[str, Any], expected: set[str]
) -> None:
    status, body = call("package_search", params, post=True)
    assert status == 200, body
    assert names(body) == expected
    assert body["result"]["count"] == len(expected)


@pytest.mark.django_db
def test_organization_filter_and_facets(small_catalog: SmallCatalog) -> None:
    world = small_catalog.world
    params = {
        "fq": f"organization:{world.platform_a.uscc.lower()}",
        "facet.field": json.dumps(["tags", "groups", "license_id", "organization"]),
    }
    _, body = call("package_search", params)
    result = body["result"]
    assert result["count"] == 2
    assert result["facets"]["groups"] == {"innovation": 1, "open": 1}
    assert result["facets"]["license_id"] == {"cc-by-4.0": 1, "publisher-terms": 1}
    items = result["search_facets"]["organization"]["items"]
    assert items == [
        {"name": world.platform_a.uscc.lower(), "display_name": world.platform_a.name, "count": 2}
    ]


@pytest.mark.django_db
def test_rows_start_and_sort_page_through_everything(world: Any) -> None:
    published = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    for n in range(23):
        factories.resource(published, title_en=f"Resource {n:02d}", title_zh="")
    seen: list[str] = []
    for start in range(0, 30, 7):
        _, body = call("package_search", {"rows": 7, "start": start, "sort": "title_string asc"})
        seen += [p["title"] for p in body["result"]["results"]]
        assert body["result"]["count"] == 23
    assert seen == [f"Resource {n:02d}" for n in range(23)]
    _, capped = call("package_search", {"rows": 5000})
    assert len(capped["result"]["results"]) == 23  # rows is capped at 1000, as in CKAN


@pytest.mark.django_db
def test_package_search_does_not_query_per_row(world: Any) -> None:
    published = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )

    def queries(rows: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            status, _ = call("package_search", {"rows": rows, "facet.field": '["tags"]'})
            assert status == 200
        return len(captured)

    for n in range(3):
        factories.resource(published, regions=["330000"], industries=["C"], title_en=f"R{n}")
    few = queries(100)
    for n in range(30):
        factories.resource(published, regions=["330000"], industries=["C"], title_en=f"S{n}")
    assert queries(100) == few


# --- private packages with an API key ------------------------------------------------------------


@pytest.mark.parametrize(
    "header",
    [
        lambda key: {"Authorization": key},
        lambda key: {"Authorization": f"Bearer {key}"},
        lambda key: {"X-CKAN-API-Key": key},
    ],
)
@pytest.mark.django_db
def test_members_see_their_unpublished_packages(small_catalog: SmallCatalog, header: Any) -> None:
    world = small_catalog.world
    _, alice_key = create_api_token(world.alice, "ckan")
    _, charlie_key = create_api_token(world.charlie, "ckan")
    secret = facts.package_name(small_catalog.secret.lineage)
    status, body = call("package_show", {"id": secret})
    assert status == 404
    status, body = call("package_show", {"id": secret}, headers=header(alice_key))
    assert status == 200 and body["result"]["private"] is True
    status, _ = call("package_show", {"id": secret}, headers=header(charlie_key))
    assert status == 404
    _, mine = call("package_search", {"include_private": "true"}, headers=header(alice_key))
    assert "Unpublished model" in names(mine) and mine["result"]["count"] == 4
    _, public = call("package_search", {}, headers=header(alice_key))
    assert public["result"]["count"] == 3  # include_private defaults to false, as in CKAN
    _, theirs = call("package_search", {"include_private": True}, headers=header(charlie_key))
    assert theirs["result"]["count"] == 3
    _, listed = call("package_list", headers=header(alice_key))
    assert secret not in listed["result"]


@pytest.mark.django_db
def test_unpublished_packages_stay_hidden_from_every_other_organisation(
    small_catalog: SmallCatalog,
) -> None:
    """Only platform A's members (its viewer too) and officers see its unpublished package."""
    world = small_catalog.world
    secret = facts.package_name(small_catalog.secret.lineage)
    for persona, status in (
        ("platform_viewer", 200),
        ("officer", 200),
        ("other_platform", 404),
        ("provider", 404),
        ("sme_a", 404),
    ):
        _, key = create_api_token(world.persona(persona), "ckan")
        answered, _ = call(
            "package_show", {"id": secret, "include_private": True}, headers={"Authorization": key}
        )
        assert answered == status, persona
        _, found = call("package_search", {"include_private": True}, headers={"Authorization": key})
        assert ("Unpublished model" in names(found)) is (status == 200), persona


@pytest.mark.django_db
def test_officers_see_every_unpublished_package(small_catalog: SmallCatalog) -> None:
    _, key = create_api_token(small_catalog.world.officer, "ckan")
    _, body = call("package_search", {"include_private": True}, headers={"Authorization": key})
    assert body["result"]["count"] == 4


@pytest.mark.django_db
def test_session_cookies_are_ignored(small_catalog: SmallCatalog) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(small_catalog.world.alice)
    response = client.post(
        "/api/3/action/package_show",
        data=json.dumps({"id": str(small_catalog.secret.lineage)}),
        content_type="application/json",
    )
    assert response.status_code == 404  # no CSRF failure, and the session gives no access
    assert Resource.objects.filter(pk=small_catalog.secret.pk).exists()
