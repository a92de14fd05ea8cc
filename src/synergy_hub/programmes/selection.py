"""Exact selection of a pilot call's applications: pure Python on OR-Tools CP-SAT, no Django.

The call's officers fix the rules (budget, quotas, minimum share of SME-led projects); this
module finds the set of applications with the largest total normalised score that keeps
every rule, proves it optimal, breaks ties by a fixed rule and explains, for each
application that was left out, which rule stopped it (decision 0019).

Tie rule: among all selections with the optimal total score, the one whose applications
were submitted earliest is chosen, i.e. the one with the smallest sum of submission
positions; a tie that remains after that is resolved by the solver run single-threaded with
a fixed seed, so the same call always gives the same result.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

#: Reasons recorded for an application, in the order they are checked.
SELECTED = "selected"
NOT_ELIGIBLE = "not_eligible"
OVER_BUDGET_ALONE = "over_budget_alone"
BUDGET = "budget"
QUOTA = "quota"
MAX_PROJECTS = "max_projects"
SME_SHARE = "sme_share"
OUTSCORED = "outscored"


class SelectionError(Exception):
    """The problem cannot be solved as stated (bad numbers or no proof of optimality)."""


@dataclass(frozen=True)
class Candidate:
    """One eligible application as the solver sees it: integers only, so the optimum is exact.

    `points` is the normalised score in integer points (e.g. 0–10 000); `cost` the requested
    budget in whole units; `groups` the quota groups it counts towards ("region:330000",
    "industry:C", "pillar:open"); `order` its submission position (0 is first).
    """

    key: int
    points: int
    cost: int
    groups: frozenset[str] = frozenset()
    sme_led: bool = False
    order: int = 0


@dataclass(frozen=True)
class Problem:
    """A call's selection rules over its eligible candidates.

    `quotas` maps a group to the largest number of projects it may receive;
    `min_sme_share` is the smallest share (percent, 0–100) of SME-led projects among those
    selected; `max_projects` caps the number of projects (None: no cap).
    """

    candidates: Sequence[Candidate]
    budget: int
    quotas: dict[str, int] = field(default_factory=dict)
    min_sme_share: int = 0
    max_projects: int | None = None


@dataclass(frozen=True)
class Outcome:
    """Why one candidate was or was not selected, and its rank by score."""

    key: int
    selected: bool
    rank: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Result:
    """The optimal selection, its total score and budget, and every candidate's outcome."""

    selected: frozenset[int]
    total_points: int
    total_cost: int
    outcomes: tuple[Outcome, ...]
    wall_seconds: float


def check_problem(problem: Problem) -> None:
    """Refuse numbers the solver must not see (negative values, shares outside 0–100)."""
    if problem.budget < 0:
        raise SelectionError("budget must not be negative")
    if not 0 <= problem.min_sme_share <= 100:
        raise SelectionError("the minimum SME share must be between 0 and 100")
    if problem.max_projects is not None and problem.max_projects < 0:
        raise SelectionError("the maximum number of projects must not be negative")
    keys = set()
    for candidate in problem.candidates:
        if candidate.points < 0 or candidate.cost < 0:
            raise SelectionError(f"candidate {candidate.key}: negative points or cost")
        if candidate.key in keys:
            raise SelectionError(f"candidate {candidate.key} appears twice")
        keys.add(candidate.key)
    for group, maximum in problem.quotas.items():
        if maximum < 0:
            raise SelectionError(f"quota {group} must not be negative")


def is_feasible(problem: Problem, chosen: Sequence[Candidate]) -> bool:
    """Whether a set of candidates keeps every rule (used for explanations and by tests)."""
    return not violated_rules(problem, chosen)


def violated_rules(problem: Problem, chosen: Sequence[Candidate]) -> list[str]:
    """The rules a set of candidates breaks, as reason codes ("budget", "quota:region:…")."""
    broken: list[str] = []
    if sum(c.cost for c in chosen) > problem.budget:
        broken.append(BUDGET)
    for group, maximum in sorted(problem.quotas.items()):
        if sum(1 for c in chosen if group in c.groups) > maximum:
            broken.append(f"{QUOTA}:{group}")
    if problem.max_projects is not None and len(chosen) > problem.max_projects:
        broken.append(MAX_PROJECTS)
    smes = sum(1 for c in chosen if c.sme_led)
    if 100 * smes < problem.min_sme_share * len(chosen):
        broken.append(SME_SHARE)
    return broken


def _model(problem: Problem) -> tuple[cp_model.CpModel, dict[int, cp_model.IntVar]]:
    model = cp_model.CpModel()
    x = {c.key: model.new_bool_var(f"x{c.key}") for c in problem.candidates}
    model.add(sum(c.cost * x[c.key] for c in problem.candidates) <= problem.budget)
    for group, maximum in problem.quotas.items():
        members = [x[c.key] for c in problem.candidates if group in c.groups]
        if len(members) > maximum:
            model.add(sum(members) <= maximum)
    if problem.max_projects is not None:
        model.add(sum(x.values()) <= problem.max_projects)
    if problem.min_sme_share:
        share = problem.min_sme_share
        model.add(sum((100 * int(c.sme_led) - share) * x[c.key] for c in problem.candidates) >= 0)
    return model, x


def _solve(model: cp_model.CpModel, *, workers: int, time_limit: float) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = 0
    solver.parameters.max_time_in_seconds = time_limit
    status = solver.solve(model)
    if status != cp_model.OPTIMAL:
        raise SelectionError(
            f"no proven optimum within {time_limit:.0f} s ({solver.status_name(status)})"
        )
    return solver


def select(problem: Problem, *, workers: int = 2, time_limit: float = 60.0) -> Result:
    """The optimal selection with the documented tie rule, and every candidate's outcome."""
    check_problem(problem)
    candidates = list(problem.candidates)
    model, x = _model(problem)
    model.maximize(sum(c.points * x[c.key] for c in candidates))
    first = _solve(model, workers=workers, time_limit=time_limit)
    best = round(first.objective_value)
    wall = first.wall_time

    # Second stage: keep the optimum, prefer earlier submissions (smallest position sum).
    model.add(sum(c.points * x[c.key] for c in candidates) == best)
    model.clear_objective()
    model.minimize(sum(c.order * x[c.key] for c in candidates))
    for c in candidates:
        model.add_hint(x[c.key], first.boolean_value(x[c.key]))
    second = _solve(model, workers=1, time_limit=time_limit)
    wall += second.wall_time
    chosen_keys = frozenset(c.key for c in candidates if second.boolean_value(x[c.key]))
    chosen = [c for c in candidates if c.key in chosen_keys]
    return Result(
        selected=chosen_keys,
        total_points=sum(c.points for c in chosen),
        total_cost=sum(c.cost for c in chosen),
        outcomes=explain(problem, chosen_keys),
        wall_seconds=wall,
    )


def rank_order(candidates: Sequence[Candidate]) -> list[Candidate]:
    """Candidates by score, highest first; equal scores by submission order."""
    return sorted(candidates, key=lambda c: (-c.points, c.order, c.key))


def explain(problem: Problem, chosen_keys: frozenset[int]) -> tuple[Outcome, ...]:
    """For each candidate: selected, or the rules that adding it to the selection would break.

    A left-out candidate that breaks no rule when added was displaced: taking it would have
    meant dropping better-scored ones ("outscored"), which only happens with zero points.
    """
    chosen = [c for c in problem.candidates if c.key in chosen_keys]
    outcomes = []
    for rank, candidate in enumerate(rank_order(problem.candidates), start=1):
        if candidate.key in chosen_keys:
            outcomes.append(Outcome(candidate.key, True, rank, (SELECTED,)))
            continue
        if candidate.cost > problem.budget:
            reasons: list[str] = [OVER_BUDGET_ALONE]
        else:
            reasons = violated_rules(problem, [*chosen, candidate]) or [OUTSCORED]
        outcomes.append(Outcome(candidate.key, False, rank, tuple(reasons)))
    return tuple(outcomes)
