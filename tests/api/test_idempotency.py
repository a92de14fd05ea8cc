"""`Idempotency-Key` on every POST: a retry replays the first answer and never runs twice."""

from __future__ import annotations

import hashlib
import json
import threading
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.utils import timezone

from synergy_hub.api import idempotency
from synergy_hub.api.models import IdempotencyRecord
from synergy_hub.catalog.models import Need
from tests.conftest import Api, World
from tests.openapi import API_PREFIX, assert_matches_schema, openapi

NEED = {"title": "需要GPU算力", "description": "训练质检模型"}


def post(api: Api, path: str, body: Any, key: str | None = "key-1", **headers: str) -> Any:
    """POST through the test client; returns the raw response (schema-checked)."""
    if key is not None:
        headers[idempotency.HEADER] = key
    response = api.client.post(
        API_PREFIX + path,
        data=json.dumps(body),
        content_type="application/json",
        headers={**api.headers, **headers},
    )
    assert_matches_schema("POST", API_PREFIX + path, response)
    return response


def test_same_key_same_body_replays_the_first_answer(api_as: Any, world: World) -> None:
    sme = api_as(world.sam)
    first = post(sme, "/needs", NEED)
    again = post(sme, "/needs", NEED)
    assert first.status_code == again.status_code == 201
    assert again.content == first.content
    assert again[idempotency.REPLAY_HEADER] == "true"
    assert idempotency.REPLAY_HEADER not in first
    assert Need.objects.count() == 1


def test_same_key_other_body_is_a_422_naming_the_header(api_as: Any, world: World) -> None:
    sme = api_as(world.sam)
    post(sme, "/needs", NEED)
    other = post(sme, "/needs", NEED | {"title": "另一个需求"})
    assert other.status_code == 422
    item = json.loads(other.content)["detail"][0]
    assert item["loc"] == ["header", "Idempotency-Key"] and item["type"] == "idempotency_key_reused"
    assert Need.objects.count() == 1


def test_same_key_other_path_is_refused_too(api_as: Any, world: World) -> None:
    sme = api_as(world.sam)
    post(sme, "/needs", NEED)
    assert post(sme, "/tokens", {"name": "ci"}).status_code == 422


def test_without_a_key_each_post_runs(api_as: Any, world: World) -> None:
    sme = api_as(world.sam)
    post(sme, "/needs", NEED, key=None)
    post(sme, "/needs", NEED, key=None)
    assert Need.objects.count() == 2
    assert not IdempotencyRecord.objects.exists()


def test_keys_belong_to_their_caller(api_as: Any, world: World) -> None:
    post(api_as(world.sam), "/needs", NEED)
    second = post(api_as(world.sid), "/needs", NEED)
    assert second.status_code == 201 and idempotency.REPLAY_HEADER not in second
    assert Need.objects.count() == 2


def test_another_callers_key_never_replays_an_answer_to_someone_refused(
    api_as: Any, world: World
) -> None:
    assert post(api_as(world.sam), "/needs", NEED).status_code == 201
    refused = post(api_as(world.alice), "/needs", NEED)  # same key, a platform may not
    assert refused.status_code == 403 and idempotency.REPLAY_HEADER not in refused
    assert Need.objects.count() == 1


def test_error_answers_are_replayed(api_as: Any, world: World) -> None:
    sme = api_as(world.sam)
    first = post(sme, "/needs", {"title": "", "description": ""})
    again = post(sme, "/needs", {"title": "", "description": ""})
    assert first.status_code == again.status_code == 422
    assert again[idempotency.REPLAY_HEADER] == "true"


def test_a_refused_login_leaves_the_key_unused(api_as: Any, world: World) -> None:
    sme = api_as(world.sam)
    stranger = Api()
    stranger.headers["Authorization"] = "Bearer shub_wrong"
    assert post(stranger, "/needs", NEED).status_code == 401
    assert post(sme, "/needs", NEED).status_code == 201


def test_malformed_keys_are_refused(api_as: Any, world: World) -> None:
    response = post(api_as(world.sam), "/needs", NEED, key="x" * 256)
    assert response.status_code == 422
    assert json.loads(response.content)["detail"][0]["loc"] == ["header", "Idempotency-Key"]
    assert not Need.objects.exists()


def test_a_duplicate_of_a_running_request_gets_409(
    api_as: Any, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(idempotency, "WAIT_SECONDS", 0.1)
    body = json.dumps(NEED).encode()
    IdempotencyRecord.objects.create(
        scope=f"user:{world.sam.pk}",
        key="key-1",
        method="POST",
        path=API_PREFIX + "/needs",
        body_sha256=hashlib.sha256(body).hexdigest(),
    )
    response = post(api_as(world.sam), "/needs", NEED)
    assert response.status_code == 409
    assert not Need.objects.exists()


def test_expired_keys_run_again(api_as: Any, world: World) -> None:
    sme = api_as(world.sam)
    post(sme, "/needs", NEED)
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(days=2))
    again = post(sme, "/needs", NEED)
    assert again.status_code == 201 and idempotency.REPLAY_HEADER not in again
    assert Need.objects.count() == 2


def test_anonymous_sign_up_is_keyed_by_address(api_as: Any, world: World) -> None:
    from tests.factories import signup_payload

    body = json.loads(json.dumps(signup_payload(), default=str))
    first = post(api_as(), "/signup", body)
    again = post(api_as(), "/signup", body)
    assert first.status_code == 202 and again.content == first.content
    assert IdempotencyRecord.objects.get().scope.startswith("anon:")


def test_access_workflow_posts_are_idempotent(api_as: Any, world: World) -> None:
    from tests import factories
    from tests.access.conftest import today

    published = factories.openness_list(
        world.platform_a, world.batch, world.alice, state="published"
    )
    gpu = factories.resource(published)
    body = {
        "purpose": "training",
        "purpose_code": "research",
        "quantity": "5",
        "starts_on": str(today()),
        "ends_on": str(today()),
    }
    sme = api_as(world.sam)
    first = post(sme, f"/resources/{gpu.pk}/access-requests", body, key="req-1")
    again = post(sme, f"/resources/{gpu.pk}/access-requests", body, key="req-1")
    assert first.status_code == again.status_code == 201
    assert json.loads(first.content)["id"] == json.loads(again.content)["id"]


def test_every_post_documents_the_header() -> None:
    for path, operations in openapi()["paths"].items():
        if "post" not in operations:
            continue
        names = {p["name"] for p in operations["post"].get("parameters", [])}
        assert idempotency.HEADER in names, path
        assert "409" in operations["post"]["responses"], path


def test_parallel_duplicates_run_once(transactional_db: None, world: World) -> None:
    """Two identical requests at the same moment: one runs, the other replays it (or 409)."""
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("needs a database that several connections share")
    clients = [Api(world.sam) for _ in range(4)]
    barrier = threading.Barrier(len(clients))
    statuses: list[tuple[int, bool]] = []

    def send(client: Api) -> None:
        try:
            barrier.wait(timeout=30)
            response = client.client.post(
                API_PREFIX + "/needs",
                data=json.dumps(NEED),
                content_type="application/json",
                headers={**client.headers, idempotency.HEADER: "same"},
            )
            statuses.append((response.status_code, idempotency.REPLAY_HEADER in response))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert Need.objects.count() == 1
    ran = [s for s in statuses if s == (201, False)]
    assert len(ran) == 1, statuses
    assert all(s in {(201, True), (409, False)} for s in statuses if s not in ran), statuses
