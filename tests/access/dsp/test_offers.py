"""Offers in the DSP profile: valid against the DSP contract schema and meaning the same policy."""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any

import pytest
from rdflib import URIRef

from synergy_hub import odrl
from synergy_hub.access import usage_policy
from synergy_hub.access.dsp.offers import NotInProfile, offer_jsonld, offer_policy
from synergy_hub.access.services.resource_policy import clean_policy
from synergy_hub.catalog.models import Resource
from synergy_hub.odrl.rdf import normalise, policy_from_graph
from synergy_hub.validation import FieldErrors
from tests.access.dsp.conftest import (
    REQUEST,
    DspCatalog,
    assert_valid,
    dsp_graph,
    with_implied_targets,
)

OFFER_SCHEMA = "negotiation/contract-schema.json#/definitions/Offer"
TARGET = "urn:synergy-hub:resource:1f0e7b0c-1111-4c2d-9e3f-222233334444"
ASSIGNER = "urn:synergy-hub:organisation:7"


def bound(policy: odrl.Policy) -> odrl.Policy:
    """A policy as an offer binds it: about TARGET, assigned by ASSIGNER."""
    return dataclasses.replace(policy, target=TARGET, assigner=ASSIGNER, type=odrl.PolicyType.OFFER)


def read_back(offer: dict[str, Any]) -> odrl.Policy:
    """The offer inside a DSP dataset, read as RDF with its implied target, as ODRL."""
    document = {**REQUEST, "@type": "Dataset", "@id": TARGET, "hasPolicy": [offer]}
    return policy_from_graph(with_implied_targets(dsp_graph(document)), URIRef(offer["@id"]))


TEMPLATES = {
    "default": usage_policy.default_policy(),
    "research": odrl.research_only(),
    "no redistribution": odrl.no_redistribution(),
    "region": odrl.region_limited(["330000", "440300"]),
    "time": odrl.time_limited(date(2026, 1, 1), date(2027, 12, 31)),
    "count": odrl.count_limited(10_000),
    "all of them": odrl.combine(
        odrl.research_only(),
        odrl.no_redistribution(),
        odrl.region_limited(["330000"]),
        odrl.time_limited(end=date(2027, 12, 31)),
        odrl.count_limited(500),
    ),
}


@pytest.mark.parametrize("name", list(TEMPLATES))
def test_template_policies_are_valid_dsp_offers_with_the_same_meaning(name: str) -> None:
    policy = bound(TEMPLATES[name])
    offer = offer_jsonld(policy)
    assert_valid(offer, OFFER_SCHEMA)
    assert offer["@id"] == policy.uid
    assert offer["@type"] == "Offer"
    assert offer["assigner"] == ASSIGNER
    assert "target" not in offer and "@context" not in offer
    # The enclosing dataset is the target: read back, the policy is the one bound to it.
    assert normalise(read_back(offer)) == normalise(policy)


def test_terms_outside_the_dsp_profile_are_odrl_compact_iris() -> None:
    policy = bound(
        odrl.combine(odrl.research_only(action="read"), odrl.count_limited(10, action="read"))
    )
    offer = offer_jsonld(policy)
    permission = offer["permission"][0]
    assert permission["action"] == "odrl:read"
    constraints = {c["leftOperand"]: c for c in permission["constraint"]}
    assert set(constraints) == {"odrl:purpose", "odrl:count"}
    # JSON numbers are not DSP right operands: the count is a typed literal
    assert constraints["odrl:count"]["rightOperand"] == {"@value": "10", "@type": "xsd:integer"}
    assert offer["odrl:conflict"] == {"@id": "odrl:prohibit"}
    assert offer_jsonld(bound(odrl.count_limited(3)))["permission"][0]["action"] == "use"


def test_logical_constraints_list_their_operands_in_an_array() -> None:
    either = odrl.LogicalConstraint(
        "or",
        (
            odrl.Constraint("spatial", "isPartOf", "330000"),
            odrl.Constraint("spatial", "isPartOf", "440000"),
        ),
    )
    policy = bound(
        odrl.Policy(
            uid="urn:uuid:7d0c5a52-8f1e-4a39-9d44-0f5c7a3b2e11",
            permissions=(odrl.Permission(odrl.Action("use"), constraints=(either,)),),
        )
    )
    offer = offer_jsonld(policy)
    assert_valid(offer, OFFER_SCHEMA)
    operands = offer["permission"][0]["constraint"][0]["or"]
    assert [c["rightOperand"] for c in operands] == ["330000", "440000"]
    assert normalise(read_back(offer)) == normalise(policy)


def test_a_refined_action_or_a_policy_granting_nothing_is_not_in_the_profile() -> None:
    refined = odrl.Action("use", refinements=(odrl.Constraint("count", "lteq", 5),))
    with pytest.raises(NotInProfile):
        offer_jsonld(bound(odrl.Policy(uid=TARGET + ":p", permissions=(odrl.Permission(refined),))))
    duty_only = odrl.Policy(uid=TARGET + ":d", obligations=(odrl.Duty(odrl.Action("inform")),))
    with pytest.raises(NotInProfile):
        offer_jsonld(bound(duty_only))


@pytest.mark.django_db
def test_the_offer_is_the_stored_policy_bound_to_resource_and_publisher(
    dsp_catalog: DspCatalog,
) -> None:
    gpu, weather = dsp_catalog.gpu, dsp_catalog.weather
    # Without a stored policy: the access default, under an identity that stays the same.
    default = offer_policy(weather)
    assert default.uid == f"{usage_policy.resource_iri(weather.lineage)}:offer"
    assert default.uid == offer_policy(weather).uid
    assert default.target == usage_policy.resource_iri(weather.lineage)
    assert default.assigner == usage_policy.organisation_iri(dsp_catalog.world.platform_a)
    assert default.type == odrl.PolicyType.OFFER
    # A stored policy keeps its identity and its terms.
    errors = FieldErrors()
    stored = clean_policy(gpu, {"policy": odrl.policy_to_jsonld(odrl.count_limited(99))}, errors)
    assert stored is not None and not errors.errors
    Resource.objects.filter(pk=gpu.pk).update(usage_policy=stored)
    gpu.refresh_from_db()
    assert odrl.policy_to_jsonld(offer_policy(gpu)) == stored


@pytest.mark.django_db
def test_a_stored_policy_that_does_not_fit_is_not_offered(dsp_catalog: DspCatalog) -> None:
    gpu = dsp_catalog.gpu
    foreign = odrl.policy_to_jsonld(
        dataclasses.replace(odrl.count_limited(5), target="urn:synergy-hub:resource:other")
    )
    for document in (foreign, {"@type": "Offer", "permission": "nonsense"}):
        Resource.objects.filter(pk=gpu.pk).update(usage_policy=document)
        gpu.refresh_from_db()
        with pytest.raises(NotInProfile):
            offer_policy(gpu)
