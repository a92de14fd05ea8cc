"""Harvest sources as records: identity by location, an owner, removals within one source."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import translation

from synergy_hub.audit.models import AuditEvent
from synergy_hub.audit.services import verify
from synergy_hub.catalog.interop.harvest.fetch import source_identity
from synergy_hub.catalog.interop.harvest.service import harvest_into_draft
from synergy_hub.catalog.models import (
    HarvestRecord,
    HarvestRun,
    HarvestSource,
    OpennessList,
    Resource,
)
from tests.conftest import World
from tests.shared_data import shared_data

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"


def harvest(world: World, path: Path, **options: Any) -> Any:
    return harvest_into_draft(
        world.alice, world.platform_a, world.batch, str(path), allow_files=True, **options
    )


def two_files_of_the_same_name(tmp_path: Path) -> tuple[Path, Path]:
    """`a/same.rdf` (the example catalog) and `b/same.rdf` (other datasets)."""
    original = shared_data("catalogs", "ckanext-dcat", "dcat", "catalog.rdf")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = Path(shutil.copy(original, tmp_path / "a" / "same.rdf"))
    text = original.read_text(encoding="utf-8").replace(
        "https://data.some.org/catalog/datasets/", "https://other.example.org/datasets/"
    )
    second = tmp_path / "b" / "same.rdf"
    second.write_text(text, encoding="utf-8")
    return first, second


def test_two_sources_with_the_same_file_name_keep_both_records(
    world: World, tmp_path: Path
) -> None:
    first, second = two_files_of_the_same_name(tmp_path)
    one = harvest(world, first)
    two = harvest(world, second)
    assert one.counts["imported"] == two.counts["imported"] == 2
    assert two.counts["removed"] == 0  # the records of a/same.rdf are not b's to remove
    assert one.source_id != two.source_id and one.list_id != two.list_id
    assert Resource.objects.count() == 4
    again = harvest(world, first)
    assert again.counts["unchanged"] == 2 and again.counts["removed"] == 0
    assert Resource.objects.count() == 4
    sources = HarvestSource.objects.order_by("pk")
    assert [s.location for s in sources] == [first.resolve().as_uri(), second.resolve().as_uri()]
    assert {s.owner_id for s in sources} == {world.platform_a.pk}
    assert HarvestRecord.objects.filter(harvest_source=sources[0]).count() == 2
    created = AuditEvent.objects.filter(action="catalog.harvest_source.created")
    assert created.count() == 2 and verify().ok


def test_a_record_gone_from_one_source_is_removed_from_that_source_only(
    world: World, tmp_path: Path
) -> None:
    first, second = two_files_of_the_same_name(tmp_path)
    harvest(world, first)
    harvest(world, second)
    text = second.read_text(encoding="utf-8")
    second.write_text(
        text.replace(
            "<dct:identifier>https://other.example.org/datasets/2</dct:identifier>",
            "<dct:identifier>https://other.example.org/datasets/2</dct:identifier>"
            "<dct:accessRights>non-public</dct:accessRights>",
        ),
        encoding="utf-8",
    )
    report = harvest(world, second)
    assert report.counts["removed"] == 1
    assert Resource.objects.count() == 3
    assert Resource.objects.filter(openness_list_id=harvest(world, first).list_id).count() == 2


def test_the_same_file_by_another_path_is_the_same_source(world: World, tmp_path: Path) -> None:
    first, _second = two_files_of_the_same_name(tmp_path)
    harvest(world, first)
    detour = tmp_path / "b" / ".." / "a" / "same.rdf"
    report = harvest(world, detour)
    assert report.counts["unchanged"] == 2 and HarvestSource.objects.count() == 1


def test_another_publisher_harvesting_the_same_file_has_its_own_source(
    world: World, tmp_path: Path
) -> None:
    first, _second = two_files_of_the_same_name(tmp_path)
    harvest(world, first)
    report = harvest_into_draft(
        world.lena, world.testing_lab, world.batch, str(first), allow_files=True
    )
    assert report.counts["imported"] == 2 and HarvestSource.objects.count() == 2
    assert set(HarvestSource.objects.values_list("owner_id", flat=True)) == {
        world.platform_a.pk,
        world.testing_lab.pk,
    }


def test_a_source_known_by_its_file_name_only_is_adopted_once(world: World, tmp_path: Path) -> None:
    """Sources harvested before sources had a location keep their records."""
    first, second = two_files_of_the_same_name(tmp_path)
    report = harvest(world, first)
    legacy = HarvestSource.objects.get()
    legacy.location = "name:same.rdf"
    legacy.identity = source_identity(legacy.location)
    legacy.save()
    dry = harvest(world, first, dry_run=True)
    assert dry.counts["unchanged"] == 2 and any("file name only" in n for n in dry.notes)
    adopted = harvest(world, first)
    assert adopted.counts["unchanged"] == 2 and adopted.list_id == report.list_id
    legacy.refresh_from_db()
    assert legacy.location == first.resolve().as_uri()
    located = AuditEvent.objects.get(action="catalog.harvest_source.located")
    assert located.before == {"location": "name:same.rdf"}
    other = harvest(world, second)  # the same name elsewhere is another source now
    assert other.counts["imported"] == 2 and other.counts["removed"] == 0


def test_a_dry_run_counts_before_writing(world: World, tmp_path: Path) -> None:
    first, _second = two_files_of_the_same_name(tmp_path)
    out = io.StringIO()
    call_command(
        "harvest",
        str(first),
        publisher=world.platform_a.pk,
        actor="alice@example.org",
        dry_run=True,
        language="en",
        stdout=out,
        verbosity=0,
    )
    assert "dry run, nothing written: would create 2, update 0, remove 0" in out.getvalue()
    assert not HarvestSource.objects.exists() and not HarvestRun.objects.exists()
    assert not OpennessList.objects.exists()


def test_the_command_stores_texts_in_their_own_language_whatever_the_locale(
    world: World,
) -> None:
    """The site's default language is Chinese: labels in English fields stay English."""
    path = FIXTURES / "dcat-ap-de.rdf"
    with translation.override("zh-hans"):
        call_command(
            "harvest",
            str(path),
            publisher=world.platform_a.pk,
            actor="alice@example.org",
            stdout=io.StringIO(),
            verbosity=0,
        )
    resource = Resource.objects.get()
    assert resource.usage_terms_en == "Licence: http://dcat-ap.de/def/licenses/dl-by-de/2.0"
    assert resource.translations["de"]["usage_terms"] == "Stadt Beispielstadt, Verkehrsamt, 2024"
    draft = resource.openness_list
    assert draft.title_en == "Harvested from dcat-ap-de.rdf"
    assert draft.title_zh.startswith("采集自") and "dcat-ap-de.rdf" in draft.title_zh
