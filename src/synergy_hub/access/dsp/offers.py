"""The offer an SME could accept for a resource, written in the Dataspace Protocol's ODRL profile.

The policy is the one negotiation starts from (`services.negotiation`): the resource's
stored default policy, else the access default (permit use), bound by
`usage_policy.bind_to_offer` to the resource (target) and its publisher (assigner). The
ODRL JSON-LD writer writes it; this module only adapts that document to the DSP profile:

* the offer's identity is `@id`, its type `Offer`, and it has no `target`: in a DSP
  catalog the enclosing dataset is the target (catalog protocol, "ACK - Dataset");
* ODRL terms outside the DSP context are written as `odrl:` compact IRIs (actions and left
  operands other than `use`, the conflict strategy, remedies, consequences, units);
* right operands are strings or JSON-LD objects (a number becomes a typed value) and
  logical constraints list their operands in an array, as the DSP schema requires.

An action with refinements has no form in the DSP schema (an action is a plain name); such
a policy, like one that grants nothing (no permission or prohibition) or no longer reads,
is `NotInProfile` and its resource is left out of the DSP catalog rather than advertised
under terms that differ from what negotiation would use.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from synergy_hub import odrl
from synergy_hub.access import usage_policy
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.policy_documents import read_policy
from synergy_hub.odrl.vocabulary import is_absolute_iri
from synergy_hub.validation import FieldErrors

#: ODRL terms the DSP context (its ODRL profile) defines for actions and left operands.
_PROFILE_TERMS = frozenset({"use"})
_LOGICAL = ("and", "or", "xone", "andSequence")


class NotInProfile(ValueError):
    """A policy that the DSP profile cannot state as it is (or that does not read)."""


def default_offer_uid(resource: Resource) -> str:
    """A stable identity for the access default policy of a resource without its own."""
    return f"{usage_policy.resource_iri(resource.lineage)}:offer"


def offer_policy(resource: Resource) -> odrl.Policy:
    """The policy an SME accepts when it agrees to the resource's terms as published."""
    errors = FieldErrors()
    policy: odrl.Policy | None
    if resource.usage_policy:
        policy = read_policy(resource.usage_policy, errors)
    else:
        policy = dataclasses.replace(usage_policy.default_policy(), uid=default_offer_uid(resource))
    if policy is None or errors.errors:
        raise NotInProfile("the stored policy does not read")
    bound = usage_policy.bind_to_offer(policy, resource, resource.openness_list.publisher, errors)
    if errors.errors:
        raise NotInProfile("the stored policy does not fit the resource")
    return bound


def offer_jsonld(policy: odrl.Policy) -> dict[str, Any]:
    """The policy as a DSP `Offer` node (no `@context`: it sits inside a DSP document)."""
    if not policy.permissions and not policy.prohibitions:
        raise NotInProfile("a DSP offer permits or prohibits something")
    written = odrl.policy_to_jsonld(policy)
    target = odrl.node_iri(policy.target)
    out: dict[str, Any] = {"@id": written.get("uid") or written.get("@id"), "@type": "Offer"}
    for key, value in written.items():
        if key in ("@context", "@type", "@id", "uid", "target"):
            continue
        if key in ("permission", "prohibition", "obligation"):
            out[key] = [_rule(rule, target) for rule in value]
        elif key in ("assigner", "assignee", "profile"):
            out[key] = value
        elif key == "conflict":
            out["odrl:conflict"] = {"@id": f"odrl:{value}"}
        elif key == "inheritFrom":
            parents = value if isinstance(value, list) else [value]
            out["odrl:inheritFrom"] = [{"@id": parent} for parent in parents]
        else:
            out[_compact(key)] = value
    return out


def resource_offer(resource: Resource) -> dict[str, Any]:
    """The DSP offer of one resource; `NotInProfile` when it cannot be stated."""
    return offer_jsonld(offer_policy(resource))


def _compact(name: str) -> str:
    """A term of the DSP profile as it is, any other ODRL term as an `odrl:` compact IRI."""
    if name in _PROFILE_TERMS or is_absolute_iri(name):
        return name
    return f"odrl:{name}"


def _action(value: Any) -> str:
    if isinstance(value, str):
        return _compact(value)
    raise NotInProfile("an action with refinements has no form in the DSP schema")


def _rule(rule: Mapping[str, Any], target: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in rule.items():
        if key == "action":
            out["action"] = _action(value)
        elif key == "target":
            if value != target:  # the enclosing dataset is the target
                out["target"] = value
        elif key == "constraint":
            out["constraint"] = [_constraint(item) for item in value]
        elif key == "duty":
            out["duty"] = [_rule(item, target) for item in value]
        elif key in ("remedy", "consequence"):
            out[f"odrl:{key}"] = [_rule(item, target) for item in value]
        else:  # @id, assigner, assignee
            out[key] = value
    return out


def _constraint(item: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in item.items():
        if key in _LOGICAL:
            operands = value.get("@list", []) if isinstance(value, Mapping) else value
            out[key] = [_constraint(operand) for operand in operands]
        elif key == "leftOperand":
            out[key] = _compact(value)
        elif key == "rightOperand":
            out[key] = _operand(value)
        elif key == "unit":
            out["odrl:unit"] = {"@id": value} if is_absolute_iri(value) else value
        else:  # @id, operator (every ODRL operator is a term of the DSP profile)
            out[key] = value
    return out


def _operand(value: Any) -> Any:
    """A right operand as a string or JSON-LD object (the DSP schema has no JSON numbers)."""
    if isinstance(value, bool):
        return {"@value": "true" if value else "false", "@type": "xsd:boolean"}
    if isinstance(value, int):
        return {"@value": str(value), "@type": "xsd:integer"}
    if isinstance(value, float):
        return {"@value": repr(value), "@type": "xsd:double"}
    if isinstance(value, Mapping) and "@list" in value:
        return {"@list": [_operand(item) for item in value["@list"]]}
    return value
