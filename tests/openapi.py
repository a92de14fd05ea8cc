"""Check API responses against our own OpenAPI document, as Zulip does."""

from __future__ import annotations

import functools
import json
import re
from typing import Any

from django.test import Client
from jsonschema import Draft202012Validator

API_PREFIX = "/api/v1"


@functools.cache
def openapi() -> dict[str, Any]:
    """The schema served at /api/v1/openapi.json."""
    response = Client().get(f"{API_PREFIX}/openapi.json")
    assert response.status_code == 200
    return json.loads(response.content)


def _operation(path: str, method: str) -> dict[str, Any]:
    document = openapi()
    bare = path.split("?")[0]
    for template, operations in document["paths"].items():
        pattern = "^" + re.sub(r"\{[^}]+\}", r"[^/]+", template) + "$"
        if re.match(pattern, bare) and method.lower() in operations:
            return operations[method.lower()]  # type: ignore[no-any-return]
    raise AssertionError(f"{method} {path} is not in the OpenAPI schema")


def assert_matches_schema(method: str, path: str, response: Any) -> Any:
    """Validate the response body against the operation's documented schema; return the body."""
    operation = _operation(path, method)
    status = str(response.status_code)
    responses = operation["responses"]
    assert status in responses, (
        f"{method} {path} answered {status}, not documented ({list(responses)})"
    )
    content = responses[status].get("content")
    if content is None:
        assert not response.content, "undocumented body"
        return None
    body = json.loads(response.content)
    schema = content["application/json"]["schema"]
    validator = Draft202012Validator({**schema, "components": openapi()["components"]})
    errors = sorted(validator.iter_errors(body), key=lambda e: list(e.path))
    assert not errors, "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])
    return body


def error_fields(body: Any) -> set[str]:
    """The fields a 422 answer names."""
    return {str(item["loc"][-1]) for item in body["detail"]}
