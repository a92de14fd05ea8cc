"""Calls /api/v1 from a logged-in browser session (with its CSRF token), as the pages' scripts
would: the only caller allowed to create and revoke API tokens.
"""

from __future__ import annotations

import json
from typing import Any

from django.test import Client

from synergy_hub.accounts.models import User
from tests.openapi import API_PREFIX, assert_matches_schema


class SessionApi:
    """A logged-in session calling the API, each answer validated against the schema."""

    def __init__(self, user: User | None) -> None:
        self.client = Client(enforce_csrf_checks=True)
        if user is not None:
            self.client.force_login(user)
        self.client.get("/")  # sets the CSRF cookie
        self.csrf = self.client.cookies["csrftoken"].value

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        url = API_PREFIX + path
        kwargs: dict[str, Any] = {"headers": {"X-CSRFToken": self.csrf}}
        if body is not None:
            kwargs["data"] = json.dumps(body)
            kwargs["content_type"] = "application/json"
        response = getattr(self.client, method.lower())(url, **kwargs)
        return response.status_code, assert_matches_schema(method, url, response)

    def get(self, path: str) -> tuple[int, Any]:
        return self.call("GET", path)

    def post(self, path: str, body: Any = None) -> tuple[int, Any]:
        return self.call("POST", path, body if body is not None else {})

    def delete(self, path: str) -> tuple[int, Any]:
        return self.call("DELETE", path)
