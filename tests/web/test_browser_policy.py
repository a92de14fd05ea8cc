"""Every page runs under a content security policy without inline script, and the browser
features the hub does not use are switched off (Permissions-Policy)."""

from __future__ import annotations

import re
from collections import deque
from typing import Any

import pytest
from django.test import Client

from synergy_hub.catalog.models import OpennessList
from tests.conftest import World
from tests.pages import client_for, published_gpu_list

SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)
LINK = re.compile(r'href="(/[^"#?]*)')
SKIP = ("/static/", "/i18n/", "/logout/", "/api/", "/admin/", "/catalog", "/id/")
EXTRA = ["/api/v1/docs", "/admin/login/", "/password/reset/", "/signup/", "/login/"]


@pytest.fixture
def published(world: World) -> OpennessList:
    return published_gpu_list(world)


def inline_scripts(html: str) -> list[str]:
    """The <script> tags that would run code written in the page itself."""
    found = []
    for attributes in SCRIPT.findall(html):
        if "src=" in attributes or "nonce=" in attributes:
            continue
        if re.search(r'type="application/(ld\+)?json"', attributes):
            continue  # data, never executed
        found.append(attributes)
    return found


def crawl(client: Client, start: list[str], limit: int = 40) -> dict[str, Any]:
    """Follow the site's own links breadth-first from `start`; the pages that answered 200."""
    seen = set(start)
    queue = deque(start)
    pages = {}
    while queue and len(pages) < limit:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        pages[path] = response
        for link in LINK.findall(response.content.decode()):
            if link not in seen and not link.startswith(SKIP):
                seen.add(link)
                queue.append(link)
    return pages


@pytest.mark.parametrize("persona", [None, "alice", "sam", "officer"])
def test_no_page_has_inline_script_and_all_carry_the_policies(
    published: OpennessList, world: World, persona: str | None
) -> None:
    user = getattr(world, persona) if persona else None
    pages = crawl(client_for(user, "en"), ["/", "/workspace/", *EXTRA])
    assert len(pages) >= 10, sorted(pages)
    for path, response in pages.items():
        assert inline_scripts(response.content.decode()) == [], path
        policy = response["Content-Security-Policy"]
        assert (
            "script-src 'self'" in policy
            and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        ), (path, policy)
        assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
        assert "camera=()" in response["Permissions-Policy"], path


def test_the_api_answers_carry_the_policies(db: None) -> None:
    response = Client().get("/api/v1/organisations")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


def test_the_check_finds_inline_script() -> None:
    html = (
        '<script src="/a.js"></script><script type="application/json">{}</script>'
        "<script>x()</script>"
    )
    assert inline_scripts(html) == [""]
    assert inline_scripts('<script nonce="abc">x()</script>') == []
