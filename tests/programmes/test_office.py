"""The officer dashboard (what needs attention) and programmes created outside the back office."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from synergy_hub.audit.models import AuditEvent
from synergy_hub.catalog.models import Programme
from synergy_hub.governance import services as governance_services
from synergy_hub.governance.models import Complaint
from synergy_hub.programmes import selectors, services
from synergy_hub.programmes.models import Application, PilotCall
from tests.conftest import World
from tests.pages import client_for
from tests.permissions import LOGIN, assert_api_refused, assert_page_refused

PROGRAMME = {
    "code": "zhejiang-2026",
    "name_zh": "浙江省平台经济大中小企业融通行动",
    "name_en": "Zhejiang platform-economy collaboration plan",
    "summary_zh": "",
    "summary_en": "",
    "start_year": 2026,
    "end_year": 2028,
}


def _count(page: str, key: str) -> str:
    start = page.index(f'data-testid="attention-{key}"')
    return page[page.index("<strong>", start) + 8 : page.index("</strong>", start)]


def test_dashboard_counts_what_waits_for_the_officer(
    world: World, submitted: Application, reviewers: list[Any]
) -> None:
    call: PilotCall = submitted.call
    services.assign_reviewer(world.officer, submitted, reviewers[0])
    # The review date has passed without a score: the review is overdue.
    PilotCall.objects.filter(pk=call.pk).update(review_by=timezone.localdate() - timedelta(days=1))
    services.register_platform(
        world.alice, {"name_zh": "平台", "services": "服务", "region": "330100", "pillar": "open"}
    )
    governance_services.add_mediator(world.alice, {"name_zh": "调解中心", "contact": "m@x.org"})
    complaint = governance_services.file_complaint(
        world.sam,
        world.platform_a,
        {"category": "fees", "subject": "Fee raised", "description": "Raised without notice."},
    )
    Complaint.objects.filter(pk=complaint.pk).update(
        acknowledge_by=timezone.now() + timedelta(hours=5)
    )
    page = client_for(world.officer, "en").get("/programmes/office/dashboard/").content.decode()
    assert _count(page, "applications_awaiting_review") == "1"
    assert _count(page, "reviews_overdue") == "1"
    assert _count(page, "platforms_to_confirm") == "1"
    assert _count(page, "scenarios_to_confirm") == "0"
    assert _count(page, "complaints_near_deadline") == "1"
    assert _count(page, "complaints_with_office") == "0"
    assert 'href="/programmes/office/"' in page and 'href="/governance/complaints/"' in page
    assert (
        client_for(world.officer, "zh-hans").get("/programmes/office/dashboard/").status_code == 200
    )
    assert_page_refused(
        world,
        "GET",
        "/programmes/office/dashboard/",
        anonymous=LOGIN,
        sme_a=403,
        platform_operator=403,
    )


def test_a_milestone_past_due_without_a_report_is_overdue(
    world: World, open_call: PilotCall, gpu: Any
) -> None:
    from tests.programmes.conftest import draft

    application = services.submit_application(
        world.sam,
        draft(
            world,
            open_call,
            gpu,
            milestones=[
                {"title": "数据接入", "due_on": "2026-01-31", "kpi": "接入3条产线"},
                {"title": "模型上线", "due_on": "2099-06-30", "kpi": "检出率≥95%"},
            ],
        ),
    )
    from synergy_hub.programmes.models import PilotProject

    project = PilotProject.objects.create(application=application)
    today = timezone.localdate()
    overdue = selectors.milestones_overdue(today)
    assert [(p.pk, m["title"]) for p, m in overdue] == [(project.pk, "数据接入")]


def test_officers_create_and_edit_a_programme_with_audit(world: World) -> None:
    programme = services.save_programme(world.officer, PROGRAMME)
    assert programme.code == "zhejiang-2026" and programme.end_year == 2028
    event = AuditEvent.objects.get(action="programmes.programme.created")
    assert event.after["code"] == "zhejiang-2026"
    edited = services.save_programme(world.officer, PROGRAMME | {"end_year": 2030}, programme)
    assert edited.end_year == 2030
    assert AuditEvent.objects.get(action="programmes.programme.updated").before["end_year"] == 2028
    with pytest.raises(ValidationError) as caught:
        services.save_programme(
            world.officer,
            {"code": "Bad Code!", "name_zh": "", "start_year": 2028, "end_year": 2026},
        )
    assert {"code", "name_zh", "name_en", "end_year"} <= set(caught.value.error_dict)
    with pytest.raises(ValidationError) as caught:
        services.save_programme(world.officer, PROGRAMME)  # the code is taken
    assert caught.value.error_dict["code"][0].code == "unique"
    for actor in (world.sam, world.alice):  # an SME, a platform
        with pytest.raises(PermissionDenied):
            services.save_programme(actor, PROGRAMME | {"code": "other-plan"})
    assert Programme.objects.filter(code="other-plan").count() == 0


def test_programmes_through_the_api(world: World, api_as: Any) -> None:
    assert_api_refused(
        world,
        "POST",
        "/programmes",
        PROGRAMME,
        anonymous=401,
        sme_a=403,
        platform_operator=403,
        platform_viewer=403,
    )
    status, body = api_as(world.officer).post("/programmes", PROGRAMME)
    assert status == 201 and body["code"] == "zhejiang-2026" and body["targets"] == []
    status, body = api_as(world.officer).post(
        "/programmes/zhejiang-2026/targets",
        {"metric": "pilot_projects", "number": 20, "due_on": "2028-12-31"},
    )
    assert status == 201
    update = {k: v for k, v in PROGRAMME.items() if k != "code"} | {"name_en": "Zhejiang plan"}
    status, body = api_as(world.officer).patch("/programmes/zhejiang-2026", update)
    assert status == 200 and body["name_en"] == "Zhejiang plan" and len(body["targets"]) == 1
    assert api_as(world.alice).patch("/programmes/zhejiang-2026", update)[0] == 403
    assert api_as(world.officer).patch("/programmes/nowhere", update)[0] == 404
    status, body = api_as(world.officer).post("/programmes", PROGRAMME | {"code": "x"})
    assert status == 422 and body["detail"][0]["loc"][-1] == "code"
    status, listed = api_as(None).get("/programmes")
    assert status == 200 and "zhejiang-2026" in [p["code"] for p in listed]
    assert api_as(None).get("/programmes/platforms")[0] == 200  # still its own route


def test_programme_pages_for_officers_only(world: World) -> None:
    client = client_for(world.officer, "zh-hans")
    response = client.post("/programmes/office/programmes/new/", PROGRAMME)
    assert response.status_code == 302
    assert response["Location"] == "/programmes/office/programmes/zhejiang-2026/"
    response = client.post(
        "/programmes/office/programmes/zhejiang-2026/targets/",
        {"metric": "scenarios", "number": "12", "due_on": "2028-12-31"},
    )
    assert response.status_code == 302
    page = client.get("/programmes/office/programmes/").content.decode()
    assert "zhejiang-2026" in page and "12" in page
    response = client.post("/programmes/office/programmes/new/", {"code": "x"})
    assert {"code", "name_zh", "name_en", "start_year", "end_year"} <= set(
        response.context["form"].errors
    )
    for path in ("/programmes/office/programmes/", "/programmes/office/programmes/new/"):
        assert_page_refused(world, "GET", path, anonymous=LOGIN, sme_a=403, platform_operator=403)
