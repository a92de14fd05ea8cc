"""The list and resource forms take texts in other languages; every error in one round."""

from __future__ import annotations

from typing import Any

from synergy_hub.catalog.models import OpennessList, Resource
from tests import factories
from tests.conftest import World
from tests.pages import client_for


def rows(*given: tuple[str, str, str], second: str = "description") -> dict[str, str]:
    data = {"translations-rows": str(len(given))}
    for index, (language, title, text) in enumerate(given):
        data[f"translations-{index}-language"] = language
        data[f"translations-{index}-title"] = title
        data[f"translations-{index}-{second}"] = text
    return data


def resource_form(**overrides: Any) -> dict[str, Any]:
    form = factories.resource_payload(**overrides)
    form["keywords"] = "检测, testing"
    return form


def test_a_resource_is_saved_with_its_other_languages_and_keeps_their_keywords(
    world: World,
) -> None:
    draft = factories.openness_list(world.platform_a, world.batch, world.alice)
    client = client_for(world.alice, "en")
    response = client.post(
        f"/workspace/lists/{draft.pk}/resources/new/",
        {**resource_form(), **rows(("de", "Prüfdienst", "Akkreditierte Prüfung."))},
    )
    assert response.status_code == 302
    resource = Resource.objects.get()
    assert resource.translations == {
        "de": {"title": "Prüfdienst", "description": "Akkreditierte Prüfung."}
    }
    Resource.objects.filter(pk=resource.pk).update(
        translations={"de": {"title": "Prüfdienst", "keywords": ["Prüfung"]}}
    )
    page = client.get(f"/workspace/resources/{resource.pk}/").content.decode()
    assert 'name="translations-0-language"' in page and 'value="Prüfdienst"' in page
    response = client.post(
        f"/workspace/resources/{resource.pk}/",
        {**resource_form(), **rows(("de", "Neuer Titel", ""))},
    )
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.translations == {"de": {"title": "Neuer Titel", "keywords": ["Prüfung"]}}


def test_the_resource_form_shows_every_error_at_once(world: World) -> None:
    draft = factories.openness_list(world.platform_a, world.batch, world.alice)
    for language, expected in (
        ("en", ["is not a language tag", "is given twice", "Row 4: give the language"]),
        ("zh-hans", ["不是语言标签", "重复出现", "第 4 行：请填写这些文字的语言"]),
    ):
        response = client_for(world.alice, language).post(
            f"/workspace/lists/{draft.pk}/resources/new/",
            {
                **resource_form(sme_discount_percent=150, contact_email="not-an-address"),
                **rows(("deutsch", "a", ""), ("fr", "b", ""), ("fr", "c", ""), ("", "d", "")),
            },
        )
        text = response.content.decode()
        assert response.status_code == 200
        assert all(
            f'data-field="{f}"' in text
            for f in ("translations", "sme_discount_percent", "contact_email")
        )
        for message in expected:
            assert message in text, message
        assert 'value="deutsch"' in text  # what was typed is shown again
    assert not Resource.objects.exists()


def test_a_list_is_drafted_and_edited_with_other_languages(world: World) -> None:
    client = client_for(world.alice, "en")
    response = client.post(
        "/workspace/lists/new/",
        {"batch": world.batch.pk, **rows(("nl", "Open lijst", "Wat we delen."), second="summary")},
    )
    assert response.status_code == 302
    created = OpennessList.objects.get()
    assert created.translations == {"nl": {"title": "Open lijst", "summary": "Wat we delen."}}
    bad = client.post(
        f"/workspace/lists/{created.pk}/",
        {"title_en": "x" * 201, **rows(("zh-CN", "清单", ""), second="summary")},
    )
    text = bad.content.decode()
    assert bad.status_code == 200
    assert 'data-field="title_en"' in text and 'data-field="translations"' in text
    assert "zh-CN: Chinese and English texts go in their own fields" in text
    created.refresh_from_db()
    assert created.translations == {"nl": {"title": "Open lijst", "summary": "Wat we delen."}}
