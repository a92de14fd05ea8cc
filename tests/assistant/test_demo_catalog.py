"""The issue's example against the demo catalog: a testing resource among the top five,
eligibility stated for each, nothing written."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from synergy_hub.access.models import AccessRequest
from synergy_hub.accounts.models import Membership, OrganisationKind, OrganisationStatus
from synergy_hub.accounts.permissions import WRITE_ROLES
from synergy_hub.assistant import services
from synergy_hub.assistant.need_json import need_from_json
from synergy_hub.catalog.models import Need
from synergy_hub.demo.loader import load_demo_data
from tests.assistant.conftest import EXAMPLE


@pytest.mark.django_db
def test_the_issue_example_on_the_demo_catalog() -> None:
    load_demo_data(today=date(2026, 11, 22))
    needs, requests = Need.objects.count(), AccessRequest.objects.count()
    member = (
        Membership.objects.filter(
            organisation__kind=OrganisationKind.SME,
            organisation__status=OrganisationStatus.APPROVED,
            organisation__region__code__startswith="33",
            role__in=WRITE_ROLES,
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    assert member is not None
    turn = services.take_turn(member.user, EXAMPLE)
    need = need_from_json(turn.need)
    assert need is not None
    assert "testing_certification" in need.resource_types
    assert need.region_codes[0] in ("330200", "330000")
    assert need.budget_max_yuan is not None and need.budget_max_yuan <= Decimal(50_000)
    top = turn.results[:5]
    assert any(result["resource_type"] == "testing_certification" for result in top)
    assert all(result["eligibility"] in ("eligible", "not_eligible", "unknown") for result in top)
    assert (Need.objects.count(), AccessRequest.objects.count()) == (needs, requests)
