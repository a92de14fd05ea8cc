"""A WSGI application for the server's tests: answers with the scheme it was given, slowly."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "synergy_hub.config.settings")
django.setup()

DELAY_SECONDS = float(os.environ.get("ECHO_APP_DELAY", "0"))
STARTED = os.environ.get("ECHO_APP_STARTED", "")
"""A file touched when a request starts, so that a test knows the worker is busy."""


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    if STARTED:
        Path(STARTED).touch()
    time.sleep(DELAY_SECONDS)
    body = environ["wsgi.url_scheme"].encode("ascii")
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
