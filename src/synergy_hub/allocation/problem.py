"""The allocation problem and its disclosed objective, as plain values.

The objective is lexicographic, in this order:

1. **priority-weighted units**: the sum over requests of `weight × units allocated`
   (weights come from the round's disclosed priorities: size class, tier, first use);
2. **the round's fairness rule**, only among allocations that tie on (1): each unit is
   worth a little less than the one before it, by how far the request is already
   served. With `proportional` a unit's value falls with the share of the quantity asked
   that the request has reached (in at most `TRANCHES` steps); with `max_min` it falls
   with the number of units the request already has, measured against the equal share
   (the round's capacity divided by the number of requests), so small and large requests
   first get the same number of units. Values run from `VALUE` down to 1, and are the
   same for two requests at the same level: the allocation evens out shares (or units)
   wherever capacity allows.

Both parts are folded into one integer objective, `scale × weighted units + fairness
value`, with `scale` larger than any possible fairness value: the solver optimises it
exactly, and a brute force over small instances can check it (tests/allocation).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

#: Most steps of falling value per request for the fairness rule (per unit below that).
TRANCHES = 16
#: The value of a request's first unit under the fairness rule (units fall towards 1).
VALUE = 1000

#: A capacity slot: (resource key, slot index in the round's period).
SlotKey = tuple[str, int]


class Fairness(StrEnum):
    """How a round shares among requests of equal priority (chosen and disclosed per round)."""

    PROPORTIONAL = "proportional"
    MAX_MIN = "max_min"


@dataclass(frozen=True)
class Request:
    """One requester's ask: `quantity` units in total, none or at least `minimum`.

    Units may go to any slot index `first`..`last` of any resource in `resources`
    (several when the requester accepts equivalent resources).
    """

    key: str
    quantity: int
    minimum: int
    first: int
    last: int
    resources: tuple[str, ...]
    weight: int

    def __post_init__(self) -> None:
        if self.quantity < 1:
            raise ValueError(f"request {self.key}: quantity must be at least 1")
        if not 0 <= self.minimum <= self.quantity:
            raise ValueError(f"request {self.key}: minimum must be between 0 and the quantity")
        if self.last < self.first:
            raise ValueError(f"request {self.key}: the window ends before it starts")
        if not self.resources:
            raise ValueError(f"request {self.key}: no resource")
        if self.weight < 1:
            raise ValueError(f"request {self.key}: weight must be at least 1")


@dataclass(frozen=True)
class Problem:
    """Capacity per (resource, slot index) and the requests competing for it."""

    capacity: Mapping[SlotKey, int]
    requests: Sequence[Request]
    fairness: Fairness = Fairness.PROPORTIONAL
    #: The request keys (filled in from `requests`).
    keys: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        keys = [r.key for r in self.requests]
        if len(set(keys)) != len(keys):
            raise ValueError("request keys must be unique")
        if any(c < 0 for c in self.capacity.values()):
            raise ValueError("capacity must not be negative")
        object.__setattr__(self, "keys", frozenset(keys))

    def arcs(self, request: Request) -> list[SlotKey]:
        """The slots a request may use: its resources × its window, where capacity exists."""
        return [
            (resource, t)
            for resource in request.resources
            for t in range(request.first, request.last + 1)
            if self.capacity.get((resource, t), 0) > 0
        ]

    @cached_property
    def equal_share(self) -> int:
        """The round's capacity divided by the number of requests (at least 1 unit)."""
        if not self.requests:
            return 1
        return max(1, sum(self.capacity.values()) // len(self.requests))

    @cached_property
    def scale(self) -> int:
        """A multiplier that makes one weighted unit worth more than all fairness values."""
        units = min(sum(r.quantity for r in self.requests), sum(self.capacity.values()))
        return VALUE * units + 1


def tranches(problem: Problem, request: Request) -> list[tuple[int, int]]:
    """The request's tranches as (length in units, value per unit), in the order filled."""
    q = request.quantity
    if problem.fairness is Fairness.PROPORTIONAL:
        steps = min(q, TRANCHES)
        levels = [(-(-q * (k + 1) // steps), k, steps) for k in range(steps)]
    else:
        reach = 2 * problem.equal_share
        steps = min(reach, TRANCHES)
        levels = [(min(q, -(-reach * (k + 1) // steps)), k, steps) for k in range(steps)]
    out: list[tuple[int, int]] = []
    previous = 0
    for bound, k, steps in levels:
        if bound > previous:
            out.append((bound - previous, max(1, -(-VALUE * (steps - k) // steps))))
            previous = bound
    if previous < q:  # max_min: units beyond twice the equal share are worth the least
        out.append((q - previous, 1))
    return out


def tranche_value(problem: Problem, request: Request, units: int) -> int:
    """The fairness value of giving `units` to the request (concave: tranches in order)."""
    value = 0
    left = units
    for length, worth in tranches(problem, request):
        take = min(left, length)
        value += take * worth
        left -= take
    return value


def utility(problem: Problem, granted: Mapping[str, int]) -> tuple[int, int]:
    """(priority-weighted units, fairness value) of an allocation: the objective, in order."""
    weighted = sum(r.weight * granted.get(r.key, 0) for r in problem.requests)
    fair = sum(tranche_value(problem, r, granted.get(r.key, 0)) for r in problem.requests)
    return weighted, fair
