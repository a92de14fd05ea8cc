"""Public activity from the audit log: the pages, the Atom feeds, the CKAN activity actions,
and the organisations index. Only publications and supersessions are public."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from xml.etree import ElementTree

import pytest

from synergy_hub.catalog import activity, services
from synergy_hub.catalog.models import OpennessList, Resource
from synergy_hub.catalog.vocabulary import ListState
from tests import factories
from tests.conftest import World
from tests.pages import client_for

ATOM = "{http://www.w3.org/2005/Atom}"
SECRET_REASON = "Pricing table copied from a competitor"


def _publish(world: World, the_list: OpennessList) -> OpennessList:
    services.submit_list(world.alice, the_list)
    services.start_review(world.officer, the_list)
    return services.publish_list(world.officer, the_list)


@pytest.fixture
def story(world: World) -> dict[str, Any]:
    """Platform A publishes version 1 (GPU, course), then version 2 (GPU cheaper, course
    removed, dataset added); a second list is returned with reasons and stays a draft."""
    v1 = services.create_list(
        world.alice, world.batch, {"title_zh": "甲平台开放清单", "title_en": "Platform A list"}
    )
    gpu = factories.resource(v1, title_en="GPU pool", title_zh="GPU算力池")
    factories.resource(v1, title_en="Cloud course", title_zh="云计算课程")
    v1 = _publish(world, v1)
    v2 = services.create_new_version(world.alice, v1)
    copies = {r.title_en: r for r in v2.resources.all()}
    Resource.objects.filter(pk=copies["GPU pool"].pk).update(price=Decimal("9.00"))
    Resource.objects.filter(pk=copies["Cloud course"].pk).delete()
    factories.resource(v2, title_en="Open dataset", title_zh="开放数据集", resource_type="dataset")
    v2 = _publish(world, v2)
    draft = services.create_list(
        world.alice, world.batch, {"title_zh": "草稿清单", "title_en": "Secret draft list"}
    )
    factories.resource(draft, title_en="Unreleased robot", title_zh="未发布机器人")
    services.submit_list(world.alice, draft)
    services.return_list(world.officer, draft, SECRET_REASON)
    return {"v1": v1, "v2": v2, "gpu": gpu, "draft": draft, "gpu2": copies["GPU pool"]}


def test_the_stream_holds_publications_and_supersessions_only(story: dict[str, Any]) -> None:
    found = activity.recent_activity()
    assert [(a.action, a.openness_list.version) for a in found] == [
        (activity.PUBLISHED, 2),
        (activity.SUPERSEDED, 1),
        (activity.PUBLISHED, 1),
    ]
    latest = found[0]
    assert [r.title_en for r in latest.added] == ["Open dataset"]
    assert [r.title_en for r in latest.changed] == ["GPU pool"]
    assert [r.title_en for r in latest.removed] == ["Cloud course"]
    assert all(a.openness_list.pk != story["draft"].pk for a in found)


def test_a_resource_stream_follows_its_lineage(story: dict[str, Any]) -> None:
    changes = activity.resource_activity(story["gpu2"])
    assert [(c.kind, c.activity.openness_list.version) for c in changes] == [
        ("changed", 2),
        ("new", 1),
    ]


def test_private_events_never_reach_pages_or_feeds(story: dict[str, Any], world: World) -> None:
    """Drafts, returns and their reasons are in the audit log but in no public stream."""
    draft = story["draft"]
    for path in (
        "/",
        f"/organisations/{world.platform_a.pk}/",
        "/activity.atom",
        f"/organisations/{world.platform_a.pk}/activity.atom",
        "/api/3/action/recently_changed_packages_activity_list",
        f"/api/3/action/organization_activity_list?id={world.platform_a.pk}",
    ):
        text = client_for(language="en").get(path).content.decode()
        for secret in (SECRET_REASON, "Secret draft list", "Unreleased robot", "alice@"):
            assert secret not in text, (path, secret)
    # The publisher sees its own draft, but its activity stays empty: nothing is public.
    page = client_for(world.alice, "en").get(f"/lists/{draft.pk}/").content.decode()
    assert "Nothing published yet" in page and SECRET_REASON not in page.split("Activity")[-1]
    assert client_for().get(f"/lists/{draft.pk}/activity.atom").status_code == 404
    robot = draft.resources.get()
    assert client_for().get(f"/resources/{robot.pk}/activity.atom").status_code == 404


def test_activity_pages_in_both_languages(story: dict[str, Any], world: World) -> None:
    v2 = story["v2"]
    paths = (
        f"/lists/{v2.pk}/",
        f"/resources/{story['gpu2'].pk}/",
        f"/organisations/{world.platform_a.pk}/",
        "/",
    )
    for path in paths:
        en = client_for(language="en").get(path).content.decode()
        zh = client_for().get(path).content.decode()
        assert 'data-testid="activity' in en or 'data-testid="recently-changed"' in en
        assert "Platform A list" in en and "甲平台开放清单" in zh, path
    assert (
        "version 2 published (1 new, 1 changed, 1 removed)"
        in client_for(language="en").get("/").content.decode()
    )
    assert (
        "GPU pool changed in Platform A list (version 2)"
        in client_for(language="en").get(f"/resources/{story['gpu2'].pk}/").content.decode()
    )


@pytest.mark.parametrize(
    "path",
    ["/activity.atom", "lists/{v2}/activity.atom", "resources/{gpu2}/activity.atom"],
)
def test_atom_feeds(story: dict[str, Any], path: str) -> None:
    path = "/" + path.lstrip("/").format(v2=story["v2"].pk, gpu2=story["gpu2"].pk)
    response = client_for(language="en").get(path)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)  # noqa: S314 - the site's own feed
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert titles and all(titles)
    assert any("Platform A list" in title or "GPU pool" in title for title in titles)


def test_organisation_feed(story: dict[str, Any], world: World) -> None:
    response = client_for().get(f"/organisations/{world.platform_a.pk}/activity.atom")
    feed = ElementTree.fromstring(response.content)  # noqa: S314 - the site's own feed
    assert len(list(feed.iter(f"{ATOM}entry"))) == 3


def _ckan(path: str) -> Any:
    response = client_for().get("/api/3/action/" + path)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["success"] is True
    return body["result"]


def test_ckan_recently_changed_packages(story: dict[str, Any]) -> None:
    result = _ckan("recently_changed_packages_activity_list")
    assert [(a["activity_type"], a["data"]["package"]["title"]) for a in result] == [
        ("new package", "开放数据集"),
        ("changed package", "GPU算力池"),
        ("deleted package", "云计算课程"),
        ("new package", "GPU算力池"),
        ("new package", "云计算课程"),
    ]
    first = result[0]
    assert set(first) == {"id", "timestamp", "user_id", "object_id", "activity_type", "data"}
    assert first["user_id"] is None and first["object_id"] == first["data"]["package"]["id"]
    assert result[2]["data"]["package"]["state"] == "deleted"
    assert [a["id"] for a in _ckan("recently_changed_packages_activity_list?offset=1&limit=2")] == [
        a["id"] for a in result[1:3]
    ]
    only_new = _ckan("recently_changed_packages_activity_list?activity_types=new%20package")
    assert {a["activity_type"] for a in only_new} == {"new package"} and len(only_new) == 3


def test_ckan_package_and_organization_activity(story: dict[str, Any], world: World) -> None:
    lineage = story["gpu"].lineage
    result = _ckan(f"package_activity_list?id={lineage}")
    assert [a["activity_type"] for a in result] == ["changed package", "new package"]
    assert result[0]["data"]["package"]["extras"]  # the package as CKAN describes it
    prices = {e["key"]: e["value"] for e in result[0]["data"]["package"]["extras"]}
    assert prices["price"] == "9.00"
    org = _ckan(f"organization_activity_list?id={world.platform_a.uscc}")
    assert len(org) == 5
    assert _ckan(f"organization_activity_list?id={world.platform_c.pk}") == []


def test_ckan_activity_refuses_bad_parameters(story: dict[str, Any]) -> None:
    client = client_for()
    bad = client.get("/api/3/action/recently_changed_packages_activity_list?limit=101")
    assert bad.status_code == 409 and "limit" in bad.json()["error"]
    missing = client.get("/api/3/action/package_activity_list")
    assert missing.status_code == 409 and "id" in missing.json()["error"]
    draft_resource = story["draft"].resources.get()
    hidden = client.get(f"/api/3/action/package_activity_list?id={draft_resource.lineage}")
    assert hidden.status_code == 404


# --- the organisations index ------------------------------------------------------------------


def test_organisations_index_lists_publishers_with_counts(
    story: dict[str, Any], world: World
) -> None:
    en = client_for(language="en").get("/organisations/")
    zh = client_for().get("/organisations/")
    assert en.status_code == zh.status_code == 200
    page = en.content.decode()
    assert "Platform A" in page and "Platform C" in page and "甲平台" in zh.content.decode()
    assert "1 published list" in page and "2 open resources" in page
    for not_a_publisher in ("Small Co", "Office"):
        assert not_a_publisher not in page
    assert "机器人" not in zh.content.decode()


def test_organisations_index_hides_pending_organisations(world: World) -> None:
    from synergy_hub.accounts.models import OrganisationStatus

    factories.organisation(
        name_zh="待审平台", name_en="Pending platform", status=OrganisationStatus.PENDING
    )
    assert (
        "Pending platform" not in client_for(language="en").get("/organisations/").content.decode()
    )


def test_organisations_index_query_count_does_not_grow(
    world: World, django_assert_max_num_queries: Any
) -> None:
    for n in range(15):
        org = factories.organisation(name_zh=f"平台{n}", name_en=f"Platform {n}")
        the_list = factories.openness_list(org, world.batch, world.alice, state=ListState.PUBLISHED)
        factories.resource(the_list)
    with django_assert_max_num_queries(6):
        response = client_for().get("/organisations/")
    assert response.content.decode().count('class="org-card"') == 17


def test_activity_pages_query_count_does_not_grow(
    story: dict[str, Any], world: World, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):  # more versions, more events
        draft = services.create_new_version(
            world.alice,
            OpennessList.objects.get(series=story["v2"].series, state=ListState.PUBLISHED),
        )
        factories.resource(draft, title_en="Another", title_zh="又一个")
        _publish(world, draft)
    with django_assert_max_num_queries(12):
        client_for().get(f"/organisations/{world.platform_a.pk}/")
    with django_assert_max_num_queries(10):
        client_for().get("/activity.atom")
    with django_assert_max_num_queries(10):
        client_for().get("/api/3/action/recently_changed_packages_activity_list")


# --- machine-readable links and the embedded description ------------------------------------


def test_resource_and_list_pages_link_their_representations(story: dict[str, Any]) -> None:
    gpu, v2 = story["gpu2"], story["v2"]
    page = client_for(language="en").get(f"/resources/{gpu.pk}/").content.decode()
    for link in (
        f"/resources/{gpu.pk}.ttl",
        f"/resources/{gpu.pk}.jsonld",
        f"/resources/{gpu.pk}.rdf",
    ):
        assert f'href="{link}"' in page
        assert client_for().get(link).status_code == 200
    assert f"/api/3/action/package_show?id={gpu.lineage}" in page
    assert _ckan(f"package_show?id={gpu.lineage}")["title"] == "GPU算力池"
    listing = client_for(language="en").get(f"/lists/{v2.pk}/").content.decode()
    for fmt, media in (
        ("ttl", "text/turtle"),
        ("jsonld", "application/ld+json"),
        ("rdf", "application/rdf+xml"),
    ):
        assert f'href="/lists/{v2.pk}.{fmt}"' in listing
        response = client_for().get(f"/lists/{v2.pk}.{fmt}")
        assert response.status_code == 200 and response["Content-Type"].startswith(media)
    turtle = client_for().get(f"/lists/{v2.pk}.ttl").content.decode()
    assert "GPU算力池" in turtle and "开放数据集" in turtle and "云计算课程" not in turtle
    assert f"package_search?fq=list_id%3A{v2.pk}" in listing
    found = _ckan(f"package_search?fq=list_id:{v2.pk}")
    assert found["count"] == 2


def test_draft_list_documents_stay_private(story: dict[str, Any], world: World) -> None:
    draft = story["draft"]
    assert client_for().get(f"/lists/{draft.pk}.ttl").status_code == 404
    assert client_for(world.charlie).get(f"/lists/{draft.pk}.jsonld").status_code == 404
    assert client_for(world.alice).get(f"/lists/{draft.pk}.ttl").status_code == 200
    assert _ckan(f"package_search?fq=list_id:{draft.pk}")["count"] == 0


def test_resource_page_embeds_schema_org(story: dict[str, Any]) -> None:
    import json
    import re

    page = client_for(language="en").get(f"/resources/{story['gpu2'].pk}/").content.decode()
    block = re.search(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', page, re.S)
    assert block is not None
    data = json.loads(block.group(1))
    assert data["@type"] == "Service" and data["name"] == "GPU pool"
    assert data["provider"]["name"] == "Platform A"
    assert [o["price"] for o in data["offers"]] == ["9.00", "7.20"]
    dataset = Resource.objects.get(openness_list=story["v2"], title_en="Open dataset")
    page = client_for().get(f"/resources/{dataset.pk}/").content.decode()
    assert '"@type": "Dataset"' in page
    # An unpublished resource is not described for search engines.
    robot = story["draft"].resources.get()
    draft_page = client_for(story["draft"].created_by).get(f"/resources/{robot.pk}/")
    assert draft_page.status_code == 200
    assert 'data-testid="schema-org"' not in draft_page.content.decode()


# --- the API documentation follows the site language -----------------------------------------


def test_api_docs_follow_the_site_language(db: None) -> None:
    en = client_for(language="en").get("/api/v1/docs")
    zh = client_for().get("/api/v1/docs")
    assert en.status_code == zh.status_code == 200
    assert '<html lang="en">' in en.content.decode() and "API documentation" in en.content.decode()
    page = zh.content.decode()
    assert '<html lang="zh-hans">' in page and "API文档" in page and 'id="swagger-ui"' in page
    schema_zh = client_for().get("/api/v1/openapi.json").json()["info"]["description"]
    schema_en = client_for(language="en").get("/api/v1/openapi.json").json()["info"]["description"]
    assert schema_en.startswith("Openness lists") and "开放清单" in schema_zh
