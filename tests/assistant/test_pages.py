"""The assistant page: htmx appends each answer (no reload), the card re-runs the search,
one click sends a draft; the owner alone sees and deletes a conversation."""

from __future__ import annotations

from typing import Any

import pytest

from synergy_hub.access.models import AccessRequest
from synergy_hub.accounts.models import Role
from synergy_hub.assistant.models import Conversation, Draft
from synergy_hub.catalog.models import Need
from tests import factories
from tests.assistant.conftest import EXAMPLE
from tests.conftest import World
from tests.pages import client_for

HTMX = {"HX-Request": "true"}


def _send(client: Any, text: str, conversation: int | str = "") -> Any:
    return client.post(
        "/workspace/assistant/send/",
        {"text": text, "conversation": conversation},
        headers=HTMX,
    )


def test_a_message_appends_the_answer_with_card_results_tools_and_drafts(
    world: World, catalog: dict[str, Any]
) -> None:
    client = client_for(world.sam)
    assert client.get("/workspace/assistant/").status_code == 200
    response = _send(client, EXAMPLE)
    assert response.status_code == 200
    html = response.content.decode()
    conversation = Conversation.objects.get()
    assert response["HX-Push-Url"] == f"/workspace/assistant/conversations/{conversation.pk}/"
    assert "<html" not in html  # a part of the page, not a new page
    for marker in ("turn-user", "turn-answer", "understood", "assistant-result", "tool-calls"):
        assert f'data-testid="{marker}"' in html, marker
    understood = conversation.turns.get(position=2).need["understood"]
    assert any("宁波" in line or "浙江" in line for line in understood)  # in the user's language
    assert understood[0] in html
    assert "confirm-access_request" in html and "confirm-need" in html
    assert 'name="text"' in html  # a fresh message box, swapped in out of band
    assert 'id="conversation-id"' in html and f'value="{conversation.pk}"' in html
    assert not AccessRequest.objects.exists() and not Need.objects.exists()


def test_the_whole_conversation_page_and_the_card_rerun(
    world: World, catalog: dict[str, Any]
) -> None:
    client = client_for(world.sam)
    _send(client, EXAMPLE)
    conversation = Conversation.objects.get()
    page = client.get(f"/workspace/assistant/conversations/{conversation.pk}/")
    assert page.status_code == 200 and EXAMPLE in page.content.decode()
    answer = conversation.turns.get(position=2)
    prefix = f"t{answer.pk}"
    rerun = client.post(
        f"/workspace/assistant/conversations/{conversation.pk}/turns/{answer.pk}/rerun/",
        {f"{prefix}-resource_types": ["compute"], f"{prefix}-query": "GPU 算力"},
        headers=HTMX,
    )
    assert rerun.status_code == 200
    assert conversation.turns.count() == 4
    assert conversation.turns.get(position=4).read_by == "edited"
    bad = client.post(
        f"/workspace/assistant/conversations/{conversation.pk}/turns/{answer.pk}/rerun/",
        {f"{prefix}-budget": "-3"},
        headers=HTMX,
    )
    assert bad.status_code == 422 and "assistant-error" in bad.content.decode()


def test_one_click_sends_the_request(world: World, catalog: dict[str, Any]) -> None:
    client = client_for(world.sam)
    _send(client, EXAMPLE)
    draft = Draft.objects.filter(kind="access_request", resource=catalog["ce"]).get()
    response = client.post(f"/workspace/assistant/drafts/{draft.pk}/confirm/", headers=HTMX)
    assert response.status_code == 200
    assert 'data-testid="draft-sent"' in response.content.decode()
    assert AccessRequest.objects.get().resource == catalog["ce"]


def test_an_empty_message_is_refused_naming_the_field(world: World) -> None:
    response = _send(client_for(world.sam), "   ")
    assert response.status_code == 422
    assert "assistant-error" in response.content.decode()
    assert not Conversation.objects.exists()


@pytest.mark.parametrize("persona", ["alice", "charlie", "officer"])
def test_the_page_is_for_sme_users_only(world: World, persona: str) -> None:
    client = client_for(getattr(world, persona))
    assert client.get("/workspace/assistant/").status_code == 403
    assert _send(client, EXAMPLE).status_code == 403


def test_nobody_else_sees_continues_or_deletes_a_conversation(
    world: World, catalog: dict[str, Any]
) -> None:
    _send(client_for(world.sam), EXAMPLE)
    conversation = Conversation.objects.get()
    draft = Draft.objects.filter(conversation=conversation).first()
    assert draft is not None
    colleague = factories.user(world.sme, Role.EDITOR, email="colleague@example.org")
    for intruder in (colleague, world.sid, world.alice, world.officer):
        client = client_for(intruder)
        base = f"/workspace/assistant/conversations/{conversation.pk}/"
        assert client.get(base).status_code == 404
        assert client.post(base + "delete/").status_code == 404
        assert _send(client, "cheaper", conversation.pk).status_code == 404
        assert client.post(f"/workspace/assistant/drafts/{draft.pk}/confirm/").status_code == 404
    assert Conversation.objects.filter(pk=conversation.pk).exists()
    assert not AccessRequest.objects.exists()


def test_the_owner_deletes_a_conversation(world: World, catalog: dict[str, Any]) -> None:
    client = client_for(world.sam)
    _send(client, EXAMPLE)
    conversation = Conversation.objects.get()
    response = client.post(f"/workspace/assistant/conversations/{conversation.pk}/delete/")
    assert response.status_code == 302
    assert not Conversation.objects.exists()


def test_the_conversation_page_reads_a_fixed_number_of_queries(
    world: World, catalog: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    from synergy_hub.assistant import services

    first = services.take_turn(world.sam, EXAMPLE)
    client = client_for(world.sam)
    url = f"/workspace/assistant/conversations/{first.conversation_id}/"
    client.get(url)  # sessions, caches and the index warmed
    with django_assert_max_num_queries(100) as one_exchange:
        client.get(url)
    for text in ("只要浙江的", "便宜点", "下个月"):
        services.take_turn(world.sam, text, first.conversation)
    with django_assert_max_num_queries(100) as four_exchanges:
        client.get(url)
    assert len(four_exchanges.captured_queries) == len(one_exchange.captured_queries)
