"""Harvest parsing and mapping, without the database: source records to our fields."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph

from synergy_hub.catalog.interop.harvest.fetch import (
    FetchedSource,
    SourceError,
    check_address,
    fetch_source,
)
from synergy_hub.catalog.interop.harvest.fetch import source_key as key_of
from synergy_hub.catalog.interop.harvest.mapping import Languages, map_record
from synergy_hub.catalog.interop.harvest.parse_rdf import records_from_graph
from synergy_hub.catalog.interop.harvest.records import Note, SourceRecord, Text
from synergy_hub.catalog.interop.harvest.sources import read_catalog

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")

TURTLE = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
<http://example.org/catalog> a dcat:Catalog ; dct:title "Example catalog"@en ;
    dcat:dataset <http://example.org/ds/1> ; dcat:service <http://example.org/api> .
<http://example.org/ds/1> a dcat:Dataset ;
    dct:identifier "ds-1" ;
    dct:title "Luftqualität"@de, "Air quality"@en, "空气质量"@zh ;
    dct:description "Hourly measurements."@en ;
    dcat:keyword "air"@en, "空气"@zh ;
    dct:accessRights <http://publications.europa.eu/resource/authority/access-right/RESTRICTED> ;
    dct:publisher [ a foaf:Agent ; foaf:name "Env Agency" ] ;
    dcat:contactPoint [ a vcard:Kind ; vcard:fn "Desk" ;
        vcard:hasEmail <mailto:desk@example.org> ] ;
    dcat:distribution [ a dcat:Distribution ; dcat:accessURL <http://example.org/files> ;
        dct:license <http://example.org/licence> ] .
<http://example.org/api> a dcat:DataService ; dct:title "Air API"@en ;
    dct:description "An API."@en ; dcat:endpointURL <http://example.org/api/v1> .
<http://example.org/internal> a dcat:DataService ; dct:title "Only a distribution's service" .
[] a dcat:Distribution ; dcat:accessService <http://example.org/internal> .
"""


def source(content: str | bytes, location: str = "catalog.ttl") -> FetchedSource:
    data = content.encode() if isinstance(content, str) else content
    return FetchedSource(location, "", key_of(location), data)


def test_rdf_records_with_languages_and_contact() -> None:
    parsed = records_from_graph(Graph().parse(data=TURTLE, format="turtle"), "dcat-rdf")
    assert parsed.title == [Text("Example catalog", "en")]
    by_id = {r.identifier: r for r in parsed.records}
    assert set(by_id) == {"ds-1", "http://example.org/api"}  # the access service is not a record
    record = by_id["ds-1"]
    assert record.access_level == "restricted"
    assert (record.contact_name, record.contact_email) == ("Desk", "desk@example.org")
    assert record.licence == "http://example.org/licence"
    assert by_id["http://example.org/api"].kind == "service"
    mapped = map_record(record)
    assert mapped.data["title_zh"] == "空气质量"
    assert mapped.data["title_en"] == "Air quality"
    assert mapped.data["translations"] == {"de": {"title": "Luftqualität"}}
    assert mapped.data["access_mode"] == "on_request"
    assert mapped.data["resource_type"] == "dataset"
    assert "Licence: http://example.org/licence" in mapped.data["usage_terms_en"]
    assert map_record(by_id["http://example.org/api"]).data["resource_type"] == "api"


def test_another_language_is_kept_as_itself_never_as_english() -> None:
    notes: list[Note] = []
    found = Languages([]).split([Text("Luftqualität", "de")], "title", notes, 200)
    assert (found.zh, found.en, found.others) == ("", "", {"de": "Luftqualität"})
    assert not notes
    assert Languages([]).split([Text("空气质量")], "title", [], 200).zh == "空气质量"


def test_untagged_texts_take_the_declared_language() -> None:
    german = Languages(["de"]).split([Text("Naturräume Geest und Marsch")], "title", [], 200)
    assert (german.en, german.others) == ("", {"de": "Naturräume Geest und Marsch"})
    several = Languages(["ca", "en", "es"])
    assert several.split([Text("Some title")], "title", [], 200).en == "Some title"
    assert several.assumptions == {"several declared"}
    undeclared = Languages([])
    assert undeclared.split([Text("A title")], "title", [], 200).en == "A title"
    assert undeclared.assumptions == {"none declared"}


def test_mapping_notes_what_it_leaves_out() -> None:
    record = SourceRecord(
        identifier="x",
        titles=[Text("T", "en")],
        descriptions=[Text("D", "en")],
        keywords=[Text("k" * 41)] + [Text(f"k{i}") for i in range(25)],
        contact_email="not an address",
        has_foreign_spatial=True,
    )
    mapped = map_record(record)
    assert len(mapped.data["keywords"]) == 20
    assert mapped.data["contact_email"] == ""
    assert len(mapped.warnings) == 4


def test_records_without_identifier_fail_and_non_public_ones_are_skipped() -> None:
    assert map_record(SourceRecord(titles=[Text("T")])).fail
    skipped = map_record(SourceRecord(identifier="a", access_level="non-public"))
    assert skipped.skip and not skipped.data


def test_non_public_health_data_is_imported_on_request_with_a_warning() -> None:
    record = SourceRecord(
        identifier="h",
        titles=[Text("Cohort", "en")],
        descriptions=[Text("Patients", "en")],
        access_level="non-public",
        health_data=True,
    )
    mapped = map_record(record)
    assert not mapped.skip and not mapped.fail
    assert mapped.data["access_mode"] == "on_request"
    assert [(w.field, w.value) for w in mapped.warnings] == [("access_mode", "NON_PUBLIC")]


HEALTH_TURTLE = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix healthdcatap: <http://healthdataportal.eu/ns/health#> .
<http://example.org/catalog> a dcat:Catalog ;
    dct:title "Health catalog"@en, "Gezondheidscatalogus"@nl, "Catalogue santé"@fr ;
    dcat:dataset <http://example.org/ds/h> .
<http://example.org/ds/h> a dcat:Dataset ;
    dct:identifier "h-1" ; dct:title "Cohort"@en ; dct:description "Patients."@en ;
    healthdcatap:numberOfRecords 10 ;
    dct:accessRights <http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC> ;
    dct:publisher [ a foaf:Organization ; foaf:name "Contactpunt"@nl, "健康研究所"@zh ] .
<http://example.org/ds/p> a dcat:Dataset ;
    dct:identifier "p-1" ; dct:title "Private"@en ;
    dct:accessRights <http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC> .
"""


def test_health_records_are_recognised_and_publisher_names_keep_their_languages() -> None:
    parsed = records_from_graph(Graph().parse(data=HEALTH_TURTLE, format="turtle"), "turtle")
    health, private = parsed.records
    assert health.health_data and not private.health_data
    assert {(t.value, t.language) for t in health.publisher_names} == {
        ("Contactpunt", "nl"),
        ("健康研究所", "zh"),
    }
    assert map_record(health).data["access_mode"] == "on_request"
    assert map_record(health).data["contact_name"] == "健康研究所"  # the UI's language first
    assert map_record(private).skip  # non-public data that is not health data stays out


def test_ckan_organization_titles_in_several_languages_are_read() -> None:
    package = {
        "id": "p1",
        "title": "Gesundheitsdaten",
        "notes": "Daten.",
        "language": ["de"],
        "access_rights": "http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC",
        "hdab": [{"name": "Access body"}],
        "organization": {
            "name": "bag",
            "title_translated": {"de": "Bundesamt für Gesundheit", "en": "Federal Office"},
        },
    }
    (record,) = read_catalog(
        source(json.dumps({"success": True, "result": package}), "package.json")
    ).records
    assert record.access_level == "non-public" and record.health_data
    assert {(t.value, t.language) for t in record.publisher_names} == {
        ("Bundesamt für Gesundheit", "de"),
        ("Federal Office", "en"),
    }
    mapped = map_record(record)
    assert mapped.data["access_mode"] == "on_request"
    assert mapped.data["contact_name"] == "Federal Office"


def test_checksum_changes_with_content() -> None:
    one = map_record(SourceRecord(identifier="a", titles=[Text("T")], descriptions=[Text("D")]))
    two = map_record(SourceRecord(identifier="a", titles=[Text("T2")], descriptions=[Text("D")]))
    assert one.checksum != two.checksum


def test_formats_are_recognised() -> None:
    data_json = {
        "conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
        "@context": "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld",
        "dataset": [{"identifier": "a", "title": "A", "description": "d", "accessLevel": "public"}],
    }
    assert read_catalog(source(json.dumps(data_json), "data.json")).format == "dcat-us"
    ckan = {
        "help": "",
        "success": True,
        "result": {"count": 1, "results": [{"id": "p", "name": "p", "notes": "n", "title": "P"}]},
    }
    assert read_catalog(source(json.dumps(ckan), "x.json")).format == "ckan"
    assert read_catalog(source(TURTLE)).format == "dcat-rdf"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"@context": "https://example.org/ctx.jsonld", "@id": "x"}', "remote @context"),
        ('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e "x">]><r/>', "entity"),
        ("@prefix broken", "could not be parsed"),
        ('{"hello": "world"}', "neither DCAT"),
        ("{not json", "JSON could not be parsed"),
    ],
)
def test_unreadable_sources_are_refused_with_a_reason(content: str, message: str) -> None:
    name = "x.rdf" if content.startswith("<?xml") else "x.ttl"
    with pytest.raises(SourceError, match=message):
        read_catalog(source(content, name))


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/x",
        "http://127.0.0.1:8000/catalog.ttl",
        "http://10.1.2.3/",
    ],
)
def test_only_public_http_addresses_are_fetched(url: str) -> None:
    with pytest.raises(SourceError):
        check_address(url)


def test_private_addresses_when_the_setting_allows(settings: object) -> None:
    settings.SYNERGY_HARVEST_ALLOW_PRIVATE = True  # type: ignore[attr-defined]
    check_address("http://127.0.0.1:8000/catalog.ttl")
    with pytest.raises(SourceError):
        check_address("file:///etc/passwd")


def test_source_keys(tmp_path: Path) -> None:
    assert (
        key_of("HTTPS://Data.Example.org:443/catalog.ttl#x")
        == "https://data.example.org/catalog.ttl"
    )
    assert key_of("http://example.org") == "http://example.org/"
    assert key_of("http://example.org:8080/a?page=2") == "http://example.org:8080/a?page=2"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = tmp_path / "a" / "same.xml", tmp_path / "b" / "same.xml"
    assert key_of(str(first)) == first.resolve().as_uri()
    assert key_of(str(first)) != key_of(str(second))
    assert key_of(str(tmp_path / "b" / ".." / "a" / "same.xml")) == key_of(str(first))


def test_files_are_capped_and_only_read_when_allowed(settings: object, tmp_path: Path) -> None:
    path = tmp_path / "big.ttl"
    path.write_bytes(b"#" * 2048)
    with pytest.raises(SourceError, match="URL"):
        fetch_source(str(path), allow_files=False)
    assert len(fetch_source(str(path), allow_files=True).content) == 2048
    settings.SYNERGY_HARVEST_MAX_BYTES = 1024  # type: ignore[attr-defined]
    with pytest.raises(SourceError, match="larger"):
        fetch_source(str(path), allow_files=True)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        ("source: github.com/example @ 0123; examples only\n", "SOURCE.txt", "not a catalog"),
        ("# Data.json Examples\nThis contains examples.", "README.md", "not a catalog"),
        (
            '{"$schema": "http://json-schema.org/draft-04/schema#", "title": "x"}',
            "c.json",
            "Schema",
        ),
    ],
)
def test_files_that_are_not_catalogs_say_so(content: str, name: str, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        read_catalog(source(content, name))


def test_a_turtle_syntax_error_names_line_and_cause() -> None:
    with pytest.raises(SourceError, match=r'line 1 of <>: Bad syntax \(Prefix "ex:" not bound\)'):
        read_catalog(source("<http://a> ex:b <http://c> .", "x.ttl"))
