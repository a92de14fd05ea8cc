"""The programme office through the API and the pages: KPI counts equal the records,
conflicts refused through the API, other organisations refused, results published."""

from __future__ import annotations

import re
from typing import Any

import pytest

from synergy_hub.accounts.models import User
from synergy_hub.catalog.models import Batch, Resource
from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.programmes import services
from synergy_hub.programmes.models import (
    Application,
    ParentOrganisation,
    PilotCall,
    PilotProject,
    Scenario,
    ServicePlatform,
)
from tests import factories
from tests.access.conftest import agreed
from tests.conftest import Api, World
from tests.pages import client_for
from tests.permissions import assert_api_refused
from tests.programmes.conftest import application_data, call_data, draft


def decide(
    world: World, call: PilotCall, applications: list[Application], people: list[User]
) -> None:
    for application in applications:
        for person in people:
            assignment = services.assign_reviewer(world.officer, application, person)
            services.submit_scores(person, assignment, {"impact": 8, "feasibility": 7})
    services.close_call(world.officer, call)
    services.run_selection(world.officer, call)


@pytest.fixture
def kpi_world(
    world: World, open_call: PilotCall, gpu: Resource, reviewers: list[User]
) -> dict[str, Any]:
    """Two selected projects, platforms and scenarios in several states, one released batch."""
    services.seed_plan_targets(factories.programme())
    apps = [
        services.submit_application(world.sam, draft(world, open_call, gpu, title=f"P{i}"))
        for i in range(2)
    ]
    decide(world, open_call, apps, reviewers)
    data = {"name_zh": "平台", "services": "服务", "region": "330100", "pillar": "open"}
    operating = services.register_platform(world.alice, data)
    services.confirm_platform(world.officer, operating)
    services.register_platform(world.charlie, data)  # proposed: does not count
    scenario_data = {
        "title_zh": "场景",
        "problem": "问题",
        "ai_capability": "model",
        "region": "330100",
        "pillar": "innovation",
    }
    done = services.start_scenario_pilot(
        world.sam, services.propose_scenario(world.sam, scenario_data)
    )
    done = services.record_scenario_evidence(world.sam, done, "证明")
    services.confirm_scenario_implemented(world.officer, done)
    services.propose_scenario(world.sid, scenario_data)  # proposed: does not count
    return {"call": open_call, "applications": apps}


def independent_counts() -> dict[str, int]:
    """The same four figures counted straight from the tables, without the selectors."""
    batches = {
        b.pk for b in Batch.objects.all() if b.openness_lists.exclude(published_at=None).exists()
    }
    return {
        "batches": len(batches),
        "pilot_projects": PilotProject.objects.count(),
        "service_platforms": ServicePlatform.objects.filter(state="operating").count(),
        "scenarios": Scenario.objects.filter(
            state="implemented", confirmed_by__isnull=False
        ).count(),
    }


def test_kpi_api_counts_equal_the_records(
    world: World, kpi_world: dict[str, Any], gpu: Resource
) -> None:
    status, body = Api().get("/kpi")
    assert status == 200
    reported = {t["metric"]: t["current"] for t in body["targets"]}
    assert reported == independent_counts()
    assert reported == {"batches": 1, "pilot_projects": 2, "service_platforms": 1, "scenarios": 1}
    assert {t["metric"]: t["target"] for t in body["targets"]} == {
        "batches": 3,
        "pilot_projects": 100,
        "service_platforms": 10,
        "scenarios": 60,
    }
    assert body["series"]["pilot_projects"][-1]["count"] == 2
    pillars = {
        row["link"].rsplit("=", 1)[-1]: row["count"]
        for row in body["breakdowns"]["projects_by_pillar"]
    }
    assert pillars == {"innovation": 2, "ecosystem": 0, "open": 0}
    assert body["figures"]["smes_reached"] == 1


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_kpi_page_shows_the_same_counts_with_charts_and_tables(
    kpi_world: dict[str, Any], language: str
) -> None:
    response = client_for(None, language).get("/programmes/kpi/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="kpi-pilot_projects-current">2<' in html
    assert 'data-testid="kpi-service_platforms-current">1<' in html
    assert "<svg" in html and "<caption>" in html
    # Each chart is a figure whose data table is the chart's source (web/charts.js reads it).
    assert 'data-chart="line"' in html and 'data-chart="hbar"' in html
    assert 'data-testid="kpi-chart-pilot_projects"' in html and "data-series" in html
    # Scripts only from files (the vendored Chart.js and charts.js): the CSP forbids inline ones.
    body = html.split("</head>")[1]
    scripts = re.findall(r"<script[^>]*>", body)
    assert scripts and all(" src=" in tag for tag in scripts)
    assert any("chart-4.5.1.umd.min.js" in tag for tag in scripts)
    assert ("试点项目" if language == "zh-hans" else "Pilot projects") in html


def test_kpi_csv_export(kpi_world: dict[str, Any]) -> None:
    response = client_for(None, "en").get("/programmes/kpi.csv")
    assert response.status_code == 200
    assert "target,pilot_projects" in response.content.decode()


def test_results_page_states_reasons_and_draft_calls_stay_hidden(
    world: World, kpi_world: dict[str, Any]
) -> None:
    call = kpi_world["call"]
    response = client_for(None, "en").get(f"/programmes/calls/{call.pk}/")
    assert response.status_code == 200
    assert "Selected: among the highest total score" in response.content.decode()
    hidden = services.create_call(world.officer, factories.programme(), call_data())
    assert client_for(None, "en").get(f"/programmes/calls/{hidden.pk}/").status_code == 404
    assert client_for(world.officer, "en").get(f"/programmes/calls/{hidden.pk}/").status_code == 200
    status, body = Api().get(f"/programmes/calls/{call.pk}/results")
    assert status == 200 and len(body["outcomes"]) == 2


def test_the_workflow_through_the_api(
    world: World, open_call: PilotCall, gpu: Resource, reviewers: list[User]
) -> None:
    sam = Api(world.sam)
    status, created = sam.post(
        f"/programmes/calls/{open_call.pk}/applications",
        application_data([world.platform_c.pk], [gpu.pk]),
    )
    assert status == 201, created
    status, body = sam.post(f"/programmes/applications/{created['id']}/submit")
    assert status == 200 and body["state"] == "submitted"
    officer = Api(world.officer)
    ids = []
    for person in reviewers:
        status, body = officer.post(
            f"/programmes/applications/{created['id']}/reviewers", {"reviewer": person.pk}
        )
        assert status == 201
        ids.append(body["id"])
    # A reviewer sees only their own assignment and cannot score another's.
    status, mine = Api(reviewers[0]).get("/programmes/reviews")
    assert [a["id"] for a in mine] == [ids[0]]
    status, _body = Api(reviewers[0]).post(
        f"/programmes/reviews/{ids[1]}/scores", {"scores": {"impact": 1, "feasibility": 1}}
    )
    assert status == 404
    for person, pk in zip(reviewers, ids, strict=True):
        status, _body = Api(person).post(
            f"/programmes/reviews/{pk}/scores", {"scores": {"impact": 9, "feasibility": 9}}
        )
        assert status == 200
    assert officer.post(f"/programmes/calls/{open_call.pk}/close")[0] == 200
    status, result = officer.post(f"/programmes/calls/{open_call.pk}/selection")
    assert status == 200
    assert result["selected"] == [created["id"]]
    assert result["outcomes"][0]["reasons"] == ["selected"]


def test_submission_reasons_through_the_api(
    world: World, open_call: PilotCall, gpu: Resource
) -> None:
    sam = Api(world.sam)
    _status, created = sam.post(
        f"/programmes/calls/{open_call.pk}/applications", application_data([], [gpu.pk])
    )
    status, body = sam.post(f"/programmes/applications/{created['id']}/submit")
    assert status == 422
    assert [d["type"] for d in body["detail"]] == ["no_platform_or_provider"]
    assert body["detail"][0]["loc"] == ["body", "eligibility"]


def test_bad_call_input_is_a_422_naming_the_field(world: World) -> None:
    payload = call_data(rubric=[{"key": "x", "weight": 1}], quotas={"planet:1": 1})
    status, body = Api(world.officer).post("/programmes/2026-2028/calls", payload)
    assert status == 422
    assert body["detail"][0]["loc"][-1] == "quotas"


def test_api_refusals(world: World, open_call: PilotCall, submitted: Application) -> None:
    assert_api_refused(
        world,
        "POST",
        "/programmes/2026-2028/calls",
        call_data(),
        anonymous=401,
        sme_a=403,
        platform_operator=403,
    )
    assert_api_refused(
        world,
        "POST",
        f"/programmes/applications/{submitted.pk}/withdraw",
        anonymous=401,
        sme_b=404,
        platform_operator=404,
    )
    assert_api_refused(
        world,
        "POST",
        f"/programmes/applications/{submitted.pk}/reviewers",
        {"reviewer": world.officer.pk},
        sme_a=403,
        other_platform=403,  # a partner sees the application but may not assign reviewers
    )


def assign_via_api(world: World, application: Application, person: User) -> tuple[int, Any]:
    return Api(world.officer).post(
        f"/programmes/applications/{application.pk}/reviewers", {"reviewer": person.pk}
    )


def conflict(body: Any) -> str:
    """The conflict rule named by a 422 answer; its message is in the caller's language."""
    assert body["detail"][0]["loc"] == ["body", "reviewer"]
    assert body["detail"][0]["msg"]
    return str(body["detail"][0]["type"])


def test_api_refuses_a_reviewer_from_a_party(world: World, submitted: Application) -> None:
    status, body = assign_via_api(world, submitted, world.charlie)
    assert status == 422 and conflict(body) == "reviewer_is_party"


def test_api_refuses_a_reviewer_sharing_a_parent(world: World, submitted: Application) -> None:
    ParentOrganisation.objects.create(organisation=world.testing_lab, parent=world.platform_c)
    status, body = assign_via_api(world, submitted, world.lena)
    assert status == 422 and conflict(body) == "shares_parent"


def test_api_refuses_a_reviewer_with_an_agreement(
    world: World, submitted: Application, gpu: Resource
) -> None:
    agreed(world, gpu)
    status, body = assign_via_api(world, submitted, world.alice)
    assert status == 422 and conflict(body) == "active_agreement"
    # In English when the caller asks for it.
    _status, body = Api(world.officer).post(
        f"/programmes/applications/{submitted.pk}/reviewers",
        {"reviewer": world.alice.pk},
        headers={"Accept-Language": "en"},
    )
    assert "active agreement" in body["detail"][0]["msg"]


def test_public_calls_list_hides_drafts(world: World, open_call: PilotCall) -> None:
    services.create_call(world.officer, factories.programme(), call_data(title_en="Hidden draft"))
    _status, body = Api().get("/programmes/calls")
    assert [c["id"] for c in body] == [open_call.pk]
    html = client_for(None, "zh-hans").get("/programmes/calls/").content.decode()
    assert "Hidden draft" not in html


def test_registries_and_project_list_render(kpi_world: dict[str, Any]) -> None:
    client = client_for(None, "en")
    for path in (
        "/programmes/platforms/",
        "/programmes/scenarios/",
        "/programmes/projects/?pillar=innovation",
    ):
        assert client.get(path).status_code == 200
    assert "P0" in client.get("/programmes/projects/?region=330000").content.decode()


def test_no_published_list_means_no_released_batch(world: World) -> None:
    factories.openness_list(world.platform_a, world.batch, world.alice, state=ListState.DRAFT)
    status, body = Api().get("/kpi")
    assert status == 200 and body["targets"] == []  # no programme targets seeded here


def test_home_page_target_cards_show_real_progress(kpi_world: dict[str, Any]) -> None:
    page = client_for(None, "en").get("/").content.decode()
    assert 'data-testid="progress-pilot_projects"><a href="/programmes/kpi/">2 so far' in page
    assert 'data-testid="progress-service_platforms"><a href="/programmes/kpi/">1 so far' in page
    assert 'data-testid="progress-scenarios"><a href="/programmes/kpi/">1 so far' in page
    # Each numeric target has a progress bar and a row in the chart's data table.
    assert 'data-testid="progress-bar-pilot_projects"' in page and 'style="width: 2%"' in page
    assert 'data-testid="plan-progress-chart"' in page
    assert '<td data-value="10">1 / 10 · 10%</td>' in page  # one of ten service platforms


def test_kpi_page_query_count_is_bounded(
    kpi_world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(30):
        client_for(None, "en").get("/programmes/kpi/")


def test_registries_and_targets_through_the_api(world: World, gpu: Resource) -> None:
    factories.programme()
    status, target = Api(world.officer).post(
        "/programmes/2026-2028/targets",
        {"metric": "service_platforms", "number": 3, "due_on": "2027-06-30"},
    )
    assert status == 201 and target["number"] == 3
    assert_api_refused(
        world,
        "POST",
        "/programmes/2026-2028/targets",
        {"metric": "scenarios", "number": 3, "due_on": "2027-06-30"},
        sme_a=403,
        anonymous=401,
    )
    platform_body = {
        "name_zh": "服务平台",
        "services": "算力对接",
        "region": "330100",
        "pillar": "open",
        "resources": [gpu.pk],
    }
    assert Api(world.sam).post("/programmes/platforms", platform_body)[0] == 403
    status, platform = Api(world.alice).post("/programmes/platforms", platform_body)
    assert status == 201 and platform["state"] == "proposed"
    path = f"/programmes/platforms/{platform['id']}/confirm"
    assert Api(world.alice).post(path)[0] == 403
    assert Api(world.officer).post(path)[1]["state"] == "operating"

    status, scenario = Api(world.sam).post(
        "/programmes/scenarios",
        {
            "title_zh": "智能排产",
            "problem": "排产难",
            "ai_capability": "agent",
            "region": "330100",
            "pillar": "innovation",
        },
    )
    assert status == 201
    base = f"/programmes/scenarios/{scenario['id']}"
    assert Api(world.sid).post(f"{base}/pilot")[0] == 403
    assert Api(world.sam).post(f"{base}/pilot")[1]["state"] == "piloting"
    assert Api(world.officer).post(f"{base}/confirm")[0] == 422  # no evidence yet
    Api(world.sam).post(f"{base}/evidence", {"evidence": "上线报告"})
    assert Api(world.officer).post(f"{base}/confirm")[1]["state"] == "implemented"
    status, listed = Api().get("/programmes/scenarios")
    assert [s["state"] for s in listed] == ["implemented"]
    _status, body = Api().get("/programmes/platforms")
    assert len(body) == 1
    status, body = Api(world.sam).post(
        "/programmes/scenarios",
        {"problem": "x", "ai_capability": "robot", "region": "999999", "pillar": "open"},
    )
    assert status == 422
    assert {d["loc"][-1] for d in body["detail"]} == {"ai_capability", "region", "title_zh"}


def test_kpi_xlsx_export(kpi_world: dict[str, Any]) -> None:
    import io
    import zipfile

    response = client_for(None, "en").get("/programmes/kpi.xlsx")
    assert response.status_code == 200
    sheet = zipfile.ZipFile(io.BytesIO(response.content)).read("xl/worksheets/sheet1.xml")
    assert b"pilot_projects" in sheet


def test_a_provinces_programme_compares_the_same_counts_with_its_own_targets(
    world: World, kpi_world: dict[str, Any], gpu: Resource
) -> None:
    from synergy_hub.catalog.models import Programme

    province = Programme.objects.create(
        code="zj-2027",
        name_zh="浙江省方案",
        name_en="Zhejiang plan",
        start_year=2026,
        end_year=2027,
    )
    services.add_target(
        world.officer, province, {"metric": "pilot_projects", "number": 4, "due_on": "2027-12-31"}
    )
    _status, body = Api().get("/kpi?programme=zj-2027")
    assert [(t["metric"], t["target"], t["current"], t["percent"]) for t in body["targets"]] == [
        ("pilot_projects", 4, 2, 50)
    ]
    assert Api().get("/kpi?programme=nowhere")[0] == 404
    page = client_for(None, "en").get("/programmes/kpi/?programme=zj-2027").content.decode()
    assert "Zhejiang plan" in page


def test_capacity_used_is_broken_down_by_unit(
    world: World, kpi_world: dict[str, Any], gpu: Resource
) -> None:
    from decimal import Decimal

    from synergy_hub.access.models import Agreement
    from tests.access.conftest import agreed

    agreement = agreed(world, gpu)
    Agreement.objects.filter(pk=agreement.pk).update(used_quantity=Decimal(7))
    _status, body = Api(world.officer).get("/kpi", headers={"Accept-Language": "en"})
    assert body["breakdowns"]["capacity_used_by_unit"] == [
        {"label": "GPU-hour", "count": 7, "link": ""}
    ]
