"""A computed tier counts for eligibility only once a programme officer verifies it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from synergy_hub.accounts import services as accounts_services
from synergy_hub.accounts.models import EligibilityChange, Organisation, Role
from synergy_hub.audit.models import AuditEvent
from synergy_hub.catalog.eligibility import verdict_for
from synergy_hub.catalog.models import Resource
from synergy_hub.eligibility import RULE_TIER, Status
from synergy_hub.tiers import services
from synergy_hub.tiers.models import TierEvaluation
from tests import factories
from tests.conftest import Api, World
from tests.openapi import API_PREFIX, assert_matches_schema
from tests.pages import client_for
from tests.permissions import assert_refused
from tests.tiers.test_services import enter_srdi_sme

PDF = b"%PDF-1.4\n% SRDI certificate\n"


def _evidence() -> SimpleUploadedFile:
    return SimpleUploadedFile("certificate.pdf", PDF, content_type="application/pdf")


@pytest.fixture
def srdi_and_above(world: World) -> Resource:
    """A resource opened to SRDI SMEs (and so to the tiers above them)."""
    the_list = factories.openness_list(world.platform_a, world.batch, world.alice)
    return factories.resource(the_list, eligible_size_classes=[], eligible_tiers=["srdi"])


def _kept_srdi(world: World) -> TierEvaluation:
    enter_srdi_sme(world)
    kept = services.keep_evaluation(world.sam, 2025, "cn-2022")
    assert kept.tier == "srdi_sme"
    return kept


def _sme(world: World) -> Organisation:
    return Organisation.objects.get(pk=world.sme.pk)


def test_a_computed_tier_counts_only_once_an_officer_verifies_it(
    world: World, srdi_and_above: Resource
) -> None:
    kept = _kept_srdi(world)
    assert verdict_for(srdi_and_above, _sme(world)).failed == (RULE_TIER,)  # computed only
    change = services.request_verification(world.sam, kept.pk, _evidence(), "2025 certificate")
    assert change.tier == "srdi" and change.basis["evaluation"] == kept.pk
    assert change.basis["rule_set"] == "cn-2022" and change.basis["computed_tier"] == "srdi_sme"
    assert verdict_for(srdi_and_above, _sme(world)).failed == (RULE_TIER,)  # still pending
    event = AuditEvent.objects.get(action="accounts.eligibility_change.requested")
    assert event.after["basis"]["evaluation"] == kept.pk

    accounts_services.decide_eligibility_change(world.officer, change, approve=True)
    assert _sme(world).tier == "srdi"
    assert verdict_for(srdi_and_above, _sme(world)).status is Status.ELIGIBLE


def test_a_rejected_verification_leaves_the_resource_closed(
    world: World, srdi_and_above: Resource
) -> None:
    kept = _kept_srdi(world)
    change = services.request_verification(world.sam, kept.pk, _evidence())
    accounts_services.decide_eligibility_change(
        world.officer, change, approve=False, reason="The certificate has expired."
    )
    assert _sme(world).tier == ""
    assert verdict_for(srdi_and_above, _sme(world)).failed == (RULE_TIER,)


def test_a_verified_little_giant_uses_a_resource_for_srdi_smes_and_above(
    world: World, srdi_and_above: Resource
) -> None:
    change = accounts_services.request_eligibility_change(
        world.sam, world.sme, {"tier": "little_giant"}, _evidence()
    )
    accounts_services.decide_eligibility_change(world.officer, change, approve=True)
    assert verdict_for(srdi_and_above, _sme(world)).status is Status.ELIGIBLE


def test_only_the_smes_administrator_asks_and_only_for_its_own_evaluation(world: World) -> None:
    kept = _kept_srdi(world)
    editor = factories.user(world.sme, Role.EDITOR, email="editor@example.org")
    assert_refused(
        world,
        lambda actor: services.request_verification(actor, kept.pk, _evidence()),
        "sme_b",
        "platform_operator",
        "officer",
        "anonymous",
        raises=Http404,
    )
    with pytest.raises(PermissionDenied):
        services.request_verification(editor, kept.pk, _evidence())
    assert not EligibilityChange.objects.exists()


def test_an_evaluation_without_a_tier_or_without_evidence_is_refused(world: World) -> None:
    services.save_indicators(world.sam, 2025, {"revenue": "90"})
    empty = services.keep_evaluation(world.sam, 2025, "cn-2022")
    assert empty.tier == ""
    with pytest.raises(ValidationError) as caught:
        services.request_verification(world.sam, empty.pk, _evidence())
    assert "evaluation" in caught.value.message_dict
    kept = _kept_srdi(world)
    with pytest.raises(ValidationError) as caught:
        services.request_verification(world.sam, kept.pk, None)
    assert "evidence" in caught.value.message_dict
    assert not EligibilityChange.objects.exists()


def test_the_page_asks_and_the_officer_sees_the_computation(world: World) -> None:
    kept = _kept_srdi(world)
    sme = client_for(world.sam, "en")
    page = sme.get("/workspace/tier/").content.decode()
    assert 'data-testid="tier-verify"' in page and "Verified tier" in page
    response = sme.post(
        "/workspace/tier/verify/",
        {"evaluation": kept.pk, "explanation": "", "evidence": _evidence()},
    )
    assert response.status_code == 302
    change = EligibilityChange.objects.get()
    assert change.tier == "srdi" and _sme(world).tier == ""
    queue = client_for(world.officer, "en").get("/workspace/eligibility-changes/")
    assert 'data-testid="tier-basis"' in queue.content.decode()
    assert "cn-2022" in queue.content.decode()
    zh = client_for(world.officer, "zh-hans").get("/workspace/eligibility-changes/")
    assert zh.status_code == 200


def _post_verification(user: Any, pk: int, evidence: Any = None) -> tuple[int, Any]:
    api = Api(user)
    url = f"{API_PREFIX}/tiers/evaluations/{pk}/verification"
    body: dict[str, Any] = {"explanation": "2025 certificate"}
    if evidence is not None:
        body["evidence"] = evidence
    response = api.client.post(url, body, headers=api.headers)
    return response.status_code, assert_matches_schema("POST", url, response)


def test_the_api_asks_for_verification_and_an_officer_approves(
    world: World, srdi_and_above: Resource
) -> None:
    kept = _kept_srdi(world)
    status, body = _post_verification(world.sam, kept.pk, _evidence())
    assert status == 201, body
    assert body["tier"] == "srdi" and body["status"] == "pending"
    assert body["basis"]["evaluation"] == kept.pk
    assert verdict_for(srdi_and_above, _sme(world)).failed == (RULE_TIER,)
    status, _ = Api(world.officer).post(f"/eligibility-changes/{body['id']}/approve")
    assert status == 200
    assert verdict_for(srdi_and_above, _sme(world)).status is Status.ELIGIBLE


def test_the_api_refuses_others_and_a_request_without_evidence(world: World) -> None:
    kept = _kept_srdi(world)
    assert _post_verification(None, kept.pk, _evidence())[0] == 401
    assert _post_verification(world.sid, kept.pk, _evidence())[0] == 404  # not its own
    assert _post_verification(world.alice, kept.pk, _evidence())[0] == 404
    assert _post_verification(world.officer, kept.pk, _evidence())[0] == 404
    status, body = _post_verification(world.sam, kept.pk)
    assert status == 422 and "evidence" in str(body)
    assert not EligibilityChange.objects.exists()
