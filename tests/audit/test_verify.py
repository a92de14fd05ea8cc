"""Tampering with stored audit rows is detected by `synergy audit verify`."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from synergy_hub.audit.models import AuditEvent, ChainHead
from synergy_hub.audit.services import record, verify
from synergy_hub.catalog.models import Programme
from tests import factories


@pytest.fixture
def logged(db: None) -> list[AuditEvent]:
    programme = factories.programme()
    events = []
    for n in range(4):
        with transaction.atomic():
            events.append(
                record(
                    actor=None, action="test.changed", obj=programme, after={"n": n, "名称": "测试"}
                )
            )
    return events


def test_record_outside_a_transaction_is_refused(transactional_db: None) -> None:
    with pytest.raises(RuntimeError, match="transaction"):
        record(actor=None, action="x", obj=Programme(pk=1))


def test_untouched_log_verifies(
    logged: list[AuditEvent], capsys: pytest.CaptureFixture[str]
) -> None:
    assert verify().ok
    call_command("audit", "verify")
    assert "4 events verified" in capsys.readouterr().out


def test_edited_row_is_detected(logged: list[AuditEvent]) -> None:
    AuditEvent.objects.filter(seq=2).update(after={"n": 99})
    report = verify()
    assert not report.ok and report.broken_seq == 2
    with pytest.raises(CommandError, match="broken at event 2"):
        call_command("audit", "verify")


def test_deleted_row_is_detected(logged: list[AuditEvent]) -> None:
    AuditEvent.objects.filter(seq=3).delete()
    assert verify().broken_seq == 3


def test_deleted_last_row_is_detected(logged: list[AuditEvent]) -> None:
    AuditEvent.objects.filter(seq=4).delete()
    report = verify()
    assert not report.ok and report.broken_seq == 4


def test_head_moves_with_each_event(logged: list[AuditEvent]) -> None:
    head = ChainHead.objects.get(pk=1)
    assert head.last_seq == 4 and head.last_hash == logged[-1].hash
    assert logged[1].prev_hash == logged[0].hash
