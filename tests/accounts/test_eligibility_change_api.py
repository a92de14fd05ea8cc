"""Region changes are reviewed like size class and tier (decision 0017), and change requests
have a JSON API: the organisation asks, officers list, approve or reject.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from synergy_hub.accounts import services
from synergy_hub.accounts.models import EligibilityChange, Organisation, User
from synergy_hub.audit.models import AuditEvent
from synergy_hub.catalog.eligibility import verdict_for
from synergy_hub.catalog.models import Resource
from synergy_hub.eligibility import RULE_REGION, Status
from tests import factories
from tests.conftest import Api, World
from tests.openapi import API_PREFIX, assert_matches_schema
from tests.permissions import assert_api_refused

PDF = b"%PDF-1.4\n% business licence with the new address\n"
HANGZHOU, NINGBO = "330100", "330200"


def _evidence(content: bytes = PDF, name: str = "licence.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def _reload(org: Organisation) -> Organisation:
    return Organisation.objects.get(pk=org.pk)


@pytest.fixture
def ningbo_only(world: World) -> Resource:
    """A published resource opened to enterprises of Ningbo only."""
    the_list = factories.openness_list(world.platform_a, world.batch, world.alice)
    return factories.resource(the_list, eligible_size_classes=[], regions=[NINGBO])


def test_a_region_change_counts_only_once_approved(world: World, ningbo_only: Resource) -> None:
    assert world.sme.region_id == HANGZHOU
    with pytest.raises(ValidationError) as caught:
        services.update_organisation(world.sam, world.sme, {"region": NINGBO})
    assert {e.code for e in caught.value.error_dict["region"]} == {"review_required"}
    assert _reload(world.sme).region_id == HANGZHOU

    change = services.request_eligibility_change(
        world.sam, world.sme, {"region": NINGBO}, _evidence()
    )
    assert change.region_before == HANGZHOU and change.region_id == NINGBO
    sme = _reload(world.sme)
    assert sme.region_id == HANGZHOU
    assert verdict_for(ningbo_only, sme).failed == (RULE_REGION,)

    services.decide_eligibility_change(world.officer, change, approve=True)
    sme = _reload(world.sme)
    assert sme.region_id == NINGBO
    assert verdict_for(ningbo_only, sme).status == Status.ELIGIBLE
    event = AuditEvent.objects.get(action="accounts.eligibility_change.approved")
    assert event.before["region"] == HANGZHOU and event.after["region"] == NINGBO


def test_a_rejected_region_change_leaves_the_region(world: World) -> None:
    change = services.request_eligibility_change(
        world.sam, world.sme, {"region": NINGBO}, _evidence()
    )
    services.decide_eligibility_change(
        world.officer, change, approve=False, reason="The licence shows Hangzhou."
    )
    assert _reload(world.sme).region_id == HANGZHOU


def _post_change(user: User | None, data: dict[str, Any], evidence: Any = None) -> tuple[int, Any]:
    """POST /eligibility-changes as multipart, schema-checked like every API answer."""
    api = Api(user)
    url = API_PREFIX + "/eligibility-changes"
    body = dict(data)
    if evidence is not None:
        body["evidence"] = evidence
    response = api.client.post(url, body, headers=api.headers)
    return response.status_code, assert_matches_schema("POST", url, response)


def test_the_organisation_asks_and_an_officer_approves_through_the_api(world: World) -> None:
    status, body = _post_change(
        world.sam,
        {"tier": "srdi", "region": NINGBO, "explanation": "Certificate of 2025"},
        _evidence(),
    )
    assert status == 201, body
    assert body["status"] == "pending" and body["tier"] == "srdi" and body["region"] == NINGBO
    assert body["evidence_name"] == "licence.pdf" and "evidence" not in body
    assert _reload(world.sme).tier == ""

    status, listed = Api(world.officer).get("/eligibility-changes?status=pending")
    assert status == 200 and [c["id"] for c in listed["items"]] == [body["id"]]
    status, own = Api(world.sam).get("/eligibility-changes")
    assert status == 200 and [c["id"] for c in own["items"]] == [body["id"]]
    status, others = Api(world.sid).get("/eligibility-changes")
    assert status == 200 and others["items"] == []

    status, decided = Api(world.officer).post(f"/eligibility-changes/{body['id']}/approve")
    assert status == 200 and decided["status"] == "approved"
    sme = _reload(world.sme)
    assert sme.tier == "srdi" and sme.region_id == NINGBO


def test_an_officer_rejects_through_the_api_with_reasons(world: World) -> None:
    _, body = _post_change(world.sam, {"tier": "little_giant"}, _evidence())
    path = f"/eligibility-changes/{body['id']}/reject"
    status, refused = Api(world.officer).post(path, {"reason": ""})
    assert status == 422 and "reason" in str(refused)
    status, refused = Api(world.officer).post(path, {"reason": "x" * 4001})
    assert status == 422
    status, decided = Api(world.officer).post(path, {"reason": "No certificate attached."})
    assert status == 200 and decided["status"] == "rejected"
    assert decided["reason"] == "No certificate attached."
    assert _reload(world.sme).tier == ""


def test_only_officers_decide_and_only_the_organisation_reads_its_request(world: World) -> None:
    _, body = _post_change(world.sam, {"tier": "little_giant"}, _evidence())
    pk = body["id"]
    for action in ("approve", "reject"):
        assert_api_refused(
            world,
            "POST",
            f"/eligibility-changes/{pk}/{action}",
            {"reason": "no"},
            anonymous=401,
            sme_a=403,
            sme_b=404,
            platform_operator=404,
            provider=404,
        )
    assert_api_refused(
        world,
        "GET",
        f"/eligibility-changes/{pk}",
        anonymous=401,
        sme_b=404,
        platform_viewer=404,
        other_platform=404,
    )
    assert EligibilityChange.objects.get(pk=pk).status == "pending"


def test_only_an_organisations_administrator_asks(world: World) -> None:
    before = EligibilityChange.objects.count()
    assert _post_change(None, {"tier": "srdi"}, _evidence())[0] == 401
    # bob is a viewer of platform A; the programme office has no size class to change.
    assert _post_change(world.bob, {"tier": "srdi"}, _evidence())[0] == 403
    assert _post_change(world.officer, {"tier": "srdi"}, _evidence())[0] == 403
    assert EligibilityChange.objects.count() == before


@pytest.mark.parametrize(
    ("data", "evidence", "field"),
    [
        ({"tier": "srdi"}, None, "evidence"),
        ({"tier": "srdi"}, b"MZ\x90\x00 not a document", "evidence"),
        ({"region": "999999"}, PDF, "region"),
        ({"region": "1" * 7}, PDF, "region"),
        ({"tier": "emperor"}, PDF, "tier"),
        ({"employees": "99999999999999999999"}, PDF, "employees"),
        ({"tier": "srdi", "explanation": "x" * 2001}, PDF, "explanation"),
        ({}, PDF, "tier"),  # changes nothing
    ],
)
def test_bad_input_is_refused_naming_the_field(
    world: World, data: dict[str, Any], evidence: bytes | None, field: str
) -> None:
    requested = AuditEvent.objects.filter(action__startswith="accounts.eligibility_change")
    before = (EligibilityChange.objects.count(), requested.count())
    status, body = _post_change(
        world.sam, data, _evidence(evidence) if evidence is not None else None
    )
    assert 400 <= status < 500, body
    assert field in str(body)
    assert (EligibilityChange.objects.count(), requested.count()) == before
