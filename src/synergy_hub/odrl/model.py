"""The ODRL 2.2 policy model: policies, rules, actions and constraints as frozen values.

Every object is immutable and compares by value, so a policy read back from its JSON-LD
or RDF form equals the original. Paths such as ``permission[0].constraint[1]`` name the
parts of a policy in decisions and error messages.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TypeAlias

from .values import Value
from .vocabulary import ConflictStrategy, PolicyType

__all__ = [
    "Action",
    "Constraint",
    "ConstraintLike",
    "Duty",
    "LogicalConstraint",
    "Permission",
    "Policy",
    "Prohibition",
    "Rule",
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
class Duty:
    """An obligation to exercise an action: a condition of a permission or a policy obligation."""

    action: Action
    constraints: tuple[ConstraintLike, ...] = ()
    target: str | None = None
    assigner: str | None = None
    assignee: str | None = None
    consequences: tuple[Duty, ...] = ()
    uid: str | None = None


@dataclass(frozen=True)
class Permission:
    """The ability to exercise an action on a target, under constraints and duties."""

    action: Action
    target: str | None = None
    assigner: str | None = None
    assignee: str | None = None
    constraints: tuple[ConstraintLike, ...] = ()
    duties: tuple[Duty, ...] = ()
    uid: str | None = None


@dataclass(frozen=True)
class Prohibition:
    """The inability to exercise an action on a target while its constraints hold."""

    action: Action
    target: str | None = None
    assigner: str | None = None
    assignee: str | None = None
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
    assigner: str | None = None
    assignee: str | None = None
    target: str | None = None
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
