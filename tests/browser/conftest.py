"""Drive Debian's Chromium with Playwright against a live test server.

Never a downloaded browser: without the Debian package the browser tests skip.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import caches

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.skip("Debian's chromium package is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the Django calls the test makes
    # around it are ordinary synchronous ones.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(autouse=True)
def _fresh_login_counts(transactional_db: None) -> None:
    """Every browser test logs in from the same address: without this, the login limit per
    address (counted in the database cache table, which flushing the database keeps) is
    reached after a few tests and later logins are answered 429."""
    caches["throttle"].clear()
