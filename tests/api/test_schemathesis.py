"""Generated requests to every API operation, as every persona: no server error, no answer
that breaks the schema.

Schemathesis draws requests from /api/v1/openapi.json — valid ones and ones that break the
schema (out-of-range numbers, wrong types, missing fields) — and each drawn request is sent
once as each persona of tests/conftest.py, through the WSGI application the server runs.
The examples are few and derandomised, so the run is bounded and repeatable; a failure
names the request to reproduce it.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from synergy_hub.accounts.services import create_api_token
from synergy_hub.config.api import api
from synergy_hub.config.wsgi import application
from tests.conftest import PERSONAS, World

#: Examples per operation (each sent as every persona), drawn in a fixed order.
EXAMPLES = 10

schema = schemathesis.openapi.from_dict(
    api.get_openapi_schema(),
    config=schemathesis.Config.from_dict(
        {
            "generation": {
                "mode": "all",
                "max-examples": EXAMPLES,
                "deterministic": True,
                "no-shrink": True,
                "database": "none",
            },
            # The explicit examples and the generated ones; the coverage phase's boundary
            # cases (hundreds an operation) would take the run past its time budget.
            "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
        }
    ),
)

#: The checks that must hold for every answer, whoever asks.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def _connections_kept() -> Any:
    """Keep the test's database connection open across requests, as Django's test client does.

    The WSGI handler closes connections when a request finishes; in a test that is the
    connection holding the test's transaction.
    """
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def persona_headers(
    _connections_kept: None, world: World, settings: Any
) -> dict[str, dict[str, str]]:
    """The Authorization header of each persona (none for the anonymous one)."""
    # Generated sign-ups and wrong tokens must reach the operation, not the rate limit.
    settings.SYNERGY_THROTTLE_SIGN_UP = (100_000, 60)
    settings.SYNERGY_THROTTLE_TOKEN_FAILURES = (100_000, 60)
    headers: dict[str, dict[str, str]] = {}
    for name in PERSONAS:
        user = world.persona(name)
        if user is None:
            headers[name] = {}
        else:
            _token, secret = create_api_token(user, "schemathesis")
            headers[name] = {"Authorization": f"Bearer {secret}"}
    return headers


@schema.parametrize()
@settings(suppress_health_check=list(HealthCheck))
@pytest.mark.django_db
def test_every_operation_as_every_persona(
    case: schemathesis.Case, persona_headers: dict[str, dict[str, str]]
) -> None:
    for name, headers in persona_headers.items():
        response = case.call(app=application, headers=headers)
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except Exception as failure:
            failure.add_note(f"as persona {name}")
            raise
