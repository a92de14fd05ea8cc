"""Ready-made usage policies for common terms, and a way to combine them into one policy.

Each builder returns a complete policy that permits `use` under one condition. `combine`
merges several into one policy whose permission carries all their conditions at once
(they are ANDed, never offered as alternatives) and keeps every prohibition:
``combine(research_only(), time_limited(end=date(2027, 12, 31)), count_limited(10_000))``.
Templates resolve conflicts with ``prohibit``, so "use but do not distribute" denies
distribution with a clear reason.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, datetime
from typing import Any, TypeVar

from synergy_hub.eligibility.regions import is_region_code

from .model import (
    Action,
    Asset,
    Constraint,
    ConstraintLike,
    Duty,
    LogicalConstraint,
    Party,
    PartyCollection,
    Permission,
    Policy,
    Prohibition,
    node_iri,
)
from .values import require_aware
from .vocabulary import ConflictStrategy, PolicyType

__all__ = [
    "RESEARCH",
    "as_agreement",
    "combine",
    "count_limited",
    "no_redistribution",
    "region_limited",
    "research_only",
    "time_limited",
]

_T = TypeVar("_T")
_R = TypeVar("_R", Permission, Prohibition, Duty)
_Key = tuple[Action, Asset | None, Party | None, Party | None]

#: The purpose code for scientific research (科研), used by `research_only`.
RESEARCH = "research"


def _new_uid() -> str:
    return f"urn:uuid:{uuid.uuid4()}"


def _kind(assigner: str | None, assignee: str | None) -> PolicyType:
    if assigner and assignee:
        return PolicyType.AGREEMENT
    return PolicyType.OFFER if assigner else PolicyType.SET


def _policy(
    *,
    constraints: tuple[ConstraintLike, ...] = (),
    prohibitions: tuple[Prohibition, ...] = (),
    action: str,
    uid: str | None,
    target: str | None,
    assigner: str | None,
    assignee: str | None,
) -> Policy:
    return Policy(
        uid=uid or _new_uid(),
        type=_kind(assigner, assignee),
        permissions=(Permission(Action(action), constraints=constraints),),
        prohibitions=prohibitions,
        assigner=assigner,
        assignee=assignee,
        target=target,
        conflict=ConflictStrategy.PROHIBIT,
    )


def research_only(
    purpose: str = RESEARCH,
    *,
    action: str = "use",
    uid: str | None = None,
    target: str | None = None,
    assigner: str | None = None,
    assignee: str | None = None,
) -> Policy:
    """Permit use for one purpose only (scientific research by default)."""
    return _policy(
        constraints=(Constraint("purpose", "eq", purpose),),
        action=action,
        uid=uid,
        target=target,
        assigner=assigner,
        assignee=assignee,
    )


def no_redistribution(
    *,
    action: str = "use",
    uid: str | None = None,
    target: str | None = None,
    assigner: str | None = None,
    assignee: str | None = None,
) -> Policy:
    """Permit use but prohibit distributing the resource to anyone else."""
    return _policy(
        prohibitions=(Prohibition(Action("distribute")),),
        action=action,
        uid=uid,
        target=target,
        assigner=assigner,
        assignee=assignee,
    )


def region_limited(
    regions: Sequence[str],
    *,
    action: str = "use",
    uid: str | None = None,
    target: str | None = None,
    assigner: str | None = None,
    assignee: str | None = None,
) -> Policy:
    """Permit use only inside the given GB/T 2260 regions (a province covers its cities)."""
    codes = list(dict.fromkeys(regions))
    if not codes:
        raise ValueError("region_limited needs at least one region code")
    for code in codes:
        if not is_region_code(code):
            raise ValueError(f"{code!r} is not a GB/T 2260 region code (six digits, e.g. 440000)")
    parts = tuple(Constraint("spatial", "isPartOf", code) for code in codes)
    constraint: ConstraintLike = parts[0] if len(parts) == 1 else LogicalConstraint("or", parts)
    return _policy(
        constraints=(constraint,),
        action=action,
        uid=uid,
        target=target,
        assigner=assigner,
        assignee=assignee,
    )


def time_limited(
    start: date | datetime | None = None,
    end: date | datetime | None = None,
    *,
    action: str = "use",
    uid: str | None = None,
    target: str | None = None,
    assigner: str | None = None,
    assignee: str | None = None,
) -> Policy:
    """Permit use from `start` and until `end` (dates are whole days, both inclusive)."""
    if start is None and end is None:
        raise ValueError("time_limited needs a start, an end or both")
    for name, value in (("start", start), ("end", end)):
        if isinstance(value, datetime):
            require_aware(value, name)
    if start is not None and end is not None and _day(start) > _day(end):
        raise ValueError("time_limited: start is after end")
    constraints: list[ConstraintLike] = []
    if start is not None:
        constraints.append(Constraint("dateTime", "gteq", start))
    if end is not None:
        constraints.append(Constraint("dateTime", "lteq", end))
    return _policy(
        constraints=tuple(constraints),
        action=action,
        uid=uid,
        target=target,
        assigner=assigner,
        assignee=assignee,
    )


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def count_limited(
    n: int,
    *,
    action: str = "use",
    uid: str | None = None,
    target: str | None = None,
    assigner: str | None = None,
    assignee: str | None = None,
) -> Policy:
    """Permit at most `n` uses (the evaluator counts this use as prior uses + 1)."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise ValueError("count_limited needs a positive whole number of uses")
    return _policy(
        constraints=(Constraint("count", "lteq", n),),
        action=action,
        uid=uid,
        target=target,
        assigner=assigner,
        assignee=assignee,
    )


def _unique(items: Iterable[_T]) -> list[_T]:
    out: list[_T] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out


def _same(policies: Sequence[Policy], name: str) -> Any:
    values = {getattr(p, name) for p in policies if getattr(p, name)}
    if len(values) > 1:
        named = sorted(str(node_iri(v)) for v in values)
        raise ValueError(f"cannot combine policies with different {name}s: {named}")
    return values.pop() if values else None


def combine(*policies: Policy, uid: str | None = None) -> Policy:
    """Merge policies into one whose permissions carry every condition of the parts.

    Permissions for the same action, target and parties become one permission with all
    constraints and duties; prohibitions and obligations are kept; the strictest conflict
    strategy wins.
    """
    if not policies:
        raise ValueError("combine needs at least one policy")
    merged: dict[_Key, tuple[list[ConstraintLike], list[Duty], str | None]] = {}
    for policy in policies:
        for permission in policy.permissions:
            key = (
                permission.action,
                permission.target,
                permission.assigner,
                permission.assignee,
            )
            constraints, duties, _ = merged.setdefault(key, ([], [], permission.uid))
            constraints.extend(c for c in permission.constraints if c not in constraints)
            duties.extend(d for d in permission.duties if d not in duties)
    permissions = tuple(
        Permission(
            action,
            target,
            assigner,
            assignee,
            tuple(constraints),
            tuple(duties),
            rule_uid,
        )
        for (action, target, assigner, assignee), (constraints, duties, rule_uid) in merged.items()
    )
    strategies = {p.conflict for p in policies}
    conflict = strategies.pop() if len(strategies) == 1 else ConflictStrategy.PROHIBIT
    kinds = {p.type for p in policies}
    kind = next((k for k in (PolicyType.AGREEMENT, PolicyType.OFFER) if k in kinds), PolicyType.SET)
    return Policy(
        uid=uid or policies[0].uid,
        type=kind,
        permissions=permissions,
        prohibitions=tuple(_unique(r for p in policies for r in p.prohibitions)),
        obligations=tuple(_unique(r for p in policies for r in p.obligations)),
        assigner=_same(policies, "assigner"),
        assignee=_same(policies, "assignee"),
        target=_same(policies, "target"),
        profiles=tuple(dict.fromkeys(x for p in policies for x in p.profiles)),
        conflict=conflict,
        inherit_from=tuple(dict.fromkeys(x for p in policies for x in p.inherit_from)),
    )


def as_agreement(offer: Policy, *, assignee: str, uid: str, assigner: str | None = None) -> Policy:
    """Turn an offer (or set) into the agreement the assignee accepted, under a new uid.

    An offer made to a PartyCollection stays one: the collection moves onto every rule
    that names no assignee of its own, so each use is still checked for membership.
    """
    chosen = assigner or offer.assigner
    if not chosen:
        raise ValueError("an agreement needs an assigner")
    group = offer.assignee if isinstance(offer.assignee, PartyCollection) else None

    def keep(rule: _R) -> _R:
        return replace(rule, assignee=group) if group and rule.assignee is None else rule

    return Policy(
        uid=uid,
        type=PolicyType.AGREEMENT,
        permissions=tuple(keep(r) for r in offer.permissions),
        prohibitions=tuple(keep(r) for r in offer.prohibitions),
        obligations=tuple(keep(r) for r in offer.obligations),
        assigner=chosen,
        assignee=assignee,
        target=offer.target,
        profiles=offer.profiles,
        conflict=offer.conflict,
        inherit_from=offer.inherit_from,
    )
