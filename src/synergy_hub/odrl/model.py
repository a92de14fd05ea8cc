"""The ODRL 2.2 policy model: policies, rules, actions and constraints as frozen values.

Every object is immutable and compares by value, so a policy read back from its JSON-LD
or RDF form equals the original. An assigner or assignee is a party IRI or a
`PartyCollection`, a target an asset IRI or an `AssetCollection`. Paths such as
``permission[0].constraint[1]`` name the parts of a policy in decisions and error messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TypeAlias

from .values import Value
from .vocabulary import ConflictStrategy, PolicyType

__all__ = [
    "Action",
    "Asset",
    "AssetCollection",
    "Constraint",
    "ConstraintLike",
    "Duty",
    "LogicalConstraint",
    "Party",
    "PartyCollection",
    "Permission",
    "Policy",
    "Prohibition",
    "Rule",
    "node_iri",
    "walk_constraints",
]


@dataclass(frozen=True)
class Constraint:
    """An atomic constraint: `left_operand` `operator` `right_operand` (with an optional unit)."""

    left_operand: str
    operator: str
    right_operand: Value
    unit: str | None = None
    uid: str | None = None


@dataclass(frozen=True)
class LogicalConstraint:
    """A logical constraint (and, or, xone, andSequence) over other constraints."""

    operator: str
    constraints: tuple[ConstraintLike, ...]
    uid: str | None = None


ConstraintLike: TypeAlias = Constraint | LogicalConstraint


@dataclass(frozen=True)
class Action:
    """An action (``use``, ``read``…) with optional refinements of how it is exercised."""

    name: str
    refinements: tuple[ConstraintLike, ...] = ()
    uid: str | None = None


@dataclass(frozen=True)
class _Collection:
    """A collection that stands for its members (ODRL 2.2 Information Model §2.2, §2.3).

    A member is anything the state of the world says is ``odrl:partOf`` the collection:
    `source` references the collection, `uid` identifies this node. The Information Model
    says a collection narrowed by `refinements` (constraints every member must satisfy)
    is referenced by `source` and has no `uid`. `iri` is the collection members belong to.
    """

    uid: str | None = None
    source: str | None = None
    refinements: tuple[ConstraintLike, ...] = ()

    @property
    def iri(self) -> str:
        """The collection the members are odrl:partOf: `source` if given, else `uid`."""
        return self.source or self.uid or ""


@dataclass(frozen=True)
class PartyCollection(_Collection):
    """odrl:PartyCollection: every member party undertakes the same function in the rule."""


@dataclass(frozen=True)
class AssetCollection(_Collection):
    """odrl:AssetCollection: every member asset is the subject of the rule."""


#: A party (its IRI) or a party collection, as assigner or assignee.
Party: TypeAlias = str | PartyCollection
#: An asset (its IRI) or an asset collection, as target.
Asset: TypeAlias = str | AssetCollection


def node_iri(node: Party | Asset | None) -> str | None:
    """Return the IRI that names a party, an asset or a collection (its `iri`)."""
    if node is None or isinstance(node, str):
        return node
    return node.iri


@dataclass(frozen=True)
class Duty:
    """An obligation to exercise an action: a condition of a permission or a policy obligation."""

    action: Action
    constraints: tuple[ConstraintLike, ...] = ()
    target: Asset | None = None
    assigner: Party | None = None
    assignee: Party | None = None
    consequences: tuple[Duty, ...] = ()
    uid: str | None = None


@dataclass(frozen=True)
class Permission:
    """The ability to exercise an action on a target, under constraints and duties."""

    action: Action
    target: Asset | None = None
    assigner: Party | None = None
    assignee: Party | None = None
    constraints: tuple[ConstraintLike, ...] = ()
    duties: tuple[Duty, ...] = ()
    uid: str | None = None


@dataclass(frozen=True)
class Prohibition:
    """The inability to exercise an action on a target while its constraints hold."""

    action: Action
    target: Asset | None = None
    assigner: Party | None = None
    assignee: Party | None = None
    constraints: tuple[ConstraintLike, ...] = ()
    remedies: tuple[Duty, ...] = ()
    uid: str | None = None


Rule: TypeAlias = Permission | Prohibition | Duty


@dataclass(frozen=True)
class Policy:
    """An ODRL policy (Set, Offer or Agreement); party and target given here apply to every rule."""

    uid: str
    type: PolicyType = PolicyType.SET
    permissions: tuple[Permission, ...] = ()
    prohibitions: tuple[Prohibition, ...] = ()
    obligations: tuple[Duty, ...] = ()
    assigner: Party | None = None
    assignee: Party | None = None
    target: Asset | None = None
    profiles: tuple[str, ...] = ()
    conflict: ConflictStrategy | None = None
    inherit_from: tuple[str, ...] = field(default=())

    def rules(self) -> Iterator[tuple[str, Rule]]:
        """Yield every top-level rule with its path (``permission[0]``, ``obligation[1]``…)."""
        for i, permission in enumerate(self.permissions):
            yield f"permission[{i}]", permission
        for i, prohibition in enumerate(self.prohibitions):
            yield f"prohibition[{i}]", prohibition
        for i, obligation in enumerate(self.obligations):
            yield f"obligation[{i}]", obligation


def walk_constraints(
    constraints: tuple[ConstraintLike, ...], path: str, key: str = "constraint"
) -> Iterator[tuple[str, ConstraintLike]]:
    """Yield every constraint, nested ones included, with its path below `path`."""
    for i, item in enumerate(constraints):
        here = f"{path}.{key}[{i}]" if path else f"{key}[{i}]"
        yield here, item
        if isinstance(item, LogicalConstraint):
            yield from walk_constraints(item.constraints, here, item.operator)
