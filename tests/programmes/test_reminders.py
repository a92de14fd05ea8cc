"""Deadline reminders: a digest per person, each item once per deadline, mailed after commit."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from synergy_hub.governance import services as governance_services
from synergy_hub.governance.models import Complaint
from synergy_hub.programmes import services
from synergy_hub.programmes.models import PilotCall, PilotProject, SentReminder
from tests.conftest import World
from tests.governance.conftest import schedule_data
from tests.programmes.conftest import draft


@pytest.fixture
def deadlines(world: World, open_call: PilotCall, gpu: Any) -> dict[str, Any]:
    """A complaint to acknowledge within hours, an unanswered fee change applying in two days
    (to Small Co, which asked platform A for access) and a milestone report due in three."""
    from synergy_hub.access import services as access_services
    from tests.access.conftest import terms

    now = timezone.now()
    access_services.request_access(world.sam, gpu, terms())
    schedule = governance_services.draft_fee_schedule(world.alice, schedule_data())
    governance_services.publish_fee_schedule(
        world.alice, schedule, now + timedelta(days=2), now=now - timedelta(days=6)
    )
    complaint = governance_services.file_complaint(
        world.sam,
        world.platform_a,
        {"category": "fees", "subject": "Fee raised", "description": "Raised without notice."},
    )
    Complaint.objects.filter(pk=complaint.pk).update(acknowledge_by=now + timedelta(hours=5))
    due = (timezone.localdate() + timedelta(days=3)).isoformat()
    application = services.submit_application(
        world.sam,
        draft(world, open_call, gpu, milestones=[{"title": "上线", "due_on": due, "kpi": "x"}]),
    )
    project = PilotProject.objects.create(application=application)
    return {"complaint": complaint, "project": project, "now": now}


def test_each_organisation_gets_one_digest_once(
    world: World, deadlines: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        digest = services.send_reminders(deadlines["now"])
    assert digest.reminders == 3  # acknowledge the complaint, answer the fee notice, report
    kinds = set(SentReminder.objects.values_list("kind", "organisation_id"))
    assert kinds == {
        ("complaint.acknowledge", world.platform_a.pk),
        ("fee_notice.answer", world.sme.pk),
        ("milestone.report", world.sme.pk),
    }
    by_recipient = {m.to[0]: m.body for m in mail.outbox}
    sam = by_recipient["sam@example.org"]  # one mail with both of Small Co's deadlines
    assert "上线" in sam and "fee change applies" in sam and "Fee raised" not in sam
    assert "Fee raised" in by_recipient["alice@example.org"]
    assert (
        f"/governance/complaints/{deadlines['complaint'].pk}/" in by_recipient["alice@example.org"]
    )
    assert "sid@example.org" not in by_recipient  # another SME has nothing due

    mail.outbox.clear()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", stdout=out)
    assert "0 reminder(s) in 0 mail(s)" in out.getvalue() and mail.outbox == []

    # A moved deadline is a new deadline: it is reminded of again.
    Complaint.objects.filter(pk=deadlines["complaint"].pk).update(
        acknowledge_by=deadlines["now"] + timedelta(hours=20)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(deadlines["now"]).reminders == 1


def test_nothing_is_mailed_unless_the_run_commits(
    world: World, deadlines: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.send_reminders(deadlines["now"])
    assert mail.outbox == [] and len(callbacks) == 1  # the mails wait for the commit


def test_far_deadlines_are_not_reminded(world: World, deadlines: dict[str, Any]) -> None:
    early = deadlines["now"] - timedelta(days=10)
    Complaint.objects.update(
        acknowledge_by=early + timedelta(days=5), decide_by=early + timedelta(days=20)
    )
    assert services.send_reminders(early).reminders == 0
