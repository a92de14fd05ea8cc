"""The one home of the language rules: which text is shown, and checking other languages."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from synergy_hub.languages import OtherLanguageTexts, clean_translations
from synergy_hub.validation import FieldErrors

PARTS = {"name": 10, "description": 50}


class Named(OtherLanguageTexts):
    def __init__(self, zh: str, en: str, translations: dict[str, Any]) -> None:
        self.zh, self.en, self.translations = zh, en, translations

    @property
    def name(self) -> str:
        return self.shown(self.zh, self.en, "name")


def messages(value: Any) -> list[str]:
    errors = FieldErrors()
    clean_translations(errors, value, PARTS)
    with pytest.raises(ValidationError) as caught:
        errors.raise_if_any()
    return caught.value.message_dict["translations"]


def test_the_active_language_comes_first_then_the_other_then_other_languages_in_tag_order() -> None:
    both = Named("甲", "A", {"de": {"name": "D"}})
    german_and_french = Named("", "", {"fr": {"name": "F"}, "de": {"name": "D"}})
    with translation.override("en"):
        assert both.name == "A"
        assert Named("甲", "", {}).name == "甲"
        assert german_and_french.name == "D"
    with translation.override("zh-hans"):
        assert both.name == "甲"
        assert [(o.tag, o.label) for o in german_and_french.other_languages] == [
            ("de", "德语"),
            ("fr", "法语"),
        ]


def test_tags_are_normalised_and_empty_texts_dropped() -> None:
    errors = FieldErrors()
    clean = clean_translations(
        errors, {"DE_ch": {"name": " Name ", "description": ""}, "fr": {"name": ""}}, PARTS
    )
    errors.raise_if_any()
    assert clean == {"de-CH": {"name": "Name"}}


def test_every_problem_is_reported_at_once_naming_its_language() -> None:
    found = messages(
        {
            "deutsch": {"name": "x"},
            "en-GB": {"name": "x"},
            "zh-CN": {"name": "x"},
            "de": {"name": "x" * 11},
            "fr": {"title": "x"},
            "it": "text",
        }
    )
    assert len(found) == 6
    assert any("deutsch" in m for m in found)
    assert any(m.startswith("en-GB") for m in found) and any(m.startswith("zh-CN") for m in found)
    assert any(m.startswith("de:") and "10" in m for m in found)
    assert any(m.startswith("fr:") and "title" in m for m in found)


def test_the_same_language_twice_is_refused() -> None:
    assert messages({"de": {"name": "a"}, "DE": {"name": "b"}}) == ["de is given twice."]


def test_keywords_only_where_allowed() -> None:
    assert "keywords" in messages({"de": {"keywords": ["a"]}})[0]
    errors = FieldErrors()
    clean = clean_translations(errors, {"de": {"keywords": "a, b, a"}}, PARTS, keywords=(5, 10))
    assert clean == {"de": {"keywords": ["a", "b"]}}
