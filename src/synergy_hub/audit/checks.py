"""Deploy checks: production signs audit checkpoints with a real key, in a writable place."""

from __future__ import annotations

import os
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from synergy_hub.audit.keys import keyring


@register(Tags.security, deploy=True)
def audit_signing_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """`check --deploy` fails without a listed signing key, or with the development one."""
    messages: list[CheckMessage] = []
    try:
        keyring()
    except ImproperlyConfigured as error:
        messages.append(
            Error(
                str(error),
                hint="Generate one with `synergy audit new-key`; see docs/operations.md.",
                id="audit.E001",
            )
        )
    if not getattr(settings, "SYNERGY_AUDIT_KEYS", "") and not getattr(
        settings, "PRODUCTION", False
    ):
        messages.append(
            Warning(
                "audit checkpoints are signed with the development-only key",
                hint="Set SYNERGY_AUDIT_KEYS_FILE before running in production.",
                id="audit.W001",
            )
        )
    folder = settings.SYNERGY_AUDIT_CHECKPOINT_FILE.parent
    existing = next((p for p in (folder, *folder.parents) if p.exists()), None)
    if existing is None or not os.access(existing, os.W_OK):
        messages.append(
            Error(
                f"the audit checkpoint file's folder {folder} cannot be written",
                hint="Point SYNERGY_AUDIT_CHECKPOINT_FILE at a writable folder, not the database.",
                id="audit.E002",
            )
        )
    return messages
