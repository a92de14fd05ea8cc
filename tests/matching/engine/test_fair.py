"""FA*IR: the published fairsearchcore vectors, exact checks and re-ranking properties."""

from __future__ import annotations

import itertools
import json
import math
from fractions import Fraction

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from synergy_hub.eligibility import Seeker
from synergy_hub.matching.engine import fair
from synergy_hub.matching.engine.candidates import SearchFilters
from synergy_hub.matching.engine.ranking import DEFAULT_CONFIG, score

from .test_candidates import NOW, make_candidate, make_facts

# --- published vectors (fairsearchcore, tests/test_fair.py) --------------------------------

UNADJUSTED = [
    (10, 0.2, 0.15, (0, 0, 0, 0, 0, 0, 0, 0, 1, 1)),
    (20, 0.25, 0.1, (0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3)),
    (30, 0.3, 0.05, (0,) * 8 + (1,) * 5 + (2,) * 5 + (3,) * 5 + (4,) * 4 + (5,) * 3),
]
ADJUSTED = [
    (10, 0.2, 0.15, (0, 0, 0, 0, 0, 0, 0, 0, 1, 1)),
    (20, 0.25, 0.1, (0,) * 8 + (1,) * 7 + (2,) * 5),
    (30, 0.3, 0.05, (0,) * 10 + (1,) * 6 + (2,) * 5 + (3,) * 4 + (4,) * 5),
]
ADJUSTED_ALPHA = [(10, 0.2, 0.15, 0.15), (20, 0.25, 0.1, 0.078125), (30, 0.3, 0.15, 0.0796875)]
ADJUSTED_FAILURE = [
    (10, 0.2, 0.15, 0.13421772800000065),
    (20, 0.25, 0.1, 0.10515247355215251),
    (30, 0.3, 0.05, 0.04877730797178359),
]


@pytest.mark.parametrize(("k", "p", "alpha", "expected"), UNADJUSTED)
def test_unadjusted_mtable(k: int, p: float, alpha: float, expected: tuple[int, ...]) -> None:
    assert fair.mtable(k, p, alpha) == expected


@pytest.mark.parametrize(("k", "p", "alpha", "expected"), ADJUSTED)
def test_adjusted_mtable(k: int, p: float, alpha: float, expected: tuple[int, ...]) -> None:
    assert fair.adjusted_mtable(k, p, alpha) == expected


@pytest.mark.parametrize(("k", "p", "alpha", "expected"), ADJUSTED_ALPHA)
def test_adjusted_alpha(k: int, p: float, alpha: float, expected: float) -> None:
    assert fair.adjust_alpha(k, p, alpha).alpha == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(("k", "p", "alpha", "expected"), ADJUSTED_FAILURE)
def test_failure_probability_of_adjusted_table(
    k: int, p: float, alpha: float, expected: float
) -> None:
    table = fair.adjusted_mtable(k, p, alpha)
    assert fair.failure_probability(table, p) == pytest.approx(expected, abs=1e-12)
    assert fair.adjust_alpha(k, p, alpha).failure_probability == pytest.approx(expected, abs=1e-12)


def test_failure_probability_of_unadjusted_table_and_the_last_position() -> None:
    """fairsearchcore's 0.11517507 leaves position k out; all 20 positions give 0.14688719."""
    table = fair.mtable(20, 0.25, 0.1)
    assert fair.failure_probability(table, 0.25) == pytest.approx(0.11517506930977, abs=1e-12)
    exact = fair.failure_probability(table, 0.25, include_last=True)
    assert exact == pytest.approx(0.14688718869911, abs=1e-12)
    # The convention is exactly "test positions 1..k-1".
    assert fair.failure_probability(table, 0.25) == fair.failure_probability(
        table[:-1], 0.25, include_last=True
    )
    # The adjusted table has no new requirement at position 20, so both conventions agree.
    adjusted = fair.adjusted_mtable(20, 0.25, 0.1)
    assert fair.failure_probability(adjusted, 0.25, include_last=True) == pytest.approx(
        0.10515247355215, abs=1e-12
    )


def test_counting_the_last_position_changes_one_published_alpha() -> None:
    """Counting all k positions, k=30, p=0.3, α=0.15 settles on 0.075, not 0.0796875."""
    exact = fair.adjust_alpha(30, 0.3, 0.15, include_last=True)
    assert exact.alpha == 0.075
    assert fair.adjust_alpha(20, 0.25, 0.1, include_last=True).alpha == pytest.approx(0.078125)


@pytest.mark.parametrize(("k", "p", "alpha"), [(10, 0.2, 0.15), (20, 0.25, 0.1), (30, 0.3, 0.05)])
def test_adjusted_table_is_the_table_at_adjusted_alpha(k: int, p: float, alpha: float) -> None:
    adjustment = fair.adjust_alpha(k, p, alpha)
    assert fair.mtable(k, p, adjustment.alpha) == adjustment.mtable


F, T = False, True
FAIR_RANKINGS = [  # fairsearchcore test_is_fair, best first
    (20, 0.25, 0.1, [F, T, F, F, F, F, F, T, F, T, F, F, T, F, F, T, T, F, F, F]),
    (20, 0.3, 0.1, [F, T, F, T, T, F, F, T, F, T, F, F, T, F, F, T, T, F, F, F]),
]
UNFAIR_RANKINGS = [  # fairsearchcore test_re_rank
    (20, 0.25, 0.1, [F] * 15 + [T] * 5),
    (20, 0.3, 0.1, [F] * 9 + [T, T, F, T, F, F, T, T, T, T, T]),
]


@pytest.mark.parametrize(("k", "p", "alpha", "flags"), FAIR_RANKINGS)
def test_published_fair_rankings(k: int, p: float, alpha: float, flags: list[bool]) -> None:
    assert len(flags) == k
    assert fair.is_fair(flags, p, alpha)


@pytest.mark.parametrize(("k", "p", "alpha", "flags"), UNFAIR_RANKINGS)
def test_published_rerank_cases(k: int, p: float, alpha: float, flags: list[bool]) -> None:
    ranking = list(enumerate(flags))  # (input position, protected), best first
    assert not fair.is_fair(flags, p, alpha)
    reranked = fair.fair_rerank(ranking, lambda item: item[1], fair.adjusted_mtable(k, p, alpha))
    assert sorted(reranked) == ranking
    assert fair.is_fair([flag for _, flag in reranked], p, alpha)


# --- exact arithmetic checks ---------------------------------------------------------------


def exact_pmf(n: int, p: Fraction) -> list[Fraction]:
    """P(X = i) for i = 0..n, X ~ Binomial(n, p), in exact rational arithmetic."""
    return [math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(n + 1)]


def exact_cdf(x: int, n: int, p: Fraction) -> Fraction:
    """P(X <= x) for Binomial(n, p), in exact rational arithmetic."""
    return sum(exact_pmf(n, p)[: x + 1], Fraction(0))


@pytest.mark.parametrize("p", [0.25, 0.3, 0.5, 0.9])
@pytest.mark.parametrize("n", [0, 1, 7, 20, 60])
def test_binomial_cdf_matches_exact_sum(n: int, p: float) -> None:
    for x in range(-1, n + 2):
        expected = float(exact_cdf(min(x, n), n, Fraction(p))) if x >= 0 else 0.0
        assert fair.binomial_cdf(x, n, p) == pytest.approx(expected, rel=1e-12, abs=1e-300)


@settings(deadline=None)
@given(
    n=st.integers(0, 40),
    p=st.sampled_from([0.05, 0.1, 0.25, 0.3, 0.5, 0.75, 0.9]),
    q=st.floats(0.001, 0.999),
)
def test_binomial_ppf_is_the_smallest_quantile(n: int, p: float, q: float) -> None:
    x = fair.binomial_ppf(q, n, p)
    exact = list(itertools.accumulate(exact_pmf(n, Fraction(p))))
    # Skip knife-edge cases where rounding could legitimately decide either way.
    assume(all(abs(float(c) - q) > 1e-9 for c in exact))
    assert exact[x] >= Fraction(q)
    assert x == 0 or exact[x - 1] < Fraction(q)


def brute_force_failure(table: tuple[int, ...], p: float, positions: int) -> float:
    """Sum the probability of every protected/unprotected pattern that violates the table."""
    total = 0.0
    for flags in itertools.product((False, True), repeat=len(table)):
        prefix = itertools.accumulate(flags[:positions])
        if any(count < need for count, need in zip(prefix, table, strict=False)):
            total += math.prod(p if flag else 1 - p for flag in flags)
    return total


@settings(deadline=None)
@given(k=st.integers(1, 10), p=st.floats(0.05, 0.95), alpha=st.floats(0.01, 0.5))
def test_failure_probability_matches_enumeration(k: int, p: float, alpha: float) -> None:
    table = fair.mtable(k, p, alpha)
    for include_last, positions in ((True, k), (False, k - 1)):
        expected = brute_force_failure(table, p, positions)
        got = fair.failure_probability(table, p, include_last=include_last)
        assert got == pytest.approx(expected, abs=1e-12)


@settings(deadline=None)
@given(k=st.integers(1, 120), p=st.floats(0.02, 0.98), alpha=st.floats(0.001, 0.5))
def test_mtable_shape_and_adjustment_bounds(k: int, p: float, alpha: float) -> None:
    table = fair.mtable(k, p, alpha)
    fair.validate_mtable(table)  # starts at 0 or 1, rises by at most one, never above i
    adjustment = fair.adjust_alpha(k, p, alpha)
    assert 0.0 <= adjustment.alpha <= alpha
    assert all(a <= b for a, b in zip(adjustment.mtable, table, strict=True))
    fair.validate_mtable(adjustment.mtable)


@pytest.mark.parametrize(
    ("table", "message"),
    [((2,), "at most one"), ((0, 1, 0), ">= 1"), ((0, 2), "at most one"), ((-1,), ">= 0")],
)
def test_invalid_tables_refused(table: tuple[int, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        fair.validate_mtable(table)


def test_parameters_validated() -> None:
    with pytest.raises(ValueError, match="alpha"):
        fair.mtable(10, 0.2, 0.0)
    with pytest.raises(ValueError, match="p:"):
        fair.adjust_alpha(10, 1.0, 0.1)
    with pytest.raises(ValueError, match="k:"):
        fair.mtable(0, 0.2, 0.1)


# --- re-ranking properties -----------------------------------------------------------------


@st.composite
def tables(draw: st.DrawFn) -> tuple[int, ...]:
    """Draw any table a ranking could meet: it starts at 0 or 1 and rises by 0 or 1."""
    steps = draw(st.lists(st.booleans(), max_size=30))
    return tuple(itertools.accumulate(int(step) for step in steps))


rankings = st.lists(st.booleans(), max_size=40).map(lambda flags: list(enumerate(flags)))
published = st.sampled_from([(0.1, 0.1), (0.25, 0.1), (0.3, 0.05), (0.5, 0.15), (0.7, 0.1)])


def protected(item: tuple[int, bool]) -> bool:
    """The protected flag of a (position, flag) test item."""
    return item[1]


def check_rerank(ranking: list[tuple[int, bool]], table: tuple[int, ...]) -> None:
    """Assert the four properties of FA*IR's merge for one ranking and table."""
    reranked = fair.fair_rerank(ranking, protected, table)
    # A permutation of the input.
    assert sorted(reranked) == ranking
    # Each group keeps its input order.
    for flag in (False, True):
        positions = [index for index, f in reranked if f is flag]
        assert positions == sorted(positions)
    # The table holds wherever enough protected candidates exist.
    depth = min(len(table), len(ranking))
    flags = [f for _, f in reranked]
    if depth and sum(f for _, f in ranking) >= table[depth - 1]:
        assert fair.satisfies_mtable(flags, table)
    # An input that already meets the table is left alone.
    if fair.satisfies_mtable([f for _, f in ranking], table):
        assert reranked == ranking


@given(ranking=rankings, table=tables())
def test_rerank_properties_for_any_table(
    ranking: list[tuple[int, bool]], table: tuple[int, ...]
) -> None:
    check_rerank(ranking, table)


@given(ranking=rankings, p_alpha=published, k=st.integers(1, 40))
def test_rerank_properties_for_fair_tables(
    ranking: list[tuple[int, bool]], p_alpha: tuple[float, float], k: int
) -> None:
    p, alpha = p_alpha
    check_rerank(ranking, fair.adjusted_mtable(k, p, alpha))


def test_rerank_promotes_the_best_protected_items_first() -> None:
    ranking = [(i, i >= 6) for i in range(10)]
    table = (0, 0, 1, 1, 2, 2, 3, 3, 3, 3)
    order = [index for index, _ in fair.fair_rerank(ranking, protected, table)]
    assert order == [0, 1, 6, 2, 7, 3, 8, 4, 5, 9]


# --- the product's protected group ---------------------------------------------------------


def test_default_protected_group_is_smes_and_small_providers() -> None:
    group = fair.ProtectedGroup()
    assert group(make_facts(provider_size_class="small"))
    assert group(make_facts(provider_size_class="micro"))
    assert group(make_facts(provider_size_class="medium", provider_kind="sme"))
    assert not group(make_facts(provider_size_class="medium", provider_kind="provider"))
    assert not group(make_facts())
    with pytest.raises(ValueError, match="size_classes"):
        fair.ProtectedGroup(size_classes=frozenset({"tiny"}))


def test_fair_config_round_trip_and_validation() -> None:
    config = fair.FairConfig(k=20, p=0.25, alpha=0.1, group=fair.ProtectedGroup(kinds=frozenset()))
    assert fair.FairConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config
    with pytest.raises(ValueError, match="unknown key"):
        fair.FairConfig.from_dict({"boost": 1})
    with pytest.raises(ValueError, match="alpha"):
        fair.FairConfig(alpha=1.5)
    with pytest.raises(ValueError, match="adjust"):
        fair.FairConfig.from_dict({"adjust": "false"})


def test_rerank_results_lifts_small_providers_into_the_top() -> None:
    large = [
        make_candidate(0.9 - i * 0.01, resource_id=i, provider_size_class="large")
        for i in range(1, 16)
    ]
    small = [
        make_candidate(0.3, resource_id=100 + i, provider_size_class="small") for i in range(5)
    ]
    results = score(large + small, Seeker(), SearchFilters(), DEFAULT_CONFIG, NOW)
    config = fair.FairConfig(k=20, p=0.25, alpha=0.1)
    assert not fair.is_fair([config.group(r.facts) for r in results], 0.25, 0.1)
    reranked = fair.rerank_results(results, config)
    assert sorted(r.resource_id for r in reranked) == sorted(r.resource_id for r in results)
    assert fair.is_fair([config.group(r.facts) for r in reranked], 0.25, 0.1)
    assert fair.rerank_results([], config) == []
