"""What the search index reads of a resource: every language it holds, its title first."""

from __future__ import annotations

from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.matching.documents import document_text
from synergy_hub.matching.services import search_resources
from tests import factories
from tests.conftest import World

GERMAN_ONLY = {
    "title_zh": "",
    "title_en": "",
    "description_zh": "",
    "description_en": "",
    "keywords": [],
    "translations": {
        "de": {
            "title": "Luftqualitätsmessungen Bern",
            "description": "Stündliche Messwerte von Feinstaub und Stickstoffdioxid.",
            "keywords": ["Luftqualität", "Feinstaub"],
        }
    },
}


def test_a_resource_in_another_language_is_indexed_by_its_own_texts(world: World) -> None:
    the_list = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    german = factories.resource(the_list, resource_type="dataset", **GERMAN_ONLY)
    text = document_text(german)
    assert text.split("\n")[0] == "Luftqualitätsmessungen Bern"  # the title first
    assert "Stickstoffdioxid" in text and "Feinstaub" in text
    bilingual = factories.resource(the_list)
    assert document_text(bilingual).split("\n")[:2] == ["GPU算力资源池", "GPU computing pool"]
    outcome = search_resources("Feinstaub Messwerte", record_exposure=False)
    assert [item.resource.pk for item in outcome.items][:1] == [german.pk]


def test_the_type_label_never_changes_the_language_of_a_resource(world: World) -> None:
    """Only the resource's own languages get the type's name, so the language gate holds."""
    from synergy_hub.matching.engine.text import language_of

    the_list = factories.openness_list(world.platform_a, world.batch, world.alice)
    english = factories.resource(the_list, title_zh="", description_zh="")
    chinese = factories.resource(the_list, title_en="", description_en="")
    both = factories.resource(the_list)
    assert language_of(document_text(english)) == "en"
    assert language_of(document_text(chinese)) == "zh"
    assert "Computing power" in document_text(both) and "算力" in document_text(both)
