"""The allocation solver against a brute force on small instances, and its statements."""

from __future__ import annotations

import itertools
import random
from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from synergy_hub.allocation import (
    Fairness,
    Method,
    Problem,
    Request,
    SlotKey,
    explain,
    solve,
    utility,
)


def _splits(total: int, parts: int) -> list[tuple[int, ...]]:
    """Every way to put at most `total` units into `parts` ordered slots."""
    return [
        combo for combo in itertools.product(range(total + 1), repeat=parts) if sum(combo) <= total
    ]


def brute_force(problem: Problem) -> tuple[int, int]:
    """The best (weighted units, fairness value) over every feasible allocation."""
    options = []
    for request in problem.requests:
        arcs = problem.arcs(request)
        choices = []
        for combo in _splits(request.quantity, len(arcs)):
            total = sum(combo)
            if 0 < total < request.minimum:
                continue
            choices.append(dict(zip(arcs, combo, strict=True)))
        options.append(choices)
    best = (0, 0)
    for pick in itertools.product(*options):
        used: dict[SlotKey, int] = defaultdict(int)
        for parts in pick:
            for slot, units in parts.items():
                used[slot] += units
        if any(units > problem.capacity[slot] for slot, units in used.items()):
            continue
        granted = {
            r.key: sum(parts.values()) for r, parts in zip(problem.requests, pick, strict=True)
        }
        best = max(best, utility(problem, granted))
    return best


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    resources = ["a", "b"][: draw(st.integers(1, 2))]
    periods = draw(st.integers(1, 2))
    capacity = {(r, t): draw(st.integers(0, 3)) for r in resources for t in range(periods)}
    requests = []
    for i in range(draw(st.integers(1, 3))):
        quantity = draw(st.integers(1, 3))
        first = draw(st.integers(0, periods - 1))
        requests.append(
            Request(
                key=f"r{i}",
                quantity=quantity,
                minimum=draw(st.integers(0, quantity)),
                first=first,
                last=draw(st.integers(first, periods - 1)),
                resources=tuple(draw(st.sets(st.sampled_from(resources), min_size=1))),
                weight=draw(st.integers(1, 3)),
            )
        )
    return Problem(capacity, requests, draw(st.sampled_from(list(Fairness))))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_the_solver_finds_the_brute_force_optimum_within_every_constraint(
    problem: Problem,
) -> None:
    result = solve(problem, time_limit=10)
    assert result.optimal
    assert result.objective == brute_force(problem)
    used: dict[SlotKey, int] = defaultdict(int)
    for request in problem.requests:
        parts = result.placement[request.key]
        granted = sum(parts.values())
        assert granted == 0 or request.minimum <= granted <= request.quantity
        for (resource, t), units in parts.items():
            assert resource in request.resources and request.first <= t <= request.last
            used[(resource, t)] += units
    assert all(units <= problem.capacity[slot] for slot, units in used.items())


def _one_slot(capacity: int, *requests: Request, fairness: Fairness = Fairness.PROPORTIONAL):
    return Problem({("lab", 0): capacity}, list(requests), fairness)


def _ask(key: str, quantity: int, *, minimum: int = 0, weight: int = 1, window=(0, 0)) -> Request:
    return Request(key, quantity, minimum, window[0], window[1], ("lab",), weight)


def test_higher_priority_is_served_first_and_the_statement_says_so() -> None:
    problem = _one_slot(10, _ask("micro", 8, weight=4), _ask("large", 8, weight=1))
    result = solve(problem)
    assert result.method is Method.MIN_COST_FLOW and result.granted == {"micro": 8, "large": 2}
    statement = explain(problem, result)["large"]
    codes = [r.code for r in statement.reasons]
    assert codes == ["capacity", "priority"]
    assert statement.reasons[0].slots == (("lab", 0),)
    assert explain(problem, result)["micro"].reasons[0].code == "full"


@pytest.mark.parametrize(
    ("capacity", "big", "fairness", "expected"),
    [
        (12, 12, Fairness.PROPORTIONAL, {"small": 3, "big": 9}),  # three quarters each
        (12, 12, Fairness.MAX_MIN, {"small": 4, "big": 8}),  # the small one in full first
        (10, 16, Fairness.PROPORTIONAL, {"small": 2, "big": 8}),  # half each
        (10, 16, Fairness.MAX_MIN, {"small": 4, "big": 6}),  # equal units first
    ],
)
def test_equal_priorities_share_by_the_round_rule(
    capacity: int, big: int, fairness: Fairness, expected: dict[str, int]
) -> None:
    problem = _one_slot(capacity, _ask("small", 4), _ask("big", big), fairness=fairness)
    result = solve(problem)
    assert result.granted == expected
    reasons = [r.code for r in explain(problem, result)["big"].reasons]
    assert reasons == ["capacity", "fairness"]


def test_a_minimum_that_cannot_be_met_gets_nothing_and_says_why() -> None:
    problem = _one_slot(10, _ask("first", 7, weight=3), _ask("second", 6, minimum=5))
    result = solve(problem)
    assert result.method is Method.CP_SAT and result.optimal
    assert result.relaxation_violations == 1
    assert result.granted == {"first": 7, "second": 0}
    reasons = explain(problem, result)["second"].reasons
    assert [r.code for r in reasons] == ["minimum"]
    assert reasons[0].params == {"minimum": 5, "free": 3}


def test_free_capacity_outside_the_window_is_named() -> None:
    problem = Problem(
        {("lab", 0): 1, ("lab", 1): 5},
        [_ask("early", 3, window=(0, 0))],
    )
    result = solve(problem)
    assert result.granted == {"early": 1}
    assert [r.code for r in explain(problem, result)["early"].reasons] == ["capacity", "window"]


def test_flexible_requests_spread_over_equivalent_resources() -> None:
    problem = Problem(
        {("a", 0): 2, ("b", 0): 2},
        [Request("flex", 4, 4, 0, 0, ("a", "b"), 1), Request("fixed", 2, 0, 0, 0, ("a",), 1)],
    )
    result = solve(problem)
    # Four units are placed only if the flexible request takes both resources in full.
    assert result.granted == {"flex": 4, "fixed": 0}


@pytest.mark.parametrize(
    "bad",
    [
        {"quantity": 0},
        {"minimum": 5},
        {"first": 2, "last": 1},
        {"resources": ()},
        {"weight": 0},
    ],
)
def test_bad_requests_are_refused(bad: dict) -> None:
    fields = {
        "key": "r",
        "quantity": 3,
        "minimum": 0,
        "first": 0,
        "last": 0,
        "resources": ("a",),
        "weight": 1,
    } | bad
    with pytest.raises(ValueError):
        Request(**fields)


def test_a_time_limited_answer_is_feasible_and_below_the_relaxations_bound() -> None:
    capacity = {("lab", t): 5 for t in range(6)}
    requests = [
        Request(f"r{i}", 4 + i % 5, 4 + i % 5, i % 3, i % 3 + 2, ("lab",), 1 + i % 4)
        for i in range(40)
    ]
    problem = Problem(capacity, requests)
    result = solve(problem, time_limit=0.001, workers=1)
    assert result.method in (Method.CP_SAT, Method.FLOW_REPAIR)
    assert result.bound is not None and result.objective <= result.bound
    used: dict[SlotKey, int] = defaultdict(int)
    for request in requests:
        granted = sum(result.placement[request.key].values())
        assert granted in (0, request.quantity)  # all or nothing here
        for slot, units in result.placement[request.key].items():
            used[slot] += units
    assert all(units <= capacity[slot] for slot, units in used.items())
    assert sum(used.values()) > 0


def _check_feasible(problem: Problem, placement: dict[str, dict[SlotKey, int]]) -> None:
    used: dict[SlotKey, int] = defaultdict(int)
    for request in problem.requests:
        parts = placement[request.key]
        granted = sum(parts.values())
        assert granted == 0 or request.minimum <= granted <= request.quantity
        for (resource, t), units in parts.items():
            assert resource in request.resources and request.first <= t <= request.last
            used[(resource, t)] += units
    assert all(units <= problem.capacity[slot] for slot, units in used.items())


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(problems())
def test_the_repaired_flow_is_feasible_and_called_optimal_only_when_it_is(
    problem: Problem,
) -> None:
    # Without CP-SAT (as for a round too big for it): the relaxation repaired by flows.
    result = solve(problem, exact_limit=0)
    best = brute_force(problem)
    _check_feasible(problem, result.placement)
    assert result.objective == utility(problem, result.granted)
    assert result.objective <= best
    assert result.bound is not None and best <= result.bound
    if result.optimal:
        assert result.objective == best
    else:
        assert result.status == "FEASIBLE" and result.objective < result.bound


def test_all_or_nothing_requests_at_scale_are_repaired_close_to_the_bound() -> None:
    # 400 all-or-nothing requests competing for 20 resources × 10 slots: the relaxation
    # splits many; the repair keeps every request at 0 or its whole quantity.
    rng = random.Random(3)
    resources = [f"pool{r}" for r in range(20)]
    capacity = {(r, t): rng.randint(5, 40) for r in resources for t in range(10)}
    requests = []
    for i in range(400):
        quantity = rng.randint(1, 60)
        first = rng.randint(0, 6)
        requests.append(
            Request(
                f"q{i}",
                quantity,
                quantity,
                first,
                first + 3,
                tuple(rng.sample(resources, 4)),
                rng.randint(1, 6),
            )
        )
    problem = Problem(capacity, requests)
    result = solve(problem, exact_limit=0)
    assert result.relaxation_violations > 0
    assert result.method is Method.FLOW_REPAIR
    _check_feasible(problem, result.placement)
    assert all(units in (0, r.quantity) for r in requests for units in [result.granted[r.key]])
    assert result.bound is not None
    assert result.objective[0] >= 0.97 * result.bound[0]
    assert result.status == ("OPTIMAL" if result.objective == result.bound else "FEASIBLE")
