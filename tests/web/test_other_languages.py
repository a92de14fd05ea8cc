"""The other-language rows of a form: read, checked all at once, kept parts, re-shown."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import translation

from synergy_hub.languages import clean_translations
from synergy_hub.validation import FieldErrors
from synergy_hub.web.other_languages import OtherLanguagesField, Part


def cleaner(errors: FieldErrors, value: Any) -> dict[str, dict[str, Any]]:
    return clean_translations(
        errors, value, {"title": 10, "description": 100, "usage_terms": 100}, keywords=(5, 20)
    )


class TextsForm(forms.Form):
    name = forms.CharField()
    translations = OtherLanguagesField(
        [Part("title", "Title"), Part("description", "Description", long=True)], cleaner
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["translations"]
        assert isinstance(field, OtherLanguagesField)
        field.kept = self.initial.get("translations") or {}


def rows(*given: tuple[str, str, str]) -> dict[str, str]:
    data = {"translations-rows": str(len(given))}
    for index, (language, title, description) in enumerate(given):
        data[f"translations-{index}-language"] = language
        data[f"translations-{index}-title"] = title
        data[f"translations-{index}-description"] = description
    return data


def test_rows_become_texts_by_normalised_tag_and_empty_rows_are_ignored() -> None:
    form = TextsForm({"name": "x", **rows(("de_ch", "Titel", ""), ("", "", ""), ("fr", "T", "D"))})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["translations"] == {
        "de-CH": {"title": "Titel"},
        "fr": {"title": "T", "description": "D"},
    }


def test_every_error_is_shown_in_one_round_with_the_other_fields() -> None:
    with translation.override("en"):
        form = TextsForm(
            rows(
                ("deutsch", "a", ""),  # not a tag
                ("zh-CN", "b", ""),  # Chinese has its own field
                ("en", "c", ""),  # so has English
                ("it", "x" * 11, ""),  # too long
                ("fr", "d", ""),
                ("FR", "e", ""),  # the same language again
                ("", "orphan", ""),  # a text without its language
            )
        )
        assert not form.is_valid()
        assert "name" in form.errors  # the other fields are checked in the same round
        messages = form.errors["translations"]
    assert len(messages) == 6
    assert messages[0] == "Row 7: give the language of these texts."
    assert any("deutsch" in m for m in messages) and any(m.startswith("zh-CN") for m in messages)
    assert any(m.startswith("en:") for m in messages) and "fr is given twice." in messages
    assert any(m.startswith("it:") and "10" in m for m in messages)


def test_the_same_tag_typed_twice_is_refused() -> None:
    form = TextsForm({"name": "x", **rows(("de", "a", ""), ("de", "b", ""))})
    assert not form.is_valid() and form.errors["translations"] == ["de is given twice."]


def test_parts_the_rows_do_not_show_are_kept_for_languages_still_given() -> None:
    stored = {
        "de": {"title": "Alt", "keywords": ["Wetter"], "usage_terms": "Nur Forschung."},
        "fr": {"title": "Ancien", "keywords": ["météo"]},
    }
    form = TextsForm({"name": "x", **rows(("de", "Neu", ""))}, initial={"translations": stored})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["translations"] == {
        "de": {"title": "Neu", "keywords": ["Wetter"], "usage_terms": "Nur Forschung."}
    }


def test_stored_languages_are_shown_as_rows_with_spare_ones_and_both_ui_languages() -> None:
    stored = {"de": {"title": "Titel", "description": "Text"}}
    for language, heading in (("en", "Language"), ("zh-hans", "语言")):
        with translation.override(language):
            html = str(TextsForm(initial={"translations": stored})["translations"])
        assert f'<th scope="col">{heading}</th>' in html
    assert 'name="translations-rows" value="3"' in html
    assert 'name="translations-0-language"' in html and 'value="de"' in html
    assert ">Text</textarea>" in html and "<script" not in html


def test_submitted_rows_are_shown_again_when_the_form_has_errors() -> None:
    html = str(TextsForm(rows(("deutsch", "Titel", "")))["translations"])
    assert 'value="deutsch"' in html and 'value="Titel"' in html
