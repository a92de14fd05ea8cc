"""The negotiation through the services: every step, and every refusal with its rule."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from synergy_hub import odrl
from synergy_hub.access import selectors, services
from synergy_hub.access.models import AccessRequest, Agreement, Notification, StatementOfReasons
from synergy_hub.access.vocabulary import AgreementState, RequestState
from synergy_hub.audit.models import AuditEvent
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.vocabulary import ListState
from tests import factories
from tests.access.conftest import (
    agreed,
    offer_terms,
    offered,
    policy_document,
    requested,
    terms,
    today,
)
from tests.conftest import World
from tests.permissions import assert_refused

REASONS = {
    "facts": "申请用途与数据集的许可范围不符。",
    "ground": "Usage terms, clause 3: research use only.",
    "redress": "Reply through the hub or contact the programme office for mediation.",
}


def _codes(exc: pytest.ExceptionInfo[ValidationError], field: str) -> list[str]:
    return [e.code or "" for e in exc.value.error_dict[field]]


def test_sme_requests_access_and_the_provider_is_told(
    world: World, gpu: Resource, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        access_request = requested(world, gpu)
    assert access_request.state == RequestState.REQUESTED
    assert access_request.resource_lineage == gpu.lineage
    assert access_request.provider == world.platform_a and access_request.consumer == world.sme
    first = access_request.offers.get()
    assert first.party == "consumer" and first.quantity == Decimal(10)
    assert first.price == Decimal("9.60")  # the SME price
    assert AuditEvent.objects.filter(action="access.request.created").count() == 1
    recipients = set(Notification.objects.values_list("recipient__email", flat=True))
    assert recipients == {"alice@example.org", "bob@example.org"}
    assert sorted(m.to[0] for m in mailoutbox) == ["alice@example.org", "bob@example.org"]
    assert "Small Co" in mailoutbox[0].body and "小微企业" in mailoutbox[0].body


def test_only_sme_users_request(world: World, gpu: Resource) -> None:
    with pytest.raises(PermissionDenied):
        services.request_access(world.charlie, gpu, terms())
    assert not AccessRequest.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field", "code"),
    [
        ({"quantity": "0"}, "quantity", "min_value"),
        ({"quantity": "1.234"}, "quantity", "decimal_places"),
        ({"quantity": ""}, "quantity", "required"),
        ({"purpose": " "}, "purpose", "required"),
        ({"purpose_code": "espionage"}, "purpose_code", "invalid_choice"),
        ({"starts_on": "2020-01-01"}, "starts_on", "in_past"),
        ({"ends_on": "yesterday"}, "ends_on", "invalid"),
    ],
)
def test_bad_requests_name_field_and_rule(
    world: World, gpu: Resource, overrides: dict[str, Any], field: str, code: str
) -> None:
    with pytest.raises(ValidationError) as exc:
        services.request_access(world.sam, gpu, terms(**overrides))
    assert code in _codes(exc, field)


def test_period_must_end_after_start(world: World, gpu: Resource) -> None:
    with pytest.raises(ValidationError) as exc:
        requested(world, gpu, ends_on=today() - timedelta(days=1), starts_on=today())
    assert _codes(exc, "ends_on") == ["before_start"]


def test_data_needs_its_intended_use(world: World, dataset: Resource) -> None:
    with pytest.raises(ValidationError) as exc:
        requested(world, dataset)
    assert _codes(exc, "intended_use") == ["required"]
    assert requested(world, dataset, intended_use="质量分析").intended_use == "质量分析"


def test_only_published_resources_can_be_requested(world: World) -> None:
    draft = factories.openness_list(world.platform_a, world.batch, world.alice)
    resource = factories.resource(draft)
    with pytest.raises(ValidationError) as exc:
        requested(world, resource)
    assert _codes(exc, "resource") == ["not_published"]


def test_eligibility_is_checked(world: World, published: Any) -> None:
    resource = factories.resource(published, eligible_size_classes=["micro"], regions=["440000"])
    with pytest.raises(ValidationError) as exc:
        requested(world, resource)
    assert _codes(exc, "resource") == ["not_eligible", "not_eligible"]


def test_provider_offers_terms_with_a_policy(world: World, dataset: Resource) -> None:
    policy = policy_document(odrl.research_only(), odrl.count_limited(100))
    access_request = offered(world, dataset, policy, intended_use="analysis")
    assert access_request.state == RequestState.OFFERED
    offer = access_request.current_offer
    assert offer is not None and offer.party == "provider"
    assert offer.policy is not None and offer.policy["@type"] == "Offer"
    assert offer.policy["target"] == f"urn:synergy-hub:resource:{dataset.lineage}"
    assert offer.policy["assigner"] == f"urn:synergy-hub:organisation:{world.platform_a.pk}"
    assert Notification.objects.filter(recipient=world.sam, verb="request.offered").exists()


def test_offer_built_from_templates(world: World, gpu: Resource) -> None:
    access_request = requested(world, gpu)
    data = offer_terms() | {"templates": ["region_limited"], "regions": ["330000"]}
    offer = services.make_offer(world.alice, access_request, data)
    assert offer.policy is not None
    assert offer.policy["permission"][0]["constraint"][0]["rightOperand"] == "330000"


def test_invalid_policy_is_refused_with_the_path_of_the_node(world: World, gpu: Resource) -> None:
    access_request = requested(world, gpu)
    policy = policy_document(odrl.count_limited(5))
    policy["permission"][0]["constraint"][0]["operator"] = "bogus"
    with pytest.raises(ValidationError) as exc:
        services.make_offer(world.alice, access_request, offer_terms(policy=policy))
    errors = exc.value.error_dict["policy"]
    assert errors[0].code == "unknown_operator"
    assert str(errors[0].message).startswith("$.permission[0].constraint[0].operator")
    access_request.refresh_from_db()
    assert access_request.state == RequestState.REQUESTED


def test_policy_about_another_resource_is_refused(world: World, gpu: Resource) -> None:
    access_request = requested(world, gpu)
    policy = policy_document(odrl.research_only(target="urn:other:thing"))
    with pytest.raises(ValidationError) as exc:
        services.make_offer(world.alice, access_request, offer_terms(policy=policy))
    assert "wrong_target" in _codes(exc, "policy")


def test_wrong_parties_are_refused(world: World, gpu: Resource) -> None:
    access_request = requested(world, gpu)
    with pytest.raises(PermissionDenied):  # another platform
        services.make_offer(world.charlie, access_request, offer_terms())
    with pytest.raises(PermissionDenied):  # another SME
        services.withdraw_request(world.sid, access_request)
    with pytest.raises(PermissionDenied):  # the SME cannot offer for the provider
        services.make_offer(world.sam, access_request, offer_terms())
    with pytest.raises(PermissionDenied):  # a viewer of the provider cannot act
        services.agree(world.bob, access_request)
    with pytest.raises(PermissionDenied):  # the provider cannot accept its own offer
        services.accept_offer(world.alice, access_request)


def test_counter_offer_goes_back_to_requested(world: World, gpu: Resource) -> None:
    access_request = offered(world, gpu)
    services.counter_offer(world.sam, access_request, offer_terms(quantity="8", price="8.00"))
    access_request.refresh_from_db()
    assert access_request.state == RequestState.REQUESTED
    assert [o.party for o in access_request.offers.order_by("sequence")] == [
        "consumer",
        "provider",
        "consumer",
    ]
    # The provider may now agree to the SME's terms with the policy it offered.
    agreement = services.agree(world.alice, access_request)
    assert agreement.quantity == Decimal(8) and agreement.price == Decimal("8.00")


def test_accept_then_agree_makes_an_active_agreement(world: World, gpu: Resource) -> None:
    policy = policy_document(odrl.research_only())
    agreement = agreed(world, gpu, policy)
    assert agreement.state == AgreementState.ACTIVE  # it starts today
    assert agreement.policy["@type"] == "Agreement"
    assert agreement.policy["assignee"] == f"urn:synergy-hub:organisation:{world.sme.pk}"
    assert agreement.policy["uid"] == agreement.uid
    assert agreement.access_request.state == RequestState.AGREED
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions == [
        "access.request.created",
        "access.request.offered",
        "access.request.accepted",
        "access.request.agreed",
        "access.agreement.created",
        "access.agreement.active",
    ]


def test_agreement_starting_later_waits(world: World, gpu: Resource) -> None:
    later = today() + timedelta(days=10)
    agreement = agreed(world, gpu, starts_on=later, ends_on=later + timedelta(days=5))
    assert agreement.state == AgreementState.AGREED


def test_provider_agrees_to_the_request_as_it_is(world: World, dataset: Resource) -> None:
    access_request = requested(world, dataset, intended_use="质量分析")
    agreement = services.agree(world.alice, access_request)
    assert agreement.policy["permission"][0]["action"] == "use"
    assert agreement.quantity == Decimal(10)


def test_illegal_transitions_are_refused(world: World, gpu: Resource) -> None:
    access_request = requested(world, gpu)
    with pytest.raises(ValidationError) as exc:  # nothing offered yet
        services.accept_offer(world.sam, access_request)
    assert _codes(exc, "state") == ["illegal_transition"]
    with pytest.raises(ValidationError) as exc:
        services.counter_offer(world.sam, access_request, offer_terms())
    assert _codes(exc, "state") == ["illegal_transition"]
    services.withdraw_request(world.sam, access_request)
    for step in (
        lambda: services.make_offer(world.alice, access_request, offer_terms()),
        lambda: services.agree(world.alice, access_request),
        lambda: services.reject_request(world.alice, access_request, REASONS),
        lambda: services.withdraw_request(world.sam, access_request),
    ):
        with pytest.raises(ValidationError) as exc:
            step()
        assert _codes(exc, "state") == ["illegal_transition"]


def test_rejection_needs_a_statement_of_reasons(world: World, gpu: Resource) -> None:
    access_request = offered(world, gpu)
    with pytest.raises(ValidationError) as exc:
        services.reject_request(world.alice, access_request, {"facts": "no"})
    assert set(exc.value.error_dict) == {"facts", "ground", "redress"}
    assert _codes(exc, "facts") == ["too_short"]
    services.reject_request(world.alice, access_request, REASONS)
    access_request.refresh_from_db()
    assert access_request.state == RequestState.REJECTED and access_request.closed_at
    statement = StatementOfReasons.objects.get()
    assert statement.kind == "rejection" and statement.redress == REASONS["redress"]
    event = AuditEvent.objects.get(action="access.request.rejected")
    assert event.after is not None and event.after["reasons"]["facts"] == REASONS["facts"]


def test_a_request_survives_a_new_list_version(world: World, gpu: Resource) -> None:
    """Requests follow the lineage: a later version of the list does not orphan them."""
    from synergy_hub.catalog import services as catalog_services

    access_request = requested(world, gpu)
    draft = catalog_services.create_new_version(world.alice, gpu.openness_list)
    copy = draft.resources.get()
    assert copy.lineage == access_request.resource_lineage
    gpu.openness_list.state = ListState.SUPERSEDED
    gpu.openness_list.save()
    agreement = services.agree(world.alice, access_request)
    assert agreement.resource_lineage == copy.lineage
    assert isinstance(agreement, Agreement)


# --- who is refused (the personas of tests/conftest.py) ------------------------------------

#: Everyone who is neither the provider's editors nor the requesting SME's: the provider's
#: viewer, the other organisations of every kind, the officer and visitors.
NEITHER_PARTY = ("anonymous", "platform_viewer", "other_platform", "provider", "sme_b", "officer")


def test_only_sme_users_request_access(world: World, gpu: Resource) -> None:
    assert_refused(
        world,
        lambda actor: services.request_access(actor, gpu, terms()),
        "anonymous",
        "platform_operator",
        "platform_viewer",
        "other_platform",
        "provider",
        "officer",
    )
    assert not AccessRequest.objects.exists()


def test_the_providers_steps_are_refused_to_the_sme_and_to_outsiders(
    world: World, gpu: Resource
) -> None:
    access_request = requested(world, gpu)
    for step in (
        lambda actor: services.make_offer(actor, access_request, offer_terms()),
        lambda actor: services.agree(actor, access_request),
        lambda actor: services.reject_request(actor, access_request, REASONS),
    ):
        assert_refused(world, step, "sme_a", *NEITHER_PARTY)
    access_request.refresh_from_db()
    assert access_request.state == RequestState.REQUESTED


def test_the_smes_steps_are_refused_to_the_provider_and_to_outsiders(
    world: World, gpu: Resource
) -> None:
    access_request = offered(world, gpu)
    for step in (
        lambda actor: services.counter_offer(actor, access_request, terms()),
        lambda actor: services.accept_offer(actor, access_request),
        lambda actor: services.withdraw_request(actor, access_request),
    ):
        assert_refused(world, step, "platform_operator", *NEITHER_PARTY)
    access_request.refresh_from_db()
    assert access_request.state == RequestState.OFFERED


def test_a_request_is_read_by_its_two_parties_only(world: World, gpu: Resource) -> None:
    access_request = requested(world, gpu)
    for reader in (world.alice, world.bob, world.sam):
        assert selectors.request_for_party(reader, access_request.pk) == access_request
    assert_refused(
        world,
        lambda actor: selectors.request_for_party(actor, access_request.pk),
        "other_platform",
        "provider",
        "sme_b",
        "officer",
        "anonymous",
        raises=Http404,
    )
