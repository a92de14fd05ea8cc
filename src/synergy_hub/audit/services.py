"""Appending to, sealing and verifying the audit log."""

from __future__ import annotations

import fcntl
import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.module_loading import import_string

from synergy_hub.audit.chain import (
    GENESIS_HASH,
    ChainReport,
    canonical_json,
    event_hash,
    verify_chain,
)
from synergy_hub.audit.checkpoints import Checkpoint, CheckpointError, CheckpointTrail, parse, sign
from synergy_hub.audit.keys import keyring
from synergy_hub.audit.models import AuditEvent, ChainHead

logger = logging.getLogger(__name__)


class SealRefused(Exception):
    """The log does not extend the last signed checkpoint, so it must not be signed."""


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
    _seal_on_commit()
    return event


def _seal_after_commit() -> None:
    try:
        checkpoint()
    except Exception:
        # The change is committed; a missing checkpoint shows up in `synergy audit verify`
        # as unsealed events, and the next commit or `synergy audit checkpoint` seals them.
        logger.exception("audit checkpoint could not be written")


def _seal_on_commit() -> None:
    """Sign a checkpoint once the transaction commits: once per transaction, not per event."""
    # A pending callback was registered either in a savepoint that is still open around
    # this event (rolled back together with it) or in one already released into the
    # transaction: either way it runs after this event commits, so one is enough.
    pending = transaction.get_connection().run_on_commit
    if not any(func is _seal_after_commit for _sids, func, _robust in pending):
        transaction.on_commit(_seal_after_commit)


def checkpoint_file() -> Path:
    return Path(settings.SYNERGY_AUDIT_CHECKPOINT_FILE)


def _last_line(handle: IO[bytes]) -> str:
    """The last non-empty line of a file opened for reading, read from its end."""
    handle.seek(0, os.SEEK_END)
    end = handle.tell()
    block = 4096
    data = b""
    while end > 0:
        start = max(0, end - block)
        handle.seek(start)
        data = handle.read(end - start) + data
        end = start
        if data.rstrip(b"\n").count(b"\n") >= 1:
            break
    lines = [line for line in data.split(b"\n") if line.strip()]
    return lines[-1].decode("utf-8") if lines else ""


def _head() -> tuple[int, str]:
    head = ChainHead.objects.filter(pk=1).first()
    return (head.last_seq, head.last_hash) if head else (0, GENESIS_HASH)


def _events_after(last: Checkpoint | None, head_seq: int, head_hash: str) -> ChainReport:
    """Check that the events since the last checkpoint chain onto its hash, up to the head."""
    start = last.events if last else 0
    if last is not None and head_seq < start:
        reason = f"log ends at event {head_seq} but {last.label} covers {start} events"
        return ChainReport(False, 0, head_seq + 1, reason)
    # Events up to the head read once committed together with it: a consistent view.
    rows = AuditEvent.objects.filter(seq__gt=start, seq__lte=head_seq).order_by("seq").values()
    expected_seq, prev_hash = start + 1, last.head if last else GENESIS_HASH
    for row in rows.iterator(chunk_size=2000):
        if row["seq"] != expected_seq:
            return ChainReport(False, 0, expected_seq, f"event {expected_seq} is missing")
        if row["prev_hash"] != prev_hash or event_hash(row) != row["hash"]:
            reason = f"event {row['seq']} does not chain onto the last signed checkpoint"
            return ChainReport(False, 0, row["seq"], reason)
        prev_hash = row["hash"]
        expected_seq += 1
    if prev_hash != head_hash:
        what = f"the hash in {last.label}" if last and expected_seq == start + 1 else "its events"
        return ChainReport(False, 0, head_seq, f"the chain head does not match {what}")
    return ChainReport(True, head_seq - start)


def checkpoint(*, force: bool = False) -> Checkpoint | None:
    """Sign the current head of the log and append it to the checkpoint file.

    Only a head that extends the last checkpoint is signed (a rewritten log never gets a
    signature); without `force`, nothing is written when no event came since. The file is
    opened in append mode, locked while the next number is chosen, and synced to disk.
    """
    keys = keyring()
    path = checkpoint_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        last_line = _last_line(handle)
        try:
            last = parse(last_line, keys.keys) if last_line else None
        except CheckpointError as error:
            raise SealRefused(f"the last line of {path} {error}") from error
        head_seq, head_hash = _head()
        extends = _events_after(last, head_seq, head_hash)
        if not extends.ok:
            raise SealRefused(f"audit log broken at event {extends.broken_seq}: {extends.reason}")
        if last is not None and last.events == head_seq and not force:
            return None
        signed = sign(
            number=last.checkpoint + 1 if last else 1,
            events=head_seq,
            head=head_hash,
            at=timezone.now(),
            key_id=keys.current_id,
            secret=keys.current,
        )
        handle.write(signed.to_line().encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())
    _tell_witnesses(signed)
    return signed


def _tell_witnesses(signed: Checkpoint) -> None:
    """Hand the checkpoint to each configured witness (e.g. a timestamping service)."""
    for dotted in getattr(settings, "SYNERGY_AUDIT_WITNESSES", []):
        try:
            import_string(dotted)(signed)
        except Exception:
            logger.exception(
                "audit witness %s did not take checkpoint #%s", dotted, signed.checkpoint
            )


def _checkpoint_lines(path: Path, size: int) -> Iterator[str]:
    """The complete lines among the file's first `size` bytes (checkpoints written since are
    about events committed after the head was read, and are left for the next run)."""
    if size == 0:
        return
    with path.open("rb") as handle:
        consumed = 0
        for raw in handle:
            consumed += len(raw)
            if consumed > size or not raw.endswith(b"\n"):
                return
            yield raw.decode("utf-8", errors="replace")


def verify() -> ChainReport:
    """Check the whole log against its hashes, the chain head and every signed checkpoint.

    Every checkpoint must carry a valid signature by a listed key, the numbers must follow
    one another, the event each names must carry the hash it signed, and the log must reach
    the last one. Events after the last checkpoint are counted as `unsealed`.
    """
    path = checkpoint_file()
    size = path.stat().st_size if path.exists() else 0  # before the head: see _checkpoint_lines
    trail = CheckpointTrail(_checkpoint_lines(path, size), keyring().keys)
    anchors = trail.anchors()
    head_seq, head_hash = _head()
    # Read up to the head as it was read (events commit with it); later ones are for next time.
    rows = AuditEvent.objects.filter(seq__lte=head_seq).order_by("seq").values()
    report = verify_chain(rows.iterator(chunk_size=2000), head_seq, head_hash, anchors)
    for _anchor in anchors:  # read the rest of the file even when the chain broke first
        pass
    if report.ok:
        stray = AuditEvent.objects.filter(seq__gt=_head()[0]).order_by("seq").first()
        if stray is not None:
            reason = f"event {stray.seq} lies beyond the chain head"
            report = ChainReport(False, report.checked, stray.seq, reason)
    if trail.error:
        return ChainReport(False, report.checked, None, trail.error, checkpoints=trail.count)
    if not report.ok:
        return ChainReport(
            False, report.checked, report.broken_seq, report.reason, checkpoints=trail.count
        )
    sealed = trail.last.events if trail.last else 0
    return ChainReport(True, report.checked, checkpoints=trail.count, unsealed=head_seq - sealed)


def history_of(obj: Model) -> list[AuditEvent]:
    """Return the events recorded for one object, oldest first."""
    return list(AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)))
