"""Solving an allocation problem exactly: min-cost flow first, CP-SAT when minimums bind.

Without minimum quantities the problem is a flow: source → request (one arc per fairness
tranche, cost −(scale × weight + tranche value), capacity the tranche's length) →
slot (one arc per resource and slot of the request's window) → sink (capacity of the
slot), plus a zero-cost bypass so that the flow may stop short. Its minimum cost is the
maximum of the objective, and OR-Tools' min-cost flow solves it exactly in near-linear
time (about 10^6 arcs in a few seconds, docs/benchmarks.md).

A minimum ("nothing or at least m") is semi-continuous and not a flow. The flow without
the minimums is a relaxation: when its answer already gives every request 0 or at least
its minimum, it is optimal for the real problem too, and we are done. Otherwise the exact
model goes to CP-SAT (integers, one boolean per request with a minimum), started from the
flow's answer with the offending requests set to zero. The solver's status is recorded:
OPTIMAL is proven; FEASIBLE means the time limit stopped the proof and is shown as such.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

from synergy_hub.allocation.problem import Problem, Request, SlotKey, tranches, utility


class Method(StrEnum):
    """Which method produced the allocation (the first two are exact)."""

    MIN_COST_FLOW = "min_cost_flow"
    CP_SAT = "cp_sat"
    #: CP-SAT found nothing better in its time: the relaxation without the requests that
    #: broke their minimum (feasible, not proven optimal; see `Result.bound`).
    FLOW_REPAIR = "flow_repair"


@dataclass(frozen=True)
class Result:
    """The allocation, how it was found and how big the model was."""

    method: Method
    status: str
    #: Units per request and slot (only slots with units).
    placement: dict[str, dict[SlotKey, int]]
    objective: tuple[int, int]
    variables: int
    constraints: int
    seconds: float
    relaxation_violations: int = 0
    stats: dict[str, float] = field(default_factory=dict)
    #: The relaxation's objective (no minimums): an upper bound on any allocation's.
    bound: tuple[int, int] | None = None

    @property
    def granted(self) -> dict[str, int]:
        """Units allocated per request key (0 for none)."""
        return {key: sum(parts.values()) for key, parts in self.placement.items()}

    @property
    def optimal(self) -> bool:
        return self.status == "OPTIMAL"


def _resource_index(problem: Problem) -> tuple[dict[str, int], int]:
    resources = sorted(
        {r for r, _ in problem.capacity} | {r for req in problem.requests for r in req.resources}
    )
    periods = 1 + max(
        [t for _, t in problem.capacity] + [req.last for req in problem.requests] + [0]
    )
    return {r: i for i, r in enumerate(resources)}, periods


def _flow(
    problem: Problem, *, concentrate: bool = False
) -> tuple[dict[str, dict[SlotKey, int]], int, int, str]:
    """The exact optimum without minimums; returns placement, arcs, nodes and the status.

    With `concentrate`, ties among equal weights go to one request after another (smaller
    minimums first) instead of being evened out: few requests end up partly served, which
    is what the repair of broken minimums needs.
    """
    index, periods = _resource_index(problem)
    names = sorted(index, key=index.__getitem__)
    requests = list(problem.requests)
    n = len(requests)
    if n == 0:
        return {}, 0, 0, "OPTIMAL"
    source, sink, first_request = 0, 1, 2
    first_slot = first_request + n
    scale = problem.scale
    total = sum(r.quantity for r in requests)

    tails: list[np.ndarray] = []
    heads: list[np.ndarray] = []
    caps: list[np.ndarray] = []
    costs: list[np.ndarray] = []
    # Source → request, one arc per tranche.
    t_tail, t_head, t_cap, t_cost = [], [], [], []
    if concentrate:
        order = sorted(range(n), key=lambda i: (requests[i].minimum, i))
        rank = {i: n - position for position, i in enumerate(order)}
        scale = n * min(total, sum(problem.capacity.values())) + 1
    for i, request in enumerate(requests):
        steps = [(request.quantity, rank[i])] if concentrate else tranches(problem, request)
        for length, worth in steps:
            t_tail.append(source)
            t_head.append(first_request + i)
            t_cap.append(length)
            t_cost.append(-(scale * request.weight + worth))
    tails.append(np.asarray(t_tail, dtype=np.int32))
    heads.append(np.asarray(t_head, dtype=np.int32))
    caps.append(np.asarray(t_cap, dtype=np.int64))
    costs.append(np.asarray(t_cost, dtype=np.int64))
    # Request → slot: every resource of the request × every slot of its window.
    offsets = [0]
    for i, request in enumerate(requests):
        rows = np.asarray([index[r] for r in request.resources], dtype=np.int64)
        window = np.arange(request.first, request.last + 1, dtype=np.int64)
        slot_nodes = (first_slot + rows[:, None] * periods + window[None, :]).ravel()
        tails.append(np.full(slot_nodes.size, first_request + i, dtype=np.int32))
        heads.append(slot_nodes.astype(np.int32))
        caps.append(np.full(slot_nodes.size, request.quantity, dtype=np.int64))
        costs.append(np.zeros(slot_nodes.size, dtype=np.int64))
        offsets.append(offsets[-1] + slot_nodes.size)
    # Slot → sink with its capacity, and the bypass.
    slot_count = len(names) * periods
    capacity = np.zeros(slot_count, dtype=np.int64)
    for (resource, t), units in problem.capacity.items():
        capacity[index[resource] * periods + t] = units
    tails.append(np.arange(first_slot, first_slot + slot_count, dtype=np.int32))
    heads.append(np.full(slot_count, sink, dtype=np.int32))
    caps.append(capacity)
    costs.append(np.zeros(slot_count, dtype=np.int64))
    tails.append(np.asarray([source], dtype=np.int32))
    heads.append(np.asarray([sink], dtype=np.int32))
    caps.append(np.asarray([total], dtype=np.int64))
    costs.append(np.asarray([0], dtype=np.int64))

    solver = min_cost_flow.SimpleMinCostFlow()
    all_tails = np.concatenate(tails)
    solver.add_arcs_with_capacity_and_unit_cost(
        all_tails, np.concatenate(heads), np.concatenate(caps), np.concatenate(costs)
    )
    solver.set_node_supply(source, total)
    solver.set_node_supply(sink, -total)
    status = solver.solve()
    status_name = {
        solver.OPTIMAL: "OPTIMAL",
        solver.FEASIBLE: "FEASIBLE",
        solver.INFEASIBLE: "INFEASIBLE",
        solver.UNBALANCED: "UNBALANCED",
        solver.BAD_RESULT: "BAD_RESULT",
        solver.BAD_COST_RANGE: "BAD_COST_RANGE",
    }.get(status, "NOT_SOLVED")
    placement: dict[str, dict[SlotKey, int]] = {r.key: {} for r in requests}
    if status_name != "OPTIMAL":
        return placement, int(all_tails.size), first_slot + slot_count, status_name
    start = int(caps[0].size)
    flows = solver.flows(np.arange(start, start + offsets[-1], dtype=np.int32))
    used = np.nonzero(flows)[0]
    heads_of = np.concatenate(heads[1 : 1 + n]) - first_slot
    request_of = np.searchsorted(np.asarray(offsets), used, side="right") - 1
    for arc, i in zip(used.tolist(), request_of.tolist(), strict=True):
        node = int(heads_of[arc])
        key = (names[node // periods], node % periods)
        placement[requests[i].key][key] = int(flows[arc])
    return placement, int(all_tails.size), first_slot + slot_count, status_name


def _violations(problem: Problem, placement: dict[str, dict[SlotKey, int]]) -> list[Request]:
    return [r for r in problem.requests if 0 < sum(placement[r.key].values()) < r.minimum]


def _cp_sat(
    problem: Problem,
    hint: dict[str, dict[SlotKey, int]],
    *,
    time_limit: float,
    workers: int,
) -> tuple[dict[str, dict[SlotKey, int]], int, int, str, dict[str, float]]:
    """The exact model with the semi-continuous minimums, started from `hint`."""
    model = cp_model.CpModel()
    scale = problem.scale
    per_slot: dict[SlotKey, list[cp_model.IntVar]] = defaultdict(list)
    arcs: dict[str, list[tuple[SlotKey, cp_model.IntVar]]] = {}
    objective = []
    for request in problem.requests:
        own = []
        for slot in problem.arcs(request):
            bound = min(request.quantity, problem.capacity[slot])
            x = model.new_int_var(0, bound, f"x_{request.key}_{slot[0]}_{slot[1]}")
            model.add_hint(x, hint.get(request.key, {}).get(slot, 0))
            per_slot[slot].append(x)
            own.append((slot, x))
        arcs[request.key] = own
        total = sum(x for _, x in own)
        parts = []
        for k, (length, worth) in enumerate(tranches(problem, request)):
            s = model.new_int_var(0, length, f"s_{request.key}_{k}")
            parts.append(s)
            objective.append((scale * request.weight + worth) * s)
        model.add(sum(parts) == total)
        if request.minimum > 1 and own:
            served = model.new_bool_var(f"z_{request.key}")
            model.add(total >= request.minimum).only_enforce_if(served)
            model.add(total == 0).only_enforce_if(~served)
    for slot, xs in per_slot.items():
        model.add(sum(xs) <= problem.capacity[slot])
    model.maximize(sum(objective))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = time_limit
    solver.parameters.num_workers = workers
    status = solver.solve(model)
    name = solver.status_name(status)
    proto = model.proto
    size = (len(proto.variables), len(proto.constraints))
    stats = {"wall_time": solver.wall_time, "best_bound": solver.best_objective_bound}
    placement: dict[str, dict[SlotKey, int]] = {r.key: {} for r in problem.requests}
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return placement, size[0], size[1], name, stats
    for key, own in arcs.items():
        for slot, x in own:
            value = int(solver.value(x))
            if value:
                placement[key][slot] = value
    return placement, size[0], size[1], name, stats


def _repair(
    problem: Problem, placement: dict[str, dict[SlotKey, int]], violating: list[Request]
) -> dict[str, dict[SlotKey, int]]:
    """A feasible allocation from the relaxation: leave out requests under their minimum
    and let the flow give their capacity to the others, until no minimum is broken."""
    excluded = {r.key for r in violating}
    for _ in range(MAX_REPAIRS):
        kept = [r for r in problem.requests if r.key not in excluded]
        sub = Problem(problem.capacity, kept, problem.fairness)
        placement, _, _, status = _flow(sub, concentrate=True)
        broken = _violations(sub, placement) if status == "OPTIMAL" else kept
        if not broken:
            break
        excluded |= {r.key for r in broken}
    else:  # give up on the requests that keep breaking: drop them, which is feasible
        placement = {
            k: ({} if 0 < sum(v.values()) < minimum[k] else v)
            for k, v in placement.items()
            for minimum in [{r.key: r.minimum for r in problem.requests}]
        }
    return {r.key: placement.get(r.key, {}) for r in problem.requests}


#: How many times the relaxation is re-solved without the requests under their minimum.
MAX_REPAIRS = 10


def solve(problem: Problem, *, time_limit: float = 60.0, workers: int = 2) -> Result:
    """The allocation that maximises the disclosed objective, with how it was found.

    `bound` is the relaxation's objective (no minimums): no allocation can do better, so
    `objective` equal to `bound` proves optimality whatever the method, and the gap
    between them bounds how far a time-limited answer may be from the optimum.
    """
    started = time.perf_counter()
    placement, arcs, nodes, status = _flow(problem)
    violating = _violations(problem, placement) if status == "OPTIMAL" else []
    bound = utility(problem, _granted(placement))
    if status == "OPTIMAL" and not violating:
        return Result(
            method=Method.MIN_COST_FLOW,
            status=status,
            placement=placement,
            objective=bound,
            variables=arcs,
            constraints=nodes,
            seconds=time.perf_counter() - started,
            bound=bound,
        )
    # A good feasible answer first (the flow without the requests under their minimum),
    # then CP-SAT, started from it, for the exact optimum of the semi-continuous model.
    repaired = _repair(problem, placement, violating)
    exact, variables, constraints, cp_status, stats = _cp_sat(
        problem, repaired, time_limit=time_limit, workers=workers
    )
    method = Method.CP_SAT
    objective = utility(problem, _granted(exact))
    fallback = utility(problem, _granted(repaired))
    if cp_status not in ("OPTIMAL", "FEASIBLE") or objective < fallback:
        # CP-SAT found nothing better within its time: keep the repaired flow, whose
        # status stays the solver's (not proven optimal).
        exact, objective, method = repaired, fallback, Method.FLOW_REPAIR
        if cp_status == "OPTIMAL":
            cp_status = "FEASIBLE"
    return Result(
        method=method,
        status=cp_status,
        placement=exact,
        objective=objective,
        variables=variables,
        constraints=constraints,
        seconds=time.perf_counter() - started,
        relaxation_violations=len(violating),
        stats=stats,
        bound=bound,
    )


def _granted(placement: dict[str, dict[SlotKey, int]]) -> dict[str, int]:
    return {key: sum(parts.values()) for key, parts in placement.items()}
