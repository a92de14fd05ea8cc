"""Texts in other languages: validated by the services, shown on the page, exported in
DCAT (one literal per language) and CKAN (ckanext-fluent's dicts), harvested back."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation
from rdflib import Graph, Literal, URIRef

from synergy_hub.catalog import services
from synergy_hub.catalog.interop import dcat_vocab as v
from synergy_hub.catalog.interop import facts
from synergy_hub.catalog.interop.harvest.service import harvest_into_draft
from synergy_hub.catalog.interop.shacl import load_shapes, validate
from synergy_hub.catalog.models import Resource
from tests import factories
from tests.catalog.interop.conftest import SmallCatalog
from tests.shared_data import shared_data

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*"),
]

GERMAN = {
    "de": {
        "title": "Offene Wetterdaten",
        "description": "Stündliche Wetterbeobachtungen.",
        "keywords": ["Wetter", "offene Daten"],
    },
    "fr-CH": {"title": "Données météo ouvertes"},
}


@pytest.fixture
def weather(small_catalog: SmallCatalog) -> Resource:
    resource = small_catalog.weather
    Resource.objects.filter(pk=resource.pk).update(translations=GERMAN)
    resource.refresh_from_db()
    return resource


def test_the_dcat_export_has_one_literal_per_language(weather: Resource) -> None:
    response = Client().get("/catalog.ttl")
    graph = Graph().parse(data=response.content, format="turtle")
    node = URIRef(facts.Links("http://testserver").dataset_iri(weather))
    titles = set(graph.objects(node, v.DCTERMS.title))
    assert titles == {
        Literal("开放气象数据", lang="zh"),
        Literal("Open weather data", lang="en"),
        Literal("Offene Wetterdaten", lang="de"),
        Literal("Données météo ouvertes", lang="fr-ch"),
    }
    assert (node, v.DCAT.keyword, Literal("Wetter", lang="de")) in graph
    assert (
        node,
        v.DCTERMS.description,
        Literal("Stündliche Wetterbeobachtungen.", lang="de"),
    ) in graph
    languages = set(graph.objects(node, v.DCTERMS.language))
    assert {
        v.EU_LANGUAGE["ZHO"],
        v.EU_LANGUAGE["ENG"],
        v.EU_LANGUAGE["DEU"],
        v.EU_LANGUAGE["FRA"],
    } == languages
    assert (v.EU_LANGUAGE["DEU"], v.RDF.type, v.DCTERMS.LinguisticSystem) in graph
    assert validate(graph, load_shapes(shared_data("dcat-ap", "3.0.1", "shacl"))).conforms


def test_the_ckan_package_has_fluent_dicts(weather: Resource) -> None:
    body = json.loads(
        Client().get("/api/3/action/package_show", {"id": str(weather.lineage)}).content
    )
    package = body["result"]
    assert package["title_translated"] == {
        "zh": "开放气象数据",
        "en": "Open weather data",
        "de": "Offene Wetterdaten",
        "fr-CH": "Données météo ouvertes",
    }
    assert package["notes_translated"]["de"] == "Stündliche Wetterbeobachtungen."
    assert package["tags_translated"] == {
        "zh": [],
        "en": ["open data", "weather"],
        "de": ["Wetter", "offene Daten"],
    }
    assert package["language"] == ["de", "en", "fr-CH", "zh"]


def test_a_german_only_resource_round_trips_through_both_exports(
    small_catalog: SmallCatalog, tmp_path: Path
) -> None:
    Resource.objects.filter(pk=small_catalog.weather.pk).update(
        title_zh="", title_en="", description_zh="", description_en="", translations=GERMAN
    )
    world = small_catalog.world
    exported = tmp_path / "hub.ttl"
    exported.write_bytes(Client().get("/catalog.ttl").content)
    report = harvest_into_draft(
        world.lena, world.testing_lab, world.batch, str(exported), allow_files=True
    )
    copy = Resource.objects.get(openness_list__publisher=world.testing_lab, resource_type="dataset")
    assert (copy.title_en, copy.title_zh) == ("", "")
    assert copy.translations["de"]["keywords"] == ["Wetter", "offene Daten"]
    assert copy.translations["fr-CH"] == {"title": "Données météo ouvertes"}
    assert report.ok
    package = json.loads(
        Client()
        .get("/api/3/action/package_show", {"id": str(small_catalog.weather.lineage)})
        .content
    )["result"]
    ckan_file = tmp_path / "package.json"
    ckan_file.write_text(json.dumps(package), encoding="utf-8")
    again = harvest_into_draft(
        world.lena, world.testing_lab, world.batch, str(ckan_file), allow_files=True
    )
    assert again.ok and again.counts["imported"] == 1
    from_ckan = Resource.objects.get(pk=again.records[0].resource_id)
    assert from_ckan.translations == copy.translations


def test_the_page_shows_other_languages_with_their_names(weather: Resource) -> None:
    with translation.override("zh-hans"):
        page = Client().get(f"/resources/{weather.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    text = page.content.decode()
    assert 'data-testid="other-languages"' in text
    assert "德语" in text and 'lang="de"' in text and "Offene Wetterdaten" in text
    english = Client().get(f"/resources/{weather.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "German" in english and "French (fr-CH)" in english


# --- the services -----------------------------------------------------------------------------


def errors_of(exc: pytest.ExceptionInfo[ValidationError]) -> str:
    return " ".join(exc.value.messages)


@pytest.mark.parametrize(
    ("translations", "words"),
    [
        ({"deutsch": {"title": "x"}}, "not a language tag"),
        ({"en-GB": {"title": "x"}}, "their own fields"),
        ({"zh-CN": {"title": "x"}}, "their own fields"),
        ({"de": {"title": "x" * 201}}, "at most 200"),
        ({"de": {"keywords": [f"k{i}" for i in range(21)]}}, "at most 20 keywords"),
        ({"de": {"subtitle": "x"}}, "unknown part"),
        ({"de": "Titel"}, "give an object"),
        (["de"], "keyed by language tag"),
    ],
)
def test_other_languages_are_validated_naming_the_language(
    small_catalog: SmallCatalog, translations: Any, words: str
) -> None:
    world = small_catalog.world
    with pytest.raises(ValidationError) as refused:
        services.add_resource(
            world.alice,
            small_catalog.draft_a,
            factories.resource_payload(translations=translations),
        )
    assert words in errors_of(refused)


def test_a_title_in_another_language_is_enough(small_catalog: SmallCatalog) -> None:
    world = small_catalog.world
    payload = factories.resource_payload(
        title_zh="",
        title_en="",
        translations={"DE_ch": {"title": "Zürcher Daten", "description": " "}, "it": {}},
    )
    resource = services.add_resource(world.alice, small_catalog.draft_a, payload)
    assert resource.translations == {"de-CH": {"title": "Zürcher Daten"}}
    with translation.override("en"):
        assert resource.title == "Zürcher Daten"
    edited = services.update_resource(world.alice, resource, {"price": resource.price})
    assert edited.translations == {"de-CH": {"title": "Zürcher Daten"}}  # kept on edit
