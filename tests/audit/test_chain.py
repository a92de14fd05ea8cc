"""The hash chain as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from synergy_hub.audit.chain import GENESIS_HASH, event_hash, verify_chain


def _chain(n: int) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    prev = GENESIS_HASH
    start = datetime(2026, 11, 1, tzinfo=UTC)
    for seq in range(1, n + 1):
        event: dict[str, Any] = {
            "seq": seq,
            "occurred_at": start + timedelta(seconds=seq),
            "actor_id": 1,
            "actor_label": "a@example.org",
            "organisation_id": 2,
            "action": "catalog.list.created",
            "object_type": "catalog.opennesslist",
            "object_id": str(seq),
            "before": None,
            "after": {"title": f"清单 {seq}", "price": "12.50"},
            "prev_hash": prev,
        }
        event["hash"] = event_hash(event)
        prev = event["hash"]
        events.append(event)
    return events


def test_intact_chain_verifies() -> None:
    events = _chain(5)
    report = verify_chain(events, 5, events[-1]["hash"])
    assert report.ok and report.checked == 5


def test_changed_content_is_reported_at_that_event() -> None:
    events = _chain(5)
    events[2]["after"] = {"title": "forged"}
    report = verify_chain(events, 5, events[-1]["hash"])
    assert not report.ok and report.broken_seq == 3 and "hash" in report.reason


def test_rehashed_forgery_breaks_the_next_link() -> None:
    events = _chain(5)
    events[1]["after"] = {"title": "forged"}
    events[1]["hash"] = event_hash(events[1])
    report = verify_chain(events, 5, events[-1]["hash"])
    assert report.broken_seq == 3 and "previous" in report.reason


def test_deleted_event_is_reported() -> None:
    events = _chain(5)
    del events[3]
    report = verify_chain(events, 5, _chain(5)[-1]["hash"])
    assert report.broken_seq == 4 and "missing" in report.reason


def test_cut_off_tail_is_reported_against_the_head() -> None:
    events = _chain(5)
    report = verify_chain(events[:3], 5, events[-1]["hash"])
    assert not report.ok and report.broken_seq == 4


def test_naive_time_is_refused() -> None:
    event = _chain(1)[0]
    event["occurred_at"] = datetime(2026, 1, 1)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="timezone"):
        event_hash(event)
