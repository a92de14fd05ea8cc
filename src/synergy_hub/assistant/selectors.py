"""Reads of conversations and drafts, scoped to their owner: 404 for everyone else.

Not a colleague of the same organisation, not a platform, not an officer: a conversation
is its owner's alone (docs/assistant.md).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from synergy_hub.assistant.models import Conversation, Draft


def own_conversations(user: Any) -> QuerySet[Conversation]:
    """The user's conversations, most recently used first."""
    if not getattr(user, "is_authenticated", False):
        return Conversation.objects.none()
    return Conversation.objects.filter(owner=user)


def conversation_for_owner(user: Any, pk: int) -> Conversation:
    """One of the user's conversations (404 for a missing one and for anyone else's)."""
    found = own_conversations(user).filter(pk=pk).first()
    if found is None:
        raise Http404("conversation not found")
    return found


def draft_for_owner(user: Any, pk: int) -> Draft:
    """A draft of one of the user's conversations (404 otherwise)."""
    found = (
        Draft.objects.select_related("conversation", "resource")
        .filter(pk=pk, conversation__owner=user)
        .first()
        if getattr(user, "is_authenticated", False)
        else None
    )
    if found is None:
        raise Http404("draft not found")
    return found
