"""API authentication: bearer tokens, or the browser session with its CSRF token on writes."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from tests.conftest import World
from tests.openapi import API_PREFIX, openapi


def test_session_writes_need_the_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.alice)
    response = client.post("/api/v1/lists", data={"title_zh": "x"}, content_type="application/json")
    assert response.status_code == 403
    client.get("/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        "/api/v1/lists",
        data={"title_zh": "x"},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert response.status_code == 201


def test_a_session_post_to_an_open_endpoint_needs_the_csrf_token_too(world: World) -> None:
    """Open endpoints take anonymous writes, but not a logged-in session's without its token."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.sam)
    body = {"policy_template": {"templates": ["research_only"]}}
    url = "/api/v1/policies/preview"
    assert client.post(url, data=body, content_type="application/json").status_code == 403
    client.get("/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    answered = client.post(
        url, data=body, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert answered.status_code == 200
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.post(url, data=body, content_type="application/json").status_code == 200


def test_a_wrong_token_is_refused_even_where_anonymous_callers_are_welcome(
    api_as: Any, db: None
) -> None:
    stranger = api_as()
    stranger.headers["Authorization"] = "Bearer shub_wrong"
    assert stranger.get("/resources")[0] == 401
    assert stranger.get("/ranking")[0] == 401
    assert api_as().get("/ranking")[0] == 200


def test_every_operation_that_documents_a_login_answers_401_to_anonymous_callers(
    api_as: Any, db: None
) -> None:
    """The schema's security requirements hold: written once for every endpoint (NetBox)."""
    checked = []
    for template, operations in openapi()["paths"].items():
        for method, operation in operations.items():
            if not operation.get("security"):
                continue
            path = re.sub(r"\{[^}]+\}", "1", template).removeprefix(API_PREFIX)
            body = {} if method in ("post", "patch") else None
            status, _body = api_as().call(method.upper(), path, body)
            assert status == 401, f"{method.upper()} {template} answered {status}"
            checked.append(f"{method.upper()} {template}")
    assert len(checked) >= 40  # every write and every private read
