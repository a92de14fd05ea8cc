"""Checks that a policy follows the ODRL 2.2 Information Model and our typing rules.

Problems carry model paths (``permission[0].constraint[1].operator``); the JSON-LD reader
turns them into JSON paths of the document it read.

Party and asset collections (Information Model §2.2, §2.3, §2.5.5, §2.5.6): a collection
needs an IRI (``uid`` or ``source``); one narrowed by refinements is referenced by
``source`` and has no ``uid`` ("when using the refinement property, the uid property MUST
NOT be used to identify the AssetCollection. Instead, the source property MUST be used to
reference the AssetCollection"); and an IRI names a collection everywhere in a policy or
nowhere, since an RDF graph cannot tell the places apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, timedelta

from .errors import PolicyValidationError, Problem
from .model import (
    Action,
    Asset,
    AssetCollection,
    ConstraintLike,
    Duty,
    LogicalConstraint,
    Party,
    PartyCollection,
    Permission,
    Policy,
    Prohibition,
    walk_constraints,
)
from .values import IRI, Duration, Quantity, Value
from .vocabulary import (
    LEFT_OPERANDS,
    LOGICAL_OPERATORS,
    ODRL_ACTIONS,
    OPERATORS,
    PolicyType,
    is_absolute_iri,
)

__all__ = ["check", "validate"]

_ORDERING = {"lt", "lteq", "gt", "gteq"}
_Add = Callable[[Problem], None]


def validate(policy: Policy) -> Policy:
    """Return the policy unchanged if it is valid, else raise `PolicyValidationError`."""
    problems = check(policy)
    if problems:
        raise PolicyValidationError(problems)
    return policy


def check(policy: Policy) -> list[Problem]:
    """List every rule the policy breaks (empty when it is valid)."""
    problems: list[Problem] = []
    add = problems.append
    if not policy.uid:
        add(Problem("uid", "uid_required", "a policy needs a uid (an IRI)"))
    elif not is_absolute_iri(policy.uid):
        add(Problem("uid", "uid_not_iri", f"the policy uid {policy.uid!r} is not an absolute IRI"))
    if not (policy.permissions or policy.prohibitions or policy.obligations):
        add(
            Problem(
                "", "no_rules", "a policy needs at least one permission, prohibition or obligation"
            )
        )
    _check_uids(policy, add)
    _check_collections(policy, add)
    for path, rule in policy.rules():
        if isinstance(rule, Permission | Prohibition):
            _check_parties(policy, path, rule.assigner, rule.assignee, add)
            if policy.type is not PolicyType.SET and not (rule.target or policy.target):
                add(
                    Problem(
                        f"{path}.target",
                        "target_required",
                        f"every rule of an {policy.type.value} needs a target asset",
                    )
                )
            _check_action(rule.action, f"{path}.action", add)
            _check_constraints(rule.constraints, path, "constraint", add)
            extra = rule.duties if isinstance(rule, Permission) else rule.remedies
            key = "duty" if isinstance(rule, Permission) else "remedy"
            for i, duty in enumerate(extra):
                _check_duty(duty, f"{path}.{key}[{i}]", add)
        else:
            _check_parties(policy, path, rule.assigner, rule.assignee, add)
            _check_duty(rule, path, add)
    return problems


def _check_parties(
    policy: Policy, path: str, assigner: Party | None, assignee: Party | None, add: _Add
) -> None:
    if policy.type in {PolicyType.OFFER, PolicyType.AGREEMENT} and not (
        assigner or policy.assigner
    ):
        add(
            Problem(
                f"{path}.assigner",
                f"{policy.type.value.lower()}_needs_assigner",
                f"an {policy.type.value} needs an assigner, on the policy or on every rule",
            )
        )
    if policy.type is PolicyType.AGREEMENT and not (assignee or policy.assignee):
        add(
            Problem(
                f"{path}.assignee",
                "agreement_needs_assignee",
                "an Agreement needs an assignee, on the policy or on every rule",
            )
        )


def _check_duty(duty: Duty, path: str, add: _Add) -> None:
    _check_action(duty.action, f"{path}.action", add)
    _check_constraints(duty.constraints, path, "constraint", add)
    for i, consequence in enumerate(duty.consequences):
        _check_duty(consequence, f"{path}.consequence[{i}]", add)


def _check_action(action: Action, path: str, add: _Add) -> None:
    if not action.name:
        add(Problem(path, "action_required", "every rule needs an action"))
    elif action.name not in ODRL_ACTIONS and not is_absolute_iri(action.name):
        add(
            Problem(
                path,
                "unknown_action",
                f"{action.name!r} is not an ODRL action; extension actions need a full IRI",
            )
        )
    _check_constraints(action.refinements, path, "refinement", add)


def _check_constraints(
    constraints: tuple[ConstraintLike, ...], path: str, key: str, add: _Add
) -> None:
    for i, item in enumerate(constraints):
        here = f"{path}.{key}[{i}]" if path else f"{key}[{i}]"
        if isinstance(item, LogicalConstraint):
            if item.operator not in LOGICAL_OPERATORS:
                add(
                    Problem(
                        here,
                        "unknown_logical_operator",
                        f"{item.operator!r} is not a logical operator (and, or, xone, andSequence)",
                    )
                )
            if not item.constraints:
                add(
                    Problem(here, "empty_logical_constraint", "a logical constraint needs operands")
                )
            _check_constraints(item.constraints, here, item.operator, add)
            continue
        if item.left_operand not in LEFT_OPERANDS and not is_absolute_iri(item.left_operand):
            add(
                Problem(
                    f"{here}.leftOperand",
                    "unknown_left_operand",
                    f"{item.left_operand!r} is not an ODRL left operand; "
                    "extensions need a full IRI",
                )
            )
        if item.operator not in OPERATORS and not is_absolute_iri(item.operator):
            add(
                Problem(
                    f"{here}.operator",
                    "unknown_operator",
                    f"{item.operator!r} is not an ODRL operator (eq, neq, lt, lteq, gt, gteq, "
                    "isA, isPartOf, hasPart, isAllOf, isAnyOf, isNoneOf)",
                )
            )
        message = _right_operand_problem(item.left_operand, item.operator, item.right_operand)
        if message:
            add(Problem(f"{here}.rightOperand", "right_operand_type", message))


def _right_operand_problem(left: str, operator: str, value: Value) -> str | None:
    items = value if isinstance(value, tuple) else (value,)
    if not items:
        return "the right operand is an empty list"
    for item in items:
        if isinstance(item, tuple):
            return "lists inside lists are not supported"
        if isinstance(item, datetime) and item.utcoffset() is None:
            return "dateTime values must carry a timezone"
        if isinstance(item, timedelta):
            return "time spans must be xsd:duration values"
        if isinstance(item, Quantity):
            return "give the unit with the constraint's unit, not inside the right operand"
        if left == "dateTime" and not isinstance(item, date):
            return "dateTime needs an xsd:dateTime or xsd:date right operand"
        if left == "elapsedTime" and not isinstance(item, Duration):
            return "elapsedTime needs an xsd:duration right operand (e.g. P30D)"
        if left == "count" and (isinstance(item, bool) or not isinstance(item, int) or item < 0):
            return "count needs a non-negative integer right operand"
        # Events are ordered in time ("event lt policyUsage"), so references are fine there.
        if operator in _ORDERING and left != "event" and isinstance(item, str | IRI | bool):
            return f"{operator} compares numbers, times or durations, not text or references"
    return None


_Placed = tuple[str, str, Party | Asset]


def _placements(policy: Policy) -> Iterator[_Placed]:
    """Yield every assigner, assignee and target in the policy: (path, role, value)."""

    def parties(path: str, node: Policy | Permission | Prohibition | Duty) -> Iterator[_Placed]:
        for role in ("assigner", "assignee", "target"):
            value = getattr(node, role)
            if value is not None:
                yield (f"{path}.{role}" if path else role), role, value

    def duty(path: str, item: Duty) -> Iterator[_Placed]:
        yield from parties(path, item)
        for i, consequence in enumerate(item.consequences):
            yield from duty(f"{path}.consequence[{i}]", consequence)

    yield from parties("", policy)
    for path, rule in policy.rules():
        if isinstance(rule, Duty):
            yield from duty(path, rule)
            continue
        yield from parties(path, rule)
        extra = rule.duties if isinstance(rule, Permission) else rule.remedies
        key = "duty" if isinstance(rule, Permission) else "remedy"
        for i, item in enumerate(extra):
            yield from duty(f"{path}.{key}[{i}]", item)


def _check_collections(policy: Policy, add: _Add) -> None:
    """Check every party and asset collection, and that an IRI names a collection everywhere."""
    collections: dict[str, tuple[str, type]] = {}
    plain: dict[str, str] = {}
    for path, role, value in _placements(policy):
        if isinstance(value, str):
            plain.setdefault(value, path)
            continue
        wanted = AssetCollection if role == "target" else PartyCollection
        if not isinstance(value, wanted):
            add(
                Problem(
                    path,
                    "collection_kind",
                    f"the {role} must be a {wanted.__name__}, not a {type(value).__name__}",
                )
            )
        kind = type(value).__name__
        if not (value.uid or value.source):
            add(Problem(path, "collection_iri_required", f"a {kind} needs a uid or a source"))
        if value.refinements and (value.uid or not value.source):
            add(
                Problem(
                    path,
                    "collection_refinement_source",
                    f"a {kind} with refinements is referenced by source and has no uid",
                )
            )
        _check_constraints(value.refinements, path, "refinement", add)
        if value.uid:
            first = collections.setdefault(value.uid, (path, type(value)))
            if first[1] is not type(value):
                add(
                    Problem(
                        path,
                        "collection_kind",
                        f"{value.uid!r} is a {first[1].__name__} at {first[0]}",
                    )
                )
    for iri, (where, cls) in collections.items():
        if iri in plain:
            add(
                Problem(
                    plain[iri],
                    "collection_named_twice",
                    f"{iri!r} is a {cls.__name__} at {where}; name it as one everywhere",
                )
            )


def _nodes(policy: Policy) -> Iterator[tuple[str, object, str | None]]:
    """Yield every identifiable node of the policy with its path and uid."""
    yield "", policy, policy.uid

    def duty(path: str, item: Duty) -> Iterator[tuple[str, object, str | None]]:
        yield path, item, item.uid
        yield from action(f"{path}.action", item.action)
        yield from constraints(item.constraints, path, "constraint")
        for i, consequence in enumerate(item.consequences):
            yield from duty(f"{path}.consequence[{i}]", consequence)

    def action(path: str, item: Action) -> Iterator[tuple[str, object, str | None]]:
        yield path, item, item.uid
        yield from constraints(item.refinements, path, "refinement")

    def constraints(
        items: tuple[ConstraintLike, ...], path: str, key: str
    ) -> Iterator[tuple[str, object, str | None]]:
        for here, item in walk_constraints(items, path, key):
            yield here, item, item.uid

    for path, rule in policy.rules():
        if isinstance(rule, Duty):
            yield from duty(path, rule)
            continue
        yield path, rule, rule.uid
        yield from action(f"{path}.action", rule.action)
        yield from constraints(rule.constraints, path, "constraint")
        extra = rule.duties if isinstance(rule, Permission) else rule.remedies
        key = "duty" if isinstance(rule, Permission) else "remedy"
        for i, item in enumerate(extra):
            yield from duty(f"{path}.{key}[{i}]", item)
    for path, _, value in _placements(policy):
        if not isinstance(value, str):
            yield path, value, value.uid
            yield from constraints(value.refinements, path, "refinement")


def _check_uids(policy: Policy, add: _Add) -> None:
    """A uid names one node. The same node may be shared between lists (RDF merges it), but two
    different nodes, or one node listed twice in the same list, may not share a uid."""
    seen: dict[str, tuple[str, object]] = {}
    for path, node, uid in _nodes(policy):
        if not uid:
            continue
        if uid in seen:
            first_path, first_node = seen[uid]
            # A collection is not listed: naming it again (on another rule) is the same node.
            listed = path.endswith("]")
            same_list = listed and first_path.rpartition("[")[0] == path.rpartition("[")[0]
            if first_node != node or same_list:
                add(
                    Problem(
                        f"{path}.uid" if path else "uid",
                        "duplicate_uid",
                        f"uid {uid!r} already names {first_path or 'the policy'}",
                    )
                )
            continue
        seen[uid] = (path, node)
