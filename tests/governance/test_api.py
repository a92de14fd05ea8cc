"""The governance API: schema-checked answers, the notice rule at the edge, scoped reads."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from synergy_hub.governance import services
from synergy_hub.governance.models import FeeNotice, FeeSchedule
from tests.access.conftest import agreed
from tests.conftest import World
from tests.governance.conftest import schedule_data
from tests.permissions import assert_api_refused


def test_a_platform_drafts_and_publishes_a_fee_change_through_the_api(
    world: World, api_as: Any, sam_requested: Any
) -> None:
    alice = api_as(world.alice)
    status, body = alice.post("/fee-schedules", schedule_data())
    assert status == 201, body
    assert body["state"] == "draft" and len(body["items"]) == 2
    pk = body["id"]
    too_soon = (timezone.now() + timedelta(days=6)).isoformat()
    status, body = alice.post(f"/fee-schedules/{pk}/publish", {"effective_from": too_soon})
    assert status == 422
    assert body["detail"][0]["loc"] == ["body", "effective_from"]
    assert "E-Commerce Law Art. 34" in body["detail"][0]["msg"]
    assert body["detail"][0]["type"] == "notice_period"
    later = (timezone.now() + timedelta(days=8)).isoformat()
    status, body = alice.post(f"/fee-schedules/{pk}/publish", {"effective_from": later})
    assert status == 200 and body["state"] == "published"

    sam = api_as(world.sam)
    status, notices = sam.get("/fee-notices")
    assert status == 200 and len(notices) == 1
    assert notices[0]["schedule"]["id"] == pk
    status, body = sam.post(
        f"/fee-notices/{notices[0]['id']}/answer", {"response": "objected", "text": "Too high"}
    )
    assert status == 200 and body["response"] == "objected"


def test_unpublished_schedules_are_hidden_from_other_parties(world: World, api_as: Any) -> None:
    draft = services.draft_fee_schedule(world.alice, schedule_data())
    assert api_as(world.alice).get(f"/fee-schedules/{draft.pk}")[0] == 200
    for user in (world.charlie, world.sam, None):
        status, listed = api_as(user).get("/fee-schedules")
        assert status == 200 and listed == []
        assert api_as(user).get(f"/fee-schedules/{draft.pk}")[0] == 404
    later = (timezone.now() + timedelta(days=8)).isoformat()
    assert_api_refused(
        world,
        "POST",
        f"/fee-schedules/{draft.pk}/publish",
        {"effective_from": later},
        anonymous=401,
        other_platform=404,
        sme_a=404,
    )
    assert_api_refused(
        world,
        "POST",
        f"/fee-schedules/{draft.pk}/publish",
        {"effective_from": later},
        platform_viewer=403,
    )
    assert FeeSchedule.objects.get().state == "draft"


def test_a_notice_is_answered_only_by_its_sme(
    world: World, api_as: Any, sam_requested: Any
) -> None:
    draft = services.draft_fee_schedule(world.alice, schedule_data())
    services.publish_fee_schedule(world.alice, draft, timezone.now() + timedelta(days=8))
    notice = FeeNotice.objects.get()
    assert_api_refused(
        world,
        "POST",
        f"/fee-notices/{notice.pk}/answer",
        {"response": "leaving"},
        anonymous=401,
        sme_b=404,
        platform_operator=404,
    )


def test_complaints_flow_and_statistics_through_the_api(world: World, api_as: Any) -> None:
    sam, alice = api_as(world.sam), api_as(world.alice)
    status, body = alice.post("/mediators", {"name_zh": "调解中心", "contact": "m@example.org"})
    assert status == 201
    status, mediators = api_as(None).get(f"/platforms/{world.platform_a.pk}/mediators")
    assert status == 200 and len(mediators) == 1
    status, body = sam.post(
        "/complaints",
        {
            "platform_id": world.platform_a.pk,
            "category": "ranking",
            "subject": "Listing buried",
            "description": "Our listing vanished after we refused the promotion.",
        },
    )
    assert status == 201, body
    pk = body["id"]
    assert body["rule_set"] == "PRC"
    assert alice.post(f"/complaints/{pk}/acknowledge")[1]["state"] == "acknowledged"
    status, body = alice.post(
        f"/complaints/{pk}/decide", {"outcome": "upheld", "reasons": "Restored."}
    )
    assert status == 200 and body["outcome"] == "upheld"
    year = timezone.localdate().year
    status, figures = api_as(None).get(
        f"/complaint-statistics?year={year}&platform_id={world.platform_a.pk}"
    )
    assert status == 200
    assert figures["total"] == 1 and figures["outcomes"] == {"upheld": 1}


def test_complaints_are_seen_only_by_their_parties(world: World, api_as: Any) -> None:
    complaint = services.file_complaint(
        world.sam,
        world.platform_a,
        {"category": "fees", "subject": "Fee", "description": "An undisclosed fee."},
    )
    assert api_as(world.charlie).get("/complaints")[1] == []
    assert api_as(world.sid).get("/complaints")[1] == []
    assert len(api_as(world.officer).get("/complaints")[1]) == 1
    assert_api_refused(
        world,
        "GET",
        f"/complaints/{complaint.pk}",
        anonymous=401,
        other_platform=404,
        sme_b=404,
    )
    assert_api_refused(
        world,
        "POST",
        f"/complaints/{complaint.pk}/decide",
        {"outcome": "rejected", "reasons": "no"},
        other_platform=404,
        sme_a=403,
    )


def test_bad_input_is_a_422_naming_the_field(world: World, api_as: Any) -> None:
    status, body = api_as(world.sam).post(
        "/complaints",
        {
            "platform_id": world.platform_a.pk,
            "category": "gossip",
            "subject": "x",
            "description": "y",
        },
    )
    assert status == 422
    assert body["detail"][0]["loc"][-1] == "category"
    status, body = api_as(world.alice).post(
        "/ranking-disclosures",
        {
            "parameters": [
                {
                    "name_zh": "相关",
                    "name_en": "Rel",
                    "weight": 50,
                    "reason_zh": "r",
                    "reason_en": "r",
                }
            ],
            "paid_influence_zh": "无",
            "paid_influence_en": "None",
            "own_offers_zh": "无",
            "own_offers_en": "None",
        },
    )
    assert status == 422
    assert "sum to 100" in body["detail"][0]["msg"]


def test_the_fee_burden_shows_each_version_and_flags_a_steep_increase(
    world: World, api_as: Any
) -> None:
    now = timezone.now()
    first = services.draft_fee_schedule(world.alice, schedule_data())
    services.publish_fee_schedule(world.alice, first, now + timedelta(days=7), now=now)
    steeper = schedule_data(
        items=[{"kind": "commission", "basis": "percentage", "rate": "6", "cap": "5000"}]
    )
    second = services.draft_fee_schedule(world.alice, steeper)
    services.publish_fee_schedule(world.alice, second, now + timedelta(days=20), now=now)
    status, body = api_as(None).get("/fee-burden?size_class=micro&sales=10000&units=10")
    assert status == 200
    (platform,) = body["platforms"]
    versions = platform["versions"]
    # v1: 4 % of 10,000 less 25 % = 300, plus 1.2 × 10 = 12; v2: 6 % of 10,000 = 600.
    assert [v["monthly_fees"] for v in versions] == ["312.00", "600.00"]
    assert versions[1]["flagged"] and not versions[0]["flagged"]
    status, body = api_as(None).get("/fee-burden?sales=-1")
    assert status == 422


def test_evidence_is_added_through_the_api(world: World, api_as: Any) -> None:
    complaint = services.file_complaint(
        world.sam,
        world.platform_a,
        {"category": "fees", "subject": "Fee", "description": "An undisclosed fee."},
    )
    sam = api_as(world.sam)
    response = sam.client.post(
        f"/api/v1/complaints/{complaint.pk}/evidence",
        {"file": SimpleUploadedFile("note.txt", b"proof")},
        headers=sam.headers,
    )
    assert response.status_code == 200, response.content
    assert response.json()["evidence"][0]["name"] == "note.txt"
    status, body = api_as(world.alice).get(f"/complaints/{complaint.pk}")
    assert status == 200 and body["evidence"][0]["size"] == 5


DISCLOSURE = {
    "parameters": [
        {
            "name_zh": "相关性",
            "name_en": "Relevance",
            "weight": 70,
            "reason_zh": "回答搜索",
            "reason_en": "Answers the search",
        },
        {
            "name_zh": "评价",
            "name_en": "Ratings",
            "weight": 30,
            "reason_zh": "服务质量",
            "reason_en": "Quality of service",
        },
    ],
    "paid_influence_zh": "付费推广位标注“广告”。",
    "paid_influence_en": 'Paid placements are marked "advertisement".',
    "own_offers_zh": "自营商品适用同一规则。",
    "own_offers_en": "Own offers are ranked by the same parameters.",
}


def test_a_platform_files_versions_of_its_ranking_disclosure(world: World, api_as: Any) -> None:
    alice = api_as(world.alice)
    status, body = alice.post("/ranking-disclosures", DISCLOSURE)
    assert status == 201 and body["version"] == 1
    status, body = alice.post("/ranking-disclosures", DISCLOSURE)
    assert status == 201 and body["version"] == 2
    status, current = api_as(None).get("/ranking-disclosures")
    assert status == 200 and [d["version"] for d in current] == [2]
    status, history = api_as(None).get("/ranking-disclosures?history=true")
    assert sorted(d["version"] for d in history) == [1, 2]
    html = Client().get("/governance/ranking/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Ratings" in html and 'data-testid="hub-disclosure"' in html


def test_only_a_platforms_editors_file_disclosures_and_name_mediators(world: World) -> None:
    assert_api_refused(
        world,
        "POST",
        "/ranking-disclosures",
        DISCLOSURE,
        anonymous=401,
        sme_a=403,
        platform_viewer=403,
        officer=403,
    )
    mediator = {"name_zh": "调解中心", "contact": "m@example.org"}
    assert_api_refused(
        world, "POST", "/mediators", mediator, anonymous=401, sme_a=403, platform_viewer=403
    )


def test_an_agreement_refers_to_the_fee_schedule_in_force_when_it_was_made(
    world: World, api_as: Any, gpu: Any
) -> None:
    now = timezone.now()
    first = services.draft_fee_schedule(world.alice, schedule_data())
    services.publish_fee_schedule(
        world.alice, first, now - timedelta(days=1), now=now - timedelta(days=8)
    )
    agreement = agreed(world, gpu)
    later = services.draft_fee_schedule(world.alice, schedule_data())
    services.publish_fee_schedule(world.alice, later, now + timedelta(days=7), now=now)
    for user in (world.sam, world.alice):
        status, body = api_as(user).get(f"/agreements/{agreement.pk}/fee-schedule")
        assert status == 200 and body["version"] == 1
    assert_api_refused(
        world, "GET", f"/agreements/{agreement.pk}/fee-schedule", other_platform=404, sme_b=404
    )
