"""Solving an allocation problem exactly: min-cost flow first, CP-SAT when minimums bind.

Without minimum quantities the problem is a flow: source → request (one arc per fairness
tranche, cost −(scale × weight + tranche value), capacity the tranche's length) →
slot (one arc per resource and slot of the request's window) → sink (capacity of the
slot), plus a zero-cost bypass so that the flow may stop short. Its minimum cost is the
maximum of the objective, and OR-Tools' min-cost flow solves it exactly in near-linear
time (about 10^6 arcs in a few seconds, docs/benchmarks.md).

A minimum ("nothing or at least m") is semi-continuous and not a flow. The flow without
the minimums is a relaxation: when its answer already gives every request 0 or at least
its minimum, it is optimal for the real problem too, and we are done. Otherwise the
relaxation is repaired: the requests under their minimum get nothing and small flows over
the capacity left free hand it on (`_repair`, well under a second at 10^6 arcs). An
answer equal to the relaxation's objective is proven optimal. Otherwise, when the exact
model is small enough (`EXACT_MODEL_LIMIT` variables), CP-SAT solves it (one boolean per
request with a minimum), started from the repaired answer, within what is left of the time
limit; a bigger model keeps the repaired answer, recorded as FEASIBLE with the
relaxation's objective as its bound (decision 0031). OPTIMAL is shown only when proven.
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

import numpy as np
from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

from synergy_hub.allocation.problem import VALUE, Problem, Request, SlotKey, tranches, utility


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


class _Layout:
    """The requests and slots as arrays, for the repair's vectorised steps.

    Request i may use rows `rows[i]` (padded with a row of no capacity) and slots
    `first[i]`..`last[i]`; `capacity` is indexed by (row, slot).
    """

    def __init__(self, problem: Problem) -> None:
        index, periods = _resource_index(problem)
        self.names = sorted(index, key=index.__getitem__)
        self.periods = periods
        requests = problem.requests
        n = len(requests)
        padding = len(index)
        width = max(len(r.resources) for r in requests)
        self.rows = np.full((n, width), padding, dtype=np.int64)
        for i, request in enumerate(requests):
            self.rows[i, : len(request.resources)] = [index[r] for r in request.resources]
        self.first = np.asarray([r.first for r in requests], dtype=np.int64)
        self.last = np.asarray([r.last for r in requests], dtype=np.int64)
        self.window = int((self.last - self.first).max()) + 1
        self.quantity = np.asarray([r.quantity for r in requests], dtype=np.int64)
        self.minimum = np.asarray([r.minimum for r in requests], dtype=np.int64)
        self.capacity = np.zeros((padding + 1, periods), dtype=np.int64)
        for (resource, t), units in problem.capacity.items():
            self.capacity[index[resource], t] = units
        self.steps = [tranches(problem, r) for r in requests]

    def open(self, free: np.ndarray) -> np.ndarray:
        """Which requests still have a slot with free capacity in their window."""
        seen = np.zeros((free.shape[0], self.periods + 1), dtype=np.int64)
        seen[:, 1:] = np.cumsum(free > 0, axis=1)
        counts = seen[self.rows, self.last[:, None] + 1] - seen[self.rows, self.first[:, None]]
        return np.asarray((counts > 0).any(axis=1))


def _residual_flow(
    problem: Problem,
    layout: _Layout,
    free: np.ndarray,
    asks: list[tuple[int, int, int | None]],
) -> tuple[dict[int, dict[SlotKey, int]], str]:
    """More units for some requests from the capacity still free, by one small flow.

    `asks` holds (request index, units it already has, rank): a request's extra units are
    worth its weight and the fairness values of its tranches from where it stands, so the
    disclosed objective decides here as in the relaxation. A request with a rank (one that
    has nothing yet and needs a minimum) gets one arc worth its rank instead of its
    fairness steps, so that ties among equal weights go to one request after another
    rather than leaving several under their minimum. Only free slots are nodes.
    """
    requests = problem.requests
    slot_rows, slot_times = np.nonzero(free > 0)
    node = np.full(free.shape, -1, dtype=np.int64)
    node[slot_rows, slot_times] = np.arange(slot_rows.size)
    m = len(asks)
    source, sink, first_request = 0, 1, 2
    first_slot = first_request + m
    idx = np.asarray([i for i, _, _ in asks], dtype=np.int64)
    room = np.asarray([requests[i].quantity - have for i, have, _ in asks], dtype=np.int64)
    top = max((rank for _, _, rank in asks if rank is not None), default=0)
    units = min(int(free[slot_rows, slot_times].sum()), int(room.sum()))
    scale = (VALUE + top) * max(units, 1) + 1
    t_tail: list[int] = []
    t_cap: list[int] = []
    t_cost: list[int] = []
    for k, (i, have, rank) in enumerate(asks):
        weight = requests[i].weight
        if rank is not None:
            steps = [(requests[i].quantity, VALUE + rank)]
        else:
            steps = []
            skip = have
            for length, worth in layout.steps[i]:
                cut = min(skip, length)
                skip -= cut
                if length > cut:
                    steps.append((length - cut, worth))
        for length, worth in steps:
            t_tail.append(first_request + k)
            t_cap.append(length)
            t_cost.append(-(scale * weight + worth))
    # Ask → free slot, for every resource of the request × every slot of its window.
    times = layout.first[idx, None] + np.arange(layout.window)[None, :]
    inside = times <= layout.last[idx, None]
    times = np.minimum(times, layout.periods - 1)
    rows = layout.rows[idx]
    nodes = node[rows[:, :, None], times[:, None, :]]
    usable = (nodes >= 0) & inside[:, None, :]
    ask_of, resource_of, time_of = np.nonzero(usable)
    slot_nodes = nodes[ask_of, resource_of, time_of]
    arc_count = int(ask_of.size)
    tails = np.concatenate(
        [
            np.full(len(t_tail), source),
            first_request + ask_of,
            first_slot + np.arange(slot_rows.size),
            [source],
        ]
    ).astype(np.int32)
    heads = np.concatenate(
        [
            np.asarray(t_tail, dtype=np.int64),
            first_slot + slot_nodes,
            np.full(slot_rows.size, sink),
            [sink],
        ]
    ).astype(np.int32)
    total = int(room.sum())
    caps = np.concatenate(
        [
            np.asarray(t_cap, dtype=np.int64),
            room[ask_of],
            free[slot_rows, slot_times],
            [total],
        ]
    ).astype(np.int64)
    costs = np.concatenate(
        [np.asarray(t_cost, dtype=np.int64), np.zeros(arc_count + slot_rows.size + 1)]
    ).astype(np.int64)
    solver = min_cost_flow.SimpleMinCostFlow()
    solver.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    solver.set_node_supply(source, total)
    solver.set_node_supply(sink, -total)
    found: dict[int, dict[SlotKey, int]] = {i: {} for i, _, _ in asks}
    if solver.solve() != solver.OPTIMAL:
        return found, "NOT_SOLVED"
    start = len(t_tail)
    flows = solver.flows(np.arange(start, start + arc_count, dtype=np.int32))
    for arc in np.nonzero(flows)[0].tolist():
        k = int(ask_of[arc])
        row = int(rows[k, resource_of[arc]])
        slot = (layout.names[row], int(times[k, time_of[arc]]))
        found[int(idx[k])][slot] = int(flows[arc])
    return found, "OPTIMAL"


def _repair(
    problem: Problem, placement: dict[str, dict[SlotKey, int]], violating: list[Request]
) -> dict[str, dict[SlotKey, int]]:
    """A feasible allocation from the relaxation, by small flows on what is left free.

    The requests the relaxation left under their minimum get nothing; the capacity this
    frees goes, by a flow over the free slots only, to requests that already hold their
    minimum (any extra unit is allowed for them) and to those still at nothing. What that
    flow gives is kept except to those of the latter left under their minimum: they get
    nothing, are not tried again, and the next flow shares what they leave free (at most
    `MAX_REPAIRS` flows); a last flow gives what is still free to the requests for which
    any unit is allowed. Each flow covers only the free slots, so it is small next to
    the relaxation.
    """
    requests = problem.requests
    if not requests:
        return {}
    layout = _Layout(problem)
    row = {name: k for k, name in enumerate(layout.names)}
    dropped = {r.key for r in violating}
    current = [{} if r.key in dropped else dict(placement.get(r.key, {})) for r in requests]
    have = np.asarray([sum(parts.values()) for parts in current], dtype=np.int64)
    free = layout.capacity.copy()
    for parts in current:
        for (resource, t), units in parts.items():
            free[row[resource], t] -= units

    def merge(extra: dict[int, dict[SlotKey, int]]) -> None:
        for i, parts in extra.items():
            for slot, units in parts.items():
                current[i][slot] = current[i].get(slot, 0) + units
                free[row[slot[0]], slot[1]] -= units
                have[i] += units

    def safe(open_now: np.ndarray) -> list[tuple[int, int, int | None]]:
        wanted = open_now & (have < layout.quantity) & ((have > 0) | (layout.minimum <= 1))
        return [(int(i), int(have[i]), None) for i in np.nonzero(wanted)[0]]

    excluded = np.zeros(len(requests), dtype=bool)
    for _ in range(MAX_REPAIRS):
        open_now = layout.open(free)
        candidates = np.nonzero(open_now & (have == 0) & (layout.minimum > 1) & ~excluded)[0]
        if candidates.size == 0:
            break
        waiting = sorted(
            candidates.tolist(), key=lambda i: (requests[i].minimum, requests[i].key), reverse=True
        )
        asks: list[tuple[int, int, int | None]] = [
            (i, 0, rank) for rank, i in enumerate(waiting, start=1)
        ]
        extra, status = _residual_flow(problem, layout, free, safe(open_now) + asks)
        if status != "OPTIMAL":
            break
        broken = {i for i in waiting if 0 < sum(extra[i].values()) < requests[i].minimum}
        # Whatever holds its minimum is kept; the requests left under theirs get nothing
        # and are not tried again, and the next flow shares what they leave free.
        merge({i: parts for i, parts in extra.items() if i not in broken})
        if not broken:
            break
        excluded[list(broken)] = True
    last = safe(layout.open(free))
    if last:
        extra, status = _residual_flow(problem, layout, free, last)
        if status == "OPTIMAL":
            merge(extra)
    return {r.key: current[i] for i, r in enumerate(requests)}


#: How many times a repair flow is re-solved without the requests under their minimum.
MAX_REPAIRS = 10
#: The largest exact model (integer variables: request × slot pairs) handed to CP-SAT.
#: Above it, building the model alone takes longer than a round's time budget on two
#: cores (decision 0031): the repaired flow is the answer, with its gap to the bound.
EXACT_MODEL_LIMIT = 100_000


def solve(
    problem: Problem,
    *,
    time_limit: float = 60.0,
    workers: int = 2,
    exact_limit: int = EXACT_MODEL_LIMIT,
) -> Result:
    """The allocation that maximises the disclosed objective, with how it was found.

    `bound` is the relaxation's objective (no minimums): no allocation can do better, so
    `objective` equal to `bound` proves optimality whatever the method, and the gap
    between them bounds how far a time-limited answer may be from the optimum. CP-SAT is
    tried only on exact models of at most `exact_limit` variables.
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
    # A good feasible answer first (the relaxation repaired by small flows over what is
    # left free), then, where the exact model is small enough to build and solve within the
    # time limit, CP-SAT started from it for the proven optimum.
    repaired = _repair(problem, placement, violating)
    fallback = utility(problem, _granted(repaired))
    size = sum(len(r.resources) * (r.last - r.first + 1) for r in problem.requests)
    if fallback == bound or size > exact_limit:
        # Equal to the bound: optimal, proven by the relaxation. Otherwise the model is too
        # big for CP-SAT in the time: the repaired flow stands, feasible and not proven
        # optimal, with its gap to the bound recorded.
        return Result(
            method=Method.FLOW_REPAIR,
            status="OPTIMAL" if fallback == bound else "FEASIBLE",
            placement=repaired,
            objective=fallback,
            variables=arcs,
            constraints=nodes,
            seconds=time.perf_counter() - started,
            relaxation_violations=len(violating),
            bound=bound,
        )
    left = max(time_limit - (time.perf_counter() - started), 0.001)
    exact, variables, constraints, cp_status, stats = _cp_sat(
        problem, repaired, time_limit=left, workers=workers
    )
    method = Method.CP_SAT
    objective = utility(problem, _granted(exact))
    if cp_status not in ("OPTIMAL", "FEASIBLE") or objective < fallback:
        # CP-SAT found nothing better within its time: keep the repaired flow, whose
        # status stays the solver's (not proven optimal).
        exact, objective, method = repaired, fallback, Method.FLOW_REPAIR
        if cp_status == "OPTIMAL":
            cp_status = "FEASIBLE"
    if objective == bound:
        cp_status = "OPTIMAL"
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
