"""An organisation's name and description in other languages: service, API, refusals."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from synergy_hub.accounts import services
from synergy_hub.audit.models import AuditEvent
from tests.conftest import World
from tests.openapi import error_fields
from tests.pages import client_for
from tests.permissions import assert_api_refused, assert_refused

GERMAN = {"de": {"name": "Kleinfirma", "description": "Wir bauen Sensoren."}}


def test_an_administrator_gives_the_name_in_other_languages(world: World) -> None:
    updated = services.update_organisation(
        world.sam, world.sme, {"translations": {"DE": GERMAN["de"], "fr": {"name": ""}}}
    )
    assert updated.translations == GERMAN  # tag normalised, empty language dropped
    with translation.override("en"):
        assert updated.name == "Small Co"  # the UI's languages come first
        assert [(o.tag, o.label) for o in updated.other_languages] == [("de", "German")]
    event = AuditEvent.objects.filter(action="accounts.organisation.updated").latest("pk")
    assert event.after["other_languages"] == ["de"]


def test_other_fields_are_kept_when_only_the_languages_change(world: World) -> None:
    first = services.update_organisation(world.sam, world.sme, {"translations": GERMAN})
    again = services.update_organisation(world.sam, first, {"employees": 45})
    assert again.translations == GERMAN


def test_bad_languages_are_refused_naming_the_field_and_nothing_is_written(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        services.update_organisation(
            world.sam,
            world.sme,
            {"translations": {"en": {"name": "x"}, "xx-not-a-tag!": {"name": "y"}}},
        )
    assert len(caught.value.message_dict["translations"]) == 2
    world.sme.refresh_from_db()
    assert world.sme.translations == {}


def test_only_the_organisations_administrator_changes_its_languages(world: World) -> None:
    assert_refused(
        world,
        lambda actor: services.update_organisation(actor, world.sme, {"translations": GERMAN}),
        "anonymous",
        "sme_b",
        "platform_operator",
        "officer",
    )


def test_the_api_reads_and_writes_the_languages(api_as: Any, world: World) -> None:
    sam = api_as(world.sam)
    status, body = sam.patch(f"/organisations/{world.sme.pk}", {"translations": GERMAN})
    assert status == 200 and body["translations"] == GERMAN
    status, body = api_as().get(f"/organisations/{world.sme.pk}")
    assert status == 200 and body["translations"]["de"]["name"] == "Kleinfirma"
    status, body = sam.patch(
        f"/organisations/{world.sme.pk}", {"translations": {"zh-Hans": {"name": "小"}}}
    )
    assert status == 422 and "translations" in error_fields(body)
    assert_api_refused(
        world,
        "PATCH",
        f"/organisations/{world.sme.pk}",
        {"translations": GERMAN},
        anonymous=401,
        sme_b=403,
    )


def profile_form(org: Any, **extra: str) -> dict[str, Any]:
    return {
        "name_zh": org.name_zh,
        "name_en": org.name_en,
        "uscc": org.uscc,
        "region": org.region_id,
        "industry": org.industry_id,
        "employees": 45,  # new figures in the same size class: saved without review
        "revenue": "800",
        **extra,
    }


def test_the_profile_form_saves_names_in_other_languages(world: World) -> None:
    client = client_for(world.sam, "en")
    page = client.get("/workspace/organisation/").content.decode()
    assert 'name="translations-rows"' in page and "Name and description in other languages" in page
    response = client.post(
        "/workspace/organisation/",
        profile_form(
            world.sme,
            **{
                "translations-rows": "1",
                "translations-0-language": "de",
                "translations-0-name": "Kleinfirma",
                "translations-0-description": "Wir bauen Sensoren.",
            },
        ),
    )
    assert response.status_code == 302
    world.sme.refresh_from_db()
    assert world.sme.translations == GERMAN
    public = client_for(None, "en").get(f"/organisations/{world.sme.pk}/").content.decode()
    assert "German</span> Kleinfirma" in public


def test_the_profile_form_shows_every_error_at_once(world: World) -> None:
    response = client_for(world.sam, "zh-hans").post(
        "/workspace/organisation/",
        profile_form(
            world.sme,
            contact_email="not-an-address",
            **{
                "translations-rows": "3",
                "translations-0-language": "en",
                "translations-0-name": "Small",
                "translations-1-language": "de",
                "translations-1-name": "K" * 201,
                "translations-2-name": "ohne Sprache",
            },
        ),
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert 'data-field="contact_email"' in text and text.count('data-field="translations"') == 3
    assert "第 3 行：请填写这些文字的语言" in text
    world.sme.refresh_from_db()
    assert world.sme.translations == {}
