"""Fee schedules: versions, the notice period of the rule set, notices and SMEs' answers."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from synergy_hub.audit.models import AuditEvent
from synergy_hub.governance import selectors, services
from synergy_hub.governance.models import FeeNotice, FeeSchedule
from synergy_hub.governance.vocabulary import NoticeResponse, ScheduleState
from tests.conftest import World
from tests.governance.conftest import schedule_data
from tests.permissions import assert_refused


def test_a_platform_drafts_numbered_versions_with_their_items(world: World) -> None:
    first = services.draft_fee_schedule(world.alice, schedule_data())
    second = services.draft_fee_schedule(world.alice, schedule_data())
    assert (first.version, second.version) == (1, 2)
    assert first.items.count() == 2
    assert first.state == ScheduleState.DRAFT
    assert AuditEvent.objects.filter(action="governance.fee_schedule.drafted").count() == 2


def test_a_fee_change_inside_the_notice_period_is_refused_naming_the_rule(
    world: World, draft: FeeSchedule
) -> None:
    now = timezone.now()
    with pytest.raises(ValidationError) as refused:
        services.publish_fee_schedule(world.alice, draft, now + timedelta(days=6), now=now)
    message = refused.value.message_dict["effective_from"][0]
    assert "7 days" in message
    assert "E-Commerce Law Art. 34" in message
    draft.refresh_from_db()
    assert draft.state == ScheduleState.DRAFT
    assert not AuditEvent.objects.filter(action="governance.fee_schedule.published").exists()


def test_the_eu_rule_set_asks_fifteen_days(world: World) -> None:
    schedule = services.draft_fee_schedule(world.alice, schedule_data(jurisdiction="EU-P2B"))
    now = timezone.now()
    with pytest.raises(ValidationError, match=r"2019/1150 Art\. 3\(2\)"):
        services.publish_fee_schedule(world.alice, schedule, now + timedelta(days=14), now=now)
    published = services.publish_fee_schedule(
        world.alice, schedule, now + timedelta(days=15), now=now
    )
    assert published.state == ScheduleState.PUBLISHED


def test_a_valid_change_notifies_every_affected_sme_and_no_one_else(
    world: World,
    draft: FeeSchedule,
    sam_requested: Any,
    mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        published = services.publish_fee_schedule(
            world.alice, draft, now + timedelta(days=7), now=now
        )
    assert [mail.to for mail in mailoutbox] == [[world.sam.email]]
    assert "The technical service fee goes from 5% to 4%" in mailoutbox[0].body
    assert "/governance/fees/notices/" in mailoutbox[0].body
    assert published.published_at == now
    notified = set(FeeNotice.objects.values_list("organisation_id", flat=True))
    assert notified == {world.sme.pk}
    event = AuditEvent.objects.get(action="governance.fee_schedule.published")
    assert event.after["notified"] == [world.sme.pk]


def test_a_published_schedule_cannot_be_published_again(world: World, draft: FeeSchedule) -> None:
    now = timezone.now()
    services.publish_fee_schedule(world.alice, draft, now + timedelta(days=8), now=now)
    with pytest.raises(ValidationError, match="draft"):
        services.publish_fee_schedule(world.alice, draft, now + timedelta(days=9), now=now)


def test_only_the_platforms_own_members_publish(world: World, draft: FeeSchedule) -> None:
    later = timezone.now() + timedelta(days=10)
    assert_refused(
        world,
        lambda actor: services.publish_fee_schedule(actor, draft, later),
        "anonymous",
        "platform_viewer",
        "other_platform",
        "sme_a",
        "officer",
    )
    assert_refused(
        world,
        lambda actor: services.draft_fee_schedule(actor, schedule_data()),
        "anonymous",
        "platform_viewer",
        "sme_a",
        "officer",
    )


def test_bad_items_are_refused_naming_the_field(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        services.draft_fee_schedule(
            world.alice, schedule_data(items=[{"kind": "bribe", "basis": "percentage"}])
        )
    assert "items.0.kind" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.draft_fee_schedule(
            world.alice,
            schedule_data(items=[{"kind": "commission", "basis": "percentage", "rate": "120"}]),
        )
    assert "items.0.rate" in refused.value.message_dict


def test_an_affected_sme_objects_before_the_change_applies(
    world: World, draft: FeeSchedule, sam_requested: Any
) -> None:
    now = timezone.now()
    services.publish_fee_schedule(world.alice, draft, now + timedelta(days=7), now=now)
    notice = selectors.notices_for(world.sam).get()
    assert notice.schedule.summary_en.startswith("The technical service fee")
    answered = services.answer_fee_notice(
        world.sam, notice, NoticeResponse.OBJECTED, "Too high for us.", now=now
    )
    assert answered.response == NoticeResponse.OBJECTED
    with pytest.raises(ValidationError, match="already applies"):
        services.answer_fee_notice(
            world.sam, notice, NoticeResponse.LEAVING, now=now + timedelta(days=8)
        )


def test_only_the_notified_sme_answers(
    world: World, draft: FeeSchedule, sam_requested: Any
) -> None:
    now = timezone.now()
    services.publish_fee_schedule(world.alice, draft, now + timedelta(days=7), now=now)
    notice = FeeNotice.objects.get()
    assert_refused(
        world,
        lambda actor: services.answer_fee_notice(actor, notice, NoticeResponse.OBJECTED, "x"),
        "anonymous",
        "sme_b",
        "platform_operator",
    )
    with pytest.raises(Http404):
        selectors.notice_for_owner(world.sid, notice.pk)


def test_another_platform_cannot_read_an_unpublished_schedule(
    world: World, draft: FeeSchedule
) -> None:
    assert selectors.schedule_for_viewer(world.alice, draft.pk) == draft
    for outsider in (world.charlie, world.sam, None):
        with pytest.raises(Http404):
            selectors.schedule_for_viewer(outsider, draft.pk)
    services.publish_fee_schedule(world.alice, draft, timezone.now() + timedelta(days=8))
    assert selectors.schedule_for_viewer(world.charlie, draft.pk) == draft


def test_history_keeps_every_version_and_agreements_refer_to_the_one_in_force(
    world: World,
) -> None:
    now = timezone.now()
    first = services.draft_fee_schedule(world.alice, schedule_data())
    services.publish_fee_schedule(world.alice, first, now + timedelta(days=7), now=now)
    second = services.draft_fee_schedule(world.alice, schedule_data())
    services.publish_fee_schedule(world.alice, second, now + timedelta(days=30), now=now)
    assert selectors.in_force(world.platform_a.pk, now) is None
    assert selectors.in_force(world.platform_a.pk, now + timedelta(days=10)) == first
    assert selectors.in_force(world.platform_a.pk, now + timedelta(days=31)) == second
    assert FeeSchedule.objects.filter(platform=world.platform_a).count() == 2
