"""The non-personalised ordering: the same results for any seeker, switched per account."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from synergy_hub.accounts.models import SizeClass
from synergy_hub.catalog.eligibility import seeker_of
from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.governance import services
from synergy_hub.matching.engine import ranking
from synergy_hub.matching.services import search_resources
from tests import factories
from tests.conftest import World


@pytest.fixture
def catalog(world: World) -> None:
    """GPU offers for different seekers: local to Zhejiang, for micro firms, nationwide."""
    the_list = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    factories.resource(the_list, title_en="GPU pool Hangzhou", regions=["330000"])
    factories.resource(
        the_list, title_en="GPU pool for micro firms", eligible_size_classes=["micro"]
    )
    factories.resource(the_list, title_en="GPU pool Beijing", regions=["110000"])
    factories.resource(the_list, title_en="GPU pool nationwide", price=None, access_mode="open")
    world.sme.size_class, world.sme.region_id = SizeClass.MICRO, "330100"
    world.sme.save()
    world.other_sme.size_class, world.other_sme.region_id = SizeClass.MEDIUM, "110101"
    world.other_sme.save()


def ranked(outcome: Any) -> list[tuple[str, float]]:
    return [(item.resource.title_en, round(item.result.total, 9)) for item in outcome.items]


def test_the_non_personalised_ordering_uses_no_profile_parameter() -> None:
    config = ranking.non_personalised(ranking.DEFAULT_CONFIG)
    used = {name for name, weight in config.weights.items() if weight > 0}
    assert used == {"relevance", "price_fit", "freshness"}
    assert abs(sum(config.weights.values()) - 1) < 1e-9


def test_two_smes_with_different_profiles_get_the_same_results(world: World, catalog: None) -> None:
    small, other = seeker_of(world.sme), seeker_of(world.other_sme)
    now = timezone.now()  # freshness moves with the clock
    personal = [
        ranked(search_resources("GPU pool", seeker=seeker, record_exposure=False, now=now))
        for seeker in (small, other)
    ]
    assert personal[0] != personal[1]  # the profiles do change the disclosed ordering
    neutral = [
        ranked(
            search_resources(
                "GPU pool", seeker=seeker, record_exposure=False, personalised=False, now=now
            )
        )
        for seeker in (small, other)
    ]
    assert neutral[0] == neutral[1]
    assert len(neutral[0]) == 4  # no eligibility filter on the seeker's profile either


def test_the_api_follows_the_accounts_stored_choice(
    world: World, catalog: None, api_as: Any
) -> None:
    for user in (world.sam, world.sid):
        services.set_ranking_preference(user, non_personalised=True)
    answers = []
    for user in (world.sam, world.sid):
        status, body = api_as(user).get("/search?q=GPU+pool")
        assert status == 200
        assert body["config_version"].endswith("+non-personalised")
        answers.append([item["resource"]["id"] for item in body["items"]])
    assert answers[0] == answers[1]
    status, body = api_as(world.sam).get("/search?q=GPU+pool&ordering=personalised")
    assert status == 200 and not body["config_version"].endswith("+non-personalised")
    status, body = api_as(world.sam).get("/me/ranking-preference")
    assert body == {"non_personalised": True}
    status, body = api_as(world.sam).call(
        "PUT", "/me/ranking-preference", {"non_personalised": False}
    )
    assert status == 200 and body == {"non_personalised": False}
