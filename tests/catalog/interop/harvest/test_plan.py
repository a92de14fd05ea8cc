"""The harvest plan: what a dry run reports is what the real run then writes."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from synergy_hub.audit.models import AuditEvent
from synergy_hub.catalog import services
from synergy_hub.catalog.interop.harvest.fetch import fetch_source
from synergy_hub.catalog.interop.harvest.plan import HarvestJob, check_records, make_plan
from synergy_hub.catalog.interop.harvest.report import HarvestReport
from synergy_hub.catalog.interop.harvest.service import harvest_into_draft
from synergy_hub.catalog.interop.harvest.sources import read_catalog
from synergy_hub.catalog.models import HarvestRun, Resource
from tests import factories
from tests.conftest import World
from tests.shared_data import shared_data

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")

RENAMED = (
    '"title": "Department of Agriculture Congressional Logs for Fiscal Year 2014"',
    '"title": "Renamed logs"',
)
GONE = "http://enterprisecontent-usfs.opendata.arcgis.com/datasets/f1879e9f6798461f8fd54719ea2231f8"


def harvest(world: World, path: Path, **options: Any) -> HarvestReport:
    return harvest_into_draft(
        world.alice, world.platform_a, world.batch, str(path), allow_files=True, **options
    )


def usda_copy(tmp_path: Path) -> Path:
    original = shared_data("catalogs", "gsa-datajson", "samples", "usda.gov.data.json")
    return Path(shutil.copy(original, tmp_path / original.name))


def edit(source: Path) -> None:
    """Rename one record and give another a new identifier (one removal, one addition)."""
    text = source.read_text(encoding="utf-8").replace(*RENAMED)
    source.write_text(text.replace(f'"identifier": "{GONE}"', '"identifier": "USDA-NEW"'))


def outcomes(report: HarvestReport) -> list[tuple[str, str]]:
    return [(entry.identifier, entry.outcome.value) for entry in report.records]


def test_the_plan_sorts_the_records_and_writes_nothing(world: World, tmp_path: Path) -> None:
    source = usda_copy(tmp_path)
    harvest(world, source)
    edit(source)
    fetched = fetch_source(str(source), allow_files=True)
    parsed = read_catalog(fetched)
    report = HarvestReport(source=str(source), publisher_id=world.platform_a.pk)
    job = HarvestJob(world.alice, world.platform_a, world.batch, fetched, parsed)
    events = AuditEvent.objects.count()
    plan = make_plan(job, check_records(parsed, report), report)
    assert [p.item.mapped.identifier for p in plan.update] == ["USDA-DM-002"]
    assert [p.item.mapped.identifier for p in plan.add] == ["USDA-NEW"]
    assert len(plan.unchanged) == 1 and not plan.failed
    assert [r.earlier.source_id for r in plan.remove] == [GONE]
    assert plan.changes and not plan.creates_list
    assert AuditEvent.objects.count() == events and Resource.objects.count() == 3


def test_a_dry_run_reports_what_the_real_run_does(world: World, tmp_path: Path) -> None:
    source = usda_copy(tmp_path)
    first_dry, first = harvest(world, source, dry_run=True), harvest(world, source)
    assert outcomes(first_dry) == outcomes(first) and first_dry.list_created
    edit(source)
    runs = HarvestRun.objects.count()
    again_dry = harvest(world, source, dry_run=True)
    assert HarvestRun.objects.count() == runs
    again = harvest(world, source)
    assert outcomes(again_dry) == outcomes(again)
    assert again.counts == again_dry.counts
    assert {k: again.counts[k] for k in ("imported", "updated", "unchanged", "removed")} == {
        "imported": 1,
        "updated": 1,
        "unchanged": 1,
        "removed": 1,
    }


def test_a_harvested_resource_is_audited_like_one_added_by_hand(
    world: World, tmp_path: Path
) -> None:
    draft = factories.openness_list(world.platform_a, world.batch, world.alice)
    services.add_resource(world.alice, draft, factories.resource_payload())
    harvest(world, usda_copy(tmp_path))
    added = list(AuditEvent.objects.filter(action="catalog.resource.added").order_by("seq"))
    assert len(added) == 4
    by_hand, harvested = added[0], added[1]
    assert (by_hand.object_type, by_hand.organisation_id, by_hand.actor_id) == (
        harvested.object_type,
        harvested.organisation_id,
        harvested.actor_id,
    )
    assert by_hand.after is not None and harvested.after is not None
    assert set(by_hand.after) == set(harvested.after)
