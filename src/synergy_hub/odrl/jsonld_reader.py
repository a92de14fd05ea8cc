"""Read ODRL policies from JSON-LD: contexts applied, problems collected with JSON paths.

See `jsonld` for what the reader accepts.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import tzinfo
from typing import Any

from .errors import PolicyValidationError, Problem
from .jsonld_context import CONTEXT_URLS, ODRL_TERMS, TermContext
from .model import (
    Action,
    Asset,
    AssetCollection,
    Constraint,
    ConstraintLike,
    Duty,
    LogicalConstraint,
    Party,
    PartyCollection,
    Permission,
    Policy,
    Prohibition,
)
from .validation import check
from .values import (
    DEFAULT_TIMEZONE,
    IRI,
    Duration,
    Scalar,
    TypedLiteral,
    Value,
    parse_date,
    parse_datetime,
    parse_literal,
)
from .vocabulary import (
    LOGICAL_OPERATORS,
    ODRL,
    RDF,
    ConflictStrategy,
    PolicyType,
    term_of,
)

_IDENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_COLLECTIONS: dict[str, type[PartyCollection] | type[AssetCollection]] = {
    ODRL + "PartyCollection": PartyCollection,
    ODRL + "AssetCollection": AssetCollection,
}


def _key_path(path: str, key: str) -> str:
    return f"{path}.{key}" if _IDENT.match(key) else f"{path}[{json.dumps(key)}]"


@dataclass
class _Prop:
    key: str
    value: Any
    path: str


_RULE_PROPS = {ODRL + p for p in ("action", "target", "assigner", "assignee", "constraint")}
_SUPPORTED: dict[str, frozenset[str]] = {
    "policy": frozenset(
        {ODRL + p for p in ("uid", "permission", "prohibition", "obligation", "assigner")}
        | {ODRL + p for p in ("assignee", "target", "profile", "conflict", "inheritFrom")}
    ),
    "permission": frozenset(_RULE_PROPS | {ODRL + "duty", ODRL + "uid"}),
    "prohibition": frozenset(_RULE_PROPS | {ODRL + "remedy", ODRL + "uid"}),
    "duty": frozenset(_RULE_PROPS | {ODRL + "consequence", ODRL + "uid"}),
    "action": frozenset({RDF + "value", ODRL + "refinement", ODRL + "uid"}),
    # A party or asset node: its own metadata (vcard:fn…) is left aside; a collection
    # references its members' collection by source and may narrow it by refinements.
    "party": frozenset({ODRL + "uid", ODRL + "source", ODRL + "refinement"}),
    "asset": frozenset({ODRL + "uid", ODRL + "source", ODRL + "refinement"}),
    "constraint": frozenset(
        {ODRL + p for p in ("leftOperand", "operator", "rightOperand", "unit", "uid")}
        | {ODRL + "datatype"}
        | {ODRL + op for op in LOGICAL_OPERATORS}
    ),
}


class _Reader:
    """Turns one JSON-LD document into a `Policy`, collecting problems with JSON paths."""

    def __init__(self, default_timezone: tzinfo, contexts: Mapping[str, Any]) -> None:
        self.default_timezone = default_timezone
        self.contexts = contexts
        self.problems: list[Problem] = []
        self.where: dict[str, str] = {"": "$"}
        self.references: dict[str, tuple[dict[str, Any], str]] = {}
        self.ctx = TermContext()

    # -- plumbing ---------------------------------------------------------------------------

    def problem(self, path: str, rule: str, message: str) -> None:
        self.problems.append(Problem(path, rule, message))

    def apply_context(self, ctx: TermContext, value: Any, path: str) -> TermContext:
        ctx = ctx.copy()
        entries = value if isinstance(value, list) else [value]
        for i, entry in enumerate(entries):
            here = f"{path}[{i}]" if isinstance(value, list) else path
            if entry is None:
                ctx = TermContext()
            elif isinstance(entry, str):
                if entry in CONTEXT_URLS:
                    ctx.terms.update(ODRL_TERMS.terms)
                elif entry in self.contexts:
                    ctx = self.apply_context(ctx, self.contexts[entry], here)
                else:
                    self.problem(
                        here,
                        "remote_context",
                        f"remote @context {entry!r} is not fetched; only the W3C ODRL context "
                        "is built in (inline the other definitions)",
                    )
            elif isinstance(entry, dict):
                inner = entry.get("@context", entry) if "@context" in entry else entry
                for name, definition in inner.items():
                    complaint = ctx.define(name, definition)
                    if complaint:
                        self.problem(_key_path(here, name), "context_term", complaint)
            else:
                self.problem(here, "context_term", "an @context entry must be a URL or an object")
        return ctx

    def props(self, node: dict[str, Any], path: str, kind: str) -> dict[str, _Prop]:
        """Expand the keys of a node; complain about undefined and unsupported ODRL terms."""
        if "@context" in node and path != "$":
            self.problem(
                _key_path(path, "@context"), "nested_context", "nested @context is not supported"
            )
        found: dict[str, _Prop] = {}
        for key, value in node.items():
            if key == "@context":
                continue
            here = _key_path(path, key)
            iri = self.ctx.expand_key(key)
            if iri is None:
                self.problem(here, "unknown_term", f"{key!r} is not defined by the ODRL context")
                continue
            if iri == "@id":
                iri = ODRL + "uid"
            if iri in found:
                if iri != ODRL + "uid":  # @id against uid is checked below
                    self.problem(here, "duplicate_property", f"{key!r} repeats {found[iri].key!r}")
                continue
            if iri.startswith(ODRL) and iri not in _SUPPORTED[kind]:
                self.problem(
                    here,
                    "unsupported_property",
                    f"{key!r} is not supported on a {kind}; it could change the policy's meaning",
                )
                continue
            if iri.startswith("@") and iri != "@type":
                if iri not in {"@list", "@set"}:
                    self.problem(here, "unsupported_keyword", f"{key!r} is not supported here")
                continue
            found[iri] = _Prop(key, value, here)
        if "@id" in node and "uid" in node and node["@id"] != node["uid"]:
            self.problem(path, "conflicting_uid", "@id and uid name different resources")
        return found

    def many(self, prop: _Prop) -> Iterator[tuple[Any, str]]:
        value = prop.value
        if isinstance(value, dict) and ("@list" in value or "@set" in value):
            key = "@list" if "@list" in value else "@set"
            items = value[key]
            base = _key_path(prop.path, key)
            if isinstance(items, list):
                for i, item in enumerate(items):
                    yield item, f"{base}[{i}]"
            else:
                yield items, base
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield item, f"{prop.path}[{i}]"
        else:
            yield value, prop.path

    def node_id(self, value: Any, path: str) -> str | None:
        if isinstance(value, dict) and set(value) <= {"@id", "@type"} and "@id" in value:
            value = value["@id"]
        if not isinstance(value, str) or not value:
            self.problem(path, "not_iri", 'expected an IRI (a string or {"@id": ...})')
            return None
        return self.ctx.expand_iri(value)

    def node_types(self, node: dict[str, Any]) -> set[str]:
        raw = node.get("@type", node.get("type"))
        types = raw if isinstance(raw, list) else [raw]
        return {self.ctx.expand_vocab(t) for t in types if isinstance(t, str)}

    def party(self, prop: _Prop | None, mpath: str, name: str) -> Any:
        """Read an assigner, assignee (a party) or target (an asset), or their collection."""
        if prop is None:
            return None
        here = f"{mpath}.{name}" if mpath else name
        self.where[here] = prop.path
        items = list(self.many(prop))
        if len(items) != 1:
            self.problem(prop.path, "cardinality", f"{prop.key!r} takes exactly one value here")
            return None
        item, path = items[0]
        reference = item.get("@id") if isinstance(item, dict) and set(item) == {"@id"} else item
        if isinstance(reference, str):
            # An IRI whose node elsewhere in the @graph says it is a collection names that
            # collection, as it does in RDF.
            found = self.references.get(self.ctx.expand_iri(reference))
            if found is not None and set(_COLLECTIONS) & self.node_types(found[0]):
                item, path = found
            else:
                return self.node_id(reference, path)
        if not isinstance(item, dict):
            return self.node_id(item, path)
        return self.node(item, path, here, "asset" if name == "target" else "party")

    def node(self, item: dict[str, Any], path: str, here: str, kind: str) -> Party | Asset | None:
        """Read a party or asset node: a plain one by its uid, a collection with its parts."""
        self.where[here] = path
        props = self.props(item, path, kind)
        uid = self.uid_of(props, here)
        types = self.node_types(item)
        collection = next((_COLLECTIONS[t] for t in sorted(types) if t in _COLLECTIONS), None)
        if collection is None:
            if ODRL + "source" in props or ODRL + "refinement" in props:
                self.problem(
                    path,
                    "collection_type",
                    f"a {kind} with source or refinement is typed "
                    f"{'AssetCollection' if kind == 'asset' else 'PartyCollection'}",
                )
                return None
            if uid is None:
                self.problem(path, "not_iri", f"a {kind} node needs an IRI (@id or uid)")
            return uid
        wanted = AssetCollection if kind == "asset" else PartyCollection
        if collection is not wanted:
            self.problem(
                path,
                "collection_kind",
                f"expected a {wanted.__name__} here, not a {collection.__name__}",
            )
            return None
        source = None
        if ODRL + "source" in props:
            prop = props[ODRL + "source"]
            self.where[f"{here}.source"] = prop.path
            source = self.node_id(prop.value, prop.path)
        refinements = self.constraints(props.get(ODRL + "refinement"), here, "refinement")
        return collection(uid, source, refinements)

    def resolve(self, item: Any, path: str) -> tuple[Any, str]:
        """Follow a bare ``{"@id": ...}`` reference to a node defined elsewhere in the graph."""
        if isinstance(item, dict) and set(item) == {"@id"} and isinstance(item["@id"], str):
            iri = self.ctx.expand_iri(item["@id"])
            if iri in self.references:
                return self.references[iri]
            self.problem(path, "unresolved_reference", f"{item['@id']!r} is not defined here")
            return None, path
        return item, path

    def uid_of(self, props: dict[str, _Prop], mpath: str) -> str | None:
        prop = props.get(ODRL + "uid")
        if prop is None:
            return None
        self.where[f"{mpath}.uid" if mpath else "uid"] = prop.path
        return self.node_id(prop.value, prop.path)

    # -- policy -----------------------------------------------------------------------------

    def document(self, doc: Any) -> Policy | None:
        if isinstance(doc, list):
            doc = {"@graph": doc}
        if not isinstance(doc, dict):
            self.problem("$", "not_object", "a policy document must be a JSON object")
            return None
        self.ctx = (
            self.apply_context(TermContext(), doc.get("@context"), _key_path("$", "@context"))
            if ("@context" in doc)
            else TermContext()
        )
        if "@graph" in doc:
            return self.graph(doc["@graph"])
        return self.policy(doc, "$")

    def graph(self, nodes: Any) -> Policy | None:
        base = _key_path("$", "@graph")
        if not isinstance(nodes, list):
            nodes = [nodes]
        policy_at: tuple[dict[str, Any], str] | None = None
        for i, node in enumerate(nodes):
            path = f"{base}[{i}]"
            if not isinstance(node, dict):
                continue
            ident = node.get("@id", node.get("uid"))
            if isinstance(ident, str):
                self.references[self.ctx.expand_iri(ident)] = (node, path)
            if self.policy_type(node) is not None or any(
                self.ctx.expand_key(k) in {ODRL + "permission", ODRL + "prohibition"} for k in node
            ):
                policy_at = policy_at or (node, path)
        if policy_at is None:
            self.problem(base, "no_policy", "the @graph holds no ODRL policy")
            return None
        node, path = policy_at
        self.where[""] = path
        return self.policy(node, path)

    def policy_type(self, node: dict[str, Any]) -> PolicyType | None:
        raw = node.get("@type", node.get("type"))
        types = raw if isinstance(raw, list) else [raw]
        for item in types:
            if isinstance(item, str):
                iri = self.ctx.expand_vocab(item)
                if iri == ODRL + "Policy":
                    return PolicyType.SET
                if iri.startswith(ODRL) and iri[len(ODRL) :] in PolicyType.__members__.values():
                    return PolicyType(iri[len(ODRL) :])
        return None

    def policy(self, node: dict[str, Any], path: str) -> Policy | None:
        props = self.props(node, path, "policy")
        kind = self.policy_type(node)
        if "@type" in props:
            self.where["@type"] = props["@type"].path
            if kind is None:
                raw = props["@type"].value
                for item in raw if isinstance(raw, list) else [raw]:
                    iri = self.ctx.expand_vocab(item) if isinstance(item, str) else ""
                    if iri.startswith(ODRL):
                        self.problem(
                            props["@type"].path,
                            "unsupported_policy_type",
                            f"{item!r} is not supported; use Set, Offer or Agreement",
                        )
        uid = self.uid_of(props, "")
        if ODRL + "uid" not in props:
            self.problem(path, "uid_required", "a policy needs a uid (an IRI)")
        conflict = None
        if ODRL + "conflict" in props:
            prop = props[ODRL + "conflict"]
            self.where["conflict"] = prop.path
            term = term_of(self.ctx.expand_vocab(prop.value)) if isinstance(prop.value, str) else ""
            if term in ConflictStrategy.__members__.values():
                conflict = ConflictStrategy(term)
            else:
                self.problem(
                    prop.path, "unknown_conflict", "conflict must be perm, prohibit or invalid"
                )
        permissions = tuple(
            p
            for p in self.rules(props.get(ODRL + "permission"), "permission", self.permission)
            if p
        )
        prohibitions = tuple(
            p
            for p in self.rules(props.get(ODRL + "prohibition"), "prohibition", self.prohibition)
            if p
        )
        obligations = tuple(
            p for p in self.rules(props.get(ODRL + "obligation"), "obligation", self.duty) if p
        )
        return Policy(
            uid=uid or "",
            type=kind or PolicyType.SET,
            permissions=permissions,
            prohibitions=prohibitions,
            obligations=obligations,
            assigner=self.party(props.get(ODRL + "assigner"), "", "assigner"),
            assignee=self.party(props.get(ODRL + "assignee"), "", "assignee"),
            target=self.party(props.get(ODRL + "target"), "", "target"),
            profiles=self.ids(props.get(ODRL + "profile"), "profile"),
            conflict=conflict,
            inherit_from=self.ids(props.get(ODRL + "inheritFrom"), "inheritFrom"),
        )

    def ids(self, prop: _Prop | None, name: str) -> tuple[str, ...]:
        if prop is None:
            return ()
        self.where[name] = prop.path
        found = [self.node_id(item, path) for item, path in self.many(prop)]
        return tuple(i for i in found if i)

    def rules(self, prop: _Prop | None, key: str, read: Any) -> list[Any]:
        if prop is None:
            return []
        out: list[Any] = []
        for i, (item, path) in enumerate(self.many(prop)):
            item, path = self.resolve(item, path)
            mpath = f"{key}[{i}]"
            self.where[mpath] = path
            if item is None:
                out.append(None)
                continue
            if not isinstance(item, dict):
                self.problem(path, "not_object", f"a {key} must be a JSON object")
                out.append(None)
                continue
            out.append(read(item, path, mpath))
        return out

    # -- rules ------------------------------------------------------------------------------

    def rule_parts(
        self, node: dict[str, Any], path: str, mpath: str, kind: str
    ) -> tuple[dict[str, _Prop], Action | None, tuple[ConstraintLike, ...]]:
        props = self.props(node, path, kind)
        action = self.action(props.get(ODRL + "action"), path, mpath)
        constraints = self.constraints(props.get(ODRL + "constraint"), f"{mpath}", "constraint")
        return props, action, constraints

    def permission(self, node: dict[str, Any], path: str, mpath: str) -> Permission | None:
        props, action, constraints = self.rule_parts(node, path, mpath, "permission")
        duties = tuple(d for d in self.rules_below(props.get(ODRL + "duty"), mpath, "duty") if d)
        if action is None:
            return None
        return Permission(
            action=action,
            target=self.party(props.get(ODRL + "target"), mpath, "target"),
            assigner=self.party(props.get(ODRL + "assigner"), mpath, "assigner"),
            assignee=self.party(props.get(ODRL + "assignee"), mpath, "assignee"),
            constraints=constraints,
            duties=duties,
            uid=self.uid_of(props, mpath),
        )

    def prohibition(self, node: dict[str, Any], path: str, mpath: str) -> Prohibition | None:
        props, action, constraints = self.rule_parts(node, path, mpath, "prohibition")
        remedies = tuple(
            d for d in self.rules_below(props.get(ODRL + "remedy"), mpath, "remedy") if d
        )
        if action is None:
            return None
        return Prohibition(
            action=action,
            target=self.party(props.get(ODRL + "target"), mpath, "target"),
            assigner=self.party(props.get(ODRL + "assigner"), mpath, "assigner"),
            assignee=self.party(props.get(ODRL + "assignee"), mpath, "assignee"),
            constraints=constraints,
            remedies=remedies,
            uid=self.uid_of(props, mpath),
        )

    def duty(self, node: dict[str, Any], path: str, mpath: str) -> Duty | None:
        props, action, constraints = self.rule_parts(node, path, mpath, "duty")
        consequences = tuple(
            d for d in self.rules_below(props.get(ODRL + "consequence"), mpath, "consequence") if d
        )
        if action is None:
            return None
        return Duty(
            action=action,
            constraints=constraints,
            target=self.party(props.get(ODRL + "target"), mpath, "target"),
            assigner=self.party(props.get(ODRL + "assigner"), mpath, "assigner"),
            assignee=self.party(props.get(ODRL + "assignee"), mpath, "assignee"),
            consequences=consequences,
            uid=self.uid_of(props, mpath),
        )

    def rules_below(self, prop: _Prop | None, mpath: str, key: str) -> list[Duty | None]:
        return self.rules(prop, f"{mpath}.{key}", self.duty)

    def action(self, prop: _Prop | None, path: str, mpath: str) -> Action | None:
        here = f"{mpath}.action"
        if prop is None:
            self.problem(_key_path(path, "action"), "action_required", "every rule needs an action")
            return None
        self.where[here] = prop.path
        items = list(self.many(prop))
        if len(items) != 1:
            self.problem(prop.path, "one_action", "a rule has exactly one action")
            return None
        item, ipath = items[0]
        self.where[here] = ipath
        if isinstance(item, str):
            return Action(term_of(self.ctx.expand_vocab(item)))
        if not isinstance(item, dict):
            self.problem(ipath, "action_form", "an action is a term, an IRI or an object")
            return None
        props = self.props(item, ipath, "action")
        refinements = self.constraints(props.get(ODRL + "refinement"), here, "refinement")
        value = props.get(RDF + "value")
        if value is None:
            if "@id" not in item or not isinstance(item["@id"], str):
                self.problem(ipath, "action_form", "an action object needs rdf:value or @id")
                return None
            return Action(term_of(self.ctx.expand_vocab(item["@id"])), refinements)
        raw = value.value
        if isinstance(raw, dict) and isinstance(raw.get("@id"), str):
            name = term_of(self.ctx.expand_vocab(raw["@id"]))
        elif isinstance(raw, str):
            name = term_of(self.ctx.expand_vocab(raw))
        else:
            self.problem(value.path, "action_form", "rdf:value must name the action")
            return None
        return Action(name, refinements, self.uid_of(props, here))

    # -- constraints ------------------------------------------------------------------------

    def constraints(self, prop: _Prop | None, mpath: str, key: str) -> tuple[ConstraintLike, ...]:
        if prop is None:
            return ()
        self.where[f"{mpath}.{key}"] = prop.path
        out: list[ConstraintLike] = []
        for i, (item, path) in enumerate(self.many(prop)):
            found = self.constraint(item, path, f"{mpath}.{key}[{i}]")
            if found is not None:
                out.append(found)
        return tuple(out)

    def constraint(self, item: Any, path: str, mpath: str) -> ConstraintLike | None:
        item, path = self.resolve(item, path)
        self.where[mpath] = path
        if item is None:
            return None
        if not isinstance(item, dict):
            self.problem(path, "not_object", "a constraint must be a JSON object")
            return None
        props = self.props(item, path, "constraint")
        uid = self.uid_of(props, mpath)
        logical = [op for op in LOGICAL_OPERATORS if ODRL + op in props]
        if logical:
            if len(logical) > 1 or ODRL + "leftOperand" in props:
                self.problem(
                    path, "mixed_constraint", "a constraint is atomic or one logical operator"
                )
                return None
            op = logical[0]
            prop = props[ODRL + op]
            parts = []
            for i, (sub, sub_path) in enumerate(self.many(prop)):
                found = self.constraint(sub, sub_path, f"{mpath}.{op}[{i}]")
                if found is not None:
                    parts.append(found)
            return LogicalConstraint(op, tuple(parts), uid)
        missing = [
            name for name in ("leftOperand", "operator", "rightOperand") if ODRL + name not in props
        ]
        for name in missing:
            self.problem(
                _key_path(path, name), "constraint_incomplete", f"a constraint needs {name}"
            )
        if missing:
            return None
        left = self.vocab_term(props[ODRL + "leftOperand"], mpath, "leftOperand")
        operator = self.vocab_term(props[ODRL + "operator"], mpath, "operator")
        unit_prop = props.get(ODRL + "unit")
        unit = None
        if unit_prop is not None:
            self.where[f"{mpath}.unit"] = unit_prop.path
            unit = self.node_id(unit_prop.value, unit_prop.path)
        hint = None
        if ODRL + "datatype" in props and isinstance(props[ODRL + "datatype"].value, str):
            hint = self.ctx.expand_iri(props[ODRL + "datatype"].value)
        right_prop = props[ODRL + "rightOperand"]
        self.where[f"{mpath}.rightOperand"] = right_prop.path
        right = self.right_operand(right_prop, left or "", hint)
        if left is None or operator is None or right is None:
            return None
        return Constraint(left, operator, right, unit, uid)

    def vocab_term(self, prop: _Prop, mpath: str, name: str) -> str | None:
        self.where[f"{mpath}.{name}"] = prop.path
        value = prop.value
        if isinstance(value, dict) and isinstance(value.get("@id"), str):
            value = value["@id"]
        if not isinstance(value, str) or not value:
            self.problem(prop.path, "not_term", f"{name} must be a term or an IRI")
            return None
        return term_of(self.ctx.expand_vocab(value))

    def right_operand(self, prop: _Prop, left: str, hint: str | None) -> Value | None:
        raw = prop.value
        if isinstance(raw, list) or (isinstance(raw, dict) and ("@list" in raw or "@set" in raw)):
            items = [self.scalar(item, path, left, hint) for item, path in self.many(prop)]
            if any(i is None for i in items):
                return None
            return tuple(i for i in items if i is not None)
        return self.scalar(raw, prop.path, left, hint)

    def scalar(
        self, raw: Any, path: str, left: str, hint: str | None
    ) -> Scalar | TypedLiteral | None:
        try:
            if isinstance(raw, bool):
                return raw
            if isinstance(raw, int):
                return raw
            if isinstance(raw, float):
                return raw
            if isinstance(raw, str):
                if hint:
                    return parse_literal(raw, hint, default_timezone=self.default_timezone)
                return self.coerce_plain(raw, left)
            if isinstance(raw, dict):
                if "@id" in raw and "@value" not in raw:
                    if not isinstance(raw["@id"], str):
                        raise ValueError("@id must be a string")
                    return IRI(self.ctx.expand_iri(raw["@id"]))
                if "@value" in raw:
                    value = raw["@value"]
                    datatype = raw.get("@type")
                    if datatype is not None:
                        if not isinstance(datatype, str):
                            raise ValueError("@type must be a datatype IRI")
                        lexical = json.dumps(value) if isinstance(value, bool) else str(value)
                        return parse_literal(
                            lexical,
                            self.ctx.expand_iri(datatype),
                            default_timezone=self.default_timezone,
                        )
                    if isinstance(value, bool | int | float):
                        return value
                    if isinstance(value, str):
                        return self.coerce_plain(value, left)
            raise ValueError("a right operand is a string, number, boolean, @value or @id object")
        except ValueError as error:
            self.problem(path, "invalid_literal", str(error))
            return None

    def coerce_plain(self, text: str, left: str) -> Scalar:
        """Read untyped text as the type its left operand needs, else keep it as text."""
        try:
            if left == "dateTime":
                if re.match(r"^\d{4}-\d{2}-\d{2}$", text.strip()):
                    return parse_date(text)
                return parse_datetime(text, default_timezone=self.default_timezone)
            if left == "elapsedTime":
                return Duration.parse(text)
            if left == "count" and text.strip().isdigit():
                return int(text)
        except ValueError:
            return text
        return text

    # -- result -----------------------------------------------------------------------------

    def locate(self, model_path: str) -> str:
        """Turn a model path into the JSON path of the node it came from."""
        if model_path in self.where:
            return self.where[model_path]
        head, sep, tail = model_path.rpartition(".")
        base = self.locate(head) if sep else self.where[""]
        return _key_path(base, tail) if _IDENT.match(tail) else f"{base}.{tail}"


def policy_from_jsonld(
    document: Mapping[str, Any] | list[Any],
    *,
    default_timezone: tzinfo = DEFAULT_TIMEZONE,
    contexts: Mapping[str, Any] | None = None,
) -> Policy:
    """Read a policy from a parsed JSON-LD document, or raise `PolicyValidationError`.

    Naive xsd:dateTime values are placed in `default_timezone`. `contexts` maps extra
    context URLs to their (already fetched) context objects.
    """
    reader = _Reader(default_timezone, contexts or {})
    policy = reader.document(dict(document) if isinstance(document, Mapping) else document)
    problems = list(reader.problems)
    if policy is not None and not problems:
        problems = [Problem(reader.locate(p.path), p.rule, p.message) for p in check(policy)]
    if problems or policy is None:
        raise PolicyValidationError(problems)
    return policy


def policy_from_json(text: str, **options: Any) -> Policy:
    """Read a policy from JSON-LD text (see `policy_from_jsonld`)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise PolicyValidationError([Problem("$", "invalid_json", str(error))]) from error
    return policy_from_jsonld(document, **options)


# -- writing ------------------------------------------------------------------------------
