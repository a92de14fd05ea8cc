"""The catalog's region and industry filters keep every resource whose served areas overlap."""

from __future__ import annotations

from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.selectors import filter_resources
from synergy_hub.catalog.vocabulary import ListState
from tests import factories
from tests.conftest import World


def titles(**wanted: str) -> set[str]:
    return set(
        filter_resources(Resource.objects.all(), **wanted).values_list("title_en", flat=True)
    )


def test_region_and_industry_filters_match_both_ways(world: World) -> None:
    published = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    factories.resource(published, title_en="Guangdong", regions=["440000"])
    factories.resource(published, title_en="Shenzhen", regions=["440300"], industries=["39"])
    factories.resource(published, title_en="Nanshan", regions=["440305"], industries=["C"])
    factories.resource(published, title_en="Beijing", regions=["110000"], industries=["65"])
    factories.resource(published, title_en="Everywhere")

    assert titles(region="440000") == {"Guangdong", "Shenzhen", "Nanshan", "Everywhere"}
    assert titles(region="440300") == {"Guangdong", "Shenzhen", "Nanshan", "Everywhere"}
    assert titles(region="440305") == {"Guangdong", "Shenzhen", "Nanshan", "Everywhere"}
    assert titles(region="440100") == {"Guangdong", "Everywhere"}  # Guangzhou
    assert titles(industry="C") == {"Guangdong", "Shenzhen", "Nanshan", "Everywhere"}
    assert titles(industry="3911") == {"Guangdong", "Shenzhen", "Nanshan", "Everywhere"}
    assert titles(industry="I") == {"Guangdong", "Beijing", "Everywhere"}
    assert titles(region="440300", industry="65") == {"Guangdong", "Everywhere"}
