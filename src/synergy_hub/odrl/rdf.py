"""Read and write policies as RDF graphs (rdflib): Turtle, or JSON-LD parsed by rdflib.

RDF has no order, so rules and constraints read from a graph come back sorted; use
`normalise` on a policy before comparing it with one read from RDF. Ordered lists
(logical operands, list right operands) travel as rdf:List and keep their order.
"""

from __future__ import annotations

import copy
import json
import warnings
from collections.abc import Iterable, Mapping
from datetime import tzinfo
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF
from rdflib.term import Node

from .errors import PolicyError, PolicyValidationError, Problem
from .jsonld import ODRL_CONTEXT_URL, odrl_context
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
from .values import DEFAULT_TIMEZONE, IRI, TypedLiteral, Value, format_literal, parse_literal
from .vocabulary import (
    LOGICAL_OPERATORS,
    ODRL,
    ConflictStrategy,
    PolicyType,
    iri_of,
    term_of,
)

__all__ = [
    "graph_from_jsonld",
    "normalise",
    "policies_from_graph",
    "policy_from_graph",
    "policy_from_turtle",
    "policy_to_graph",
    "policy_to_turtle",
]

ODRL_NS = Namespace(ODRL)
_CONTEXT_URLS = {ODRL_CONTEXT_URL, "https://www.w3.org/ns/odrl.jsonld"}
_POLICY_TYPES = {ODRL_NS[t.value]: t for t in PolicyType} | {ODRL_NS.Policy: PolicyType.SET}


def _replace_contexts(value: Any, contexts: Mapping[str, Any]) -> Any:
    if isinstance(value, str):
        if value in _CONTEXT_URLS:
            return odrl_context()["@context"]
        if value in contexts:
            found = contexts[value]
            return found.get("@context", found) if isinstance(found, dict) else found
        raise PolicyError(f"remote @context {value!r} is not fetched; pass it in `contexts`")
    if isinstance(value, list):
        return [_replace_contexts(v, contexts) for v in value]
    return value


def _offline(node: Any, contexts: Mapping[str, Any]) -> Any:
    if isinstance(node, dict):
        out = {}
        for key, value in node.items():
            if key == "@context":
                out[key] = _replace_contexts(value, contexts)
            else:
                out[key] = _offline(value, contexts)
        return out
    if isinstance(node, list):
        return [_offline(v, contexts) for v in node]
    return node


def graph_from_jsonld(
    document: Mapping[str, Any] | list[Any],
    *,
    contexts: Mapping[str, Any] | None = None,
    base: str | None = None,
) -> Graph:
    """Parse JSON-LD into a graph without network access.

    The W3C ODRL context is built in; any other context URL must be given in `contexts`
    (URL to context document), otherwise `PolicyError` is raised.
    """
    data = _offline(copy.deepcopy(document), contexts or {})
    graph = Graph()
    with warnings.catch_warnings():
        # rdflib's JSON-LD parser uses its own deprecated ConjunctiveGraph internally.
        warnings.filterwarnings("ignore", category=DeprecationWarning, module="rdflib")
        graph.parse(data=json.dumps(data), format="json-ld", base=base)
    return graph


# -- reading ------------------------------------------------------------------------------


class _GraphReader:
    """Builds model objects from ODRL triples."""

    def __init__(self, graph: Graph, default_timezone: tzinfo) -> None:
        self.g = graph
        self.tz = default_timezone
        self.problems: list[Problem] = []

    def fail(self, path: str, rule: str, message: str) -> None:
        self.problems.append(Problem(path, rule, message))

    def one(self, node: Node, prop: URIRef, path: str) -> Node | None:
        values = list(self.g.objects(node, prop))
        if len(values) > 1:
            self.fail(
                path, "cardinality", f"{term_of(str(prop))} takes one value, found {len(values)}"
            )
        return values[0] if values else None

    def ident(self, node: Node | None) -> str | None:
        return None if node is None else str(node)

    def party(self, subject: Node, role: str, path: str) -> Any:
        """Read an assigner, assignee or target: an IRI, or a collection node."""
        here = f"{path}.{role}" if path else role
        node = self.one(subject, ODRL_NS[role], here)
        if node is None:
            return None
        types = set(self.g.objects(node, RDF.type))
        kinds = [k for k in (ODRL_NS.PartyCollection, ODRL_NS.AssetCollection) if k in types]
        if not kinds:
            # A party node written with its uid ({"@type": "Party", "uid": …}) is that IRI.
            return self.uid(node) or str(node)
        wanted = ODRL_NS.AssetCollection if role == "target" else ODRL_NS.PartyCollection
        if kinds != [wanted]:
            self.fail(here, "collection_kind", f"the {role} must be a {term_of(str(wanted))}")
            return str(node)
        source = self.one(node, ODRL_NS.source, f"{here}.source")
        refinements = self.constraints(node, ODRL_NS.refinement, here, "refinement")
        collection = AssetCollection if role == "target" else PartyCollection
        return collection(self.uid(node), self.ident(source), refinements)

    def uid(self, node: Node) -> str | None:
        explicit = self.one(node, ODRL_NS.uid, "uid")
        if explicit is not None:
            return str(explicit)
        return str(node) if isinstance(node, URIRef) else None

    def policy(self, node: Node) -> Policy:
        types = [
            _POLICY_TYPES[t]
            for t in self.g.objects(node, RDF.type)
            if isinstance(t, URIRef) and t in _POLICY_TYPES
        ]
        uid = self.uid(node)
        if uid is None:
            self.fail("uid", "uid_required", "a policy needs a uid (an IRI)")
        conflict_node = self.one(node, ODRL_NS.conflict, "conflict")
        conflict = None
        if conflict_node is not None:
            term = term_of(str(conflict_node))
            if term in ConflictStrategy.__members__.values():
                conflict = ConflictStrategy(term)
            else:
                self.fail(
                    "conflict", "unknown_conflict", "conflict must be perm, prohibit or invalid"
                )
        return Policy(
            uid=uid or "",
            type=next((t for t in types if t is not PolicyType.SET), PolicyType.SET),
            permissions=self.sorted(
                self.permission(n, f"permission[{i}]")
                for i, n in enumerate(self.g.objects(node, ODRL_NS.permission))
            ),
            prohibitions=self.sorted(
                self.prohibition(n, f"prohibition[{i}]")
                for i, n in enumerate(self.g.objects(node, ODRL_NS.prohibition))
            ),
            obligations=self.sorted(
                self.duty(n, f"obligation[{i}]")
                for i, n in enumerate(self.g.objects(node, ODRL_NS.obligation))
            ),
            assigner=self.party(node, "assigner", ""),
            assignee=self.party(node, "assignee", ""),
            target=self.party(node, "target", ""),
            profiles=tuple(sorted(str(p) for p in self.g.objects(node, ODRL_NS.profile))),
            conflict=conflict,
            inherit_from=tuple(sorted(str(p) for p in self.g.objects(node, ODRL_NS.inheritFrom))),
        )

    @staticmethod
    def sorted(items: Iterable[Any]) -> tuple[Any, ...]:
        return tuple(sorted(items, key=_sort_key))

    def action(self, rule: Node, path: str) -> Action:
        node = self.one(rule, ODRL_NS.action, f"{path}.action")
        if node is None:
            self.fail(f"{path}.action", "action_required", "every rule needs an action")
            return Action("")
        if isinstance(node, Literal):
            self.fail(f"{path}.action", "action_form", "an action is an IRI or a node")
            return Action("")
        value = self.one(node, RDF.value, f"{path}.action")
        refinements = self.constraints(node, ODRL_NS.refinement, f"{path}.action", "refinement")
        if value is not None:
            uid = str(node) if isinstance(node, URIRef) else None
            return Action(term_of(str(value)), refinements, uid)
        if isinstance(node, BNode):
            kinds = list(self.g.objects(node, RDF.type))
            if len(kinds) == 1:
                return Action(term_of(str(kinds[0])), refinements)
            self.fail(f"{path}.action", "action_form", "an action node needs rdf:value")
            return Action("")
        if str(node).startswith(ODRL):
            refinements = ()
        return Action(term_of(str(node)), refinements)

    def permission(self, node: Node, path: str) -> Permission:
        return Permission(
            action=self.action(node, path),
            target=self.party(node, "target", path),
            assigner=self.party(node, "assigner", path),
            assignee=self.party(node, "assignee", path),
            constraints=self.constraints(node, ODRL_NS.constraint, path, "constraint"),
            duties=self.sorted(
                self.duty(d, f"{path}.duty[{i}]")
                for i, d in enumerate(self.g.objects(node, ODRL_NS.duty))
            ),
            uid=self.uid(node),
        )

    def prohibition(self, node: Node, path: str) -> Prohibition:
        return Prohibition(
            action=self.action(node, path),
            target=self.party(node, "target", path),
            assigner=self.party(node, "assigner", path),
            assignee=self.party(node, "assignee", path),
            constraints=self.constraints(node, ODRL_NS.constraint, path, "constraint"),
            remedies=self.sorted(
                self.duty(d, f"{path}.remedy[{i}]")
                for i, d in enumerate(self.g.objects(node, ODRL_NS.remedy))
            ),
            uid=self.uid(node),
        )

    def duty(self, node: Node, path: str) -> Duty:
        return Duty(
            action=self.action(node, path),
            constraints=self.constraints(node, ODRL_NS.constraint, path, "constraint"),
            target=self.party(node, "target", path),
            assigner=self.party(node, "assigner", path),
            assignee=self.party(node, "assignee", path),
            consequences=self.sorted(
                self.duty(d, f"{path}.consequence[{i}]")
                for i, d in enumerate(self.g.objects(node, ODRL_NS.consequence))
            ),
            uid=self.uid(node),
        )

    def constraints(
        self, node: Node, prop: URIRef, path: str, key: str
    ) -> tuple[ConstraintLike, ...]:
        return self.sorted(
            self.constraint(c, f"{path}.{key}[{i}]")
            for i, c in enumerate(self.g.objects(node, prop))
        )

    def members(self, node: Node) -> tuple[Node, ...] | None:
        """Return the items of an rdf:List, or None when `node` is not a list."""
        if node == RDF.nil or (node, RDF.first, None) in self.g:
            return tuple(Collection(self.g, node))
        return None

    def constraint(self, node: Node, path: str) -> ConstraintLike:
        uid = (
            str(node) if isinstance(node, URIRef) else self.ident(self.one(node, ODRL_NS.uid, path))
        )
        for op in sorted(LOGICAL_OPERATORS):
            objects = list(self.g.objects(node, ODRL_NS[op]))
            if not objects:
                continue
            listed = self.members(objects[0]) if len(objects) == 1 else None
            if listed is not None:
                parts = tuple(self.constraint(c, f"{path}.{op}[{i}]") for i, c in enumerate(listed))
            else:
                parts = self.sorted(
                    self.constraint(c, f"{path}.{op}[{i}]") for i, c in enumerate(objects)
                )
            return LogicalConstraint(op, parts, uid)
        left = self.one(node, ODRL_NS.leftOperand, f"{path}.leftOperand")
        operator = self.one(node, ODRL_NS.operator, f"{path}.operator")
        rights = list(self.g.objects(node, ODRL_NS.rightOperand))
        if left is None or operator is None or not rights:
            self.fail(
                path,
                "constraint_incomplete",
                "a constraint needs leftOperand, operator and rightOperand",
            )
            return Constraint("", "", "", None, uid)
        unit = self.one(node, ODRL_NS.unit, f"{path}.unit")
        listed = self.members(rights[0]) if len(rights) == 1 else None
        right: Value
        if listed is not None:
            right = tuple(self.value(v, f"{path}.rightOperand") for v in listed)
        elif len(rights) > 1:
            right = tuple(sorted((self.value(v, f"{path}.rightOperand") for v in rights), key=repr))
        else:
            right = self.value(rights[0], f"{path}.rightOperand")
        return Constraint(term_of(str(left)), term_of(str(operator)), right, self.ident(unit), uid)

    def value(self, node: Node, path: str) -> Value:
        if isinstance(node, Literal):
            datatype = str(node.datatype) if node.datatype is not None else None
            try:
                return parse_literal(str(node), datatype, default_timezone=self.tz)
            except ValueError as error:
                self.fail(path, "invalid_literal", str(error))
                return str(node)
        return IRI(str(node))


def _sort_key(item: Any) -> tuple[bool, str, str]:
    uid = getattr(item, "uid", None)
    return (uid is None, uid or "", repr(item))


def _policy_nodes(graph: Graph) -> list[Node]:
    found: set[Node] = set()
    for kind in _POLICY_TYPES:
        found.update(graph.subjects(RDF.type, kind))
    for prop in (ODRL_NS.permission, ODRL_NS.prohibition, ODRL_NS.obligation):
        found.update(graph.subjects(prop, None))
    return sorted(found, key=str)


def policies_from_graph(
    graph: Graph, *, default_timezone: tzinfo = DEFAULT_TIMEZONE
) -> list[Policy]:
    """Read every ODRL policy in a graph (each validated)."""
    return [
        policy_from_graph(graph, node, default_timezone=default_timezone)
        for node in _policy_nodes(graph)
    ]


def policy_from_graph(
    graph: Graph, node: Node | None = None, *, default_timezone: tzinfo = DEFAULT_TIMEZONE
) -> Policy:
    """Read the policy at `node` (or the graph's only policy) and validate it."""
    if node is None:
        nodes = _policy_nodes(graph)
        if len(nodes) != 1:
            raise PolicyValidationError(
                [Problem("", "one_policy", f"expected one policy in the graph, found {len(nodes)}")]
            )
        node = nodes[0]
    reader = _GraphReader(graph, default_timezone)
    policy = reader.policy(node)
    problems = reader.problems or check(policy)
    if problems:
        raise PolicyValidationError(problems)
    return policy


def policy_from_turtle(text: str, *, default_timezone: tzinfo = DEFAULT_TIMEZONE) -> Policy:
    """Read the only policy of a Turtle document."""
    graph = Graph()
    graph.parse(data=text, format="turtle")
    return policy_from_graph(graph, default_timezone=default_timezone)


# -- writing ------------------------------------------------------------------------------


class _GraphWriter:
    def __init__(self) -> None:
        self.g = Graph()
        self.g.bind("odrl", ODRL_NS)
        self.written: set[str] = set()

    def first_time(self, uid: str | None) -> bool:
        """Tell whether a node must be written; a node with a uid is written once and shared."""
        if uid is None:
            return True
        if uid in self.written:
            return False
        self.written.add(uid)
        return True

    def node(self, uid: str | None) -> URIRef | BNode:
        return URIRef(uid) if uid else BNode()

    def literal(self, value: Value) -> Node:
        if isinstance(value, IRI):
            return URIRef(value.value)
        if isinstance(value, str):
            return Literal(value)
        if isinstance(value, tuple):
            head = BNode()
            Collection(self.g, head, [self.literal(v) for v in value])
            return head
        if isinstance(value, TypedLiteral):
            return Literal(value.lexical, datatype=URIRef(value.datatype))
        lexical, datatype = format_literal(value)  # type: ignore[arg-type]
        return Literal(lexical, datatype=URIRef(datatype))

    def constraint(self, item: ConstraintLike) -> Node:
        node = self.node(item.uid)
        if not self.first_time(item.uid):
            return node
        if isinstance(item, LogicalConstraint):
            head = BNode()
            Collection(self.g, head, [self.constraint(c) for c in item.constraints])
            self.g.add((node, ODRL_NS[item.operator], head))
            return node
        self.g.add((node, ODRL_NS.leftOperand, URIRef(iri_of(item.left_operand))))
        self.g.add((node, ODRL_NS.operator, URIRef(iri_of(item.operator))))
        self.g.add((node, ODRL_NS.rightOperand, self.literal(item.right_operand)))
        if item.unit:
            self.g.add((node, ODRL_NS.unit, Literal(item.unit)))
        return node

    def party(self, node: Party | Asset) -> Node:
        """Write a party or asset as its IRI, a collection as a typed node."""
        if isinstance(node, str):
            return URIRef(node)
        subject = self.node(node.uid)
        kind = "AssetCollection" if isinstance(node, AssetCollection) else "PartyCollection"
        self.g.add((subject, RDF.type, ODRL_NS[kind]))
        if node.source:
            self.g.add((subject, ODRL_NS.source, URIRef(node.source)))
        if self.first_time(node.uid):
            for item in node.refinements:
                self.g.add((subject, ODRL_NS.refinement, self.constraint(item)))
        return subject

    def action(self, subject: Node, action: Action) -> None:
        if not action.refinements and not action.uid:
            self.g.add((subject, ODRL_NS.action, URIRef(iri_of(action.name))))
            return
        node = self.node(action.uid)
        self.g.add((subject, ODRL_NS.action, node))
        if not self.first_time(action.uid):
            return
        self.g.add((node, RDF.value, URIRef(iri_of(action.name))))
        for item in action.refinements:
            self.g.add((node, ODRL_NS.refinement, self.constraint(item)))

    def rule(self, rule: Permission | Prohibition | Duty, kind: URIRef) -> Node:
        node = self.node(rule.uid)
        if not self.first_time(rule.uid):
            return node
        self.g.add((node, RDF.type, kind))
        self.action(node, rule.action)
        for name in ("target", "assigner", "assignee"):
            value = getattr(rule, name)
            if value:
                self.g.add((node, ODRL_NS[name], self.party(value)))
        for item in rule.constraints:
            self.g.add((node, ODRL_NS.constraint, self.constraint(item)))
        extra: tuple[Duty, ...] = ()
        if isinstance(rule, Permission):
            extra, prop = rule.duties, ODRL_NS.duty
        elif isinstance(rule, Prohibition):
            extra, prop = rule.remedies, ODRL_NS.remedy
        else:
            extra, prop = rule.consequences, ODRL_NS.consequence
        for duty in extra:
            self.g.add((node, prop, self.rule(duty, ODRL_NS.Duty)))
        return node

    def policy(self, policy: Policy) -> Graph:
        node = URIRef(policy.uid)
        self.g.add((node, RDF.type, ODRL_NS[policy.type.value]))
        self.g.add((node, ODRL_NS.uid, node))
        for name in ("assigner", "assignee", "target"):
            value = getattr(policy, name)
            if value:
                self.g.add((node, ODRL_NS[name], self.party(value)))
        for profile in policy.profiles:
            self.g.add((node, ODRL_NS.profile, URIRef(profile)))
        for parent in policy.inherit_from:
            self.g.add((node, ODRL_NS.inheritFrom, URIRef(parent)))
        if policy.conflict:
            self.g.add((node, ODRL_NS.conflict, ODRL_NS[policy.conflict.value]))
        for permission in policy.permissions:
            self.g.add((node, ODRL_NS.permission, self.rule(permission, ODRL_NS.Permission)))
        for prohibition in policy.prohibitions:
            self.g.add((node, ODRL_NS.prohibition, self.rule(prohibition, ODRL_NS.Prohibition)))
        for obligation in policy.obligations:
            self.g.add((node, ODRL_NS.obligation, self.rule(obligation, ODRL_NS.Duty)))
        return self.g


def policy_to_graph(policy: Policy) -> Graph:
    """Write a policy as ODRL triples."""
    return _GraphWriter().policy(policy)


def policy_to_turtle(policy: Policy) -> str:
    """Write a policy as Turtle."""
    return policy_to_graph(policy).serialize(format="turtle")


# -- comparing ----------------------------------------------------------------------------


def _sorted_constraints(items: tuple[ConstraintLike, ...]) -> tuple[ConstraintLike, ...]:
    """Sort as a graph reads back; a named constraint listed twice is one node in a graph."""
    kept: list[ConstraintLike] = []
    for item in items:
        if item.uid is None or item not in kept:
            kept.append(item)
    return tuple(sorted(kept, key=_sort_key))


def _normal_action(action: Action) -> Action:
    return Action(action.name, _sorted_constraints(action.refinements), action.uid)


def _normal_node(node: Any) -> Any:
    """A party, asset or collection, with a collection's refinements sorted."""
    if isinstance(node, PartyCollection | AssetCollection):
        return type(node)(node.uid, node.source, _sorted_constraints(node.refinements))
    return node


def _normal_duty(duty: Duty) -> Duty:
    return Duty(
        _normal_action(duty.action),
        _sorted_constraints(duty.constraints),
        _normal_node(duty.target),
        _normal_node(duty.assigner),
        _normal_node(duty.assignee),
        tuple(sorted((_normal_duty(d) for d in duty.consequences), key=_sort_key)),
        duty.uid,
    )


def normalise(policy: Policy) -> Policy:
    """Return the policy with its unordered parts sorted the way `policy_from_graph` sorts them."""
    return Policy(
        uid=policy.uid,
        type=policy.type,
        permissions=tuple(
            sorted(
                (
                    Permission(
                        _normal_action(p.action),
                        _normal_node(p.target),
                        _normal_node(p.assigner),
                        _normal_node(p.assignee),
                        _sorted_constraints(p.constraints),
                        tuple(sorted((_normal_duty(d) for d in p.duties), key=_sort_key)),
                        p.uid,
                    )
                    for p in policy.permissions
                ),
                key=_sort_key,
            )
        ),
        prohibitions=tuple(
            sorted(
                (
                    Prohibition(
                        _normal_action(p.action),
                        _normal_node(p.target),
                        _normal_node(p.assigner),
                        _normal_node(p.assignee),
                        _sorted_constraints(p.constraints),
                        tuple(sorted((_normal_duty(d) for d in p.remedies), key=_sort_key)),
                        p.uid,
                    )
                    for p in policy.prohibitions
                ),
                key=_sort_key,
            )
        ),
        obligations=tuple(sorted((_normal_duty(d) for d in policy.obligations), key=_sort_key)),
        assigner=_normal_node(policy.assigner),
        assignee=_normal_node(policy.assignee),
        target=_normal_node(policy.target),
        profiles=tuple(sorted(policy.profiles)),
        conflict=policy.conflict,
        inherit_from=tuple(sorted(policy.inherit_from)),
    )
