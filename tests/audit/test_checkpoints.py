"""Signed checkpoints as pure functions: signing, reading, key rotation and the file's order."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from synergy_hub.audit.chain import GENESIS_HASH
from synergy_hub.audit.checkpoints import CheckpointError, CheckpointTrail, parse, sign

OLD = b"o" * 32
NEW = b"n" * 32
AT = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)


def _line(number: int, events: int, *, key_id: str = "k1", secret: bytes = OLD) -> str:
    head = f"{events:064x}"
    return sign(
        number=number, events=events, head=head, at=AT, key_id=key_id, secret=secret
    ).to_line()


def test_a_signed_line_reads_back_with_its_key() -> None:
    checkpoint = parse(_line(3, 12), {"k1": OLD})
    assert (checkpoint.checkpoint, checkpoint.events, checkpoint.key) == (3, 12, "k1")
    assert checkpoint.at == "2026-12-07T08:00:00.000000Z"


def test_a_line_changed_without_the_key_is_refused() -> None:
    forged = _line(3, 12).replace('"events":12', '"events":11')
    with pytest.raises(CheckpointError, match="signature that key 'k1' did not make"):
        parse(forged, {"k1": OLD})


def test_a_line_signed_with_another_secret_under_a_listed_id_is_refused() -> None:
    with pytest.raises(CheckpointError, match="did not make"):
        parse(_line(1, 1, secret=b"x" * 32), {"k1": OLD})


def test_an_unlisted_key_id_is_named() -> None:
    with pytest.raises(CheckpointError, match="key id 'gone'"):
        parse(_line(1, 1, key_id="gone"), {"k1": OLD})


def test_garbage_is_not_a_checkpoint() -> None:
    with pytest.raises(CheckpointError, match="not a checkpoint line"):
        parse("{not json", {"k1": OLD})


def test_rotation_old_and_new_keys_both_verify_while_listed() -> None:
    lines = [_line(1, 2), _line(2, 5, key_id="k2", secret=NEW)]
    trail = CheckpointTrail(lines, {"k1": OLD, "k2": NEW})
    assert [a.seq for a in trail.anchors()] == [2, 5]
    assert trail.error == "" and trail.count == 2 and trail.last and trail.last.key == "k2"
    retired = CheckpointTrail(lines, {"k2": NEW})
    list(retired.anchors())
    assert "line 1" in retired.error and "'k1'" in retired.error


def test_a_removed_line_breaks_the_numbering() -> None:
    trail = CheckpointTrail([_line(1, 2), _line(3, 5)], {"k1": OLD})
    assert [a.seq for a in trail.anchors()] == [2]
    assert "line 2 is checkpoint #3, expected #2" in trail.error


def test_a_checkpoint_that_covers_fewer_events_than_its_predecessor_is_refused() -> None:
    trail = CheckpointTrail([_line(1, 5), _line(2, 4)], {"k1": OLD})
    list(trail.anchors())
    assert "fewer than the 5" in trail.error


def test_an_empty_log_checkpoint_anchors_the_genesis_hash() -> None:
    line = sign(number=1, events=0, head=GENESIS_HASH, at=AT, key_id="k1", secret=OLD).to_line()
    (anchor,) = CheckpointTrail([line, "\n"], {"k1": OLD}).anchors()
    assert (anchor.seq, anchor.hash) == (0, GENESIS_HASH)
