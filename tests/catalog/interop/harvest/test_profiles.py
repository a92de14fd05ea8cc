"""One small catalog per profile (fixtures/, see its README): languages, gaps, bad values."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from synergy_hub.catalog import services
from synergy_hub.catalog.interop.harvest.report import HarvestReport
from synergy_hub.catalog.interop.harvest.service import harvest_into_draft
from synergy_hub.catalog.models import OpennessList, Resource
from tests.conftest import World

FIXTURES = Path(__file__).parent / "fixtures"

pytestmark = pytest.mark.django_db


def harvest(world: World, name: str, **options: Any) -> HarvestReport:
    return harvest_into_draft(
        world.alice,
        world.platform_a,
        world.batch,
        str(FIXTURES / name),
        allow_files=True,
        **options,
    )


def resources(report: HarvestReport) -> dict[str, Resource]:
    return {
        entry.identifier: Resource.objects.get(pk=entry.resource_id)
        for entry in report.records
        if entry.resource_id
    }


def warnings_of(report: HarvestReport, identifier: str) -> list[tuple[str, str]]:
    entry = next(e for e in report.records if e.identifier == identifier)
    return [(w.field, w.value) for w in entry.warnings]


@pytest.mark.parametrize(
    ("name", "profiles", "imported"),
    [
        ("dcat-ap-ch.rdf", ["dcat", "dcat-ap", "dcat-ap-ch"], 5),
        ("dcat-ap-2.rdf", ["dcat", "dcat-ap-2"], 2),
        ("dcat-ap-3.ttl", ["dcat", "dcat-ap-3", "healthdcat-ap"], 2),
        ("dcat-ap-de.rdf", ["dcat", "dcat-ap", "dcat-ap-de"], 1),
        ("opendata-swiss-package_search.json", ["ckan", "ckanext-fluent"], 2),
        ("ckanext-fluent-package.json", ["ckan", "ckanext-fluent"], 1),
        ("dcat-us-spanish.data.json", ["dcat-us"], 2),
    ],
)
def test_each_profile_imports_every_record_and_names_itself(
    world: World, name: str, profiles: list[str], imported: int
) -> None:
    report = harvest(world, name)
    assert report.ok, report.error
    assert report.profiles == profiles
    assert report.counts["imported"] == imported and report.counts["failed"] == 0
    again = harvest(world, name)
    assert again.counts["unchanged"] == imported and again.counts["updated"] == 0


def test_swiss_records_keep_four_languages_and_their_gaps(world: World) -> None:
    report = harvest(world, "dcat-ap-ch.rdf")
    found = resources(report)
    full = found["bevoelkerung@bundesamt-fuer-statistik"]
    assert full.title_en == "Permanent resident population"
    assert full.keywords == ["population"]  # keywords stay per language
    assert {tag: t["title"] for tag, t in full.translations.items() if "title" in t} == {
        "de": "Ständige Wohnbevölkerung",
        "fr": "Population résidante permanente",
        "it": "Popolazione residente permanente",
    }
    assert full.translations["rm"] == {"keywords": ["populaziun"]}
    assert full.translations["fr"]["keywords"] == ["population"]
    # A German title with a French description only: nothing in the English fields.
    forest = found["wald@kanton-bern"]
    assert (forest.title_en, forest.description_en) == ("", "")
    assert forest.translations["de"]["title"] == "Waldflächen"
    assert forest.translations["fr"]["description"] == "Surfaces forestières du canton."
    # A title without any description: imported, with a warning.
    borders = found["gemeinden@swisstopo"]
    assert borders.translations["de"]["title"] == "Gemeindegrenzen"
    assert ("description", "") in warnings_of(report, "gemeinden@swisstopo")
    # Untagged, declared German by dct:language only.
    waters = found["gewaesser@bafu"]
    assert waters.title_en == "" and waters.translations["de"]["keywords"] == ["Gewässer"]


def test_bad_values_are_report_lines_with_record_and_field(world: World) -> None:
    report = harvest(world, "dcat-ap-ch.rdf")
    noise = dict(warnings_of(report, "laerm@bafu"))
    assert noise["dct:issued"] == "2023-02-30"  # malformed xsd:date
    assert noise["dct:modified"] == "gestern"  # malformed xsd:dateTime
    assert noise["licence"] == "https://example.admin.ch/our-own-licence"
    assert noise["title"] == "deutsch: Strassenlärm tagsüber"  # not a language tag
    assert noise["keywords"] == "it ch: rumore"  # refused by rdflib itself: still read
    resource = resources(report)["laerm@bafu"]
    assert resource.translations["fr-CH"]["title"] == "Bruit du trafic routier"  # fr_CH
    assert resource.keywords == []  # the keyword without a language is left out


def test_json_sources_report_bad_dates_and_tags(world: World) -> None:
    fluent = harvest(world, "ckanext-fluent-package.json")
    entry = fluent.records[0]
    assert ("modified", "not a date") in [(w.field, w.value) for w in entry.warnings]
    assert any(w.field == "title" and w.value.startswith("espanol") for w in entry.warnings)
    resource = Resource.objects.get(pk=entry.resource_id)
    assert resource.translations == {
        "fr-CA": {
            "title": "Suivi de la biodiversité",
            "description": "Dénombrement des espèces par site.",
            "keywords": ["biodiversité", "espèces"],
        }
    }
    us = harvest(world, "dcat-us-spanish.data.json")
    assert ("modified", "2022-13-01") in warnings_of(us, "PR-HOUSING-2022")
    spanish = resources(us)["PR-HOUSING-2022"]
    assert spanish.title_en == "" and spanish.translations["es-PR"]["keywords"] == [
        "vivienda",
        "municipios",
    ]


def test_opendata_swiss_multilingual_descriptions_are_read(world: World) -> None:
    report = harvest(world, "opendata-swiss-package_search.json")
    found = resources(report)
    zurich = found["8d4bd7f5-3a0c-4c5e-9d0f-1f2e3a4b5c6d"]
    assert zurich.description_en == "Hourly air quality values."
    assert zurich.translations["it"]["description"] == "Valori orari della qualità dell'aria."
    assert zurich.translations["de"]["keywords"] == ["luft", "umwelt"]
    bern = found["2b1c0d9e-8f7a-4b6c-5d4e-3f2a1b0c9d8e"]
    assert (bern.title_en, bern.description_en) == ("", "")
    assert bern.translations == {
        "de": {"title": "Baustellen", "keywords": ["baustelle"]},
        "fr": {"description": "Chantiers en cours dans la ville."},
    }


def test_dcat_ap_3_keeps_simplified_chinese_in_the_chinese_field(world: World) -> None:
    report = harvest(world, "dcat-ap-3.ttl")
    air = resources(report)["air-quality-2024"]
    assert air.title_zh == "空气质量监测数据" and air.title_en == "Air quality measurements"
    assert air.keywords == ["air", "空气"]
    assert report.ignored == {"healthdcatap:hdab": 1}
    assert resources(report)["air-api"].access_mode == "on_request"


def test_a_list_with_a_resource_without_description_waits_for_one(world: World) -> None:
    report = harvest(world, "dcat-ap-ch.rdf")
    draft = OpennessList.objects.get(pk=report.list_id)
    with pytest.raises(ValidationError) as refused:
        services.submit_list(world.alice, draft)
    assert "Gemeindegrenzen" in str(refused.value)
    borders = Resource.objects.get(openness_list=draft, translations__de__title="Gemeindegrenzen")
    services.update_resource(
        world.alice, borders, {"description_en": "Municipal borders of Switzerland."}
    )
    assert services.submit_list(world.alice, draft).state == "submitted"
