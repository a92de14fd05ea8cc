"""Lists' and publishers' texts in other languages in the DCAT export and the CKAN API."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from rdflib import Graph, Literal, URIRef

from synergy_hub.accounts.models import Organisation
from synergy_hub.catalog.interop import dcat_vocab as v
from synergy_hub.catalog.interop import facts
from synergy_hub.catalog.interop.shacl import load_shapes, validate
from synergy_hub.catalog.models import OpennessList
from tests.catalog.interop.conftest import SmallCatalog
from tests.pages import client_for
from tests.shared_data import shared_data

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*"),
]


@pytest.fixture
def multilingual(small_catalog: SmallCatalog) -> SmallCatalog:
    OpennessList.objects.filter(pk=small_catalog.list_a.pk).update(
        summary_en="What platform A opens.",
        translations={"nl": {"title": "Open lijst", "summary": "Wat A deelt."}},
    )
    Organisation.objects.filter(pk=small_catalog.world.platform_a.pk).update(
        translations={"de": {"name": "Plattform A", "description": "Eine Plattform."}}
    )
    return small_catalog


def test_lists_and_publishers_are_exported_with_a_literal_per_language(
    multilingual: SmallCatalog,
) -> None:
    graph = Graph().parse(data=Client().get("/catalog.ttl").content, format="turtle")
    links = facts.Links("http://testserver")
    list_iri = URIRef(links.openness_list(multilingual.list_a.pk))
    assert Literal("Open lijst", lang="nl") in set(graph.objects(list_iri, v.DCTERMS.title))
    assert set(graph.objects(list_iri, v.DCTERMS.description)) >= {
        Literal("What platform A opens.", lang="en"),
        Literal("Wat A deelt.", lang="nl"),
    }
    publisher = URIRef(links.organisation(multilingual.world.platform_a.pk))
    assert set(graph.objects(publisher, v.FOAF.name)) == {
        Literal("甲平台", lang="zh"),
        Literal("Platform A", lang="en"),
        Literal("Plattform A", lang="de"),
    }
    assert validate(graph, load_shapes(shared_data("dcat-ap", "3.0.1", "shacl"))).conforms


def test_ckan_organizations_give_every_language(multilingual: SmallCatalog) -> None:
    body = json.loads(
        Client()
        .get("/api/3/action/organization_show", {"id": multilingual.world.platform_a.pk})
        .content
    )
    result = body["result"]
    assert result["title_translated"] == {"zh": "甲平台", "en": "Platform A", "de": "Plattform A"}
    assert result["description_translated"]["de"] == "Eine Plattform."


def test_the_list_api_gives_and_takes_other_languages(
    api_as: Any, multilingual: SmallCatalog
) -> None:
    world = multilingual.world
    status, body = api_as().get(f"/lists/{multilingual.list_a.pk}")
    assert status == 200 and body["translations"]["nl"]["title"] == "Open lijst"
    alice = api_as(world.alice)
    draft = multilingual.draft_a.pk
    status, body = alice.patch(f"/lists/{draft}", {"translations": {"fr": {"title": "Brouillon"}}})
    assert status == 200 and body["translations"] == {"fr": {"title": "Brouillon", "summary": ""}}
    status, body = alice.patch(f"/lists/{draft}", {"translations": {"en": {"title": "x"}}})
    assert status == 422 and "translations" in str(body)


@pytest.mark.parametrize(("language", "label"), [("en", "Dutch"), ("zh-hans", "荷兰语")])
def test_the_list_page_shows_other_languages_with_their_names(
    multilingual: SmallCatalog, language: str, label: str
) -> None:
    page = Client().get(f"/lists/{multilingual.list_a.pk}/", HTTP_ACCEPT_LANGUAGE=language)
    text = page.content.decode()
    assert page.status_code == 200 and 'data-testid="other-languages"' in text
    assert f"{label}</span> Open lijst" in text and '<div lang="nl">' in text
    assert "Wat A deelt." in text


def test_the_organisation_page_shows_other_languages_with_their_names(
    multilingual: SmallCatalog,
) -> None:
    page = Client().get(
        f"/organisations/{multilingual.world.platform_a.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "German</span> Plattform A" in text and "Eine Plattform." in text


def test_the_officer_reviews_the_other_languages_too(multilingual: SmallCatalog) -> None:
    officer = client_for(multilingual.world.officer, "en")
    page = officer.get(f"/workspace/review/{multilingual.list_a.pk}/")
    assert page.status_code == 200 and "Dutch</span> Open lijst" in page.content.decode()
