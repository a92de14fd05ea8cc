"""Bounded inputs and JSON errors under /api/: a number too wide for a column is a 4xx.

Each of the out-of-range requests below once answered a server error (an overflow inside
the query) with an HTML page; the class is closed at the edge (`synergy_hub.api.bounds`,
`FieldErrors.integer`, the CKAN parameters), and the schema test keeps every new integer
parameter bounded.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from synergy_hub.catalog.interop.ckan import actions as ckan_actions
from synergy_hub.validation import INTEGER_MAX
from tests.conftest import Api, World
from tests.openapi import openapi

TOO_WIDE = "99999999999999999999"  # wider than any database integer (2**63 - 1)


def _json(response: Any) -> Any:
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    return json.loads(response.content)


def _named_fields(body: Any) -> set[str]:
    """The fields an error body names: ninja's `detail` list or CKAN's validation error."""
    if "detail" in body:
        return {str(item["loc"][-1]) for item in body["detail"]}
    return set(body["error"]) - {"__type", "message"}


@pytest.mark.parametrize(
    ("url", "field"),
    [
        (f"/api/v1/lists?limit={TOO_WIDE}", "limit"),
        (f"/api/v1/organisations?offset={TOO_WIDE}", "offset"),
        (f"/api/3/action/package_search?start={TOO_WIDE}", "start"),
        (f"/api/3/action/package_list?offset={TOO_WIDE}", "offset"),
        (f"/api/v1/resources?publisher={TOO_WIDE}", "publisher"),
        (f"/api/v1/lists?publisher={TOO_WIDE}", "publisher"),
        (f"/api/v1/search?q=GPU&publisher={TOO_WIDE}", "publisher"),
        (f"/api/v1/search?q=GPU&offset={TOO_WIDE}", "offset"),
        (f"/api/3/action/package_search?rows={TOO_WIDE}", "rows"),
        (f"/api/3/action/organization_list?limit={TOO_WIDE}", "limit"),
        (f"/api/3/action/group_list?offset={TOO_WIDE}", "offset"),
    ],
)
def test_an_out_of_range_number_is_a_4xx_naming_the_field(
    world: World, settings: Any, url: str, field: str
) -> None:
    settings.DEBUG = False
    response = Client(raise_request_exception=False).get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code)
    assert field in _named_fields(_json(response))


@pytest.mark.parametrize(
    "path",
    ["/lists/{n}", "/resources/{n}", "/organisations/{n}", "/lists/{n}/versions"],
)
def test_an_id_too_wide_for_a_key_is_refused_in_the_path(world: World, path: str) -> None:
    status, body = Api().get(path.format(n=TOO_WIDE))
    assert status == 422
    assert body["detail"][0]["loc"][0] == "path"


@pytest.mark.parametrize(
    "fq", [f"owner_org:{TOO_WIDE}", f"organization:{TOO_WIDE}", f"batch:{TOO_WIDE}", "batch:²"]
)
def test_a_ckan_filter_on_a_number_no_key_can_be_finds_nothing(world: World, fq: str) -> None:
    response = Client().get("/api/3/action/package_search", {"fq": fq})
    assert response.status_code == 200
    assert _json(response)["result"]["count"] == 0


@pytest.mark.parametrize("name", ["q", "fq", "sort"])
def test_a_ckan_parameter_longer_than_any_needs_is_refused_naming_it(
    world: World, name: str
) -> None:
    response = Client().post(
        "/api/3/action/package_search", {name: "x" * 10_001}, content_type="application/json"
    )
    assert response.status_code == 409
    assert name in _named_fields(_json(response))


def test_organization_show_of_a_number_no_key_can_be_is_not_found(world: World) -> None:
    response = Client().get("/api/3/action/organization_show", {"id": TOO_WIDE})
    assert response.status_code == 404


@pytest.mark.parametrize("body", ["[null, null]", "[]", '"text"', "7", "null", "{"])
def test_a_body_that_is_not_an_object_is_refused(world: World, body: str) -> None:
    api = Api(world.sam)
    need = _need(world)
    for method, path in [("post", "/api/v1/policies/preview"), ("patch", f"/api/v1/needs/{need}")]:
        response = getattr(api.client, method)(
            path, body, content_type="application/json", headers=api.headers
        )
        assert response.status_code == 422, (path, response.content)
        assert _json(response)["detail"][0]["loc"] == ["body"]


def _need(world: World) -> int:
    status, body = Api(world.sam).post(
        "/needs", {"title": "GPU hours", "description": "Training a model"}
    )
    assert status == 201, body
    return int(body["id"])


def test_a_number_too_wide_anywhere_in_a_body_is_refused_naming_where(world: World) -> None:
    need = _need(world)
    status, body = Api(world.sam).patch(
        f"/needs/{need}", {"title": "x", "extra": {"deep": [1, INTEGER_MAX + 1]}}
    )
    assert status == 422
    assert body["detail"][0]["loc"] == ["body", "extra", "deep", 1]
    status, body = Api(world.alice).post(
        "/lists", {"title_zh": "清单", "title_en": "List", "batch": int(TOO_WIDE)}
    )
    assert status == 422
    assert _named_fields(body) == {"batch"}


def test_a_text_longer_than_any_field_takes_is_refused(world: World) -> None:
    need = _need(world)
    status, body = Api(world.sam).patch(f"/needs/{need}", {"description": "x" * 100_001})
    assert status == 422
    assert body["detail"][0]["type"] == "max_length"


@pytest.mark.parametrize(
    ("body", "loc"),
    [
        ({"title": "a\x00b"}, ["body", "title"]),
        ({"title": "x", "extra": {"k\x00": 1}}, ["body", "extra", "k\x00"]),
    ],
)
def test_a_null_character_anywhere_in_a_body_is_refused(
    world: World, body: dict[str, Any], loc: list[str]
) -> None:
    need = _need(world)
    status, answer = Api(world.sam).patch(f"/needs/{need}", body)
    assert status == 422
    assert answer["detail"][0]["loc"] == loc
    assert answer["detail"][0]["type"] == "null_character"


# --- every integer and query text in the schema is bounded ---------------------------------


def _schemas(schema: dict[str, Any], where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Each (sub)schema of a parameter or body, resolving references, with where it is."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        schema = openapi()["components"]["schemas"][name]
    yield where, schema
    for key in ("anyOf", "oneOf", "allOf"):
        for part in schema.get(key, []):
            yield from _schemas(part, where)
    for name, part in schema.get("properties", {}).items():
        yield from _schemas(part, f"{where}.{name}")
    if isinstance(schema.get("items"), dict):
        yield from _schemas(schema["items"], f"{where}[]")
    if isinstance(schema.get("additionalProperties"), dict):
        yield from _schemas(schema["additionalProperties"], f"{where}.*")


def _inputs() -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, operations in openapi()["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                where = f"{method.upper()} {path} {parameter['in']}:{parameter['name']}"
                for place, schema in _schemas(parameter["schema"], where):
                    yield parameter["in"], place, schema
            for content in operation.get("requestBody", {}).get("content", {}).values():
                for place, schema in _schemas(content["schema"], f"{method.upper()} {path}"):
                    yield "body", place, schema


def test_every_integer_the_api_takes_is_bounded_on_both_sides() -> None:
    unbounded = [
        place
        for _in, place, schema in _inputs()
        if schema.get("type") == "integer"
        and not (
            {"minimum", "exclusiveMinimum"} & set(schema)
            and {"maximum", "exclusiveMaximum"} & set(schema)
        )
    ]
    assert not unbounded, "bound these with synergy_hub.api.bounds: " + ", ".join(unbounded)


def test_every_text_in_a_path_query_or_header_is_bounded() -> None:
    unbounded = [
        place
        for where, place, schema in _inputs()
        if where != "body"
        and schema.get("type") == "string"
        and not ({"maxLength", "enum", "pattern"} & set(schema))
        and schema.get("format") not in ("date", "date-time", "uuid")
    ]
    assert not unbounded, "bound these with synergy_hub.api.bounds: " + ", ".join(unbounded)


# --- JSON error bodies under /api/, in production too -------------------------------------


@pytest.fixture
def production(settings: Any) -> Client:
    settings.DEBUG = False
    return Client(raise_request_exception=False)


@pytest.mark.parametrize("url", ["/api/v1/no-such-thing", "/api/3/no-such-thing", "/api/anything"])
def test_an_unknown_api_address_answers_json_404(
    world: World, production: Client, url: str
) -> None:
    response = production.get(url)
    assert response.status_code == 404
    assert "detail" in _json(response)


def test_a_method_the_api_does_not_take_answers_json_405(world: World, production: Client) -> None:
    response = production.put("/api/3/action/package_list")
    assert response.status_code == 405
    assert response["Allow"] == "GET, POST"
    _json(response)
    response = production.put("/api/v1/batches")
    assert response.status_code == 405
    assert "detail" in _json(response)


def _broken(*args: Any, **kwargs: Any) -> Any:
    raise RuntimeError("a bug")


def test_an_unexpected_error_answers_json_500_and_is_logged(
    world: World, production: Client, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    monkeypatch.setattr("synergy_hub.catalog.api.Batch.objects.order_by", _broken)
    response = production.get("/api/v1/batches")
    assert response.status_code == 500
    assert set(_json(response)) == {"detail"}
    assert "a bug" in caplog.text
    monkeypatch.setitem(ckan_actions.ACTIONS, "package_list", _broken)
    response = production.get("/api/3/action/package_list")
    assert response.status_code == 500
    assert set(_json(response)) == {"detail"}


def test_pages_keep_their_html_error_pages(world: World, production: Client) -> None:
    response = production.get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    "url",
    [
        f"/resources/?publisher={TOO_WIDE}&page={TOO_WIDE}",
        f"/resources/?q=GPU&batch={TOO_WIDE}&page={TOO_WIDE}",
        f"/catalog.ttl?page={TOO_WIDE}",
        f"/resources/{TOO_WIDE}/",
        f"/workspace/needs/{TOO_WIDE}/",
    ],
)
def test_pages_answer_an_out_of_range_number_without_a_server_error(
    world: World, production: Client, url: str
) -> None:
    production.force_login(world.sam)
    response = production.get(url)
    assert response.status_code < 500, (url, response.status_code)
