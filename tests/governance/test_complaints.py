"""Complaints: filing, deadlines per rule set, the platform's answer, escalation, statistics."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from statistics import median
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from synergy_hub.governance import selectors, services
from synergy_hub.governance.models import Complaint
from synergy_hub.governance.vocabulary import ComplaintState, Outcome
from tests.conftest import World
from tests.governance.conftest import schedule_data
from tests.permissions import assert_refused

COMPLAINT = {
    "category": "fees",
    "subject": "服务费未公示",
    "description": "The platform charged a listing fee its schedule does not show.",
}


def file(world: World, **overrides: object) -> Complaint:
    return services.file_complaint(world.sam, world.platform_a, COMPLAINT | overrides)


def test_a_complaint_is_filed_with_the_prc_deadlines_by_default(world: World) -> None:
    now = timezone.now()
    complaint = services.file_complaint(world.sam, world.platform_a, COMPLAINT, now=now)
    assert complaint.state == ComplaintState.FILED
    assert complaint.rule_set == "PRC"
    assert complaint.acknowledge_by == now + timedelta(days=3)
    assert complaint.decide_by == now + timedelta(days=15)


def test_a_platform_under_the_eu_rules_gets_the_eu_deadlines(world: World) -> None:
    schedule = services.draft_fee_schedule(world.alice, schedule_data(jurisdiction="EU-P2B"))
    now = timezone.now()
    services.publish_fee_schedule(world.alice, schedule, now + timedelta(days=15), now=now)
    complaint = services.file_complaint(world.sam, world.platform_a, COMPLAINT, now=now)
    assert complaint.rule_set == "EU-P2B"
    assert complaint.acknowledge_by == now + timedelta(days=7)
    assert complaint.decide_by == now + timedelta(days=30)


def test_bad_input_names_the_field(world: World) -> None:
    with pytest.raises(ValidationError) as refused:
        file(world, category="gossip")
    assert "category" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        file(world, subject=" ")
    assert "subject" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.file_complaint(world.sam, world.other_sme, COMPLAINT)
    assert "platform" in refused.value.message_dict


def test_only_an_sme_files(world: World) -> None:
    assert_refused(
        world,
        lambda actor: services.file_complaint(actor, world.platform_a, COMPLAINT),
        "anonymous",
        "platform_operator",
        "other_platform",
        "officer",
    )


def test_the_platform_acknowledges_and_decides_with_reasons(world: World) -> None:
    complaint = file(world)
    complaint = services.acknowledge_complaint(world.alice, complaint)
    assert complaint.state == ComplaintState.ACKNOWLEDGED
    with pytest.raises(ValidationError) as refused:
        services.decide_complaint(world.alice, complaint, Outcome.UPHELD, "")
    assert "reasons" in refused.value.message_dict
    complaint = services.decide_complaint(
        world.alice, complaint, Outcome.UPHELD, "The fee is refunded."
    )
    assert complaint.state == ComplaintState.DECIDED
    assert complaint.decided_at is not None


def test_only_the_platform_complained_about_answers(world: World) -> None:
    complaint = file(world)
    assert_refused(
        world,
        lambda actor: services.acknowledge_complaint(actor, complaint),
        "anonymous",
        "platform_viewer",
        "other_platform",
        "sme_a",
        "officer",
    )
    assert_refused(
        world,
        lambda actor: services.decide_complaint(actor, complaint, Outcome.REJECTED, "no"),
        "other_platform",
        "sme_a",
    )


def test_escalation_goes_to_one_of_the_platforms_mediators_or_the_office(world: World) -> None:
    mediator = services.add_mediator(
        world.alice, {"name_zh": "调解中心", "contact": "mediation@example.org"}
    )
    other = services.add_mediator(world.charlie, {"name_zh": "别的", "contact": "x@example.org"})
    complaint = file(world)
    with pytest.raises(ValidationError) as refused:
        services.escalate_complaint(world.sam, complaint, mediator_id=other.pk)
    assert "mediator" in refused.value.message_dict
    assert_refused(
        world,
        lambda actor: services.escalate_complaint(actor, complaint, mediator_id=mediator.pk),
        "sme_b",
        "platform_operator",
    )
    escalated = services.escalate_complaint(world.sam, complaint, mediator_id=mediator.pk)
    assert escalated.state == ComplaintState.MEDIATION
    office = services.escalate_complaint(world.sam, file(world))
    assert office.state == ComplaintState.OFFICE


def test_a_platform_sees_only_complaints_about_itself_an_sme_only_its_own(world: World) -> None:
    about_a = file(world)
    about_c = services.file_complaint(world.sid, world.platform_c, COMPLAINT)
    assert list(selectors.complaints_for(world.alice)) == [about_a]
    assert list(selectors.complaints_for(world.charlie)) == [about_c]
    assert list(selectors.complaints_for(world.sam)) == [about_a]
    assert set(selectors.complaints_for(world.officer)) == {about_a, about_c}
    for outsider in (world.charlie, world.sid, None):
        with pytest.raises(Http404):
            selectors.complaint_for_party(outsider, about_a.pk)


def test_statistics_equal_an_independent_computation_from_the_database(world: World) -> None:
    start = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    categories = ["fees", "ranking", "fees", "data", "fees", "traffic", "ranking"]
    for n, category in enumerate(categories):
        filed = start + timedelta(days=17 * n)
        complaint = services.file_complaint(
            world.sam, world.platform_a, COMPLAINT | {"category": category}, now=filed
        )
        if n % 3 != 2:
            outcome = Outcome.UPHELD if n % 2 else Outcome.REJECTED
            services.decide_complaint(
                world.alice, complaint, outcome, "reasons", now=filed + timedelta(hours=30 * n + 5)
            )
    # A complaint of another year and one about another platform stay out.
    services.file_complaint(world.sam, world.platform_a, COMPLAINT, now=start.replace(year=2025))
    services.file_complaint(world.sid, world.platform_c, COMPLAINT, now=start)

    figures = selectors.complaint_statistics(2026, world.platform_a.pk)

    rows = list(
        Complaint.objects.filter(platform=world.platform_a, filed_at__year=2026).values(
            "category", "outcome", "filed_at", "decided_at"
        )
    )
    days = [
        (row["decided_at"] - row["filed_at"]).total_seconds() / 86400
        for row in rows
        if row["decided_at"]
    ]
    assert figures.total == len(rows) == 7
    assert figures.by_category == {
        c: sum(1 for row in rows if row["category"] == c) for c in {r["category"] for r in rows}
    }
    assert figures.outcomes == {
        o: sum(1 for row in rows if row["outcome"] == o) for o in {r["outcome"] for r in rows} if o
    }
    assert figures.decided == len(days)
    assert figures.average_days == round(sum(days) / len(days), 2)
    assert figures.median_days == round(median(days), 2)
    assert selectors.complaint_statistics(2026).total == 8
    by_platform = selectors.statistics_by_platform(2026)
    assert by_platform[world.platform_a.pk] == figures
    assert by_platform[world.platform_c.pk].total == 1


def test_a_platform_with_fewer_than_two_mediators_is_told_how_many_it_lacks(world: World) -> None:
    assert selectors.mediator_shortfall(world.platform_a.pk) == 2
    services.add_mediator(world.alice, {"name_zh": "调解中心", "contact": "m@example.org"})
    assert selectors.mediator_shortfall(world.platform_a.pk) == 1
    services.add_mediator(world.alice, {"name_zh": "仲裁调解", "contact": "n@example.org"})
    assert selectors.mediator_shortfall(world.platform_a.pk) == 0
    assert_refused(
        world,
        lambda actor: services.add_mediator(actor, {"name_zh": "x", "contact": "y"}),
        "anonymous",
        "platform_viewer",
        "sme_a",
        "officer",
    )


def test_a_complaint_is_overdue_once_a_deadline_passes_unanswered(world: World) -> None:
    now = timezone.now()
    fresh = services.file_complaint(world.sam, world.platform_a, COMPLAINT, now=now)
    assert not fresh.overdue
    late = services.file_complaint(
        world.sam, world.platform_a, COMPLAINT, now=now - timedelta(days=4)
    )
    assert late.overdue  # not acknowledged within 3 days
    late = services.acknowledge_complaint(world.alice, late)
    assert not late.overdue  # acknowledged (late), the decision is due in 11 more days
    older = services.file_complaint(
        world.sam, world.platform_a, COMPLAINT, now=now - timedelta(days=16)
    )
    older = services.acknowledge_complaint(world.alice, older, now=now - timedelta(days=15))
    assert older.overdue  # no decision within 15 days
    decided = services.decide_complaint(world.alice, older, Outcome.REJECTED, "No breach.")
    assert not decided.overdue


def _upload(name: str, data: bytes) -> Any:
    return SimpleUploadedFile(name, data)


def test_evidence_is_kept_with_the_complaint_and_checked(world: World) -> None:
    complaint = services.file_complaint(
        world.sam, world.platform_a, COMPLAINT, evidence=[_upload("invoice.pdf", b"%PDF-1.4 x")]
    )
    assert [e.name for e in complaint.evidence.all()] == ["invoice.pdf"]
    with pytest.raises(ValidationError, match="only PDF"):
        services.add_evidence(world.sam, complaint, [_upload("run.exe", b"MZ")])
    with pytest.raises(ValidationError, match="5 MiB"):
        services.add_evidence(
            world.sam, complaint, [_upload("big.pdf", b"0" * (5 * 1024 * 1024 + 1))]
        )
    services.add_evidence(world.sam, complaint, [_upload("screenshot.png", b"\x89PNG")])
    assert complaint.evidence.count() == 2
    assert_refused(
        world,
        lambda actor: services.add_evidence(actor, complaint, [_upload("a.txt", b"a")]),
        "sme_b",
        "platform_operator",
    )
    found = selectors.evidence_for_party(world.alice, complaint.pk, complaint.evidence.first().pk)
    assert bytes(found.data) == b"%PDF-1.4 x"
    with pytest.raises(Http404):
        selectors.evidence_for_party(world.charlie, complaint.pk, found.pk)
