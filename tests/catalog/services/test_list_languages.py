"""An openness list's title and summary in other languages: checked, kept, copied, refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from synergy_hub.catalog import services
from synergy_hub.catalog.vocabulary import ListState
from tests import factories
from tests.conftest import World
from tests.permissions import assert_refused

DUTCH = {"nl": {"title": "Open lijst", "summary": "Wat we delen."}}


def test_a_list_may_be_titled_in_another_language_only(world: World) -> None:
    created = services.create_list(world.alice, world.batch, {"translations": DUTCH})
    assert created.translations == DUTCH and not created.title_zh and not created.title_en
    with translation.override("zh-hans"):
        assert created.title == "Open lijst" and created.summary == "Wat we delen."


def test_a_list_needs_a_title_in_some_language(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        services.create_list(world.alice, world.batch, {"translations": {"nl": {"summary": "x"}}})
    assert "title_zh" in caught.value.message_dict


def test_every_bad_language_is_reported_at_once(world: World) -> None:
    draft = factories.openness_list(world.platform_a, world.batch, world.alice)
    with pytest.raises(ValidationError) as caught:
        services.update_list(
            world.alice,
            draft,
            {"translations": {"en-US": {"title": "x"}, "nl": {"title": "x" * 201}, "?": {}}},
        )
    assert len(caught.value.message_dict["translations"]) == 3
    draft.refresh_from_db()
    assert draft.translations == {}


def test_a_new_version_keeps_the_other_languages(world: World) -> None:
    published = factories.openness_list(
        world.platform_a,
        world.batch,
        world.alice,
        state=ListState.PUBLISHED,
        translations=DUTCH,
    )
    draft = services.create_new_version(world.alice, published)
    assert draft.translations == DUTCH


def test_only_the_publishers_editors_change_the_languages(world: World) -> None:
    draft = factories.openness_list(world.platform_a, world.batch, world.alice)
    assert_refused(
        world,
        lambda actor: services.update_list(actor, draft, {"translations": DUTCH}),
        "platform_viewer",
        "other_platform",
        "sme_a",
    )
