"""Why a request got what it got: the constraints that bound it, for its statement.

Read off the optimal allocation, request by request:

- `full`: it got the whole quantity asked;
- `capacity`: every slot it could use (its resources × its window) is full — the slots
  are named;
- `priority`: some of those slots went to requests of higher priority weight;
- `fairness`: some went to requests of the same weight, shared by the round's rule;
- `minimum`: capacity was free in its window, but less than its minimum (or giving it the
  minimum would have displaced more valuable units), so it got nothing;
- `window`: capacity of its resources was still free outside its window.

Codes and numbers only; the access app words them in the reader's language.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from synergy_hub.allocation.problem import Problem, SlotKey
from synergy_hub.allocation.solve import Result

#: At most this many slots are named in a reason (the rest are counted).
NAMED_SLOTS = 5


@dataclass(frozen=True)
class Reason:
    """One binding constraint: a code, the slots concerned and the numbers behind it."""

    code: str
    slots: tuple[SlotKey, ...] = ()
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Statement:
    """A request's result: units asked, minimum, units granted, and why not more."""

    key: str
    quantity: int
    minimum: int
    granted: int
    weight: int
    reasons: tuple[Reason, ...]


def explain(problem: Problem, result: Result) -> dict[str, Statement]:
    """One statement per request, in the order of the problem's requests."""
    used: dict[SlotKey, int] = defaultdict(int)
    # Per slot: how many holders of each priority weight (to tell priority from sharing).
    holders: dict[SlotKey, dict[int, int]] = defaultdict(lambda: defaultdict(int))
    weights = {r.key: r.weight for r in problem.requests}
    for key, parts in result.placement.items():
        for slot, units in parts.items():
            used[slot] += units
            holders[slot][weights[key]] += 1

    def free(slot: SlotKey) -> int:
        return max(problem.capacity.get(slot, 0) - used[slot], 0)

    free_of: dict[str, int] = defaultdict(int)
    for slot in problem.capacity:
        free_of[slot[0]] += free(slot)

    statements = {}
    for request in problem.requests:
        granted = sum(result.placement.get(request.key, {}).values())
        reasons: list[Reason] = []
        if granted >= request.quantity:
            reasons.append(Reason("full"))
        else:
            window = [
                (resource, t)
                for resource in request.resources
                for t in range(request.first, request.last + 1)
            ]
            free_inside = sum(free(s) for s in window)
            full = [s for s in window if problem.capacity.get(s, 0) > 0 and free(s) == 0]
            if free_inside and granted == 0 and request.minimum > 1:
                reasons.append(
                    Reason("minimum", (), {"minimum": request.minimum, "free": free_inside})
                )
            if full:
                reasons.append(
                    Reason(
                        "capacity",
                        tuple(full[:NAMED_SLOTS]),
                        {"count": len(full), "free": free_inside},
                    )
                )
                own = result.placement.get(request.key, {})
                higher = max(
                    (w for slot in full for w in holders[slot] if w > request.weight), default=0
                )
                equal = any(
                    holders[slot].get(request.weight, 0) > (1 if slot in own else 0)
                    for slot in full
                )
                if higher:
                    reasons.append(
                        Reason("priority", (), {"weight": request.weight, "top_weight": higher})
                    )
                if equal:
                    reasons.append(Reason("fairness", (), {"rule": str(problem.fairness)}))
            inside_own: dict[str, int] = {}
            for resource, t in window:
                inside_own[resource] = inside_own.get(resource, 0) + free((resource, t))
            outside = sum(free_of[resource] - inside_own[resource] for resource in inside_own)
            if outside:
                reasons.append(Reason("window", (), {"free": outside}))
        statements[request.key] = Statement(
            key=request.key,
            quantity=request.quantity,
            minimum=request.minimum,
            granted=granted,
            weight=request.weight,
            reasons=tuple(reasons),
        )
    return statements
