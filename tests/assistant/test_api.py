"""The assistant's API: a turn in, the need, results with eligibility, tool calls and drafts
out; conversations only for their owner; a draft confirmed by one call."""

from __future__ import annotations

from typing import Any

import pytest

from synergy_hub.access.models import AccessRequest
from synergy_hub.accounts.models import Role
from synergy_hub.assistant.models import Conversation
from synergy_hub.catalog.models import Need
from tests import factories
from tests.assistant.conftest import EXAMPLE
from tests.conftest import Api, World


def test_the_issue_example_through_the_api(world: World, catalog: dict[str, Any]) -> None:
    status, body = Api(world.sam).post("/assistant/turns", {"text": EXAMPLE})
    assert status == 201, body
    need = body["need"]
    assert "testing_certification" in need["resource_types"]
    assert need["region_codes"][0] in ("330200", "330000")
    assert float(need["budget_max_yuan"]) <= 50_000
    assert any(r["resource_type"] == "testing_certification" for r in body["results"][:5])
    assert all(r["eligibility"] in ("eligible", "not_eligible", "unknown") for r in body["results"])
    assert {call["tool"] for call in body["tool_calls"]} >= {"search", "eligibility", "fee_lookup"}
    kinds = {draft["kind"] for draft in body["drafts"]}
    assert kinds == {"access_request", "need"}
    assert all(draft["state"] == "pending" for draft in body["drafts"])
    assert not AccessRequest.objects.exists() and not Need.objects.exists()


def test_a_follow_up_and_a_corrected_card(world: World, catalog: dict[str, Any]) -> None:
    api = Api(world.sam)
    _, first = api.post("/assistant/turns", {"text": EXAMPLE})
    conversation = first["conversation"]
    status, second = api.post(
        "/assistant/turns", {"text": "只要浙江的", "conversation": conversation}
    )
    assert status == 201 and second["conversation"] == conversation
    assert second["need"]["region_codes"][0] == "330000"
    status, third = api.post(
        "/assistant/turns",
        {
            "text": "corrected",
            "conversation": conversation,
            "need": {"resource_types": ["compute"], "region_codes": [], "query": "GPU 算力"},
        },
    )
    assert status == 201 and third["read_by"] == "edited"
    assert third["results"][0]["resource_type"] == "compute"
    status, detail = api.get(f"/assistant/conversations/{conversation}")
    assert status == 200 and len(detail["turns"]) == 6
    status, listing = api.get("/assistant/conversations")
    assert [c["id"] for c in listing] == [conversation]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "x" * 2001}, "text"),
        ({}, "text"),
        ({"text": "GPU", "need": {"resource_types": ["rockets"]}}, "resource_types"),
        ({"text": "GPU", "need": {"region_codes": ["999999"]}}, "region_codes"),
        ({"text": "GPU", "need": {"budget_max_yuan": -1}}, "budget_max_yuan"),
        ({"text": "GPU", "conversation": 0}, "conversation"),
    ],
)
def test_bad_input_is_a_4xx_naming_the_field(
    world: World, catalog: dict[str, Any], body: dict[str, Any], field: str
) -> None:
    status, answer = Api(world.sam).post("/assistant/turns", body)
    assert 400 <= status < 500
    assert field in str(answer["detail"])
    assert not Conversation.objects.exists()


def test_confirm_sends_the_request_and_cannot_send_twice(
    world: World, catalog: dict[str, Any]
) -> None:
    api = Api(world.sam)
    _, turn = api.post("/assistant/turns", {"text": EXAMPLE})
    draft = next(d for d in turn["drafts"] if d["kind"] == "access_request")
    status, sent = api.post(f"/assistant/drafts/{draft['id']}/confirm", {"quantity": "2"})
    assert status == 200 and sent["state"] == "sent"
    request = AccessRequest.objects.get(pk=sent["access_request"])
    assert request.offers.get().quantity == 2
    status, again = api.post(f"/assistant/drafts/{draft['id']}/confirm", {})
    assert status == 422 and "draft" in str(again["detail"])


@pytest.mark.parametrize("intruder", ["colleague", "sid", "alice", "officer"])
def test_another_user_cannot_read_confirm_or_delete(
    world: World, catalog: dict[str, Any], intruder: str
) -> None:
    _, turn = Api(world.sam).post("/assistant/turns", {"text": EXAMPLE})
    conversation, draft = turn["conversation"], turn["drafts"][0]["id"]
    user = (
        factories.user(world.sme, Role.EDITOR, email="colleague@example.org")
        if intruder == "colleague"
        else getattr(world, intruder)
    )
    other = Api(user)
    assert other.get(f"/assistant/conversations/{conversation}")[0] == 404
    assert other.delete(f"/assistant/conversations/{conversation}")[0] == 404
    assert other.post(f"/assistant/drafts/{draft}/confirm", {})[0] == 404
    assert other.post("/assistant/turns", {"text": "x", "conversation": conversation})[0] == 404
    assert other.get("/assistant/conversations")[1] == []
    assert Conversation.objects.filter(pk=conversation).exists()
    assert not AccessRequest.objects.exists() and not Need.objects.exists()


@pytest.mark.parametrize("persona", ["alice", "charlie", "officer", "lena"])
def test_platforms_providers_and_officers_are_refused(
    world: World, catalog: dict[str, Any], persona: str
) -> None:
    status, _ = Api(getattr(world, persona)).post("/assistant/turns", {"text": EXAMPLE})
    assert status == 403
    assert not Conversation.objects.exists()


def test_anonymous_callers_are_refused(world: World) -> None:
    assert Api().post("/assistant/turns", {"text": EXAMPLE})[0] == 401
    assert Api().get("/assistant/conversations")[0] == 401


def test_the_owner_deletes_a_conversation(world: World, catalog: dict[str, Any]) -> None:
    api = Api(world.sam)
    _, turn = api.post("/assistant/turns", {"text": EXAMPLE})
    status, _ = api.delete(f"/assistant/conversations/{turn['conversation']}")
    assert status == 204
    assert api.get(f"/assistant/conversations/{turn['conversation']}")[0] == 404
