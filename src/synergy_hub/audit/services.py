"""Appending to and verifying the audit log."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from synergy_hub.audit.chain import ChainReport, canonical_json, event_hash, verify_chain
from synergy_hub.audit.models import AuditEvent, ChainHead


def record(
    *,
    actor: Any,
    action: str,
    obj: Model,
    organisation_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event for a state change; must run inside the change's own transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record must be called inside the state change's transaction")
    head, _ = ChainHead.objects.select_for_update().get_or_create(pk=1)
    actor_id = getattr(actor, "pk", None) if actor is not None else None
    fields: dict[str, Any] = {
        "seq": head.last_seq + 1,
        "occurred_at": timezone.now(),
        "actor_id": actor_id,
        "actor_label": getattr(actor, "email", "") if actor_id else "system",
        "organisation_id": organisation_id,
        "action": action,
        "object_type": obj._meta.label_lower,
        "object_id": str(obj.pk),
        "before": canonical_json(before) if before is not None else None,
        "after": canonical_json(after) if after is not None else None,
        "prev_hash": head.last_hash,
    }
    # Store the time exactly as hashed (microseconds), whatever the database keeps.
    fields["hash"] = event_hash(fields)
    event = AuditEvent.objects.create(**fields)
    head.last_seq = event.seq
    head.last_hash = event.hash
    head.save(update_fields=["last_seq", "last_hash"])
    return event


def verify() -> ChainReport:
    """Check the whole log against its hashes and the chain head."""
    head = ChainHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.last_seq, head.last_hash) if head else (0, "0" * 64)
    rows = AuditEvent.objects.order_by("seq").values().iterator(chunk_size=2000)
    return verify_chain(rows, head_seq, head_hash)


def history_of(obj: Model) -> list[AuditEvent]:
    """Return the events recorded for one object, oldest first."""
    return list(AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)))
