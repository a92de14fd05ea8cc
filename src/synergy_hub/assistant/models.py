"""Conversations with the assistant: the turns, what was understood, the tools run, drafts.

A conversation belongs to one user (and the organisation they acted for); nobody else,
not a colleague, a platform or an officer, reads it, and its owner may delete it. A draft
is what the assistant would create; nothing is created until its owner confirms it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from synergy_hub.access.models import AccessRequest
from synergy_hub.accounts.models import Organisation
from synergy_hub.assistant.vocabulary import DraftKind, DraftState, Reader, Speaker
from synergy_hub.catalog.models import Need, Resource


class Conversation(models.Model):
    """One problem talked through with the assistant, private to its owner."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assistant_conversations"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="assistant_conversations"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return self.title or f"#{self.pk}"


class Turn(models.Model):
    """One message: the user's words, or the assistant's answer with its need, tools, results."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="turns")
    position = models.PositiveIntegerField(_("position"))
    speaker = models.CharField(_("speaker"), max_length=10, choices=Speaker.choices)
    text = models.TextField(_("text"))
    need = models.JSONField(_("understood need"), default=dict, blank=True)
    read_by = models.CharField(_("read by"), max_length=10, choices=Reader.choices, blank=True)
    tool_calls = models.JSONField(_("tool calls"), default=list, blank=True)
    results = models.JSONField(_("results shown"), default=list, blank=True)
    notes = models.JSONField(_("notes"), default=list, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["conversation_id", "position"]
        verbose_name = _("turn")
        verbose_name_plural = _("turns")
        constraints = [
            models.UniqueConstraint(fields=["conversation", "position"], name="turn_position")
        ]

    def __str__(self) -> str:
        return f"{self.conversation_id}/{self.position}"


class Draft(models.Model):
    """An access request or a need the assistant prepared; created only once confirmed."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="drafts")
    turn = models.ForeignKey(Turn, on_delete=models.CASCADE, related_name="drafts")
    kind = models.CharField(_("kind"), max_length=16, choices=DraftKind.choices)
    resource = models.ForeignKey(
        Resource, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    payload = models.JSONField(_("what would be sent"), default=dict)
    state = models.CharField(
        _("state"), max_length=10, choices=DraftState.choices, default=DraftState.PENDING
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    access_request = models.ForeignKey(
        AccessRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    need = models.ForeignKey(
        Need, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["conversation_id", "pk"]
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk}"
