"""The language switch of the base template: the choice sticks for the next pages."""

from __future__ import annotations

import pytest

from synergy_hub.catalog.models import OpennessList
from tests.conftest import World
from tests.pages import client_for, published_gpu_list


@pytest.fixture
def published(world: World) -> OpennessList:
    return published_gpu_list(world)


def test_language_switch_sets_the_language(published: OpennessList) -> None:
    client = client_for()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/lists/"})
    assert response.status_code == 302
    assert b'<html lang="en">' in client.get("/lists/").content
