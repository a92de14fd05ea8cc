"""A crash between a publication's commit and its index update is made good at start-up."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from synergy_hub.catalog import services as catalog
from synergy_hub.catalog.signals import list_publishing
from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.matching import generations
from synergy_hub.matching.engine import storage
from synergy_hub.matching.generations import Generation, replay_range
from synergy_hub.matching.index import IndexStore, store
from synergy_hub.matching.models import CatalogChange
from synergy_hub.matching.services import search_resources
from tests import factories
from tests.conftest import World
from tests.matching.test_index_updates import _publish_new_list


def _found(query: str) -> set[str]:
    return {hit.resource.title_en for hit in search_resources(query, record_exposure=False).items}


def _crash(*args: Any, **kwargs: Any) -> str:
    """The index update after the commit fails, as if the process died right after it."""
    raise OSError("killed between the commit and the index update")


def _indexed_world(world: World) -> None:
    existing = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    factories.resource(existing)
    search_resources("GPU", record_exposure=False)  # builds the index


def test_each_publication_is_numbered_in_its_own_transaction(world: World) -> None:
    before = generations.current()
    the_list = _publish_new_list(world)
    catalog.publish_list(world.officer, the_list)
    after = generations.current()
    assert after.value == before.value + 1
    change = CatalogChange.objects.get(generation=after.value)
    assert change.published_id == the_list.pk and change.superseded_id is None


def test_a_publication_that_rolls_back_takes_no_number(world: World) -> None:
    """The number is written in the publishing transaction: a later failure in it undoes both."""
    the_list = _publish_new_list(world)
    before = generations.current()

    def fail(**kwargs: Any) -> None:
        raise RuntimeError("the publication fails after its number was taken")

    list_publishing.connect(fail, weak=False, dispatch_uid="test-failing-receiver")
    try:
        with pytest.raises(RuntimeError):
            catalog.publish_list(world.officer, the_list)
    finally:
        list_publishing.disconnect(dispatch_uid="test-failing-receiver")
    the_list.refresh_from_db()
    assert the_list.state == ListState.UNDER_REVIEW
    assert generations.current() == before
    assert not CatalogChange.objects.exists()


def test_a_crash_after_the_commit_is_replayed_at_start_up(
    world: World, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _indexed_world(world)
    index = store()
    the_list = _publish_new_list(world)
    with monkeypatch.context() as crashing:
        crashing.setattr(IndexStore, "_apply", _crash)
        with django_capture_on_commit_callbacks(execute=True):
            catalog.publish_list(world.officer, the_list)
    the_list.refresh_from_db()
    assert the_list.state == ListState.PUBLISHED  # the publication committed
    assert not index.in_step()
    assert "Tidal energy test basin" not in _found("tidal energy")
    status = io.StringIO()
    call_command("index", "status", stdout=status)
    assert "behind: run `index reconcile`" in status.getvalue()

    restarted = IndexStore(index.root, index.encoder_name)  # a new process after the crash
    restarted.retriever()  # the first load replays the missing change
    assert restarted.in_step()
    assert "Tidal energy test basin" in _found("tidal energy")


def test_the_reconcile_command_replays_without_a_rebuild(
    world: World, django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    _indexed_world(world)
    index = store()
    first = _publish_new_list(world)
    with monkeypatch.context() as crashing:
        crashing.setattr(IndexStore, "_apply", _crash)
        with django_capture_on_commit_callbacks(execute=True):
            catalog.publish_list(world.officer, first)
    rebuilt: list[str] = []
    monkeypatch.setattr(IndexStore, "_rebuild", lambda self, *a: rebuilt.append("x") or "")
    call_command("index", "reconcile", verbosity=0)
    assert rebuilt == [] and index.in_step()
    assert "Tidal energy test basin" in _found("tidal energy")


def test_an_index_from_another_epoch_is_rebuilt(world: World) -> None:
    _indexed_world(world)
    the_list = _publish_new_list(world)
    catalog.publish_list(world.officer, the_list)  # outside on_commit capture: index behind
    index = store()
    name = index.generation()
    assert name is not None
    foreign = Generation("0" * 32, 1)
    storage.write_json_atomic(index.root / name / "synced.json", foreign.to_json())
    assert index.reconcile().startswith("rebuilt")
    assert index.in_step()
    assert "Tidal energy test basin" in _found("tidal energy")


@pytest.mark.parametrize(
    ("have", "want", "expected"),
    [
        (None, Generation("a", 3), None),
        (Generation("a", 3), Generation("a", 3), range(4, 4)),
        (Generation("a", 1), Generation("a", 3), range(2, 4)),
        (Generation("a", 4), Generation("a", 3), None),
        (Generation("b", 1), Generation("a", 3), None),
        (Generation("", 0), Generation("a", 2), range(1, 3)),
    ],
)
def test_replay_range(have: Generation | None, want: Generation, expected: range | None) -> None:
    assert replay_range(have, want) == expected


def test_a_gap_in_the_record_means_a_rebuild(world: World) -> None:
    first = _publish_new_list(world)
    catalog.publish_list(world.officer, first)
    CatalogChange.objects.all().delete()
    assert generations.changes_between(range(1, 2)) is None
