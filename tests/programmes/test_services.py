"""The programme office's workflows through the services: calls, applications, review,
selection, override, platforms and scenarios; with a refusal for every permission rule."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from synergy_hub.access.models import Agreement
from synergy_hub.accounts.models import User
from synergy_hub.audit.models import AuditEvent
from synergy_hub.catalog.models import Resource
from synergy_hub.programmes import rules, services
from synergy_hub.programmes.models import (
    Application,
    ParentOrganisation,
    PilotCall,
    PilotProject,
    ReviewAssignment,
)
from synergy_hub.programmes.vocabulary import ApplicationState, CallState, ScenarioState
from tests import factories
from tests.access.conftest import agreed
from tests.conftest import World
from tests.permissions import assert_refused
from tests.programmes.conftest import application_data, call_data, draft, reviewer


def codes(exc: pytest.ExceptionInfo[ValidationError], field: str) -> list[str]:
    return [e.code or "" for e in exc.value.error_dict[field]]


# --- calls ---


def test_officer_drafts_and_opens_a_call(world: World) -> None:
    call = services.create_call(world.officer, factories.programme(), call_data())
    assert call.state == CallState.DRAFT
    call = services.open_call(world.officer, call)
    assert call.state == CallState.OPEN
    assert AuditEvent.objects.filter(action="programmes.call.opened").count() == 1


def test_only_officers_run_calls(world: World) -> None:
    assert_refused(
        world,
        lambda actor: services.create_call(actor, factories.programme(), call_data()),
        "anonymous",
        "sme_a",
        "platform_operator",
        "platform_viewer",
    )


def test_a_call_with_bad_fields_names_them(world: World) -> None:
    with pytest.raises(ValidationError) as exc:
        services.create_call(
            world.officer,
            factories.programme(),
            call_data(budget=-3, quotas={"galaxy:1": 2}, rubric=[], closes_on="2020-01-01"),
        )
    assert set(exc.value.error_dict) >= {"budget", "quotas", "rubric", "closes_on"}


# --- applications ---


def test_sme_applies_with_a_partner_platform(world: World, submitted: Application) -> None:
    assert submitted.state == ApplicationState.SUBMITTED
    assert submitted.lead == world.sme
    assert submitted.sme_led
    assert submitted.region_id == world.sme.region_id


def test_submission_shows_every_eligibility_reason(
    world: World, open_call: PilotCall, gpu: Resource
) -> None:
    application = services.create_application(
        world.sam, open_call, application_data([], [gpu.pk], milestones=[])
    )
    with pytest.raises(ValidationError) as exc:
        services.submit_application(world.sam, application)
    assert codes(exc, "eligibility") == [rules.NO_PUBLISHER, rules.NO_MILESTONE]
    application.refresh_from_db()
    assert application.state == ApplicationState.DRAFT


def test_an_unpublished_resource_cannot_be_named(world: World, open_call: PilotCall) -> None:
    unpublished = factories.resource(
        factories.openness_list(world.platform_a, world.batch, world.alice)
    )
    with pytest.raises(ValidationError) as exc:
        services.create_application(
            world.sam, open_call, application_data([world.platform_c.pk], [unpublished.pk])
        )
    assert "resources" in exc.value.error_dict


def test_applications_are_refused_to_other_roles_and_organisations(
    world: World, open_call: PilotCall, gpu: Resource
) -> None:
    assert_refused(
        world,
        lambda actor: services.create_application(
            actor, open_call, application_data([world.platform_c.pk], [gpu.pk])
        ),
        "anonymous",
        "officer",
        "platform_viewer",
    )
    mine = draft(world, open_call, gpu)
    assert_refused(
        world,
        lambda actor: services.submit_application(actor, mine),
        "sme_b",
        "platform_operator",
        "officer",
    )
    assert_refused(
        world, lambda actor: services.withdraw_application(actor, mine), "sme_b", "other_platform"
    )


def test_lead_withdraws_while_the_call_is_open(world: World, submitted: Application) -> None:
    withdrawn = services.withdraw_application(world.sam, submitted)
    assert withdrawn.state == ApplicationState.WITHDRAWN


def test_no_submission_after_the_call_closed(
    world: World, open_call: PilotCall, gpu: Resource
) -> None:
    application = draft(world, open_call, gpu)
    services.close_call(world.officer, open_call)
    with pytest.raises(ValidationError) as exc:
        services.submit_application(world.sam, application)
    assert codes(exc, "eligibility") == [rules.CALL_CLOSED]


# --- review and conflicts of interest ---


def test_a_reviewer_from_a_party_cannot_be_assigned(world: World, submitted: Application) -> None:
    with pytest.raises(ValidationError) as exc:
        services.assign_reviewer(world.officer, submitted, world.charlie)  # platform C joins
    assert codes(exc, "reviewer") == [rules.CONFLICT_PARTY]
    assert "leads or joins" in exc.value.error_dict["reviewer"][0].message
    assert not ReviewAssignment.objects.exists()


def test_a_reviewer_sharing_a_parent_cannot_be_assigned(
    world: World, submitted: Application
) -> None:
    ParentOrganisation.objects.create(organisation=world.testing_lab, parent=world.platform_c)
    with pytest.raises(ValidationError) as exc:
        services.assign_reviewer(world.officer, submitted, world.lena)
    assert codes(exc, "reviewer") == [rules.CONFLICT_GROUP]


def test_a_reviewer_with_an_active_agreement_cannot_be_assigned(
    world: World, submitted: Application, gpu: Resource
) -> None:
    agreement = agreed(world, gpu)  # platform A provides to Small Co, the lead
    assert agreement.state in services.LIVE_AGREEMENT_STATES
    with pytest.raises(ValidationError) as exc:
        services.assign_reviewer(world.officer, submitted, world.alice)
    assert codes(exc, "reviewer") == [rules.CONFLICT_AGREEMENT]
    # Once the agreement has ended, the reviewer may be assigned.
    Agreement.objects.filter(pk=agreement.pk).update(state="completed")
    assert services.assign_reviewer(world.officer, submitted, world.alice)


def test_only_officers_assign_reviewers(
    world: World, submitted: Application, reviewers: list[User]
) -> None:
    assert_refused(
        world,
        lambda actor: services.assign_reviewer(actor, submitted, reviewers[0]),
        "sme_a",
        "platform_operator",
    )


def score_all(assignments: list[ReviewAssignment], values: list[dict[str, int]]) -> None:
    for assignment, scores in zip(assignments, values, strict=True):
        services.submit_scores(assignment.reviewer, assignment, scores)


def assign_all(world: World, application: Application, people: list[User]) -> list[Any]:
    return [services.assign_reviewer(world.officer, application, p) for p in people]


def test_reviewers_score_only_their_own_assignment_once(
    world: World, submitted: Application, reviewers: list[User]
) -> None:
    first, second, _third = assign_all(world, submitted, reviewers)
    with pytest.raises(PermissionDenied):
        services.submit_scores(second.reviewer, first, {"impact": 5, "feasibility": 5})
    with pytest.raises(PermissionDenied):
        services.submit_scores(world.officer, first, {"impact": 5, "feasibility": 5})
    with pytest.raises(ValidationError) as exc:
        services.submit_scores(first.reviewer, first, {"impact": 11})
    assert set(exc.value.error_dict) == {"scores.impact", "scores.feasibility"}
    services.submit_scores(first.reviewer, first, {"impact": 10, "feasibility": 5})
    with pytest.raises(ValidationError):
        services.submit_scores(first.reviewer, first, {"impact": 1, "feasibility": 1})
    first.refresh_from_db()
    assert float(first.total or 0) == pytest.approx(0.8)


def test_an_outlying_score_is_flagged(
    world: World, submitted: Application, reviewers: list[User]
) -> None:
    extra = reviewer("Dan")
    assignments = assign_all(world, submitted, [*reviewers, extra])
    score_all(
        assignments,
        [
            {"impact": 8, "feasibility": 8},
            {"impact": 8, "feasibility": 9},
            {"impact": 9, "feasibility": 8},
            {"impact": 1, "feasibility": 2},
        ],
    )
    flags = list(ReviewAssignment.objects.order_by("pk").values_list("outlier", flat=True))
    assert flags == [False, False, False, True]


# --- selection ---


def test_selection_needs_three_scores_per_application(world: World, submitted: Application) -> None:
    services.close_call(world.officer, submitted.call)
    with pytest.raises(ValidationError) as exc:
        services.run_selection(world.officer, submitted.call)
    assert codes(exc, "reviews") == ["too_few_reviews"]


def test_selection_decides_the_call_and_states_reasons(
    world: World, open_call: PilotCall, gpu: Resource, reviewers: list[User]
) -> None:
    good = services.submit_application(world.sam, draft(world, open_call, gpu, title="A"))
    costly = services.submit_application(
        world.sam, draft(world, open_call, gpu, title="B", budget=9_500_000)
    )
    for application, mark in ((good, 9), (costly, 6)):
        score_all(
            assign_all(world, application, reviewers), [{"impact": mark, "feasibility": mark}] * 3
        )
    services.close_call(world.officer, open_call)
    assert_refused(world, lambda actor: services.run_selection(actor, open_call), "sme_a")
    result = services.run_selection(world.officer, open_call)
    assert result.selected == {good.pk}
    good.refresh_from_db()
    costly.refresh_from_db()
    assert (good.state, good.rank, good.selection_reasons) == ("selected", 1, ["selected"])
    assert (costly.state, costly.rank, costly.selection_reasons) == ("not_selected", 2, ["budget"])
    assert PilotProject.objects.get().application == good
    open_call.refresh_from_db()
    assert open_call.state == CallState.DECIDED


def test_override_needs_a_reason_and_is_audited(
    world: World, submitted: Application, reviewers: list[User]
) -> None:
    score_all(assign_all(world, submitted, reviewers), [{"impact": 5, "feasibility": 5}] * 3)
    services.close_call(world.officer, submitted.call)
    services.run_selection(world.officer, submitted.call)
    with pytest.raises(ValidationError) as exc:
        services.override_selection(world.officer, submitted, selected=False, reason=" ")
    assert "reason" in exc.value.error_dict
    assert_refused(
        world,
        lambda actor: services.override_selection(actor, submitted, selected=False, reason="x"),
        "sme_a",
        "platform_operator",
    )
    services.override_selection(
        world.officer, submitted, selected=False, reason="Lead under investigation."
    )
    event = AuditEvent.objects.filter(action="programmes.application.overridden").get()
    assert "Lead under investigation." in str(event.after)
    assert not PilotProject.objects.exists()


# --- service platforms and scenarios ---


def test_platform_registered_by_its_operator_and_confirmed_by_an_officer(
    world: World, gpu: Resource
) -> None:
    data = {
        "name_zh": "工业互联网服务平台",
        "services": "设备上云、质检模型",
        "region": "330100",
        "pillar": "open",
        "resources": [gpu.pk],
    }
    assert_refused(
        world, lambda actor: services.register_platform(actor, data), "sme_a", "platform_viewer"
    )
    platform = services.register_platform(world.alice, data)
    assert platform.operator == world.platform_a
    assert_refused(
        world, lambda actor: services.confirm_platform(actor, platform), "platform_operator"
    )
    assert services.confirm_platform(world.officer, platform).state == "operating"


def test_scenario_is_implemented_only_with_evidence_and_confirmation(world: World) -> None:
    scenario = services.propose_scenario(
        world.sam,
        {
            "title_zh": "智能排产",
            "problem": "订单波动导致排产困难",
            "ai_capability": "agent",
            "region": "330100",
            "pillar": "innovation",
        },
    )
    assert_refused(world, lambda actor: services.start_scenario_pilot(actor, scenario), "sme_b")
    scenario = services.start_scenario_pilot(world.sam, scenario)
    with pytest.raises(ValidationError):
        services.confirm_scenario_implemented(world.officer, scenario)
    scenario = services.record_scenario_evidence(world.sam, scenario, "上线报告与用户证明")
    assert_refused(
        world, lambda actor: services.confirm_scenario_implemented(actor, scenario), "sme_a"
    )
    scenario = services.confirm_scenario_implemented(world.officer, scenario)
    assert scenario.state == ScenarioState.IMPLEMENTED
    assert scenario.confirmed_by == world.officer


def test_plan_targets_are_seeded_once(world: World) -> None:
    programme = factories.programme()
    services.seed_plan_targets(programme)
    services.seed_plan_targets(programme)
    assert programme.targets.count() == 4
