"""Party and asset collections: reading, writing, validation, evaluation and wording.

Membership comes from the state of the world (`Context.part_of`): a rule about a
collection covers its members, narrowed by the collection's refinements, which are checked
against what the state says about the member (`Context.attributes`).
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime

import pytest

from synergy_hub.odrl import (
    Action,
    AssetCollection,
    Constraint,
    Context,
    Duty,
    Evaluator,
    PartyCollection,
    PerformedAction,
    Permission,
    Policy,
    PolicyType,
    Prohibition,
    UsageRequest,
    as_agreement,
    check,
    describe,
    evaluate,
    node_iri,
    policy_from_jsonld,
    policy_to_jsonld,
)
from synergy_hub.odrl.decision import DeonticState
from synergy_hub.odrl.formal_semantics import compliance_states, load_part_of
from synergy_hub.odrl.rdf import (
    graph_from_jsonld,
    normalise,
    policy_from_graph,
    policy_from_turtle,
    policy_to_turtle,
)

CTX = "http://www.w3.org/ns/odrl.jsonld"
RES = "https://hub.example.cn/resource/42"
OTHER_RES = "https://hub.example.cn/resource/43"
LIST = "https://hub.example.cn/list/7"
SME = "https://hub.example.cn/org/sme"
OTHER = "https://hub.example.cn/org/other"
SMALL = "https://hub.example.cn/size-class/small"
IN_GD = Constraint("spatial", "isPartOf", "440000")
NOW = datetime(2027, 6, 1, 2, 0, tzinfo=UTC)


def rdf_round_trips(policy: Policy) -> None:
    assert policy_from_jsonld(policy_to_jsonld(policy)) == policy
    assert policy_from_turtle(policy_to_turtle(policy)) == normalise(policy)
    assert policy_from_graph(graph_from_jsonld(policy_to_jsonld(policy))) == normalise(policy)


def rules(problems) -> set[tuple[str, str]]:
    return {(p.path, p.rule) for p in problems}


# -- the Information Model's examples -------------------------------------------------------

# Information Model, "Function Property": a PartyCollection assignee, parties with metadata.
IM_TEAM = {
    "@context": [CTX, {"vcard": "http://www.w3.org/2006/vcard/ns#"}],
    "@type": "Agreement",
    "uid": "http://example.com/policy:777",
    "profile": "http://example.com/odrl:profile:05",
    "permission": [
        {
            "target": "http://example.com/looking-glass.ebook",
            "assigner": {
                "@type": ["Party", "vcard:Organization"],
                "uid": "http://example.com/org/sony-books",
                "vcard:fn": "Sony Books LCC",
                "vcard:hasEmail": "sony-contact@example.com",
            },
            "assignee": {
                "@type": ["PartyCollection", "vcard:Group"],
                "uid": "http://example.com/team/A",
                "vcard:fn": "Team A",
                "vcard:hasEmail": "teamA@example.com",
            },
            "action": "use",
        }
    ],
}

# Information Model, "Refinement property with an Asset Collection". The profile's
# runningTime operand is written as a full IRI (the profile is not shipped).
IM_CATALOGUE = {
    "@context": [CTX, {"ex": "http://example.com/odrl:profile:11#"}],
    "@type": "Offer",
    "uid": "http://example.com/policy:4444",
    "profile": "http://example.com/odrl:profile:11",
    "permission": [
        {
            "assigner": "http://example.com/org88",
            "target": {
                "@type": "AssetCollection",
                "source": "http://example.com/media-catalogue",
                "refinement": [
                    {
                        "leftOperand": "ex:runningTime",
                        "operator": "lt",
                        "rightOperand": {"@value": "60", "@type": "xsd:integer"},
                        "unit": "http://qudt.org/vocab/unit/MinuteTime",
                    }
                ],
            },
            "action": "play",
        }
    ],
}

# Information Model, "Refinement property with a Party Collection".
IM_FRIENDS = {
    "@context": [
        CTX,
        {"foaf": "http://xmlns.com/foaf/0.1/", "ex": "http://example.com/odrl:profile:12#"},
    ],
    "@type": "Agreement",
    "uid": "http://example.com/policy:4444",
    "profile": "http://example.com/odrl:profile:12",
    "permission": [
        {
            "target": "http://example.com/myPhotos:BdayParty",
            "assigner": "http://example.com/user44",
            "assignee": {
                "@type": "PartyCollection",
                "source": "http://example.com/user44/friends",
                "refinement": [
                    {
                        "leftOperand": "foaf:age",
                        "operator": "gt",
                        "rightOperand": {"@value": "17", "@type": "xsd:integer"},
                    }
                ],
            },
            "action": {"@id": "ex:view"},
        }
    ],
}
AGE = "http://xmlns.com/foaf/0.1/age"
FRIENDS = "http://example.com/user44/friends"


def test_the_information_models_collection_examples_read_and_round_trip():
    team = policy_from_jsonld(IM_TEAM)
    rule = team.permissions[0]
    assert rule.assigner == "http://example.com/org/sony-books"  # a plain Party node
    assert rule.assignee == PartyCollection("http://example.com/team/A")
    catalogue = policy_from_jsonld(IM_CATALOGUE)
    assert catalogue.permissions[0].target == AssetCollection(
        source="http://example.com/media-catalogue",
        refinements=(
            Constraint(
                "http://example.com/odrl:profile:11#runningTime",
                "lt",
                60,
                "http://qudt.org/vocab/unit/MinuteTime",
            ),
        ),
    )
    friends = policy_from_jsonld(IM_FRIENDS)
    assert friends.permissions[0].assignee == PartyCollection(
        source=FRIENDS, refinements=(Constraint(AGE, "gt", 17),)
    )
    for document, policy in ((IM_TEAM, team), (IM_CATALOGUE, catalogue), (IM_FRIENDS, friends)):
        rdf_round_trips(policy)
        assert check(policy) == []
        # rdflib's reading of the same document agrees (party nodes written with a uid).
        assert policy_from_graph(graph_from_jsonld(document)) == normalise(policy)


def test_the_friends_example_evaluates_against_each_members_age():
    policy = policy_from_jsonld(IM_FRIENDS)
    target = "http://example.com/myPhotos:BdayParty"
    view = "http://example.com/odrl:profile:12#view"
    state = {"urn:ann": (FRIENDS,), "urn:bob": (FRIENDS,), "urn:eve": ()}
    ages = {"urn:ann": {AGE: 30}, "urn:bob": {AGE: 15}}

    def decide(party: str):
        context = Context(part_of=state, attributes=ages)
        return evaluate(policy, UsageRequest(view, target, party, context))

    assert decide("urn:ann").permitted
    bob = decide("urn:bob")
    assert not bob.permitted and bob.code == "constraint_not_satisfied"
    assert bob.path == "permission[0].assignee.refinement[0]"
    assert bob.reason.endswith(f"requires {AGE} gt 17, but {AGE} is 15.")
    assert decide("urn:eve").code == "assignee_not_covered"
    unknown = decide("urn:zed")  # the state says nothing of zed's memberships
    assert unknown.code == "missing_fact" and unknown.params["fact"] == "partOf"


def test_a_collection_node_elsewhere_in_the_graph_is_read_as_the_collection():
    """The form a state-of-the-world style document takes: the collection is its own node."""
    document = {
        "@context": CTX,
        "@graph": [
            {
                "@type": "Set",
                "uid": "urn:p:graph",
                "permission": [{"action": "read", "target": "urn:x", "assignee": "urn:pc"}],
            },
            {"@id": "urn:pc", "@type": "PartyCollection", "source": "urn:party-identifier"},
        ],
    }
    expected = PartyCollection("urn:pc", "urn:party-identifier")
    assert policy_from_jsonld(document).permissions[0].assignee == expected
    assert policy_from_graph(graph_from_jsonld(document)).permissions[0].assignee == expected
    turtle = """
    @prefix odrl: <http://www.w3.org/ns/odrl/2/> .
    <urn:p:ttl> a odrl:Set ; odrl:permission [ odrl:action odrl:read ; odrl:target <urn:x> ;
        odrl:assignee <urn:pc> ] .
    <urn:pc> a odrl:PartyCollection ; odrl:source <urn:party-identifier> .
    """
    read = policy_from_turtle(turtle)
    assert read.permissions[0].assignee == expected
    context = Context(part_of={"urn:alice": ("urn:party-identifier",)})
    assert evaluate(read, UsageRequest("read", "urn:x", "urn:alice", context)).permitted
    assert not evaluate(read, UsageRequest("read", "urn:x", "urn:bob", Context())).permitted


# -- validation -----------------------------------------------------------------------------


def test_collections_are_validated_with_model_paths():
    policy = Policy(
        uid="urn:p:1",
        assignee=PartyCollection(),
        permissions=(
            Permission(
                Action("use"),
                assignee=PartyCollection(
                    "urn:team", refinements=(Constraint("colour", "eq", "red"),)
                ),
            ),
            Permission(Action("read"), target=AssetCollection("urn:team")),
            Permission(
                Action("print"), assignee="urn:archive", target=AssetCollection("urn:archive")
            ),
        ),
        # A party collection as a target: the types say no, the check says why.
        prohibitions=(Prohibition(Action("distribute"), target=PartyCollection("urn:x")),),
    )
    assert rules(check(policy)) == {
        ("assignee", "collection_iri_required"),
        ("permission[0].assignee", "collection_refinement_source"),
        ("permission[0].assignee.refinement[0].leftOperand", "unknown_left_operand"),
        ("permission[1].target", "collection_kind"),
        ("permission[1].target.uid", "duplicate_uid"),  # two different nodes, one uid
        ("permission[2].assignee", "collection_named_twice"),
        ("prohibition[0].target", "collection_kind"),
    }


def test_invalid_collections_name_their_json_path():
    document = copy.deepcopy(IM_FRIENDS)
    document["permission"][0]["assignee"]["refinement"][0]["operator"] = "about"
    with pytest.raises(Exception) as caught:
        policy_from_jsonld(document)
    assert ("$.permission[0].assignee.refinement[0].operator", "unknown_operator") in {
        (p.path, p.rule) for p in caught.value.problems
    }
    untyped = copy.deepcopy(IM_FRIENDS)
    del untyped["permission"][0]["assignee"]["@type"]
    with pytest.raises(Exception) as caught:
        policy_from_jsonld(untyped)
    assert {(p.path, p.rule) for p in caught.value.problems} == {
        ("$.permission[0].assignee", "collection_type")
    }


def test_one_collection_named_on_several_rules_is_one_node():
    team = PartyCollection("urn:team")
    policy = Policy(
        uid="urn:p:1",
        permissions=(
            Permission(Action("use"), assignee=team),
            Permission(Action("read"), assignee=team, target=AssetCollection(LIST)),
        ),
        prohibitions=(Prohibition(Action("distribute"), assignee=team),),
    )
    assert check(policy) == []
    rdf_round_trips(policy)
    clash = Policy(uid="urn:p:2", permissions=(Permission(Action("use"), uid="urn:team"),))
    clash = Policy(
        uid="urn:p:2",
        permissions=(*clash.permissions, Permission(Action("read"), assignee=team)),
    )
    assert ("permission[1].assignee.uid", "duplicate_uid") in rules(check(clash))


# -- evaluation against the state of the world ----------------------------------------------


def decide(policy: Policy, action: str = "read", target: str = RES, party: str = SME, **state):
    return evaluate(policy, UsageRequest(action, target, party, Context(now=NOW, **state)))


def permit_to(assignee=None, target=RES, **rule) -> Policy:
    return Policy(
        uid="urn:p:1",
        permissions=(Permission(Action("use"), target=target, assignee=assignee, **rule),),
    )


def test_a_permission_for_a_party_collection_covers_its_members():
    policy = permit_to(PartyCollection(SMALL))
    assert decide(policy, part_of={SME: (SMALL, "urn:other")}).permitted
    assert decide(policy, party=SMALL).permitted  # the collection as a whole
    outsider = decide(policy, part_of={SME: ("urn:other",)})
    assert outsider.code == "assignee_not_covered"
    unknown = decide(policy, part_of={OTHER: (SMALL,)})
    assert unknown.code == "missing_fact" and unknown.params["fact"] == "partOf"
    assert "partOf" in unknown.reason


def test_a_permission_for_an_asset_collection_covers_its_members():
    policy = permit_to(target=AssetCollection(LIST))
    assert decide(policy, part_of={RES: (LIST,)}).permitted
    assert decide(policy, target=OTHER_RES, part_of={OTHER_RES: ()}).code == "target_not_covered"
    # Membership, not equality of IRIs, decides; the state names the asset's collections.
    assert decide(policy, target=LIST).permitted


def test_a_collections_refinement_narrows_its_members():
    policy = permit_to(PartyCollection(source=SMALL, refinements=(IN_GD,)))
    member = {SME: (SMALL,)}
    assert decide(policy, part_of=member, attributes={SME: {"spatial": "440305"}}).permitted
    outside = decide(policy, part_of=member, attributes={SME: {"spatial": "330100"}})
    assert outside.code == "outside_region"
    assert outside.path == "permission[0].assignee.refinement[0]"
    assert outside.params["actual"] == "330100"
    # The use's own region is not the member's: refinements read the member's facts only.
    missing = decide(policy, part_of=member, spatial="440305")
    assert missing.code == "missing_fact" and missing.params["fact"] == "spatial"
    assert missing.path == "permission[0].assignee.refinement[0]"
    # The collection itself is not a member of its refined subset.
    assert not decide(policy, party=SMALL).permitted
    result = decide(policy, part_of=member, attributes={SME: {"spatial": "330100"}}).rules[0]
    assert [r.path for r in result.assignee_refinements] == ["permission[0].assignee.refinement[0]"]


def test_policy_level_collections_apply_to_every_rule():
    policy = Policy(
        uid="urn:p:1",
        assignee=PartyCollection(source=SMALL, refinements=(IN_GD,)),
        target=AssetCollection(LIST),
        permissions=(Permission(Action("read")), Permission(Action("print"))),
    )
    state = {"part_of": {SME: (SMALL,), RES: (LIST,)}, "attributes": {SME: {"spatial": "440000"}}}
    assert decide(policy, **state).permitted
    assert decide(policy, action="print", **state).permitted
    away = decide(policy, part_of=state["part_of"], attributes={SME: {"spatial": "110000"}})
    assert away.path == "assignee.refinement[0]"


def test_a_prohibition_on_a_collection_holds_for_members_and_fails_closed():
    policy = Policy(
        uid="urn:p:1",
        target=RES,
        conflict=None,
        permissions=(Permission(Action("use")),),
        prohibitions=(Prohibition(Action("distribute"), assignee=PartyCollection(SMALL)),),
    )
    assert decide(policy, action="distribute", part_of={SME: ()}).permitted
    member = decide(policy, action="distribute", part_of={SME: (SMALL,)})
    assert not member.permitted and member.code == "conflict_policy_void"
    unknown = decide(policy, action="distribute")
    assert not unknown.permitted and unknown.code == "missing_fact"
    assert unknown.params["fact"] == "partOf" and unknown.path == "prohibition[0]"
    assert decide(policy, action="read").permitted  # not the prohibited action


def test_each_member_performs_the_duties_of_a_collections_permission():
    pay = Duty(Action("compensate"), uid="urn:duty:pay")
    policy = permit_to(PartyCollection(SMALL), duties=(pay,))
    members = {SME: (SMALL,), OTHER: (SMALL,)}
    paid_by_other = PerformedAction("compensate", performer=OTHER, duty="urn:duty:pay")
    denied = decide(policy, part_of=members, performed=(paid_by_other,))
    assert denied.code == "duty_not_fulfilled"
    paid = PerformedAction("pay", performer=SME, duty="urn:duty:pay")  # pay is compensate
    assert decide(policy, part_of=members, performed=(paid,)).permitted


def test_a_duty_addressed_to_a_collection_is_fulfilled_by_a_member():
    duty = Duty(Action("inform"), assignee=PartyCollection("urn:provider-staff"))
    policy = permit_to(duties=(duty,))
    staff = {"urn:clerk": ("urn:provider-staff",)}
    informed = PerformedAction("inform", performer="urn:clerk")
    assert decide(policy, part_of=staff, performed=(informed,)).permitted
    assert not decide(policy, performed=(informed,)).permitted  # clerk's memberships unknown


def test_a_performed_action_on_a_member_asset_violates_the_prohibition():
    policy = Policy(
        uid="urn:p:1",
        permissions=(Permission(Action("use"), target=RES),),
        prohibitions=(Prohibition(Action("distribute"), target=AssetCollection(LIST)),),
    )
    shared = PerformedAction("distribute", performer=SME, target=RES)
    decision = decide(policy, part_of={RES: (LIST,)}, performed=(shared,))
    assert decision.rules[1].deontic is DeonticState.VIOLATED
    assert decide(policy, performed=(shared,)).rules[1].deontic is DeonticState.NOT_SET


def test_without_assignee_matching_target_collections_still_count():
    policy = permit_to(PartyCollection(SMALL), target=AssetCollection(LIST))
    loose = Evaluator(match_assignee=False)
    request = UsageRequest("read", RES, "urn:anyone", Context(part_of={RES: (LIST,)}))
    assert loose.evaluate(policy, request).permitted
    elsewhere = UsageRequest("read", OTHER_RES, "urn:anyone", Context(part_of={OTHER_RES: ()}))
    assert loose.evaluate(policy, elsewhere).code == "target_not_covered"


def test_refinement_results_are_reported_by_uid():
    refinement = Constraint("spatial", "isPartOf", "440000", uid="urn:c:gd")
    policy = permit_to(PartyCollection(source=SMALL, refinements=(refinement,)), uid="urn:r:1")
    decision = decide(policy, part_of={SME: (SMALL,)}, attributes={SME: {"spatial": "440300"}})
    states = compliance_states(decision)
    assert states["urn:c:gd"] == {"satisfactionState": "Satisfied"}
    assert states["urn:r:1"]["controlState"] == "Permit"


def test_memberships_are_read_from_a_state_of_the_world(tmp_path):
    state = tmp_path / "state.ttl"
    state.write_text(
        """
        @prefix odrl: <http://www.w3.org/ns/odrl/2/> .
        <urn:alice> odrl:partOf <urn:team:a>, <urn:team:b> .
        <urn:doc:1> odrl:partOf <urn:archive> .
        """,
        encoding="utf-8",
    )
    assert load_part_of(state, tmp_path) == {
        "urn:alice": ("urn:team:a", "urn:team:b"),
        "urn:doc:1": ("urn:archive",),
    }
    assert Context(part_of={"urn:alice": "urn:team:a"}).memberships("urn:alice") == ("urn:team:a",)


# -- wording --------------------------------------------------------------------------------


def _names(left: str, value: str, lang: str) -> str | None:
    known = {SMALL: ("small enterprises", "小型企业"), LIST: ("openness list 7", "第7号开放清单")}
    if left == "partOf" and value in known:
        return known[value][0 if lang == "en" else 1]
    return None


def test_collections_are_described_in_both_languages():
    policy = Policy(
        uid="urn:p:1",
        type=PolicyType.SET,
        assigner=PartyCollection("urn:platforms"),
        permissions=(
            Permission(
                Action("use"),
                target=AssetCollection(LIST),
                assignee=PartyCollection(source=SMALL, refinements=(IN_GD,)),
                constraints=(Constraint("purpose", "eq", "research"),),
            ),
        ),
        prohibitions=(Prohibition(Action("write"), assignee=PartyCollection(SMALL)),),
    )
    assert describe(policy, labels=_names) == (
        "These terms are given by each member of the collection urn:platforms. "
        "If you belong to small enterprises and are located in Guangdong (440000), you may "
        "use each resource in openness list 7 for research purposes only. "
        "If you belong to small enterprises, you may not modify this resource."
    )
    assert describe(policy, "zh", labels=_names) == (
        "本使用条款由集合urn:platforms的各成员给出。"
        "若您属于小型企业且位于广东省（440000），您可仅以科研目的使用第7号开放清单中的各项资源。"
        "若您属于小型企业，您不得修改本资源。"
    )
    friends = policy_from_jsonld(IM_FRIENDS)
    assert describe(friends).startswith(
        f"If you belong to the collection {FRIENDS} and your age is more than 17, you may "
    )
    assert describe(friends, "zh").startswith(f"若您属于集合{FRIENDS}且您的age大于17，您可")


def test_node_iri_names_parties_assets_and_collections():
    assert node_iri(None) is None
    assert node_iri("urn:x") == "urn:x"
    assert node_iri(PartyCollection("urn:team", "urn:group")) == "urn:group"
    assert node_iri(AssetCollection("urn:archive")) == "urn:archive"


def test_an_offer_to_a_collection_stays_one_in_the_agreement():
    offer = Policy(
        uid="urn:offer",
        type=PolicyType.OFFER,
        assigner="urn:platform",
        assignee=PartyCollection(SMALL),
        target=RES,
        permissions=(Permission(Action("use")), Permission(Action("print"), assignee=OTHER)),
        prohibitions=(Prohibition(Action("distribute")),),
    )
    agreement = as_agreement(offer, assignee=SME, uid="urn:agreement")
    assert agreement.assignee == SME
    assert [p.assignee for p in agreement.permissions] == [PartyCollection(SMALL), OTHER]
    assert agreement.prohibitions[0].assignee == PartyCollection(SMALL)
    assert check(agreement) == []
    assert decide(agreement, part_of={SME: (SMALL,)}).permitted
    assert decide(agreement, part_of={SME: ()}).code == "assignee_not_covered"
