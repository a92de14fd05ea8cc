"""The disclosed ranking's configuration: who may activate a version, and what is in force."""

from __future__ import annotations

from synergy_hub.matching import configuration
from synergy_hub.matching.models import RankingConfiguration
from tests.conftest import World
from tests.permissions import assert_refused

WEIGHTS = {
    "relevance": 0.5,
    "eligibility_fit": 0.1,
    "region_proximity": 0.1,
    "price_fit": 0.1,
    "free_capacity": 0.1,
    "provider_track_record": 0.05,
    "freshness": 0.05,
}


def test_only_the_officer_activates_a_ranking_version(world: World) -> None:
    assert_refused(
        world,
        lambda actor: configuration.publish_configuration(actor, version="2027-1", weights=WEIGHTS),
        "anonymous",
        "sme_a",
        "platform_operator",
        "platform_viewer",
        "provider",
    )
    assert not RankingConfiguration.objects.exists()
    configuration.publish_configuration(world.officer, version="2027-1", weights=WEIGHTS)
    assert configuration.active_configuration().ranking.version == "2027-1"
