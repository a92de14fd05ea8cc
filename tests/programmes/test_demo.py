"""The demo data gives the KPI page a realistic picture, and the API reports the plan's
four numeric targets with their current values."""

from __future__ import annotations

from datetime import date

import pytest

from synergy_hub.demo.loader import load_demo_data
from synergy_hub.programmes import selection
from synergy_hub.programmes.models import Application, PilotCall, ReviewAssignment
from synergy_hub.programmes.services import conflicts_of, selection_problem
from tests.conftest import Api


@pytest.mark.django_db
def test_demo_kpi_reports_the_four_plan_targets_with_current_values() -> None:
    _logins, counts = load_demo_data(resources=60, smes=20, needs=5, today=date(2026, 11, 22))
    status, body = Api().get("/kpi")
    assert status == 200
    targets = {t["metric"]: (t["target"], t["current"]) for t in body["targets"]}
    assert targets == {
        "batches": (3, targets["batches"][1]),
        "pilot_projects": (100, counts["pilot_projects"]),
        "service_platforms": (10, 9),
        "scenarios": (60, 38),
    }
    assert 1 <= targets["batches"][1] <= 3
    assert 40 <= counts["pilot_projects"] <= 60
    assert counts["pilot_applications"] == 150 + 24
    assert PilotCall.objects.filter(state="decided").count() == 1
    assert PilotCall.objects.filter(state="open").count() == 1


@pytest.mark.django_db
def test_demo_decision_is_the_solvers_optimum_with_three_reviews_each() -> None:
    load_demo_data(resources=60, smes=20, needs=5, today=date(2026, 11, 22))
    call = PilotCall.objects.get(state="decided")
    decided = list(call.applications.order_by("submitted_at", "pk"))
    assert all(a.reviews.count() == 3 for a in decided)
    for review in ReviewAssignment.objects.filter(application__call=call).select_related(
        "reviewer_organisation", "application"
    ):
        assert conflicts_of(review.reviewer_organisation, review.application) == []
    result = selection.select(selection_problem(call, decided))
    assert result.selected == {a.pk for a in decided if a.state == "selected"}
    assert all(a.selection_reasons for a in Application.objects.filter(call=call))
