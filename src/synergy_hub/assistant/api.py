"""JSON API of the SME assistant: take a turn, read and delete one's conversations, confirm.

Only the conversation's owner, an SME user, reaches any of it; everyone else gets 404.
"""

from __future__ import annotations

from typing import Any

from ninja import Router, Status

from synergy_hub.accounts.api_auth import WRITE
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.api.bounds import ObjectId
from synergy_hub.api.schemas import responses
from synergy_hub.assistant import selectors, services
from synergy_hub.assistant.editing import need_from_card
from synergy_hub.assistant.schemas import (
    ConfirmIn,
    ConversationDetailOut,
    ConversationOut,
    DraftOut,
    TurnIn,
    TurnOut,
)

router = Router(tags=["assistant"])


@router.post("/assistant/turns", response=responses(201, TurnOut), auth=WRITE)
def take_turn(request: AuthenticatedRequest, payload: TurnIn) -> Any:
    """Describe a problem (or refine the last answer); get the need understood, the
    results explained with eligibility, every tool call and the drafts. Nothing is sent.

    `need` replaces the reading of `text` with the corrected "what I understood" card.
    """
    conversation = (
        selectors.conversation_for_owner(request.user, payload.conversation)
        if payload.conversation is not None
        else None
    )
    edited = need_from_card(payload.need.dict()) if payload.need is not None else None
    turn = services.take_turn(request.user, payload.text, conversation, edited=edited)
    return Status(201, turn)


@router.get("/assistant/conversations", response=responses(200, list[ConversationOut]), auth=WRITE)
def list_conversations(request: AuthenticatedRequest) -> Any:
    """The caller's own conversations, most recent first."""
    return selectors.own_conversations(request.user)[:100]


@router.get(
    "/assistant/conversations/{conversation_id}",
    response=responses(200, ConversationDetailOut),
    auth=WRITE,
)
def get_conversation(request: AuthenticatedRequest, conversation_id: ObjectId) -> Any:
    """One of the caller's conversations with every turn (404 for anyone else's)."""
    return selectors.conversation_for_owner(request.user, conversation_id)


@router.delete(
    "/assistant/conversations/{conversation_id}", response=responses(204, None), auth=WRITE
)
def delete_conversation(request: AuthenticatedRequest, conversation_id: ObjectId) -> Any:
    """Delete one of the caller's conversations with its turns and pending drafts."""
    services.delete_conversation(
        request.user, selectors.conversation_for_owner(request.user, conversation_id)
    )
    return Status(204, None)


@router.post("/assistant/drafts/{draft_id}/confirm", response=responses(200, DraftOut), auth=WRITE)
def confirm_draft(request: AuthenticatedRequest, draft_id: ObjectId, payload: ConfirmIn) -> Any:
    """Send the drafted access request or save the drafted need (the owner only)."""
    draft = selectors.draft_for_owner(request.user, draft_id)
    return services.confirm_draft(request.user, draft, payload.changes())
