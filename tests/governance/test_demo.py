"""The demo's governance rows: what the fee, disclosure and statistics pages need to show."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from synergy_hub.accounts.models import Organisation, OrganisationKind
from synergy_hub.audit.services import verify
from synergy_hub.demo.loader import load_demo_data
from synergy_hub.governance import rules, selectors
from synergy_hub.governance.models import Complaint, FeeSchedule, Mediator, RankingDisclosure
from synergy_hub.governance.vocabulary import ComplaintState


@pytest.mark.django_db
def test_each_demo_platform_has_a_pending_change_a_disclosure_and_two_mediators() -> None:
    today = timezone.localdate()
    load_demo_data(resources=60, smes=40, needs=5, today=today)
    now = timezone.now()
    platforms = Organisation.objects.filter(kind=OrganisationKind.PLATFORM)
    assert platforms.exists()
    for platform in platforms:
        pending = FeeSchedule.objects.get(platform=platform, version=2)
        assert pending.published_at is not None and pending.effective_from is not None
        assert pending.published_at <= now < pending.effective_from
        rules.check_notice(pending.published_at, pending.effective_from, rules.PRC_2026)
        assert RankingDisclosure.objects.filter(platform=platform).exists()
        assert Mediator.objects.filter(platform=platform).count() >= 2
    complaints = Complaint.objects.all()
    assert 70 <= complaints.count() <= 90
    assert set(complaints.values_list("state", flat=True)) == set(ComplaintState.values)
    figures = selectors.complaint_statistics(today.year)
    assert figures.total == complaints.filter(filed_at__year=today.year).count()
    assert figures.decided > 30 and figures.average_days is not None
    assert verify().ok


@pytest.mark.django_db
def test_demo_complaints_stay_in_the_past() -> None:
    load_demo_data(resources=30, smes=10, needs=3, today=date(2026, 11, 22))
    assert not Complaint.objects.filter(filed_at__date__gt=date(2026, 11, 22)).exists()
    for complaint in Complaint.objects.exclude(decided_at=None):
        assert complaint.decided_at is not None
        assert complaint.filed_at <= complaint.decided_at
