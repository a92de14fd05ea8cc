"""The real `ckanapi` client (PyPI) and a DCAT harvest over HTTP against a live test server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from synergy_hub.accounts.models import OrganisationKind, Role
from synergy_hub.catalog.interop.harvest.service import harvest_into_draft
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.selectors import current_batch, published_resources
from synergy_hub.demo.loader import load_demo_data
from tests import factories

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*"),
]

CKANAPI = Path(sys.executable).with_name("ckanapi")


def ckanapi(*args: str, url: str) -> str:
    """Run the ckanapi command line; its dump workers are found on PATH next to it."""
    env = {**os.environ, "PATH": f"{CKANAPI.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    result = subprocess.run(
        [str(CKANAPI), *args, "-r", url],
        capture_output=True,
        text=True,
        timeout=180,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.fixture
def demo() -> int:
    """A modest demo catalog; returns how many resources /api/v1/resources counts."""
    if not CKANAPI.exists():
        pytest.skip("the ckanapi command is not installed in this virtualenv")
    load_demo_data(resources=120, smes=10, needs=5, today=timezone.localdate())
    response = Client().get("/api/v1/resources", {"limit": 1})
    assert response.status_code == 200
    count = int(json.loads(response.content)["count"])
    assert count == published_resources().count() > 0
    return count


def test_ckanapi_search_and_dump_return_every_published_resource(
    live_server: Any, demo: int, tmp_path: Path
) -> None:
    url = live_server.url
    action = json.loads(ckanapi("action", "package_search", "rows=3", url=url))
    assert action["count"] == demo and len(action["results"]) == 3

    lines = ckanapi("search", "datasets", url=url).splitlines()  # pages until a page is empty
    searched = [json.loads(line)["name"] for line in lines]
    assert len(searched) == len(set(searched)) == demo

    dump = tmp_path / "datasets.jsonl"
    ckanapi("dump", "datasets", "--all", "-q", "-O", str(dump), url=url)
    dumped = [json.loads(line) for line in dump.read_text(encoding="utf-8").splitlines()]
    assert len(dumped) == demo
    assert {package["name"] for package in dumped} == set(searched)
    assert all(package["resources"] and package["organization"] for package in dumped)


def test_harvesting_our_catalog_over_http_follows_its_pages(
    live_server: Any, demo: int, settings: Any
) -> None:
    settings.SYNERGY_HARVEST_ALLOW_PRIVATE = True  # the live server listens on 127.0.0.1
    provider = factories.organisation(OrganisationKind.PROVIDER)
    editor = factories.user(provider, Role.EDITOR)
    batch = current_batch()
    assert batch is not None
    source = f"{live_server.url}/catalog.ttl?page_size=50"
    report = harvest_into_draft(editor, provider, batch, source)
    assert report.ok, report.error
    assert report.counts["imported"] == demo
    assert Resource.objects.filter(openness_list__publisher=provider).count() == demo
    again = harvest_into_draft(editor, provider, batch, source)
    assert again.counts["unchanged"] == demo
