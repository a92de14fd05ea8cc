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
    again = services.update_organisation(world.sam, first, {"employees": 5, "revenue": "100"})
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
