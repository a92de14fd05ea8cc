"""Write ODRL policies as compact JSON-LD under the W3C ODRL context."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from .jsonld_context import ODRL_CONTEXT_URL
from .model import (
    Action,
    Asset,
    AssetCollection,
    ConstraintLike,
    Duty,
    LogicalConstraint,
    Party,
    Permission,
    Policy,
    Prohibition,
)
from .values import (
    IRI,
    Scalar,
    TypedLiteral,
    Value,
    format_literal,
)
from .vocabulary import (
    XSD,
    is_absolute_iri,
)


def _compact_datatype(iri: str) -> str:
    return "xsd:" + iri[len(XSD) :] if iri.startswith(XSD) else iri


def _scalar_out(value: Value) -> Any:
    if isinstance(value, bool | int | float) and not isinstance(value, Decimal):
        return value
    if isinstance(value, str):
        return value
    if isinstance(value, IRI):
        return {"@id": value.value}
    if isinstance(value, tuple):
        # An rdf:List keeps order and length (a one-item list stays a list in RDF).
        return {"@list": [_scalar_out(v) for v in value]}
    if isinstance(value, Scalar | TypedLiteral):
        lexical, datatype = format_literal(value)
        return {"@value": lexical, "@type": _compact_datatype(datatype)}
    raise TypeError(f"cannot write {value!r} as a right operand")


def _constraint_out(item: ConstraintLike) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if item.uid:
        out["@id"] = item.uid
    if isinstance(item, LogicalConstraint):
        out[item.operator] = {"@list": [_constraint_out(c) for c in item.constraints]}
        return out
    out["leftOperand"] = item.left_operand
    out["operator"] = item.operator
    out["rightOperand"] = _scalar_out(item.right_operand)
    if item.unit:
        out["unit"] = item.unit
    return out


def _action_out(action: Action) -> Any:
    if not action.refinements and not action.uid:
        return action.name
    node: dict[str, Any] = {}
    if action.uid:
        node["@id"] = action.uid
    name = action.name if is_absolute_iri(action.name) else f"odrl:{action.name}"
    node["rdf:value"] = {"@id": name}
    if action.refinements:
        node["refinement"] = [_constraint_out(c) for c in action.refinements]
    return [node]


def _node_out(node: Party | Asset) -> Any:
    """A party or asset as its IRI; a collection as a typed node (uid, source, refinement)."""
    if isinstance(node, str):
        return node
    out: dict[str, Any] = {
        "@type": "AssetCollection" if isinstance(node, AssetCollection) else "PartyCollection"
    }
    if node.uid:
        out["uid"] = node.uid
    if node.source:
        out["source"] = node.source
    if node.refinements:
        out["refinement"] = [_constraint_out(c) for c in node.refinements]
    return out


def _rule_out(rule: Permission | Prohibition | Duty) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if rule.uid:
        out["@id"] = rule.uid
    for name in ("target", "assigner", "assignee"):
        value = getattr(rule, name)
        if value:
            out[name] = _node_out(value)
    out["action"] = _action_out(rule.action)
    if rule.constraints:
        out["constraint"] = [_constraint_out(c) for c in rule.constraints]
    if isinstance(rule, Permission) and rule.duties:
        out["duty"] = [_rule_out(d) for d in rule.duties]
    if isinstance(rule, Prohibition) and rule.remedies:
        out["remedy"] = [_rule_out(d) for d in rule.remedies]
    if isinstance(rule, Duty) and rule.consequences:
        out["consequence"] = [_rule_out(d) for d in rule.consequences]
    return out


def policy_to_jsonld(policy: Policy) -> dict[str, Any]:
    """Write a policy as compact JSON-LD under the W3C ODRL context."""
    out: dict[str, Any] = {
        "@context": ODRL_CONTEXT_URL,
        "@type": policy.type.value,
        "uid": policy.uid,
    }
    if policy.profiles:
        out["profile"] = policy.profiles[0] if len(policy.profiles) == 1 else list(policy.profiles)
    if policy.inherit_from:
        inherit = policy.inherit_from
        out["inheritFrom"] = inherit[0] if len(inherit) == 1 else list(inherit)
    if policy.conflict:
        out["conflict"] = policy.conflict.value
    for name in ("assigner", "assignee", "target"):
        value = getattr(policy, name)
        if value:
            out[name] = _node_out(value)
    if policy.permissions:
        out["permission"] = [_rule_out(r) for r in policy.permissions]
    if policy.prohibitions:
        out["prohibition"] = [_rule_out(r) for r in policy.prohibitions]
    if policy.obligations:
        out["obligation"] = [_rule_out(r) for r in policy.obligations]
    return out


def policy_to_json(policy: Policy, *, indent: int | None = 2) -> str:
    """Write a policy as JSON-LD text."""
    return json.dumps(policy_to_jsonld(policy), indent=indent, ensure_ascii=False)
