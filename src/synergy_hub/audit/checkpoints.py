"""Signed checkpoints of the audit log, as pure functions (no database, no Django).

The hash chain proves that events follow one another, but someone who can write to the
database can rewrite an event and recompute every hash after it, or cut events off the end
and roll the chain head back. A checkpoint states "the log held N events ending in hash H
at time T", signed with an HMAC key that is kept outside the database; checkpoints are
appended, one JSON line each, to a file outside the database. Without the key, no one can
write a checkpoint that agrees with a rewritten log.

Each checkpoint carries the id of the key that signed it, so keys can be rotated: new
checkpoints use the current key, and verification accepts any key still listed.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from synergy_hub.audit.chain import Anchor, canonical_time

#: Changes if the signed text ever changes, so old and new lines are never confused.
SIGNATURE_CONTEXT = b"synergy-hub audit checkpoint v1\n"
SIGNED_FIELDS = ("checkpoint", "events", "head", "at", "key")


class CheckpointError(ValueError):
    """A checkpoint line that is malformed, signed with an unknown key or wrongly signed."""


@dataclass(frozen=True)
class Checkpoint:
    """One signed statement about the log: its `checkpoint` number, `events` and `head` hash."""

    checkpoint: int
    events: int
    head: str
    at: str
    key: str
    sig: str

    @property
    def label(self) -> str:
        return f"signed checkpoint #{self.checkpoint} ({self.at})"

    def anchor(self) -> Anchor:
        return Anchor(seq=self.events, hash=self.head, label=self.label)

    def to_line(self) -> str:
        """The line written to the checkpoint file (with its newline)."""
        fields = {name: getattr(self, name) for name in (*SIGNED_FIELDS, "sig")}
        return json.dumps(fields, sort_keys=True, separators=(",", ":")) + "\n"


def _signature(fields: Mapping[str, Any], secret: bytes) -> str:
    text = json.dumps(
        {name: fields[name] for name in SIGNED_FIELDS}, sort_keys=True, separators=(",", ":")
    )
    return hmac.new(secret, SIGNATURE_CONTEXT + text.encode("utf-8"), hashlib.sha256).hexdigest()


def sign(
    *, number: int, events: int, head: str, at: datetime, key_id: str, secret: bytes
) -> Checkpoint:
    """Sign a checkpoint of a log holding `events` events that end in `head`."""
    fields: dict[str, Any] = {
        "checkpoint": number,
        "events": events,
        "head": head,
        "at": canonical_time(at),
        "key": key_id,
    }
    return Checkpoint(**fields, sig=_signature(fields, secret))


def parse(line: str, keys: Mapping[str, bytes]) -> Checkpoint:
    """Read one checkpoint line and check its signature against the listed keys."""
    try:
        data = json.loads(line)
        checkpoint = Checkpoint(
            checkpoint=int(data["checkpoint"]),
            events=int(data["events"]),
            head=str(data["head"]),
            at=str(data["at"]),
            key=str(data["key"]),
            sig=str(data["sig"]),
        )
    except (ValueError, KeyError, TypeError) as error:
        raise CheckpointError(f"is not a checkpoint line ({error})") from error
    secret = keys.get(checkpoint.key)
    if secret is None:
        raise CheckpointError(f"is signed with key id {checkpoint.key!r}, which is not listed")
    fields = {name: getattr(checkpoint, name) for name in SIGNED_FIELDS}
    if not hmac.compare_digest(_signature(fields, secret), checkpoint.sig):
        raise CheckpointError(f"has a signature that key {checkpoint.key!r} did not make")
    return checkpoint


@dataclass
class CheckpointTrail:
    """Reads a checkpoint file line by line, checking signatures and order as it goes.

    Iterate over `anchors()` (for `chain.verify_chain`); afterwards `error` names the first
    bad line, if any, `count` the valid checkpoints and `last` the last one.
    """

    lines: Iterable[str]
    keys: Mapping[str, bytes]
    error: str = ""
    count: int = 0
    last: Checkpoint | None = None

    def anchors(self) -> Iterator[Anchor]:
        for line_number, line in enumerate(self.lines, start=1):
            if not line.strip():
                continue
            try:
                checkpoint = parse(line, self.keys)
            except CheckpointError as error:
                self.error = f"checkpoint file line {line_number} {error}"
                return
            expected = self.count + 1
            if checkpoint.checkpoint != expected:
                self.error = (
                    f"checkpoint file line {line_number} is checkpoint #{checkpoint.checkpoint}, "
                    f"expected #{expected}: a checkpoint was removed or reordered"
                )
                return
            if self.last is not None and checkpoint.events < self.last.events:
                self.error = (
                    f"{checkpoint.label} covers {checkpoint.events} events, fewer than "
                    f"the {self.last.events} of the checkpoint before it"
                )
                return
            self.count = expected
            self.last = checkpoint
            yield checkpoint.anchor()
