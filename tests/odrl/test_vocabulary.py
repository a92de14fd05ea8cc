"""The action hierarchy as the ODRL 2.2 vocabulary states it, deprecated actions included."""

from __future__ import annotations

from importlib import resources

import pytest

from synergy_hub.odrl import (
    Action,
    Context,
    Permission,
    Policy,
    Prohibition,
    UsageRequest,
    check,
    describe,
    evaluate,
    policy_from_jsonld,
)
from synergy_hub.odrl.actions import ODRL_ACTIONS, ActionHierarchy, vocabulary_actions
from synergy_hub.odrl.vocabulary import CC

RES = "https://hub.example.cn/resource/42"

# Read off ODRL22.ttl (skos:exactMatch of each owl:deprecated action; copy also says
# owl:sameAs odrl:reproduce). The test states them again so that a changed extract shows.
DEPRECATED_EQUIVALENTS = {
    "write": "modify",
    "writeTo": "modify",
    "append": "modify",
    "appendTo": "modify",
    "export": "transform",
    "license": "grantUse",
    "copy": "reproduce",
    "pay": "compensate",
    "commercialize": CC + "CommercialUse",
    "attachPolicy": CC + "Notice",
    "attachSource": CC + "SourceCode",
    "shareAlike": CC + "ShareAlike",
    "share": CC + "Sharing",
}
# Deprecated without a match or a parent: known, covered by nothing broader.
DEPRECATED_ALONE = [
    "adHocShare",
    "extractChar",
    "extractPage",
    "extractWord",
    "lease",
    "lend",
    "preview",
    "secondaryUse",
]


def permit(action: str) -> Policy:
    return Policy(uid="urn:p:1", target=RES, permissions=(Permission(Action(action)),))


def ask(policy: Policy, action: str) -> bool:
    return evaluate(policy, UsageRequest(action, RES, "urn:sme", Context())).permitted


def test_the_extract_names_its_source_and_licence():
    text = resources.files("synergy_hub.odrl").joinpath("data/odrl22-actions.ttl").read_text()
    header = text.split("@prefix", 1)[0]
    assert "https://www.w3.org/ns/odrl/2/ODRL22.ttl" in header
    assert "W3C Software and Document License" in header
    vocabulary = vocabulary_actions()
    assert vocabulary.version == "2.2"
    assert len(vocabulary.included_in) == 72  # every odrl:Action of ODRL22.ttl, cc: ones too


def test_the_tree_is_the_vocabularys():
    vocabulary = vocabulary_actions()
    roots = sorted(a for a, parents in vocabulary.included_in.items() if not parents)
    assert "use" in roots and "transfer" in roots
    assert set(roots) - {"use", "transfer"} == (set(DEPRECATED_EQUIVALENTS) | set(DEPRECATED_ALONE))
    assert vocabulary.included_in["display"] == ("play",)
    assert vocabulary.included_in["extract"] == ("reproduce",)
    assert vocabulary.included_in["sell"] == ("transfer",)
    assert vocabulary.included_in[CC + "Distribution"] == ("use",)
    assert vocabulary.implies == {}  # ODRL 2.2 asserts odrl:implies of no action


@pytest.mark.parametrize(("deprecated", "current"), sorted(DEPRECATED_EQUIVALENTS.items()))
def test_each_deprecated_action_is_its_exact_match(deprecated, current):
    assert ODRL_ACTIONS.is_deprecated(deprecated)
    assert ODRL_ACTIONS.current(deprecated) == current
    assert current in ODRL_ACTIONS.equivalents(deprecated)
    # The same action under either name, and under use like its match.
    assert ODRL_ACTIONS.includes(current, deprecated)
    assert ODRL_ACTIONS.includes(deprecated, current)
    assert ODRL_ACTIONS.includes("use", deprecated)
    assert not ODRL_ACTIONS.includes("transfer", deprecated)


@pytest.mark.parametrize("deprecated", DEPRECATED_ALONE)
def test_deprecated_actions_without_a_match_are_covered_only_by_themselves(deprecated):
    assert deprecated in ODRL_ACTIONS and ODRL_ACTIONS.is_deprecated(deprecated)
    assert ODRL_ACTIONS.ancestors(deprecated) == (deprecated,)
    assert not ODRL_ACTIONS.includes("use", deprecated)


def test_use_covers_write_through_modify():
    assert ODRL_ACTIONS.ancestors("write")[-1] == "use"
    assert ask(permit("use"), "write")
    assert ask(permit("modify"), "write") and ask(permit("write"), "modify")
    assert ask(permit("write"), "append")  # both are modify
    assert not ask(permit("read"), "write")
    assert ask(permit("use"), "export") and ask(permit("transform"), "export")
    assert ask(permit("use"), "license") and not ask(permit("use"), "lease")


def test_a_prohibition_of_modify_prohibits_write():
    policy = Policy(
        uid="urn:p:1",
        target=RES,
        permissions=(Permission(Action("use")),),
        prohibitions=(Prohibition(Action("modify")),),
    )
    decision = evaluate(policy, UsageRequest("write", RES, "urn:sme", Context()))
    assert not decision.permitted and decision.code == "conflict_policy_void"
    assert ask(policy, "read")


def test_deprecated_actions_are_valid_terms_and_are_described_as_their_match():
    document = {
        "@context": "http://www.w3.org/ns/odrl.jsonld",
        "@type": "Set",
        "uid": "urn:p:1",
        "permission": [{"action": "write"}, {"action": "odrl:export"}],
    }
    policy = policy_from_jsonld(document)
    assert [p.action.name for p in policy.permissions] == ["write", "export"]
    assert check(policy) == []
    assert describe(policy) == (
        "You may modify this resource. You may convert this resource to another format."
    )
    assert describe(policy, "zh") == "您可修改本资源。您可转换本资源的格式。"


def test_labels_and_extensions_keep_the_vocabulary():
    assert ODRL_ACTIONS.label("write") == "Write"
    extended = ODRL_ACTIONS.extended({"https://hub.example.cn/vocab/callApi": "read"})
    assert extended.includes("use", "https://hub.example.cn/vocab/callApi")
    assert extended.includes("use", "write")
    hierarchy = ActionHierarchy({"a": None, "b": "a", "c": ("a", "b")}, {"d": "b"})
    assert hierarchy.ancestors("d") == ("d", "b", "a")
    assert hierarchy.includes("a", "c") and hierarchy.includes("d", "b")
