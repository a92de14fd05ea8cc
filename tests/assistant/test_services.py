"""The assistant's turn: understand, run the hub's own tools, explain, draft; send nothing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from synergy_hub.access.models import AccessRequest
from synergy_hub.assistant import services
from synergy_hub.assistant.models import Conversation, Draft, Turn
from synergy_hub.assistant.need_json import need_from_json
from synergy_hub.assistant.vocabulary import DraftKind, DraftState
from synergy_hub.audit.models import AuditEvent
from synergy_hub.catalog.models import Need
from tests import factories
from tests.assistant.conftest import EXAMPLE
from tests.conftest import World

TOOLS = {"understand", "search", "eligibility", "fee_lookup", "capacity", "draft_need"}


def test_the_issue_example_is_understood_and_answered(
    world: World, catalog: dict[str, Any]
) -> None:
    turn = services.take_turn(world.sam, EXAMPLE)
    need = need_from_json(turn.need)
    assert need is not None
    assert "testing_certification" in need.resource_types
    assert need.region_codes and need.region_codes[0] in ("330200", "330000")
    assert need.budget_max_yuan is not None and need.budget_max_yuan <= Decimal(50_000)
    top = turn.results[:5]
    assert any(result["resource_type"] == "testing_certification" for result in top)
    for result in top:
        assert result["eligibility"] in ("eligible", "not_eligible", "unknown")
        assert result["why"] and result["price_text"] and result["capacity_text"]
    assert {call["tool"] for call in turn.tool_calls} >= TOOLS
    searched = next(call for call in turn.tool_calls if call["tool"] == "search")
    assert searched["input"]["resource_types"] == list(need.resource_types)


def test_the_explanations_name_price_discount_and_the_budget(
    world: World, catalog: dict[str, Any]
) -> None:
    turn = services.take_turn(world.sam, EXAMPLE)
    ce = next(r for r in turn.results if r["resource"] == catalog["ce"].pk)
    assert ce["sme_price"] == "5600.00" and ce["sme_discount_percent"] == 30
    assert "30%" in ce["price_text"]
    assert ce["within_budget"] is True
    assert ce["usage_terms"]
    assert ce["eligibility"] == "eligible"


def test_nothing_is_written_without_confirmation(world: World, catalog: dict[str, Any]) -> None:
    needs, requests = Need.objects.count(), AccessRequest.objects.count()
    turn = services.take_turn(world.sam, EXAMPLE)
    services.take_turn(world.sam, "只要浙江的", turn.conversation)
    assert (Need.objects.count(), AccessRequest.objects.count()) == (needs, requests)
    drafts = Draft.objects.filter(conversation=turn.conversation)
    assert drafts.filter(kind=DraftKind.ACCESS_REQUEST).exists()
    assert drafts.filter(kind=DraftKind.NEED).exists()
    assert set(drafts.values_list("state", flat=True)) == {DraftState.PENDING}


def test_confirming_a_draft_sends_the_request_through_the_access_service(
    world: World, catalog: dict[str, Any]
) -> None:
    turn = services.take_turn(world.sam, EXAMPLE)
    draft = turn.drafts.get(kind=DraftKind.ACCESS_REQUEST, resource=catalog["ce"])
    sent = services.confirm_draft(world.sam, draft)
    assert sent.state == DraftState.SENT and sent.access_request is not None
    request = sent.access_request
    assert request.consumer == world.sme and request.resource == catalog["ce"]
    assert AuditEvent.objects.filter(action="access.request.created").exists()
    assert AuditEvent.objects.filter(action="assistant.draft.confirmed").exists()
    with pytest.raises(ValidationError) as refused:
        services.confirm_draft(world.sam, sent)
    assert "draft" in refused.value.message_dict
    stale = Draft.objects.get(pk=draft.pk)
    stale.state = DraftState.PENDING  # read by a second tab before the first click
    with pytest.raises(ValidationError):
        services.confirm_draft(world.sam, stale)
    assert AccessRequest.objects.count() == 1


def test_confirming_the_need_draft_saves_a_need(world: World, catalog: dict[str, Any]) -> None:
    turn = services.take_turn(world.sam, EXAMPLE)
    saved = services.confirm_draft(world.sam, turn.drafts.get(kind=DraftKind.NEED))
    assert saved.need is not None and saved.need.organisation == world.sme
    assert "testing_certification" in saved.need.resource_types


def test_the_access_service_still_checks_the_rules_on_confirmation(
    world: World, catalog: dict[str, Any]
) -> None:
    turn = services.take_turn(world.sam, EXAMPLE)
    draft = turn.drafts.filter(kind=DraftKind.ACCESS_REQUEST).first()
    assert draft is not None
    with pytest.raises(ValidationError) as refused:
        services.confirm_draft(world.sam, draft, {"starts_on": "2000-01-01"})
    assert "starts_on" in refused.value.message_dict
    draft.refresh_from_db()
    assert draft.state == DraftState.PENDING and not AccessRequest.objects.exists()


def test_a_follow_up_keeps_the_need_and_refines_it(world: World, catalog: dict[str, Any]) -> None:
    first = services.take_turn(world.sam, EXAMPLE)
    second = services.take_turn(world.sam, "只要浙江的", first.conversation)
    before, after = need_from_json(first.need), need_from_json(second.need)
    assert before is not None and after is not None
    assert after.region_codes[0] == "330000"
    assert after.resource_types == before.resource_types
    assert after.budget_max_yuan == before.budget_max_yuan
    assert second.conversation.turns.count() == 4


@pytest.mark.parametrize("text", ["", "   ", "x" * (services.MAX_TEXT + 1)])
def test_a_bad_message_is_refused_naming_the_field(world: World, text: str) -> None:
    with pytest.raises(ValidationError) as refused:
        services.take_turn(world.sam, text)
    assert "text" in refused.value.message_dict
    assert not Conversation.objects.exists() and not Turn.objects.exists()


@pytest.mark.parametrize("persona", ["alice", "bob", "charlie", "officer", "lena"])
def test_only_sme_users_talk_to_the_assistant(
    world: World, catalog: dict[str, Any], persona: str
) -> None:
    with pytest.raises(PermissionDenied):
        services.take_turn(getattr(world, persona), EXAMPLE)
    assert not Conversation.objects.exists()


def test_nobody_else_continues_confirms_or_deletes_a_conversation(
    world: World, catalog: dict[str, Any]
) -> None:
    turn = services.take_turn(world.sam, EXAMPLE)
    colleague = _colleague(world)
    draft = turn.drafts.first()
    assert draft is not None
    for intruder in (colleague, world.sid):
        with pytest.raises(PermissionDenied):
            services.take_turn(intruder, "cheaper", turn.conversation)
        with pytest.raises(PermissionDenied):
            services.confirm_draft(intruder, draft)
        with pytest.raises(PermissionDenied):
            services.delete_conversation(intruder, turn.conversation)
    assert Conversation.objects.count() == 1


def test_the_owner_deletes_a_conversation_with_its_turns(
    world: World, catalog: dict[str, Any]
) -> None:
    turn = services.take_turn(world.sam, EXAMPLE)
    sent = services.confirm_draft(world.sam, turn.drafts.filter(kind="access_request").first())
    services.delete_conversation(world.sam, turn.conversation)
    assert not Conversation.objects.exists() and not Turn.objects.exists()
    assert not Draft.objects.exists()
    assert AccessRequest.objects.filter(pk=sent.access_request_id).exists()  # what was sent stays


def _colleague(world: World) -> Any:
    from synergy_hub.accounts.models import Role

    return factories.user(world.sme, Role.EDITOR, email="colleague@example.org")


def test_cheaper_orders_the_affordable_results_by_price(
    world: World, catalog: dict[str, Any]
) -> None:
    factories.resource(
        catalog["ce"].openness_list,
        resource_type="testing_certification",
        title_zh="产品外观检验",
        title_en="Visual inspection of products",
        description_zh="产品外观与尺寸检验。",
        description_en="Visual and dimensional inspection.",
        unit="test_slot",
        price=Decimal("500.00"),
        sme_discount_percent=0,
    )
    first = services.take_turn(world.sam, "需要做产品CE检测认证，预算5万以内")
    ranked = [Decimal(r["sme_price"]) for r in first.results]
    assert ranked != sorted(ranked)  # the ranking alone does not put the cheapest first
    cheaper = services.take_turn(world.sam, "便宜点", first.conversation)
    search = next(call for call in cheaper.tool_calls if call["tool"] == "search")
    assert search["input"]["prefer_lower_price"] is True
    prices = [Decimal(r["sme_price"]) for r in cheaper.results if r["within_budget"]]
    assert len(prices) >= 2 and prices == sorted(prices)


def test_next_month_moves_the_capacity_check_and_the_draft(
    world: World, catalog: dict[str, Any]
) -> None:
    today = date(2026, 12, 7)
    first = services.take_turn(world.sam, EXAMPLE, today=today)
    later = services.take_turn(world.sam, "下个月", first.conversation, today=today)
    capacity = next(
        call
        for call in later.tool_calls
        if call["tool"] == "capacity" and call["input"]["resource"] == catalog["ce"].pk
    )
    assert capacity["input"]["from"] == "2027-01-01" and capacity["input"]["until"] == "2027-01-31"
    draft = later.drafts.get(resource=catalog["ce"])
    assert (draft.payload["starts_on"], draft.payload["ends_on"]) == ("2027-01-01", "2027-01-31")
    ce = next(r for r in later.results if r["resource"] == catalog["ce"].pk)
    assert "2027-01-01" in ce["capacity_text"]


def test_drafts_of_a_follow_up_describe_the_problem_as_first_told(
    world: World, catalog: dict[str, Any]
) -> None:
    first = services.take_turn(world.sam, EXAMPLE)
    later = services.take_turn(world.sam, "便宜点", first.conversation)
    need_draft = later.drafts.get(kind=DraftKind.NEED)
    assert need_draft.payload["description"] == EXAMPLE
    assert all(d.payload.get("purpose", EXAMPLE) == EXAMPLE for d in later.drafts.all())
