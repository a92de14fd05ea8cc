"""The exact selection: optimal against brute force, every rule kept, ties and reasons."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from synergy_hub.programmes import selection
from synergy_hub.programmes.selection import Candidate, Problem

GROUPS = ["region:1", "region:2", "industry:C", "pillar:open"]


@st.composite
def problems(draw: st.DrawFn) -> Problem:
    n = draw(st.integers(min_value=0, max_value=9))
    candidates = [
        Candidate(
            key=i,
            points=draw(st.integers(min_value=0, max_value=20)),
            cost=draw(st.integers(min_value=0, max_value=10)),
            groups=frozenset(draw(st.lists(st.sampled_from(GROUPS), max_size=3))),
            sme_led=draw(st.booleans()),
            order=i,
        )
        for i in range(n)
    ]
    quotas = draw(st.dictionaries(st.sampled_from(GROUPS), st.integers(0, 4), max_size=3))
    return Problem(
        candidates=candidates,
        budget=draw(st.integers(min_value=0, max_value=40)),
        quotas=quotas,
        min_sme_share=draw(st.sampled_from([0, 30, 50, 100])),
        max_projects=draw(st.one_of(st.none(), st.integers(0, 6))),
    )


def brute_force(problem: Problem) -> tuple[int, int]:
    """The best total score and, among the best, the smallest sum of submission positions."""
    best = (0, 0)
    for size in range(len(problem.candidates) + 1):
        for chosen in itertools.combinations(problem.candidates, size):
            if selection.is_feasible(problem, chosen):
                value = (sum(c.points for c in chosen), -sum(c.order for c in chosen))
                best = max(best, value)
    return best[0], -best[1]


@settings(max_examples=150)
@given(problems())
def test_the_total_score_equals_the_brute_force_optimum(problem: Problem) -> None:
    result = selection.select(problem, workers=1)
    chosen = [c for c in problem.candidates if c.key in result.selected]
    assert selection.is_feasible(problem, chosen)
    best_points, best_order = brute_force(problem)
    assert result.total_points == best_points
    # The tie rule: among the optimal selections, the earliest submitted.
    assert sum(c.order for c in chosen) == best_order


@settings(max_examples=60)
@given(problems())
def test_every_left_out_application_has_a_reason(problem: Problem) -> None:
    result = selection.select(problem, workers=1)
    assert {o.key for o in result.outcomes} == {c.key for c in problem.candidates}
    for outcome in result.outcomes:
        assert outcome.selected == (outcome.key in result.selected)
        assert outcome.reasons
        if not outcome.selected:
            assert selection.SELECTED not in outcome.reasons


def test_quota_budget_and_sme_share_bind_and_are_named() -> None:
    candidates = [
        Candidate(1, 900, 50, frozenset({"region:1"}), sme_led=True, order=0),
        Candidate(2, 800, 10, frozenset({"region:1"}), sme_led=True, order=1),
        Candidate(3, 700, 80, frozenset({"region:2"}), sme_led=True, order=2),
        Candidate(4, 600, 20, frozenset({"region:2"}), sme_led=False, order=3),
        Candidate(5, 500, 500, frozenset(), sme_led=True, order=4),
    ]
    problem = Problem(candidates, budget=150, quotas={"region:1": 1}, min_sme_share=70)
    result = selection.select(problem)
    assert result.selected == {1, 3}
    reasons = {o.key: o.reasons for o in result.outcomes}
    assert reasons[2] == ("quota:region:1",)
    assert reasons[4] == ("sme_share",)
    assert reasons[5] == ("over_budget_alone",)
    assert [o.rank for o in result.outcomes] == [1, 2, 3, 4, 5]


def test_ties_go_to_the_earlier_submission() -> None:
    candidates = [Candidate(k, 100, 10, order=k) for k in (3, 1, 2)]
    result = selection.select(Problem(candidates, budget=20))
    assert result.selected == {1, 2}


def test_bad_numbers_are_refused() -> None:
    with pytest.raises(selection.SelectionError):
        selection.select(Problem([Candidate(1, -1, 0)], budget=1))
    with pytest.raises(selection.SelectionError):
        selection.select(Problem([], budget=1, min_sme_share=101))
