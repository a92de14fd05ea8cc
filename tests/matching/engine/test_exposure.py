"""Exposure audit: position discount, shares against relevance, merging and serialisation."""

from __future__ import annotations

import json
import math
from collections.abc import Hashable, Mapping
from typing import TypeVar

import pytest
from hypothesis import given
from hypothesis import strategies as st

from synergy_hub.eligibility import Seeker
from synergy_hub.matching.engine import exposure as ex
from synergy_hub.matching.engine.candidates import SearchFilters
from synergy_hub.matching.engine.ranking import DEFAULT_CONFIG, score

from .test_candidates import NOW, make_candidate

K = TypeVar("K", bound=Hashable)


def item(resource_id: int, provider_id: int, group: str, relevance: float) -> ex.ServedItem:
    """Build one served item."""
    return ex.ServedItem(resource_id, provider_id, group, relevance)


def test_position_exposure() -> None:
    assert ex.position_exposure(1) == 1.0
    assert ex.position_exposure(3) == 0.5
    assert ex.position_exposure(2) == pytest.approx(1 / math.log2(3))
    with pytest.raises(ValueError, match="position"):
        ex.position_exposure(0)


def test_shares_and_ratio_by_hand() -> None:
    accumulator = ex.ExposureAccumulator()
    # Two equally relevant items: the large provider at 1 (exposure 1), the small at 3 (0.5).
    accumulator.add_ranking(
        [item(1, 10, "large", 0.5), item(2, 11, "large", 0.0), item(3, 20, "small", 0.5)]
    )
    report = accumulator.report()
    assert report.rankings == 1
    large, small = report.groups
    exposure_total = 1.0 + 1 / math.log2(3) + 0.5
    assert (large.key, small.key) == ("large", "small")
    assert large.relevance_share == small.relevance_share == 0.5
    assert small.exposure_share == pytest.approx(0.5 / exposure_total)
    assert small.ratio == pytest.approx((0.5 / exposure_total) / 0.5)
    assert small.ratio is not None and large.ratio is not None
    assert small.ratio < 1 < large.ratio
    providers = {row.key: row for row in report.providers}
    assert providers["11"].ratio is None  # no relevance, no meaningful ratio
    assert providers["20"].impressions == 1


def test_items_below_the_cut_add_relevance_but_no_exposure() -> None:
    accumulator = ex.ExposureAccumulator()
    accumulator.add_ranking([item(1, 10, "large", 0.5), item(2, 20, "small", 0.5)], shown=1)
    large, small = accumulator.report().groups
    assert small.exposure == 0.0 and small.impressions == 0 and small.appearances == 1
    assert small.relevance_share == 0.5
    assert small.ratio == 0.0
    assert large.ratio == 2.0


def test_add_results_from_scored_rankings() -> None:
    candidates = [
        make_candidate(0.9, resource_id=1, provider_id=1, provider_size_class="large"),
        make_candidate(0.8, resource_id=2, provider_id=2, provider_size_class="micro"),
    ]
    results = score(candidates, Seeker(), SearchFilters(), DEFAULT_CONFIG, NOW)
    accumulator = ex.ExposureAccumulator()
    accumulator.add_results(results)
    groups = {row.key: row for row in accumulator.report().groups}
    assert set(groups) == {"large", "micro"}
    assert groups["micro"].relevance == 0.8
    assert math.isclose(sum(row.exposure_share for row in groups.values()), 1.0)


def test_empty_report() -> None:
    report = ex.ExposureAccumulator().report()
    assert report == ex.ExposureReport(0, (), ())


def test_bad_input_refused() -> None:
    with pytest.raises(ValueError, match="relevance"):
        item(1, 1, "small", -0.1)
    with pytest.raises(ValueError, match="shown"):
        ex.ExposureAccumulator().add_ranking([], shown=-1)
    with pytest.raises(ValueError, match="version"):
        ex.ExposureAccumulator.from_dict({"version": 99})


served_items = st.builds(
    ex.ServedItem,
    resource_id=st.integers(1, 100),
    provider_id=st.integers(1, 8),
    group=st.sampled_from(["large", "medium", "small", "micro"]),
    relevance=st.floats(0, 1),
)
served_rankings = st.lists(st.lists(served_items, max_size=12), max_size=8)


def accumulate(rankings: list[list[ex.ServedItem]]) -> ex.ExposureAccumulator:
    """Tally a batch of rankings in one accumulator."""
    accumulator = ex.ExposureAccumulator()
    for ranking in rankings:
        accumulator.add_ranking(ranking)
    return accumulator


def assert_tallies_close(mine: Mapping[K, ex.Tally], theirs: Mapping[K, ex.Tally]) -> None:
    """Compare two sets of tallies up to floating-point summation order."""
    assert set(mine) == set(theirs)
    for key, tally in mine.items():
        assert tally.exposure == pytest.approx(theirs[key].exposure)
        assert tally.relevance == pytest.approx(theirs[key].relevance)
        assert tally.impressions == theirs[key].impressions
        assert tally.appearances == theirs[key].appearances


def assert_close(first: ex.ExposureAccumulator, second: ex.ExposureAccumulator) -> None:
    """Compare two accumulators up to floating-point summation order."""
    assert first.rankings == second.rankings
    assert_tallies_close(first.groups, second.groups)
    assert_tallies_close(first.providers, second.providers)


@given(first=served_rankings, second=served_rankings)
def test_merge_equals_tallying_everything_at_once(
    first: list[list[ex.ServedItem]], second: list[list[ex.ServedItem]]
) -> None:
    merged = accumulate(first).merge(accumulate(second))
    assert_close(merged, accumulate(first + second))


@given(rankings=served_rankings)
def test_round_trip_through_json(rankings: list[list[ex.ServedItem]]) -> None:
    accumulator = accumulate(rankings)
    restored = ex.ExposureAccumulator.from_dict(json.loads(json.dumps(accumulator.to_dict())))
    assert restored == accumulator


@given(rankings=served_rankings)
def test_shares_sum_to_one(rankings: list[list[ex.ServedItem]]) -> None:
    report = accumulate(rankings).report()
    for rows in (report.groups, report.providers):
        if any(row.exposure for row in rows):
            assert math.fsum(row.exposure_share for row in rows) == pytest.approx(1.0)
        if any(row.relevance for row in rows):
            assert math.fsum(row.relevance_share for row in rows) == pytest.approx(1.0)
