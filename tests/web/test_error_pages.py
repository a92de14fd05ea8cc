"""The site's own error pages, in the visitor's language; no debug page unless asked for."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize(("language", "heading"), [("zh-Hans", "页面不存在"), ("en", "Not found")])
def test_an_unknown_url_answers_the_sites_404_in_the_visitors_language(
    language: str, heading: str
) -> None:
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert heading in body
    assert "URLconf" not in body and "Using the URLconf" not in body


def test_debug_is_off_unless_asked_for() -> None:
    environment = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "DJANGO_ENV")}
    environment["DJANGO_SETTINGS_MODULE"] = "synergy_hub.config.settings"
    check = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    off = subprocess.run(
        [sys.executable, "-c", check], env=environment, capture_output=True, text=True, check=True
    )
    on = subprocess.run(
        [sys.executable, "-c", check],
        env={**environment, "DEBUG": "1"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert (off.stdout.strip(), on.stdout.strip()) == ("False", "True")


def test_static_files_are_served_by_the_app_with_debug_off() -> None:
    response = Client().get("/static/web/site.css")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)  # type: ignore[attr-defined]
