"""The access API as a client sees it: the whole flow, schema-valid answers, refusals."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from synergy_hub import odrl
from synergy_hub.access import services
from synergy_hub.catalog.models import Resource
from tests.access.conftest import agreed, offer_terms, policy_document, requested, today
from tests.conftest import World
from tests.permissions import assert_api_refused

REASONS = {
    "facts": "The requested volume exceeds what we can serve this quarter.",
    "ground": "Openness list terms, capacity clause.",
    "redress": "Ask again next quarter or contact the programme office.",
}


def _request_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "purpose": "Train a defect-detection model",
        "purpose_code": "research",
        "quantity": "20",
        "starts_on": str(today()),
        "ends_on": str(today() + timedelta(days=29)),
    }
    return body | overrides


def _fields(body: Any) -> set[str]:
    return {str(item["loc"][-1]) for item in body["detail"]}


def test_request_offer_accept_agree_use(api_as: Any, world: World, gpu: Resource) -> None:
    sme, provider = api_as(world.sam), api_as(world.alice)
    status, created = sme.post(f"/resources/{gpu.pk}/access-requests", _request_body())
    assert status == 201 and created["state"] == "requested"
    assert created["allowed_actions"] == ["withdraw"]
    rid = created["id"]

    status, incoming = provider.get("/access-requests?role=provider")
    assert status == 200 and [r["id"] for r in incoming] == [rid]
    assert incoming[0]["allowed_actions"] == ["offer", "agree", "reject"]

    policy = policy_document(odrl.research_only(), odrl.region_limited(["330000"]))
    status, body = provider.post(
        f"/access-requests/{rid}/offers",
        {
            "price": "9.00",
            "quantity": "20",
            "starts_on": str(today()),
            "ends_on": str(today() + timedelta(days=29)),
            "policy": policy,
        },
    )
    assert status == 201 and body["state"] == "offered"
    assert body["offers"][-1]["policy"]["@type"] == "Offer"
    assert body["offers"][-1]["total_price"] == "180.00"

    status, body = sme.post(f"/access-requests/{rid}/accept")
    assert status == 200 and body["state"] == "accepted" and body["bookings"]

    status, agreement = provider.post(f"/access-requests/{rid}/agree")
    assert status == 201 and agreement["state"] == "active"
    assert "Zhejiang" in agreement["policy_text_en"] and "浙江" in agreement["policy_text_zh"]
    aid = agreement["id"]

    status, usage = provider.post(f"/agreements/{aid}/usage", {"quantity": "5"})
    assert status == 201 and usage["permitted"] and usage["code"] == "permitted"
    status, denied = provider.post(
        f"/agreements/{aid}/usage", {"quantity": "1", "region": "110000"}
    )
    assert status == 201 and not denied["permitted"]
    assert denied["path"] == "permission[0].constraint[1]"
    assert "第1项许可的第2项条件" in denied["reason"]  # the rule in words; `path` keeps the id

    for client in (sme, provider):
        status, log = client.get(f"/agreements/{aid}/usage")
        assert status == 200 and [u["permitted"] for u in log] == [False, True]
    status, seen = sme.get(f"/agreements/{aid}")
    assert seen["used_quantity"] == "5.00" and seen["remaining_quantity"] == "15.00"
    assert seen["allowed_actions"] == ["terminate"]

    status, notes = sme.get("/notifications")
    assert status == 200 and {n["verb"] for n in notes} >= {"request.offered", "usage.denied"}
    status, marked = sme.post("/notifications/read")
    assert status == 200 and marked["count"] == len(notes)


def test_outsiders_get_404_and_wrong_sides_403(api_as: Any, world: World, gpu: Resource) -> None:
    _, created = api_as(world.sam).post(f"/resources/{gpu.pk}/access-requests", _request_body())
    rid = created["id"]
    assert api_as(world.charlie).get(f"/access-requests/{rid}")[0] == 404
    assert api_as(world.sid).post(f"/access-requests/{rid}/withdraw")[0] == 404
    assert api_as(world.charlie).get("/access-requests")[1] == []
    assert api_as(world.sam).post(f"/access-requests/{rid}/agree")[0] == 403
    assert (
        api_as(world.charlie).post(f"/resources/{gpu.pk}/access-requests", _request_body())[0]
        == 403
    )
    assert api_as().get("/access-requests")[0] == 401


def test_bad_input_is_a_422_naming_fields(api_as: Any, world: World, gpu: Resource) -> None:
    status, body = api_as(world.sam).post(
        f"/resources/{gpu.pk}/access-requests",
        _request_body(quantity="-3", purpose_code="nope"),
    )
    assert status == 422 and _fields(body) == {"quantity", "purpose_code"}


def test_invalid_policy_names_the_node(api_as: Any, world: World, gpu: Resource) -> None:
    _, created = api_as(world.sam).post(f"/resources/{gpu.pk}/access-requests", _request_body())
    policy = policy_document(odrl.count_limited(3))
    policy["permission"][0]["constraint"][0]["leftOperand"] = "moonPhase"
    status, body = api_as(world.alice).post(
        f"/access-requests/{created['id']}/offers",
        {"quantity": "1", "starts_on": str(today()), "ends_on": str(today()), "policy": policy},
    )
    assert status == 422
    messages = [item["msg"] for item in body["detail"] if item["loc"][-1] == "policy"]
    assert messages and messages[0].startswith("$.permission[0].constraint[0].leftOperand")


def test_reject_and_terminate_need_reasons(api_as: Any, world: World, gpu: Resource) -> None:
    sme, provider = api_as(world.sam), api_as(world.alice)
    _, created = sme.post(f"/resources/{gpu.pk}/access-requests", _request_body())
    status, body = provider.post(f"/access-requests/{created['id']}/reject", {})
    assert status == 422 and _fields(body) == {"facts", "ground", "redress"}
    status, body = provider.post(f"/access-requests/{created['id']}/reject", REASONS)
    assert status == 200 and body["state"] == "rejected"
    assert body["statements"][0]["redress"] == REASONS["redress"]

    _, second = sme.post(f"/resources/{gpu.pk}/access-requests", _request_body())
    _, agreement = provider.post(f"/access-requests/{second['id']}/agree")
    soon = str(today() + timedelta(days=5))
    status, body = provider.post(
        f"/agreements/{agreement['id']}/terminate", REASONS | {"effective_on": soon}
    )
    assert status == 422 and body["detail"][0]["type"] == "notice_too_short"
    status, body = provider.post(
        f"/agreements/{agreement['id']}/terminate", REASONS | {"exception": "legal_obligation"}
    )
    assert status == 200 and body["state"] == "terminated"


def test_capacity_calendar_and_policy_preview(api_as: Any, world: World, gpu: Resource) -> None:
    status, slots = api_as().get(f"/resources/{gpu.pk}/capacity?slots=3")
    assert status == 200 and len(slots) == 3 and slots[0]["free"] == "1000.00"
    status, preview = api_as().post(
        "/policies/preview",
        {"policy_template": {"templates": ["research_only", "count_limited"], "count": 50}},
    )
    assert status == 200 and preview["valid"]
    assert "50" in preview["text_en"] and "科研" in preview["text_zh"]
    broken = policy_document(odrl.count_limited(3))
    broken["permission"][0]["constraint"][0]["operator"] = "approximately"
    status, preview = api_as().post("/policies/preview", {"policy": broken})
    assert status == 200 and not preview["valid"]
    assert preview["problems"][0]["path"] == "$.permission[0].constraint[0].operator"


@pytest.mark.parametrize("path", ["/agreements", "/notifications"])
def test_lists_need_a_caller(api_as: Any, world: World, path: str) -> None:
    assert api_as().get(path)[0] == 401
    assert api_as(world.sam).get(path) == (200, [])


def test_list_query_counts_do_not_grow(
    api_as: Any, world: World, gpu: Resource, django_assert_max_num_queries: Any
) -> None:
    for _ in range(5):
        requested(world, gpu)
        agreed(world, gpu)
    provider = api_as(world.alice)
    with django_assert_max_num_queries(12):
        status, items = provider.get("/access-requests")
    assert status == 200 and len(items) == 10
    with django_assert_max_num_queries(10):
        status, items = provider.get("/agreements")
    assert status == 200 and len(items) == 5


# --- who is refused (the personas of tests/conftest.py) ------------------------------------

#: Organisations that are no party to the request: they find no such request (404).
OUTSIDERS = {"anonymous": 401, "other_platform": 404, "provider": 404, "sme_b": 404, "officer": 404}


def _terms_body() -> dict[str, Any]:
    return {
        "price": "9.00",
        "quantity": "10",
        "starts_on": str(today()),
        "ends_on": str(today() + timedelta(days=29)),
    }


def test_each_negotiation_step_refuses_the_other_side_and_outsiders(
    api_as: Any, world: World, gpu: Resource
) -> None:
    access_request = requested(world, gpu)
    rid = access_request.pk
    assert_api_refused(world, "GET", f"/access-requests/{rid}", **OUTSIDERS)
    providers_steps = {"sme_a": 403, "platform_viewer": 403, **OUTSIDERS}
    for step, body in (("offers", _terms_body()), ("agree", None), ("reject", REASONS)):
        assert_api_refused(world, "POST", f"/access-requests/{rid}/{step}", body, **providers_steps)
    smes_steps = {"platform_operator": 403, "platform_viewer": 403, **OUTSIDERS}
    assert_api_refused(world, "POST", f"/access-requests/{rid}/withdraw", **smes_steps)
    services.make_offer(world.alice, access_request, offer_terms())
    for step, body in (("counter", _terms_body()), ("accept", None)):
        assert_api_refused(world, "POST", f"/access-requests/{rid}/{step}", body, **smes_steps)
    access_request.refresh_from_db()
    assert access_request.state == "offered"


def test_each_agreement_step_refuses_the_wrong_side_and_outsiders(
    api_as: Any, world: World, gpu: Resource
) -> None:
    agreement = agreed(world, gpu)
    aid = agreement.pk
    for path in (f"/agreements/{aid}", f"/agreements/{aid}/usage"):
        assert_api_refused(world, "GET", path, **OUTSIDERS)
    for persona in ("other_platform", "provider", "sme_b"):
        assert api_as(world.persona(persona)).get("/agreements") == (200, [])
    providers_steps = {"sme_a": 403, "platform_viewer": 403, **OUTSIDERS}
    for step, body in (
        ("suspend", REASONS),
        ("restrict", REASONS | {"quantity": "5"}),
        ("usage", {"quantity": "1"}),
    ):
        assert_api_refused(world, "POST", f"/agreements/{aid}/{step}", body, **providers_steps)
    assert_api_refused(
        world,
        "POST",
        f"/agreements/{aid}/terminate",
        REASONS | {"exception": "legal_obligation"},
        platform_viewer=403,
        **OUTSIDERS,
    )
    services.suspend_agreement(world.alice, agreement, REASONS)
    assert_api_refused(world, "POST", f"/agreements/{aid}/resume", **providers_steps)
    agreement.refresh_from_db()
    assert agreement.state == "suspended" and agreement.quantity == 10
    assert not agreement.usage.exists()


def test_notifications_are_their_recipients_alone(api_as: Any, world: World, gpu: Resource) -> None:
    requested(world, gpu)
    assert len(api_as(world.alice).get("/notifications")[1]) == 1
    for persona in ("sme_b", "other_platform", "provider", "officer"):
        assert api_as(world.persona(persona)).get("/notifications") == (200, [])
    assert api_as(world.charlie).post("/notifications/read") == (200, {"count": 0})
    assert len(api_as(world.alice).get("/notifications")[1]) == 1
