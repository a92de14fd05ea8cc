"""The assistant's small vocabularies: who speaks a turn, what a draft would create."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Speaker(models.TextChoices):
    USER = "user", _("You")
    ASSISTANT = "assistant", _("Assistant")


class DraftKind(models.TextChoices):
    ACCESS_REQUEST = "access_request", _("Access request")
    NEED = "need", _("Need")


class DraftState(models.TextChoices):
    PENDING = "pending", _("Awaiting your confirmation")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")


class Reader(models.TextChoices):
    """What read the problem statement: the offline rules, the language model, or the user."""

    OFFLINE = "offline", _("offline rules")
    LLM = "llm", _("language model")
    EDITED = "edited", _("your corrections")
