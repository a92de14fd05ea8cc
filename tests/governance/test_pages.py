"""Governance pages in both languages: fee notices and answers, complaints, statistics."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from synergy_hub.governance import selectors, services
from synergy_hub.governance.models import Complaint, FeeNotice, FeeSchedule
from tests.conftest import World
from tests.governance.conftest import schedule_data
from tests.pages import client_for
from tests.permissions import LOGIN, assert_page_refused


def page(client: Any, url: str, language: str = "en") -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.parametrize(
    ("language", "heading"), [("en", "Fee schedules"), ("zh-hans", "收费标准")]
)
def test_public_pages_answer_in_both_languages(world: World, language: str, heading: str) -> None:
    client = client_for(None)
    assert heading in page(client, "/governance/fees/", language)
    page(client, "/governance/ranking/", language)
    page(client, "/governance/complaints/statistics/", language)


def test_a_platform_publishes_a_fee_change_and_the_sme_objects_on_the_pages(
    world: World, sam_requested: Any
) -> None:
    alice = client_for(world.alice)
    response = alice.post(
        "/governance/fees/new/",
        {
            "jurisdiction": "PRC",
            "summary_zh": "佣金调整",
            "summary_en": "Commission changes",
            "kind": "commission",
            "basis": "percentage",
            "rate": "4",
            "sme_discount_percent": "10",
        },
    )
    assert response.status_code == 302
    schedule = FeeSchedule.objects.get()
    too_soon = timezone.localtime() + timedelta(days=3)
    alice.post(
        f"/governance/fees/{schedule.pk}/publish/",
        {"effective_from": too_soon.strftime("%Y-%m-%d %H:%M")},
    )
    schedule.refresh_from_db()
    assert schedule.state == "draft"
    later = timezone.localtime() + timedelta(days=8)
    alice.post(
        f"/governance/fees/{schedule.pk}/publish/",
        {"effective_from": later.strftime("%Y-%m-%d %H:%M")},
    )
    schedule.refresh_from_db()
    assert schedule.state == "published"

    sam = client_for(world.sam)
    assert "Commission changes" in page(sam, "/governance/fees/notices/")
    notice = FeeNotice.objects.get()
    sam.post(
        f"/governance/fees/notices/{notice.pk}/answer/",
        {"response": "objected", "text": "Too high"},
    )
    notice.refresh_from_db()
    assert notice.response == "objected"


def test_a_draft_schedule_page_is_refused_to_other_parties(world: World) -> None:
    draft = services.draft_fee_schedule(world.alice, schedule_data())
    assert_page_refused(
        world, "GET", f"/governance/fees/{draft.pk}/", other_platform=404, sme_a=404, anonymous=404
    )
    later = (timezone.localtime() + timedelta(days=8)).strftime("%Y-%m-%d %H:%M")
    assert_page_refused(
        world,
        "POST",
        f"/governance/fees/{draft.pk}/publish/",
        {"effective_from": later},
        anonymous=LOGIN,
        other_platform=404,
        sme_a=404,
    )


def test_an_sme_files_a_complaint_the_platform_answers_and_the_statistics_count_it(
    world: World,
) -> None:
    sam = client_for(world.sam)
    response = sam.post(
        "/governance/complaints/new/",
        {
            "platform": world.platform_a.pk,
            "category": "traffic",
            "subject": "Traffic cut",
            "description": "Our shop's traffic fell to nothing after we refused a price cut.",
        },
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    alice = client_for(world.alice)
    assert "Traffic cut" in page(alice, f"/governance/complaints/{complaint.pk}/")
    alice.post(f"/governance/complaints/{complaint.pk}/acknowledge/")
    alice.post(
        f"/governance/complaints/{complaint.pk}/decide/",
        {"outcome": "partly", "reasons": "Traffic restored for 30 days."},
    )
    complaint.refresh_from_db()
    assert complaint.outcome == "partly"
    year = timezone.localdate().year
    html = page(client_for(None), f"/governance/complaints/statistics/?year={year}")
    assert 'data-testid="total">1<' in html
    assert "partly upheld" in html
    assert selectors.complaint_statistics(year).total == 1


def test_complaint_pages_are_refused_to_outsiders(world: World) -> None:
    complaint = services.file_complaint(
        world.sam,
        world.platform_a,
        {"category": "fees", "subject": "Fee", "description": "An undisclosed fee."},
    )
    assert_page_refused(
        world,
        "GET",
        f"/governance/complaints/{complaint.pk}/",
        anonymous=LOGIN,
        other_platform=404,
        sme_b=404,
    )
    assert_page_refused(
        world,
        "POST",
        f"/governance/complaints/{complaint.pk}/decide/",
        {"outcome": "rejected", "reasons": "no"},
        other_platform=404,
        sme_b=404,
    )
    assert_page_refused(world, "GET", "/governance/complaints/new/", platform_operator=403)


def test_the_ordering_choice_is_kept_for_the_account(world: World) -> None:
    sam = client_for(world.sam)
    sam.post("/governance/ranking/preference/", {"non_personalised": "on"})
    assert selectors.is_non_personalised(world.sam)
    assert "Non-personalised ordering" in page(sam, "/resources/")
    sam.post("/governance/ranking/preference/", {})
    assert not selectors.is_non_personalised(world.sam)


def test_the_ordering_is_switched_from_the_search_page_and_back_to_it(world: World) -> None:
    sam = client_for(world.sam)
    html = page(sam, "/resources/?q=GPU")
    assert 'data-testid="switch-ordering"' in html
    response = sam.post(
        "/governance/ranking/preference/", {"non_personalised": "on", "next": "/resources/?q=GPU"}
    )
    assert response.status_code == 302 and response["Location"] == "/resources/?q=GPU"
    assert selectors.is_non_personalised(world.sam)
    response = sam.post("/governance/ranking/preference/", {"next": "https://evil.example/"})
    assert response["Location"] == "/governance/ranking/"
    assert not selectors.is_non_personalised(world.sam)


def test_the_fee_burden_page_flags_increases_to_officers_only(world: World) -> None:
    now = timezone.now()
    first = services.draft_fee_schedule(world.alice, schedule_data())
    services.publish_fee_schedule(world.alice, first, now + timedelta(days=7), now=now)
    steeper = schedule_data(items=[{"kind": "commission", "basis": "percentage", "rate": "9"}])
    second = services.draft_fee_schedule(world.alice, steeper)
    services.publish_fee_schedule(world.alice, second, now + timedelta(days=20), now=now)
    officer_html = page(client_for(world.officer), "/governance/fees/burden/?size_class=small")
    assert 'data-testid="fee-flags"' in officer_html and "v2" in officer_html
    public_html = page(client_for(None), "/governance/fees/burden/")
    assert 'data-testid="platform-burden"' in public_html
    assert 'data-testid="fee-flags"' not in public_html


def test_evidence_is_uploaded_on_the_page_and_downloaded_only_by_the_parties(
    world: World,
) -> None:
    sam = client_for(world.sam)
    sam.post(
        "/governance/complaints/new/",
        {
            "platform": world.platform_a.pk,
            "category": "fees",
            "subject": "Fee",
            "description": "An undisclosed fee.",
            "evidence": SimpleUploadedFile("invoice.txt", b"listing fee 300"),
        },
    )
    complaint = Complaint.objects.get()
    evidence = complaint.evidence.get()
    url = f"/governance/complaints/{complaint.pk}/evidence/{evidence.pk}/"
    response = client_for(world.alice).get(url)
    assert response.status_code == 200
    assert response.content == b"listing fee 300"
    assert "attachment" in response["Content-Disposition"]
    assert_page_refused(world, "GET", url, other_platform=404, sme_b=404, anonymous=LOGIN)


def test_the_statistics_page_reads_a_fixed_number_of_queries(
    world: World, django_assert_max_num_queries: Any
) -> None:
    for user, platform in ((world.sam, world.platform_a), (world.sid, world.platform_c)):
        for category in ("fees", "ranking", "data"):
            services.file_complaint(
                user, platform, {"category": category, "subject": "s", "description": "d"}
            )
    client = client_for(world.officer)
    page(client, "/governance/complaints/statistics/")  # the session's first page writes
    with django_assert_max_num_queries(9):
        html = page(client, "/governance/complaints/statistics/")
    assert html.count('data-testid="platform-statistics"') == 2


def test_the_complaint_page_says_how_many_mediators_the_platform_lacks(world: World) -> None:
    complaint = services.file_complaint(
        world.sam, world.platform_a, {"category": "ip", "subject": "s", "description": "d"}
    )
    services.add_mediator(world.alice, {"name_zh": "调解中心", "contact": "m@example.org"})
    html = page(client_for(world.sam), f"/governance/complaints/{complaint.pk}/")
    assert "must name 1 more mediator " in html
    services.add_mediator(world.alice, {"name_zh": "第二调解", "contact": "n@example.org"})
    html = page(client_for(world.sam), f"/governance/complaints/{complaint.pk}/")
    assert 'data-testid="mediator-shortfall"' not in html


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_agreement_page_shows_the_fee_schedule_in_force_and_usage_over_time(
    world: World, gpu: Any, language: str
) -> None:
    from synergy_hub.access import services as access_services
    from tests.access.conftest import agreed

    now = timezone.now()
    first = services.draft_fee_schedule(world.alice, schedule_data())
    services.publish_fee_schedule(
        world.alice, first, now - timedelta(days=1), now=now - timedelta(days=8)
    )
    agreement = agreed(world, gpu)
    later = services.draft_fee_schedule(world.alice, schedule_data())
    services.publish_fee_schedule(world.alice, later, now + timedelta(days=7), now=now)
    url = f"/access/agreements/{agreement.pk}/"
    page = client_for(world.sam, language).get(url).content.decode()
    assert 'data-testid="agreement-fee-schedule"' in page
    assert f'href="/governance/fees/{first.pk}/"' in page  # version 1, not the pending one
    assert f'href="/governance/fees/{later.pk}/"' not in page
    assert 'data-testid="usage-chart"' not in page  # no use yet, no chart
    # Before the agreement began: denied, so not counted; the day's permitted uses add up.
    yesterday = now - timedelta(days=1)
    for occurred, quantity in ((yesterday, "4"), (now, "2"), (now, "1.5")):
        access_services.record_use(
            world.alice, agreement, {"quantity": quantity, "occurred_at": occurred}
        )
    page = client_for(world.alice, language).get(url).content.decode()
    assert 'data-testid="usage-chart"' in page and 'data-chart="line"' in page
    assert page.count("<td data-value=") == 1 and '<td data-value="3.5">3.5</td>' in page
    assert 'data-chart-target="10"' in page
    assert client_for(world.charlie, language).get(url).status_code == 404  # another platform
