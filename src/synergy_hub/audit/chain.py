"""The hash chain of the audit log, as pure functions (no database, no Django).

Each event's hash is the SHA-256 of a canonical JSON rendering of its fields together with
the previous event's hash, so changing, inserting or deleting any event breaks every link
after it. The chain head (last sequence number and hash) is kept separately so that
cutting events off the end is detected too. Someone who can write to the database can
still rewrite the log and recompute every hash; signed checkpoints (`checkpoints.py`),
passed here as anchors, catch that.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

GENESIS_HASH = "0" * 64

HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_label",
    "organisation_id",
    "action",
    "object_type",
    "object_id",
    "before",
    "after",
    "prev_hash",
)


def _default(value: Any) -> str:
    if isinstance(value, datetime):
        return canonical_time(value)
    if isinstance(value, Decimal):
        return str(value)
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def canonical_json(value: Any) -> Any:
    """Return `value` as plain JSON data, exactly as it will be stored and hashed."""
    return json.loads(json.dumps(value, default=_default, ensure_ascii=False))


def canonical_time(moment: datetime) -> str:
    """Render an aware datetime in UTC with microseconds, the form that is hashed."""
    if moment.tzinfo is None:
        raise ValueError("audit times must be timezone-aware")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(fields: Mapping[str, Any]) -> str:
    """Hash one event's fields (including `prev_hash`) in canonical form."""
    payload = {name: fields[name] for name in HASHED_FIELDS}
    payload["occurred_at"] = canonical_time(payload["occurred_at"])
    text = json.dumps(
        canonical_json(payload), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class ChainReport:
    """Outcome of a verification: `ok`, or the first broken link and why.

    `checkpoints` counts the signed checkpoints found valid; `unsealed` the events after the
    last of them (committed, but not yet covered by a signature).
    """

    ok: bool
    checked: int
    broken_seq: int | None = None
    reason: str = ""
    checkpoints: int = 0
    unsealed: int = 0


@dataclass(frozen=True)
class Anchor:
    """A signed statement that the log held `seq` events ending in `hash` (`label` names it)."""

    seq: int
    hash: str
    label: str


def verify_chain(
    events: Iterable[Mapping[str, Any]],
    head_seq: int,
    head_hash: str,
    anchors: Iterable[Anchor] = (),
) -> ChainReport:
    """Walk events in sequence order and report the first one that breaks the chain.

    `anchors`, in ascending `seq`, are signed checkpoints: the event at each anchor's `seq`
    must carry the anchor's hash, and the log must reach the last anchor. A rewritten event
    whose successors were all re-hashed passes the links but not the anchors.
    """
    pending: Iterator[Anchor] = iter(anchors)
    anchor = next(pending, None)
    expected_seq = 1
    prev_hash = GENESIS_HASH
    checked = 0
    while anchor is not None and anchor.seq == 0:
        if anchor.hash != GENESIS_HASH:
            return ChainReport(False, 0, 0, f"{anchor.label} of an empty log has a wrong hash")
        anchor = next(pending, None)
    for event in events:
        seq = int(event["seq"])
        if seq != expected_seq:
            return ChainReport(
                False, checked, expected_seq, f"event {expected_seq} is missing (found {seq})"
            )
        if event["prev_hash"] != prev_hash:
            return ChainReport(False, checked, seq, "previous-hash link does not match")
        if event_hash(event) != event["hash"]:
            return ChainReport(False, checked, seq, "content does not match its hash")
        while anchor is not None and anchor.seq == seq:
            if anchor.hash != event["hash"]:
                return ChainReport(
                    False, checked, seq, f"event {seq} does not match the hash in {anchor.label}"
                )
            anchor = next(pending, None)
        prev_hash = event["hash"]
        expected_seq += 1
        checked += 1
    if anchor is not None:
        return ChainReport(
            False,
            checked,
            checked + 1,
            f"log ends at event {checked} but {anchor.label} covers {anchor.seq} events",
        )
    if checked != head_seq or prev_hash != head_hash:
        return ChainReport(
            False,
            checked,
            checked + 1,
            f"log ends at event {checked} but the chain head records event {head_seq}",
        )
    return ChainReport(True, checked)
