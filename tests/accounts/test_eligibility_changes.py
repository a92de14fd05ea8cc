"""Size class and tier changes are reviewed (decision 0017): requested with evidence, decided
by a programme officer, and counted only once approved.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from synergy_hub.accounts import services
from synergy_hub.accounts.models import (
    EligibilityChange,
    EligibilityChangeStatus,
    Organisation,
    Role,
    User,
)
from synergy_hub.audit.models import AuditEvent
from synergy_hub.catalog.eligibility import verdict_for
from synergy_hub.catalog.models import Resource
from synergy_hub.eligibility import RULE_TIER, Status
from tests import factories
from tests.conftest import World
from tests.pages import client_for
from tests.permissions import assert_refused

PDF = b"%PDF-1.4\n% certificate of the tier\n"


def evidence(content: bytes = PDF, name: str = "certificate.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _reload(org: Organisation) -> Organisation:
    return Organisation.objects.get(pk=org.pk)


@pytest.fixture
def platform_admin(world: World) -> User:
    return factories.user(world.platform_a, Role.ADMIN, email="admin-a@example.org")


@pytest.fixture
def giants_only(world: World) -> Resource:
    """A published resource opened to "little giant" SMEs only."""
    the_list = factories.openness_list(world.platform_a, world.batch, world.alice)
    return factories.resource(the_list, eligible_size_classes=[], eligible_tiers=["little_giant"])


def test_an_sme_cannot_promote_itself(world: World, giants_only: Resource) -> None:
    with pytest.raises(ValidationError) as caught:
        services.update_organisation(world.sam, world.sme, {"tier": "little_giant"})
    assert {e.code for e in caught.value.error_dict["tier"]} == {"review_required"}
    change = services.request_eligibility_change(
        world.sam, world.sme, {"tier": "little_giant"}, evidence()
    )
    sme = _reload(world.sme)
    assert change.status == EligibilityChangeStatus.PENDING and sme.tier == ""
    assert verdict_for(giants_only, sme).failed == (RULE_TIER,)  # the old tier still applies
    services.decide_eligibility_change(world.officer, change, approve=True)
    sme = _reload(world.sme)
    assert sme.tier == "little_giant" and verdict_for(giants_only, sme).status == Status.ELIGIBLE
    event = AuditEvent.objects.get(action="accounts.eligibility_change.approved")
    assert event.before["tier"] == "" and event.after["tier"] == "little_giant"
    assert event.actor_id == world.officer.pk


def test_a_platform_lowering_its_figures_stays_large_until_approved(
    world: World, platform_admin: User
) -> None:
    platform = world.platform_a
    assert not platform.is_small_provider
    small = {"employees": 5, "revenue": "100"}
    with pytest.raises(ValidationError):
        services.update_organisation(platform_admin, platform, small)
    change = services.request_eligibility_change(platform_admin, platform, small, evidence())
    assert change.size_class == "micro" and change.size_class_before == "large"
    platform = _reload(platform)
    assert platform.size_class == "large" and platform.employees == 500
    assert not platform.is_small_provider  # not in the fair-exposure group yet
    services.decide_eligibility_change(
        world.officer, change, approve=False, reason="The report shows 500 employees."
    )
    platform = _reload(platform)
    assert platform.size_class == "large" and not platform.is_small_provider
    assert _reload(platform).employees == 500


def test_an_approved_lowering_takes_effect(world: World, platform_admin: User) -> None:
    change = services.request_eligibility_change(
        platform_admin, world.platform_a, {"employees": 5, "revenue": "100"}, evidence()
    )
    services.decide_eligibility_change(world.officer, change, approve=True)
    platform = _reload(world.platform_a)
    assert platform.size_class == "micro" and platform.is_small_provider
    assert platform.employees == 5


def test_only_an_administrator_of_the_organisation_requests(world: World) -> None:
    assert_refused(
        world,
        lambda actor: services.request_eligibility_change(
            actor, world.sme, {"tier": "srdi"}, evidence()
        ),
        "anonymous",
        "sme_b",
        "platform_operator",
        "provider",
        "officer",
    )
    assert not EligibilityChange.objects.exists()


def test_only_a_programme_officer_decides(world: World) -> None:
    change = services.request_eligibility_change(world.sam, world.sme, {"tier": "srdi"}, evidence())
    for approve in (True, False):
        assert_refused(
            world,
            lambda actor, approve=approve: services.decide_eligibility_change(
                actor, change, approve=approve, reason="no"
            ),
            "anonymous",
            "sme_a",
            "sme_b",
            "platform_operator",
            "platform_viewer",
            "other_platform",
            "provider",
        )
    assert _reload(world.sme).tier == ""
    assert EligibilityChange.objects.get().status == EligibilityChangeStatus.PENDING


@pytest.mark.parametrize(
    ("upload", "code"),
    [
        (None, "required"),
        (evidence(b"just some text", "notes.txt"), "invalid_type"),
        (evidence(PDF + b"x" * (2 * 1024 * 1024)), "too_large"),
    ],
)
def test_evidence_is_required_and_bounded(world: World, upload: Any, code: str) -> None:
    with pytest.raises(ValidationError) as caught:
        services.request_eligibility_change(world.sam, world.sme, {"tier": "srdi"}, upload)
    assert [e.code for e in caught.value.error_dict["evidence"]] == [code]
    assert not EligibilityChange.objects.exists()


def test_one_request_waits_at_a_time_and_a_rejection_needs_reasons(world: World) -> None:
    change = services.request_eligibility_change(world.sam, world.sme, {"tier": "srdi"}, evidence())
    with pytest.raises(ValidationError):
        services.request_eligibility_change(world.sam, world.sme, {"tier": "srdi"}, evidence())
    with pytest.raises(ValidationError) as caught:
        services.decide_eligibility_change(world.officer, change, approve=False)
    assert "reason" in caught.value.message_dict
    with pytest.raises(ValidationError):  # no change at all
        services.request_eligibility_change(world.sam, world.sme, {"tier": ""}, evidence())


# --- the pages ------------------------------------------------------------------------------


def test_the_pages_request_review_and_decide(world: World) -> None:
    sme = client_for(world.sam, "en")
    page = sme.get("/workspace/organisation/eligibility/")
    assert page.status_code == 200
    response = sme.post(
        "/workspace/organisation/eligibility/",
        {
            "industry": world.sme.industry_id,
            "employees": "40",
            "revenue": "800",
            "tier": "srdi",
            "evidence": evidence(),
        },
    )
    assert response.status_code == 302
    change = EligibilityChange.objects.get()
    assert change.tier == "srdi" and _reload(world.sme).tier == ""
    officer = client_for(world.officer, "zh-hans")
    queue = officer.get("/workspace/eligibility-changes/")
    assert queue.status_code == 200 and 'data-testid="eligibility-change"' in queue.content.decode()
    download = officer.get(f"/workspace/eligibility-changes/{change.pk}/evidence/")
    assert download.status_code == 200 and download.content == PDF
    assert download["Content-Disposition"].startswith("attachment")
    assert (
        client_for(world.sam)
        .get(f"/workspace/eligibility-changes/{change.pk}/evidence/")
        .status_code
        == 200
    )
    for name in ("sme_b", "platform_operator"):
        outsider = client_for(world.persona(name))
        assert (
            outsider.get(f"/workspace/eligibility-changes/{change.pk}/evidence/").status_code == 404
        )
        assert outsider.get("/workspace/eligibility-changes/").status_code == 403
        assert (
            outsider.post(f"/workspace/eligibility-changes/{change.pk}/approve/").status_code == 403
        )
    assert _reload(world.sme).tier == ""
    decided = officer.post(f"/workspace/eligibility-changes/{change.pk}/approve/")
    assert decided.status_code == 302 and _reload(world.sme).tier == "srdi"
