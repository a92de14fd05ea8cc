"""Batch matching on a local Dask cluster: stored, resumable, explained."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.management import call_command

from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.matching.batch import run_batch
from synergy_hub.matching.models import MatchChunk, MatchRun, NeedMatch, OutreachMatch
from tests import factories
from tests.conftest import World

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def setting_for_workers(settings: Any, tmp_path: Any) -> None:
    """Workers are other processes: they need a database file, not the in-memory one."""
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        name = settings.DATABASES["default"]["NAME"]
        if name == ":memory:" or "mode=memory" in str(name):
            pytest.skip("Dask workers cannot open an in-memory SQLite test database")


def _catalog(world: World) -> None:
    the_list = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    factories.resource(the_list, title_en="GPU computing pool", description_en="GPU for training")
    factories.resource(
        the_list,
        resource_type="testing_certification",
        title_zh="CE认证检测",
        title_en="CE certification testing",
        description_zh="CE标志与安全检测",
        description_en="CE marking and safety tests",
        unit="test_slot",
    )
    for n in range(5):
        factories.need(
            world.sme,
            world.sam,
            title=f"need GPU {n}",
            description="GPU hours for training",
            resource_types=[],
        )
    factories.need(
        world.other_sme,
        world.sid,
        title="CE testing",
        description="certification for export",
        resource_types=["testing_certification"],
    )


def test_needs_are_matched_in_chunks_and_resumable(world: World, setting_for_workers: None) -> None:
    _catalog(world)
    result = run_batch("needs", k=3, chunk_size=2, workers=1)
    run = result.run
    assert run.status == "completed" and run.total_chunks == 3 and run.done_chunks == 3
    ce = NeedMatch.objects.filter(run=run, need__title="CE testing").order_by("rank")
    assert ce.first().resource.title_en == "CE certification testing"
    assert "parameters" in ce.first().explanation
    # An interrupted run: forget one chunk and resume; only that chunk is computed again.
    MatchChunk.objects.filter(run=run, number=1).delete()
    MatchRun.objects.filter(pk=run.pk).update(status="failed")
    run.refresh_from_db()
    again = run_batch("needs", resume=run, workers=1)
    assert again.items == 2 and again.run.done_chunks == 3
    assert (
        NeedMatch.objects.filter(run=run).count()
        == NeedMatch.objects.filter(run=run).values("need", "rank").distinct().count()
    )


def test_outreach_finds_candidate_smes(world: World, setting_for_workers: None) -> None:
    _catalog(world)
    result = run_batch("outreach", k=2, chunk_size=5, workers=1)
    matches = OutreachMatch.objects.filter(run=result.run)
    assert matches.exists()
    ce = matches.filter(resource__title_en="CE certification testing").order_by("rank").first()
    assert ce.organisation == world.other_sme


def test_match_command_needs_all(world: World) -> None:
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="--all"):
        call_command("match")


def test_workers_open_the_database_of_the_caller() -> None:
    """Under tests that is the test database, not the one DATABASE_URL names."""
    from synergy_hub.matching.batch import _postgres_url

    database = {"USER": "hub", "PASSWORD": "p@ss/word", "HOST": "db", "PORT": 5432}
    assert (
        _postgres_url({**database, "NAME": "test_hub_gw0"})
        == "postgres://hub:p%40ss%2Fword@db:5432/test_hub_gw0"
    )
    assert _postgres_url({"NAME": "hub"}) == "postgres:///hub"
