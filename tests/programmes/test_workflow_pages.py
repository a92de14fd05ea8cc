"""The pilot workflow through the pages: apply, assign, score, select, override; refusals."""

from __future__ import annotations

import pytest

from synergy_hub.accounts.models import User
from synergy_hub.catalog.models import Resource
from synergy_hub.programmes import services
from synergy_hub.programmes.models import Application, PilotCall, ReviewAssignment
from tests.conftest import World
from tests.pages import client_for
from tests.permissions import LOGIN, assert_page_refused


def form_data(world: World, gpu: Resource, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "质检大模型试点",
        "scenario": "用平台开放的算力训练质检模型。",
        "pillar": "innovation",
        "budget": "1000000",
        "partners": [str(world.platform_c.pk)],
        "resources": [str(gpu.pk)],
        "milestone_title": "模型上线",
        "milestone_due_on": "2027-06-30",
        "milestone_kpi": "检出率≥95%",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_whole_flow_through_the_pages(
    world: World, open_call: PilotCall, gpu: Resource, reviewers: list[User], language: str
) -> None:
    sam = client_for(world.sam, language)
    assert sam.get(f"/programmes/calls/{open_call.pk}/apply/").status_code == 200
    response = sam.post(f"/programmes/calls/{open_call.pk}/apply/", form_data(world, gpu))
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.state == "submitted"

    officer = client_for(world.officer, language)
    for person in reviewers:
        officer.post(
            f"/programmes/office/applications/{application.pk}/reviewers/",
            {"reviewer": person.email},
        )
    assert ReviewAssignment.objects.count() == 3
    # A conflicted reviewer is refused with the rule shown.
    page = officer.post(
        f"/programmes/office/applications/{application.pk}/reviewers/",
        {"reviewer": world.charlie.email},
        follow=True,
    )
    assert ReviewAssignment.objects.count() == 3
    assert ("牵头或参与" if language == "zh-hans" else "leads or joins") in page.content.decode()

    for assignment in ReviewAssignment.objects.all():
        client = client_for(assignment.reviewer, language)
        assert client.get("/programmes/reviews/").status_code == 200
        response = client.post(
            f"/programmes/reviews/{assignment.pk}/", {"impact": "9", "feasibility": "8"}
        )
        assert response.status_code == 302
    officer.post(f"/programmes/office/calls/{open_call.pk}/close/")
    officer.post(f"/programmes/office/calls/{open_call.pk}/select/")
    application.refresh_from_db()
    assert application.state == "selected"
    decision = officer.get(f"/programmes/office/calls/{open_call.pk}/").content.decode()
    assert "3/3" in decision
    public = client_for(None, language).get(f"/programmes/calls/{open_call.pk}/").content.decode()
    assert application.title in public
    kpi = client_for(None, language).get("/programmes/kpi/").content.decode()
    assert "programme" in kpi.lower() or "行动方案" in kpi


def test_ineligible_application_is_kept_as_a_draft_with_reasons(
    world: World, open_call: PilotCall, gpu: Resource
) -> None:
    response = client_for(world.sam, "en").post(
        f"/programmes/calls/{open_call.pk}/apply/",
        form_data(world, gpu, partners=[]),
        follow=True,
    )
    assert "At least one platform enterprise or service provider must join." in (
        response.content.decode()
    )
    assert Application.objects.get().state == "draft"


def test_bad_form_input_names_the_field(world: World, open_call: PilotCall, gpu: Resource) -> None:
    response = client_for(world.sam, "en").post(
        f"/programmes/calls/{open_call.pk}/apply/", form_data(world, gpu, budget="-5")
    )
    assert response.status_code == 200
    assert 'data-field="budget"' in response.content.decode()
    assert not Application.objects.exists()


def test_pages_refuse_wrong_roles_and_other_organisations(
    world: World, open_call: PilotCall, submitted: Application, reviewers: list[User]
) -> None:
    assert_page_refused(world, "GET", "/programmes/office/", anonymous=LOGIN, sme_a=403)
    assert_page_refused(
        world,
        "POST",
        f"/programmes/office/calls/{open_call.pk}/close/",
        anonymous=LOGIN,
        sme_a=403,
        platform_operator=403,
    )
    assert_page_refused(
        world,
        "POST",
        f"/programmes/office/applications/{submitted.pk}/reviewers/",
        {"reviewer": reviewers[0].email},
        sme_a=403,
    )
    assert_page_refused(
        world,
        "POST",
        f"/programmes/applications/{submitted.pk}/withdraw/",
        sme_b=404,
        platform_operator=404,
    )
    assert_page_refused(
        world, "GET", f"/programmes/calls/{open_call.pk}/apply/", officer=403, platform_viewer=403
    )
    assignment = services.assign_reviewer(world.officer, submitted, reviewers[0])
    assert_page_refused(
        world, "GET", f"/programmes/reviews/{assignment.pk}/", sme_a=404, officer=404
    )


def test_officer_drafts_a_call_on_a_page(world: World) -> None:
    from synergy_hub.programmes.models import PilotCall as Call
    from tests import factories

    factories.programme()
    officer = client_for(world.officer, "en")
    assert officer.get("/programmes/office/calls/new/").status_code == 200
    data = {
        "title_zh": "试点指南",
        "pillars": ["innovation", "open"],
        "budget": "5000000",
        "min_sme_share": "60",
        "quotas": "pillar:open = 3\nregion:330000 = 2",
        "rubric": "impact | 成效 | Impact | 60\nfeasibility | 可行性 | Feasibility | 40",
        "scale_max": "10",
        "opens_on": "2027-01-01",
        "closes_on": "2027-02-01",
        "review_by": "2027-03-01",
        "decide_by": "2027-03-15",
    }
    assert officer.post("/programmes/office/calls/new/", data).status_code == 302
    call = Call.objects.get()
    assert call.quotas == {"pillar:open": 3, "region:330000": 2}
    assert [c["weight"] for c in call.rubric] == [60.0, 40.0]
    bad = officer.post(
        "/programmes/office/calls/new/",
        data | {"quotas": "planet:1 = 2", "decide_by": "2026-01-01"},
    )
    html = bad.content.decode()
    assert 'data-field="quotas"' in html and 'data-field="decide_by"' in html
    assert_page_refused(world, "GET", "/programmes/office/calls/new/", sme_a=403, anonymous=LOGIN)


def test_a_withdrawn_application_cannot_be_scored(
    world: World, submitted: Application, reviewers: list[User]
) -> None:
    from django.core.exceptions import ValidationError

    assignment = services.assign_reviewer(world.officer, submitted, reviewers[0])
    services.withdraw_application(world.sam, submitted)
    with pytest.raises(ValidationError):
        services.submit_scores(reviewers[0], assignment, {"impact": 5, "feasibility": 5})


def test_platforms_and_scenarios_through_the_pages(world: World, gpu: Resource) -> None:
    from synergy_hub.programmes.models import Scenario, ServicePlatform

    alice = client_for(world.alice, "en")
    response = alice.post(
        "/programmes/platforms/new/",
        {
            "name_zh": "工业服务平台",
            "services": "质检模型",
            "region": "330100",
            "pillar": "open",
            "smes_served": "40",
            "resources": [str(gpu.pk)],
        },
    )
    assert response.status_code == 302
    platform = ServicePlatform.objects.get()
    assert client_for(world.sam, "en").get("/programmes/platforms/new/").status_code == 403
    assert_page_refused(
        world, "POST", f"/programmes/platforms/{platform.pk}/confirm/", platform_operator=403
    )
    client_for(world.officer, "en").post(f"/programmes/platforms/{platform.pk}/confirm/")
    platform.refresh_from_db()
    assert platform.state == "operating"

    sam = client_for(world.sam, "en")
    bad = sam.post(
        "/programmes/scenarios/new/",
        {
            "problem": "x",
            "ai_capability": "agent",
            "region": "999999",
            "pillar": "open",
            "smes_served": "0",
        },
    )
    assert 'data-field="region"' in bad.content.decode()
    sam.post(
        "/programmes/scenarios/new/",
        {
            "title_zh": "智能排产",
            "problem": "排产难",
            "ai_capability": "agent",
            "region": "330100",
            "pillar": "open",
            "smes_served": "5",
        },
    )
    scenario = Scenario.objects.get()
    assert_page_refused(world, "POST", f"/programmes/scenarios/{scenario.pk}/pilot/", sme_b=403)
    sam.post(f"/programmes/scenarios/{scenario.pk}/pilot/")
    sam.post(f"/programmes/scenarios/{scenario.pk}/evidence/", {"evidence": "上线报告"})
    page = client_for(world.officer, "en").get("/programmes/scenarios/").content.decode()
    assert "Confirm as implemented" in page
    client_for(world.officer, "en").post(f"/programmes/scenarios/{scenario.pk}/confirm/")
    scenario.refresh_from_db()
    assert scenario.state == "implemented"
