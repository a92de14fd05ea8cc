"""Someone with write access to the database rewrites the log; the signed checkpoints tell.

Each tamper case recomputes every hash and moves the chain head, so the hash chain alone
(and `synergy audit verify` before checkpoints) accepted it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.db import transaction
from django.test.utils import override_settings

from synergy_hub.audit import services
from synergy_hub.audit.chain import GENESIS_HASH, event_hash, verify_chain
from synergy_hub.audit.checkpoints import sign
from synergy_hub.audit.models import AuditEvent, ChainHead
from synergy_hub.audit.services import SealRefused, checkpoint, checkpoint_file, record, verify
from synergy_hub.catalog.models import Programme
from tests import factories

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]
KEY_A = "a1:" + "aa" * 32
KEY_B = "b2:" + "bb" * 32


@pytest.fixture
def append(transactional_db: None) -> Callable[..., AuditEvent]:
    """Record one event in a transaction of its own that really commits (and so is sealed)."""
    programme = factories.programme()

    def _append(n: int, **after: Any) -> AuditEvent:
        with transaction.atomic():
            return record(actor=None, action="test.changed", obj=programme, after={"n": n, **after})

    return _append


@pytest.fixture
def logged(append: Callable[..., AuditEvent]) -> list[AuditEvent]:
    return [append(n, 名称="测试") for n in range(1, 6)]


def _lines() -> list[str]:
    return checkpoint_file().read_text(encoding="utf-8").splitlines()


def _rows() -> list[dict[str, Any]]:
    return list(AuditEvent.objects.order_by("seq").values())


def _rewrite(rows: list[dict[str, Any]]) -> None:
    """What an attacker with database access does: renumber, re-hash, move the head."""
    prev = GENESIS_HASH
    AuditEvent.objects.all().delete()
    for seq, row in enumerate(rows, start=1):
        row = {**row, "seq": seq, "prev_hash": prev}
        row.pop("id", None)
        row["hash"] = event_hash(row)
        AuditEvent.objects.create(**row)
        prev = row["hash"]
    ChainHead.objects.update_or_create(pk=1, defaults={"last_seq": len(rows), "last_hash": prev})


def _rewrite_passes_the_chain_alone() -> bool:
    """The rewrite is perfect: hashes and head agree, as `verify` checked before checkpoints."""
    head = ChainHead.objects.get(pk=1)
    return verify_chain(_rows(), head.last_seq, head.last_hash).ok


def _broken(match: str) -> None:
    with pytest.raises(CommandError, match=match):
        call_command("audit", "verify")


def test_each_committed_transaction_is_sealed_and_the_log_verifies(
    logged: list[AuditEvent], capsys: pytest.CaptureFixture[str]
) -> None:
    assert [json.loads(line)["events"] for line in _lines()] == [1, 2, 3, 4, 5]
    report = verify()
    assert report.ok and report.checked == 5 and report.checkpoints == 5 and not report.unsealed
    call_command("audit", "verify")
    assert "5 events verified, 5 signed checkpoints valid" in capsys.readouterr().out


def test_tamper_1_last_event_deleted_and_head_rolled_back(logged: list[AuditEvent]) -> None:
    _rewrite(_rows()[:-1])
    assert _rewrite_passes_the_chain_alone()
    report = verify()
    assert not report.ok and report.broken_seq == 5
    assert "log ends at event 4 but signed checkpoint #5" in report.reason
    _broken("broken at event 5: log ends at event 4 but signed checkpoint #5")


def test_tamper_2_event_edited_and_every_later_hash_recomputed(logged: list[AuditEvent]) -> None:
    rows = _rows()
    rows[1]["after"] = {"n": 99}
    _rewrite(rows)
    assert _rewrite_passes_the_chain_alone()
    report = verify()
    assert not report.ok and report.broken_seq == 2
    assert "event 2 does not match the hash in signed checkpoint #2" in report.reason
    _broken("broken at event 2")


def test_tamper_3_middle_event_deleted_and_recomputed(logged: list[AuditEvent]) -> None:
    rows = _rows()
    del rows[2]
    _rewrite(rows)
    assert _rewrite_passes_the_chain_alone()
    report = verify()
    assert not report.ok and report.broken_seq == 3 and "signed checkpoint #3" in report.reason


def test_tamper_4_forged_event_inserted_and_recomputed(logged: list[AuditEvent]) -> None:
    rows = _rows()
    rows.insert(3, {**rows[3], "action": "test.forged", "after": {"n": 0}})
    _rewrite(rows)
    assert _rewrite_passes_the_chain_alone()
    report = verify()
    assert not report.ok and report.broken_seq == 4 and "signed checkpoint #4" in report.reason


def test_tamper_5_log_and_head_truncated(logged: list[AuditEvent]) -> None:
    _rewrite([])
    assert _rewrite_passes_the_chain_alone()
    report = verify()
    assert not report.ok and report.broken_seq == 1
    assert "log ends at event 0 but signed checkpoint #1" in report.reason


def test_tamper_5_checkpoint_line_replaced_by_one_forged_without_the_key(
    logged: list[AuditEvent],
) -> None:
    rows = _rows()
    rows[4]["after"] = {"n": 99}
    _rewrite(rows)
    assert _rewrite_passes_the_chain_alone()
    # The attacker also rewrites the last line, but signs with a key of their own.
    lines = _lines()
    forged = sign(
        number=5,
        events=5,
        head=ChainHead.objects.get().last_hash,
        at=logged[-1].occurred_at,
        key_id=json.loads(lines[-1])["key"],
        secret=b"guessed" * 5,
    )
    checkpoint_file().write_text("\n".join(lines[:-1]) + "\n" + forged.to_line(), "utf-8")
    report = verify()
    assert not report.ok and report.broken_seq is None
    assert "checkpoint file line 5 has a signature that key" in report.reason
    _broken(r"audit log broken: checkpoint file line 5 has a signature")


def test_a_removed_checkpoint_line_is_named(logged: list[AuditEvent]) -> None:
    lines = _lines()
    checkpoint_file().write_text("\n".join(lines[:2] + lines[3:]) + "\n", "utf-8")
    report = verify()
    assert not report.ok and "line 3 is checkpoint #4, expected #3" in report.reason


def test_a_rewritten_log_is_never_signed(
    logged: list[AuditEvent], append: Callable[..., AuditEvent]
) -> None:
    rows = _rows()
    rows[1]["after"] = {"n": 99}
    _rewrite(rows)
    assert _rewrite_passes_the_chain_alone()
    with pytest.raises(
        SealRefused, match="chain head does not match the hash in signed checkpoint #5"
    ):
        checkpoint(force=True)
    with pytest.raises(CommandError, match="no checkpoint written"):
        call_command("audit", "checkpoint")
    append(6)  # the next change commits, but its checkpoint is refused (and logged)
    assert len(_lines()) == 5 and not verify().ok


def test_several_events_in_one_transaction_make_one_checkpoint(
    db: None, django_capture_on_commit_callbacks: Capture
) -> None:
    programme = factories.programme()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for n in range(3):
            with transaction.atomic():  # savepoints inside the one transaction
                record(actor=None, action="test.changed", obj=programme, after={"n": n})
    assert len(callbacks) == 1
    assert [json.loads(line)["events"] for line in _lines()] == [3]


def test_a_rolled_back_transaction_is_not_signed(logged: list[AuditEvent]) -> None:
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        record(actor=None, action="test.changed", obj=Programme.objects.get(), after={})
        _ = 1 / 0
    assert len(_lines()) == 5 and verify().ok


def test_events_after_the_last_checkpoint_are_reported_unsealed_until_signed(
    logged: list[AuditEvent], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The process stops between the commit and its checkpoint.
    monkeypatch.setattr(services, "_seal_on_commit", lambda: None)
    with transaction.atomic():
        record(actor=None, action="test.changed", obj=Programme.objects.get(), after={})
    assert verify().unsealed == 1
    with pytest.raises(CommandError, match="1 events after the last checkpoint"):
        call_command("audit", "verify", "--require-sealed")
    call_command("audit", "checkpoint")
    assert "checkpoint #6" in capsys.readouterr().out
    report = verify()
    assert report.ok and report.unsealed == 0 and report.checkpoints == 6


def test_keys_rotate_old_checkpoints_verify_while_their_key_is_listed(
    append: Callable[..., AuditEvent],
) -> None:
    with override_settings(SYNERGY_AUDIT_KEYS=KEY_A):
        append(1)
    with override_settings(SYNERGY_AUDIT_KEYS=f"{KEY_A},{KEY_B}", SYNERGY_AUDIT_KEY_ID="b2"):
        append(2)
        assert [json.loads(line)["key"] for line in _lines()] == ["a1", "b2"]
        assert verify().ok
    with override_settings(SYNERGY_AUDIT_KEYS=KEY_B):
        report = verify()
    assert not report.ok and "line 1 is signed with key id 'a1', which is not listed" in (
        report.reason
    )


def test_witnesses_receive_each_checkpoint(append: Callable[..., AuditEvent]) -> None:
    received.clear()
    with override_settings(SYNERGY_AUDIT_WITNESSES=[f"{__name__}.witness"]):
        append(1)
    assert [c.events for c in received] == [1]


received: list[Any] = []


def witness(signed: Any) -> None:
    received.append(signed)


def test_production_without_a_signing_key_fails_the_deploy_check() -> None:
    with override_settings(PRODUCTION=True, SYNERGY_AUDIT_KEYS=""):
        ids = {m.id for m in run_checks(include_deployment_checks=True)}
        with pytest.raises(CommandError, match="SYNERGY_AUDIT_KEYS"):
            call_command("audit", "checkpoint")
    assert "audit.E001" in ids
    with override_settings(PRODUCTION=True, SYNERGY_AUDIT_KEYS="dev-only:" + "00" * 32):
        assert "audit.E001" in {m.id for m in run_checks(include_deployment_checks=True)}
    with override_settings(PRODUCTION=True, SYNERGY_AUDIT_KEYS=KEY_A):
        assert not {m.id for m in run_checks(include_deployment_checks=True)} & {
            "audit.E001",
            "audit.W001",
        }


def test_new_key_prints_an_entry_the_settings_accept(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("audit", "new-key")
    entry = capsys.readouterr().out.strip()
    key_id, _, secret = entry.partition(":")
    assert key_id and len(bytes.fromhex(secret)) == 32
