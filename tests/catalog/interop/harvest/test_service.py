"""Harvesting into a draft list: real catalogs, all-or-nothing, re-harvest, permissions."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.db import DatabaseError
from django.test import Client

from synergy_hub.audit.models import AuditEvent
from synergy_hub.audit.services import verify
from synergy_hub.catalog import services
from synergy_hub.catalog.interop.harvest import apply
from synergy_hub.catalog.interop.harvest.service import harvest_into_draft
from synergy_hub.catalog.models import HarvestRecord, HarvestRun, OpennessList, Resource
from synergy_hub.catalog.vocabulary import ListState
from tests import factories
from tests.catalog.interop.conftest import SmallCatalog
from tests.conftest import World
from tests.permissions import assert_refused
from tests.shared_data import SHARED_DATA, shared_data

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")

CATALOG_SUFFIXES = {".json", ".jsonld", ".rdf", ".ttl"}

#: What the real catalogs must give (the others must at least complete with a report).
EXPECTED: dict[str, dict[str, int]] = {
    "birmingham-ckan/package_search.json": {"imported": 10},
    "ckanext-dcat/dcat/catalog.rdf": {"imported": 2},
    "ckanext-dcat/dcat/catalog_pod.jsonld": {"imported": 1},
    "ckanext-dcat/dcat/dataset_health.ttl": {"imported": 1, "skipped": 0},
    "ckanext-dcat/ckan/health_dcat_ap.json": {"imported": 1, "skipped": 0},
    "ckanext-dcat/dcat/dataset_multilingual.ttl": {"imported": 1},
    "gsa-datajson/samples/usda.gov.data.json": {"imported": 3},
    "gsa-datajson/samples/collection-2-parent-4-children.data.json": {"imported": 6},
    "gsa-datajson/samples/missing-identifier-title.data.json": {"imported": 1, "failed": 2},
}
FAILING_SOURCES = {"ckanext-dcat/croissant/full_croissant_dataset.jsonld"}


def catalog_files() -> list[str]:
    root = SHARED_DATA / "catalogs"
    if not root.exists():
        return ["(public data not available)"]
    return sorted(
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.is_file() and path.suffix in CATALOG_SUFFIXES
    )


def harvest(world: World, path: Path | str, **options: Any) -> Any:
    return harvest_into_draft(
        world.alice, world.platform_a, world.batch, str(path), allow_files=True, **options
    )


# --- the real catalogs ----------------------------------------------------------------------


@pytest.mark.parametrize("name", catalog_files())
@pytest.mark.django_db
def test_each_real_catalog_harvests_with_a_report(world: World, name: str) -> None:
    path = shared_data("catalogs", *name.split("/"))
    report = harvest(world, path)
    assert report.status in ("completed", "failed")
    for entry in report.records:
        if entry.outcome in ("skipped", "failed"):
            assert entry.reason
    if not report.ok:
        assert report.error
        assert Resource.objects.count() == 0  # nothing half-imported
        assert HarvestRun.objects.get().status == "failed"
    if name in FAILING_SOURCES:
        assert not report.ok
    expected = EXPECTED.get(name)
    if expected is not None:
        assert report.ok, report.error
        assert {k: report.counts[k] for k in expected} == expected
        imported = Resource.objects.filter(openness_list__publisher=world.platform_a).count()
        assert imported == expected.get("imported", 0)
        assert report.to_dict()["counts"] == report.counts


@pytest.mark.django_db
def test_harvested_resources_are_drafts_with_validated_fields(world: World) -> None:
    report = harvest(world, shared_data("catalogs", "ckanext-dcat", "dcat", "catalog.rdf"))
    draft = OpennessList.objects.get(pk=report.list_id)
    assert report.list_created and draft.state == ListState.DRAFT
    assert draft.publisher == world.platform_a and draft.title_en == "An example catalog"
    first = draft.resources.order_by("position").first()
    assert first is not None
    assert first.title_en == "Example dataset 1"
    assert first.resource_type == "dataset" and first.access_mode == "open"
    assert set(first.keywords) == {"stats", "pollution"}
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {
        "catalog.list.created",
        "catalog.resource.added",
        "catalog.harvest.completed",
    } <= actions
    assert verify().ok


# --- all or nothing ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_nothing_is_half_imported_when_writing_fails(world: World, monkeypatch: Any) -> None:
    calls = {"n": 0}
    real_add = apply.add_resource_in_transaction

    def failing_add(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == 2:
            raise DatabaseError("disk full")
        return real_add(*args, **kwargs)

    monkeypatch.setattr(apply, "add_resource_in_transaction", failing_add)
    report = harvest(
        world, shared_data("catalogs", "gsa-datajson", "samples", "usda.gov.data.json")
    )
    assert not report.ok and "disk full" in report.error
    assert {e.outcome for e in report.records} == {"failed"}
    assert not OpennessList.objects.exists()
    assert not Resource.objects.exists()
    assert not HarvestRecord.objects.exists()
    failed = HarvestRun.objects.get()
    assert failed.status == "failed" and failed.openness_list is None
    assert verify().ok


# --- re-harvest ----------------------------------------------------------------------------------


def edited_copy(tmp_path: Path, original: Path, *edits: tuple[str, str]) -> Path:
    target = tmp_path / original.name  # same file name = same source
    text = original.read_text(encoding="utf-8")
    for old, new in edits:
        assert old in text
        text = text.replace(old, new)
    target.write_text(text, encoding="utf-8")
    return target


@pytest.mark.django_db
def test_harvesting_again_updates_instead_of_duplicating(world: World, tmp_path: Path) -> None:
    original = shared_data("catalogs", "gsa-datajson", "samples", "usda.gov.data.json")
    first = harvest(world, shutil.copy(original, tmp_path / original.name))
    assert first.counts["imported"] == 3
    again = harvest(world, tmp_path / original.name)
    assert again.counts["unchanged"] == 3 and again.list_id == first.list_id
    assert Resource.objects.count() == 3
    edited = edited_copy(
        tmp_path,
        original,
        (
            '"title": "Department of Agriculture Congressional Logs for Fiscal Year 2014"',
            '"title": "Renamed logs"',
        ),
    )
    changed = harvest(world, edited)
    assert changed.counts["updated"] == 1 and changed.counts["unchanged"] == 2
    assert Resource.objects.count() == 3
    assert Resource.objects.filter(title_en="Renamed logs").exists()
    assert HarvestRecord.objects.count() == 3


@pytest.mark.django_db
def test_records_gone_from_the_source_are_removed(world: World, tmp_path: Path) -> None:
    original = shared_data("catalogs", "ckanext-dcat", "dcat", "catalog.rdf")
    harvest(world, shutil.copy(original, tmp_path / original.name))
    edited = edited_copy(
        tmp_path,
        original,
        (
            "<dct:identifier>https://data.some.org/catalog/datasets/2</dct:identifier>",
            "<dct:identifier>https://data.some.org/catalog/datasets/2</dct:identifier>"
            "<dct:accessRights>non-public</dct:accessRights>",
        ),
    )
    report = harvest(world, edited)
    assert report.counts["removed"] == 1 and report.counts["skipped"] == 1
    assert Resource.objects.count() == 1


@pytest.mark.django_db
def test_a_published_list_gets_a_new_draft_version(world: World, tmp_path: Path) -> None:
    original = shared_data("catalogs", "gsa-datajson", "samples", "usda.gov.data.json")
    first = harvest(world, shutil.copy(original, tmp_path / original.name))
    draft = OpennessList.objects.get(pk=first.list_id)
    services.submit_list(world.alice, draft)
    services.start_review(world.officer, draft)
    published = services.publish_list(world.officer, draft)
    unchanged = harvest(world, tmp_path / original.name)
    assert unchanged.counts["unchanged"] == 3
    assert OpennessList.objects.count() == 1  # nothing changed: no new version
    edited = edited_copy(
        tmp_path,
        original,
        (
            '"title": "Department of Agriculture Congressional Logs for Fiscal Year 2014"',
            '"title": "Renamed logs"',
        ),
    )
    report = harvest(world, edited)
    version = OpennessList.objects.get(pk=report.list_id)
    assert (version.version, version.state, version.series) == (2, "draft", published.series)
    assert report.counts["updated"] == 1
    lineages = set(published.resources.values_list("lineage", flat=True))
    assert set(version.resources.values_list("lineage", flat=True)) == lineages
    assert not published.resources.filter(title_en="Renamed logs").exists()


@pytest.mark.django_db
def test_a_list_under_review_is_not_touched(world: World) -> None:
    path = shared_data("catalogs", "ckanext-dcat", "dcat", "catalog.rdf")
    first = harvest(world, path)
    services.submit_list(world.alice, OpennessList.objects.get(pk=first.list_id))
    report = harvest(world, path)
    assert not report.ok and "review" in report.error
    assert Resource.objects.count() == 2


@pytest.mark.django_db
def test_a_closed_batch_is_refused_for_a_new_list(world: World) -> None:
    closed = factories.batch(2, open_now=False)
    report = harvest_into_draft(
        world.alice,
        world.platform_a,
        closed,
        str(shared_data("catalogs", "ckanext-dcat", "dcat", "catalog.rdf")),
        allow_files=True,
    )
    assert not report.ok and not OpennessList.objects.exists()


@pytest.mark.django_db
def test_a_dry_run_writes_nothing(world: World) -> None:
    report = harvest(
        world, shared_data("catalogs", "ckanext-dcat", "dcat", "catalog.rdf"), dry_run=True
    )
    assert report.ok and report.dry_run and report.counts["imported"] == 2 and report.list_created
    assert not OpennessList.objects.exists() and not HarvestRun.objects.exists()


# --- who may harvest ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["bob", "charlie", "sam"])
@pytest.mark.django_db
def test_only_the_publishers_editors_may_harvest(world: World, who: str) -> None:
    path = str(shared_data("catalogs", "ckanext-dcat", "dcat", "catalog.rdf"))
    with pytest.raises(PermissionDenied):
        harvest_into_draft(
            getattr(world, who), world.platform_a, world.batch, path, allow_files=True
        )
    assert not Resource.objects.exists()


@pytest.mark.django_db
def test_a_programme_officer_may_harvest_for_a_publisher(world: World) -> None:
    path = str(shared_data("catalogs", "ckanext-dcat", "dcat", "catalog.rdf"))
    report = harvest_into_draft(
        world.officer, world.platform_a, world.batch, path, allow_files=True
    )
    assert report.ok and OpennessList.objects.get().publisher == world.platform_a
    with pytest.raises(PermissionDenied):
        harvest_into_draft(world.officer, world.sme, world.batch, path, allow_files=True)


@pytest.mark.django_db
def test_no_one_harvests_into_another_publishers_lists(world: World) -> None:
    """Another publisher (platform or laboratory), visitors, and anyone into a non-publisher."""
    path = str(shared_data("catalogs", "ckanext-dcat", "dcat", "catalog.rdf"))

    def into(publisher: Any) -> Any:
        return lambda actor: harvest_into_draft(
            actor, publisher, world.batch, path, allow_files=True
        )

    assert_refused(world, into(world.platform_a), "anonymous", "provider", "sme_b")
    assert_refused(world, into(world.testing_lab), "platform_operator", "other_platform")
    assert_refused(world, into(world.sme), "sme_a", "platform_operator", "officer")
    assert not Resource.objects.exists() and not HarvestRun.objects.exists()


@pytest.mark.django_db
def test_files_only_when_allowed(world: World) -> None:
    path = str(shared_data("catalogs", "ckanext-dcat", "dcat", "catalog.rdf"))
    report = harvest_into_draft(world.alice, world.platform_a, world.batch, path)
    assert not report.ok and "URL" in report.error


# --- our own catalog round-trips ---------------------------------------------------------------


@pytest.mark.django_db
def test_our_own_export_round_trips(small_catalog: SmallCatalog, tmp_path: Path) -> None:
    world = small_catalog.world
    exported = tmp_path / "hub.ttl"
    exported.write_bytes(Client().get("/catalog.ttl").content)
    provider, editor = world.testing_lab, world.lena
    report = harvest_into_draft(editor, provider, world.batch, str(exported), allow_files=True)
    assert report.ok and report.counts["imported"] == 3, report.to_dict()
    copy = Resource.objects.get(openness_list__publisher=provider, resource_type="laboratory")
    lab = small_catalog.lab
    for field in ("pillar", "access_mode", "unit", "title_zh", "title_en", "usage_terms_zh"):
        assert getattr(copy, field) == getattr(lab, field), field
    assert set(copy.keywords) == set(lab.keywords)
    assert [r.code for r in copy.regions.all()] == ["330000"]
    assert [i.code for i in copy.industries.all()] == ["C"]
    assert copy.eligible_size_classes == ["micro", "small"]
    gpu = Resource.objects.get(openness_list__publisher=provider, resource_type="compute")
    assert (gpu.price, gpu.sme_discount_percent, gpu.capacity_period) == (
        small_catalog.gpu.price,
        20,
        "month",
    )


# --- the command ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_harvest_command(world: World) -> None:
    path = str(
        shared_data("catalogs", "gsa-datajson", "samples", "missing-identifier-title.data.json")
    )
    out = io.StringIO()
    call_command(
        "harvest",
        path,
        publisher=world.platform_a.pk,
        actor="alice@example.org",
        stdout=out,
        verbosity=0,
    )
    text = out.getvalue()
    assert "imported" in text and "failed" in text and "1 imported, 2 failed" in text
    with pytest.raises(CommandError, match="harvest failed"):
        call_command(
            "harvest",
            str(
                shared_data(
                    "catalogs", "ckanext-dcat", "croissant", "full_croissant_dataset.jsonld"
                )
            ),
            publisher=world.platform_a.pk,
            actor="alice@example.org",
            stdout=io.StringIO(),
            verbosity=0,
        )


# --- health data and texts in other languages --------------------------------------------------


@pytest.mark.django_db
def test_non_public_health_data_is_imported_with_restricted_access_and_reported(
    world: World,
) -> None:
    report = harvest(world, shared_data("catalogs", "ckanext-dcat", "dcat", "dataset_health.ttl"))
    assert report.ok and report.counts["imported"] == 1 and report.counts["skipped"] == 0
    (entry,) = report.records
    assert ("access_mode", "NON_PUBLIC") in {(w.field, w.value) for w in entry.warnings}
    resource = Resource.objects.get(pk=entry.resource_id)
    assert resource.access_mode == "on_request"
    client = Client()
    client.force_login(world.alice)
    page = client.get(f"/resources/{resource.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200 and "On request" in page.content.decode()
    exported = client.get(f"/resources/{resource.pk}.ttl")
    assert b"access-right/RESTRICTED" in exported.content


@pytest.mark.django_db
def test_catalog_titles_in_other_languages_go_to_the_list(world: World, tmp_path: Path) -> None:
    source = tmp_path / "health.ttl"
    source.write_text(
        """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<http://example.org/catalog> a dcat:Catalog ;
    dct:title "Gezondheidscatalogus"@nl, "Catalogue santé"@fr-CH ;
    dcat:dataset <http://example.org/ds/1> .
<http://example.org/ds/1> a dcat:Dataset ; dct:identifier "1" ;
    dct:title "Cohort"@en ; dct:description "Patients."@en .
""",
        encoding="utf-8",
    )
    report = harvest(world, source)
    draft = OpennessList.objects.get(pk=report.list_id)
    assert draft.translations == {
        "fr-CH": {"title": "Catalogue santé"},
        "nl": {"title": "Gezondheidscatalogus"},
    }
    assert draft.title_en == "Harvested from health.ttl"
