"""Real DCAT-AP and DCAT-AP.de catalogs: every dataset imported, each text in its language.

For every file under `catalogs/ckanext-dcat/dcat/` and `catalogs/govdata-dcatde/`: no
record fails for a missing optional field, titles are stored in the language they are
written in (never another language in the English field), a second harvest changes
nothing, and every value the harvest could not use is a report line with its field.
"""

from __future__ import annotations

import contextlib
import logging
import warnings
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef

from synergy_hub.catalog.interop.harvest.fetch import fetch_source
from synergy_hub.catalog.interop.harvest.records import SourceRecord, Text
from synergy_hub.catalog.interop.harvest.service import harvest_into_draft
from synergy_hub.catalog.interop.harvest.sources import read_catalog
from synergy_hub.catalog.interop.harvest.turtle_statements import split_statements
from synergy_hub.catalog.models import Resource
from synergy_hub.languages import column_of
from tests.conftest import World
from tests.shared_data import SHARED_DATA, shared_data

FOLDERS = ("ckanext-dcat/dcat", "govdata-dcatde")
#: Turtle that rdflib refuses as a whole: the upstream example has an unbound prefix
#: `healthdcatap:` in two statements (lines 130 and 162; one also has `^^<<http://…`).
#: Those two statements are left out with a report line each; the dataset is imported.
BROKEN_STATEMENTS = {"ckanext-dcat/dcat/dataset.ttl": [130, 162]}
#: Records whose access rights are NON_PUBLIC and that are not health data: skipped by
#: design (not opened to others). Non-public HealthDCAT-AP records are imported on request.
NOT_PUBLIC: dict[str, int] = {}


def real_files() -> list[str]:
    root = SHARED_DATA / "catalogs"
    if not root.exists():
        return ["(public data not available)"]
    return sorted(
        str(path.relative_to(root))
        for folder in FOLDERS
        for path in (root / folder).iterdir()
        if path.suffix in (".rdf", ".ttl", ".jsonld", ".json", ".xml")
    )


def harvest(world: World, path: Path) -> Any:
    return harvest_into_draft(
        world.alice, world.platform_a, world.batch, str(path), allow_files=True
    )


def stored_title(resource: Resource, tag: str) -> str:
    column = column_of(tag)
    if column is not None:
        return str(getattr(resource, f"title_{column}"))
    return str(resource.translations.get(tag, {}).get("title", ""))


def expected_language(text: Text, record: SourceRecord) -> str | None:
    """The language a title is written in, where the source says it unambiguously."""
    if text.language:
        return text.language
    return record.languages[0] if len(record.languages) == 1 else None


def ill_typed_values(path: Path) -> set[str]:
    """Every literal of the source that does not match its datatype (read without our code)."""
    graph = Graph()
    logger = logging.getLogger("rdflib")
    level = logger.level
    logger.setLevel(logging.CRITICAL)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            try:
                graph.parse(path)
            except Exception:  # a broken statement: read the others one by one
                statements = split_statements(path.read_text(encoding="utf-8"))
                directives = "\n".join(s.text for s in statements if s.is_directive)
                for statement in statements:
                    with contextlib.suppress(Exception):
                        graph.parse(data=f"{directives}\n{statement.text}\n", format="turtle")
    finally:
        logger.setLevel(level)
    records = set(graph.subjects(None, URIRef("http://www.w3.org/ns/dcat#Dataset")))
    holders = records | {o for r in records for o in graph.objects(r, None)}
    return {str(o) for s, _p, o in graph if s in holders and isinstance(o, Literal) and o.ill_typed}


@pytest.mark.parametrize("name", real_files())
@pytest.mark.django_db
def test_every_dataset_is_imported_in_its_own_language_and_again_unchanged(
    world: World, name: str, capfd: pytest.CaptureFixture[str]
) -> None:
    path = shared_data("catalogs", *name.split("/"))
    first = harvest(world, path)
    parsed = read_catalog(fetch_source(str(path), allow_files=True))
    assert first.ok, first.error
    left_out = [note for note in first.notes if "could not be parsed and was left out" in note]
    lines = [int(note.split("line ", 1)[1].split(" ", 1)[0]) for note in left_out]
    assert lines == BROKEN_STATEMENTS.get(name, [])  # each one reported, by its line
    assert first.counts["failed"] == 0, [e.reason for e in first.records]
    assert first.counts["skipped"] == NOT_PUBLIC.get(name, 0)
    assert first.counts["imported"] == len(parsed.records) - NOT_PUBLIC.get(name, 0)
    assert parsed.records

    by_id = {record.identifier: record for record in parsed.records}
    for entry in first.records:
        if entry.outcome != "imported":
            continue
        resource = Resource.objects.get(pk=entry.resource_id)
        record = by_id[entry.identifier]
        for text in record.titles:
            tag = expected_language(text, record)
            if tag is not None:
                assert text.value in {t.value for t in record.titles}
                assert stored_title(resource, tag), (tag, text.value)
                if column_of(tag) is None:  # never in a column of another language
                    own = {  # unless the source gives the same words in that language too
                        t.value
                        for t in record.titles
                        if column_of(expected_language(t, record) or "")
                    }
                    if text.value not in own:
                        assert text.value not in (resource.title_en, resource.title_zh)
        for warning in entry.warnings:  # a report line: which field, what was done
            assert warning.field and warning.message

    unusable = ill_typed_values(path)
    reported = {w.value for e in first.records for w in e.warnings}
    assert unusable <= reported, unusable - reported

    second = harvest(world, path)
    assert second.ok
    assert {k: second.counts[k] for k in ("imported", "updated", "removed", "failed")} == {
        "imported": 0,
        "updated": 0,
        "removed": 0,
        "failed": 0,
    }
    assert second.counts["unchanged"] == first.counts["imported"]
    assert "Traceback" not in capfd.readouterr().err  # rdflib's log is the report's now


@pytest.mark.django_db
def test_german_records_keep_german_out_of_the_english_fields(world: World) -> None:
    report = harvest(world, shared_data("catalogs", "govdata-dcatde", "metadata_max.rdf"))
    resource = Resource.objects.get(pk=report.records[0].resource_id)
    assert (resource.title_en, resource.description_en, resource.title_zh) == ("", "", "")
    assert resource.keywords == []
    german = resource.translations["de"]
    assert german["title"] == "Naturräume Geest und Marsch"
    assert german["description"].startswith("Die Zuordnung des Hamburger Stadtgebietes")
    assert "Grundwasser" in german["keywords"]
    assert resource.usage_terms_en == "Licence: http://dcat-ap.de/def/licenses/dl-by-de/2_0"
    assert resource.title == "Naturräume Geest und Marsch"  # the page falls back to it
    assert report.profiles == ["dcat", "dcat-ap", "dcat-ap-de"]
    assert report.ignored["dcatde:legalBasis"] == 1
    assert any("tel:+49 40 4 28 40 - 3494" in note for note in report.notes)
    regions = [w for w in report.records[0].warnings if w.field == "regions"]
    assert regions and regions[0].value.startswith("http://dcat-ap.de/def/politicalGeocoding/")


@pytest.mark.django_db
def test_ckanext_dcat_gov_de_example_is_german_by_its_declared_language(world: World) -> None:
    report = harvest(world, shared_data("catalogs", "ckanext-dcat", "dcat", "dataset_gov_de.rdf"))
    resource = Resource.objects.get(pk=report.records[0].resource_id)
    assert resource.title_en == ""
    assert resource.translations["de"]["title"] == "Liefer- und Abholservices (Gastronomie)"
    assert "ökonomie" in resource.translations["de"]["keywords"]
