"""The floor calibration's counting and choosing, on small hand-made query sets."""

from __future__ import annotations

import numpy as np
import pytest
from benchmarks.no_close_match import (
    FAMILIES,
    THRESHOLDS,
    Judged,
    choose,
    counts,
    folds,
    judge,
)

from synergy_hub.matching.engine.match_quality import FloorConfig


def query(
    query_id: str,
    cosines: list[float],
    coverages: list[float] | None = None,
    *,
    answerable: bool = True,
    first_relevant: bool = True,
    chinese: bool = False,
    crowding: list[float] | None = None,
) -> Judged:
    return Judged(
        query_id=query_id,
        answerable=answerable,
        first_relevant=answerable and first_relevant,
        chinese=chinese,
        cosine=np.asarray(cosines),
        coverage=np.asarray(coverages if coverages is not None else [0.0] * len(cosines)),
        other=np.zeros(len(cosines), dtype=bool),
        crowding=np.asarray(crowding if crowding is not None else [0.0] * len(cosines)),
    )


QUERIES = [
    query("a1", [0.6, 0.2]),
    query("a2", [0.5]),
    query("a3", [0.2], [0.5]),  # weak in meaning, but holds the query's words
    query("a4", [0.1], first_relevant=False),
    *(query(f"a{n}", [0.7]) for n in range(5, 11)),
    query("u1", [0.3, 0.35], answerable=False),
    query("u2", [0.2], [0.1], answerable=False),
]


def test_judge_counts_false_close_hidden_and_answers_without_a_close_match() -> None:
    floor = FloorConfig(threshold=0.4, coverage_weight=0.5)
    # a3: 0.2 + 0.25 passes; a4's first result is not relevant, so it hides nothing, but
    # the query has no close match; u1 and u2 stay below.
    assert judge(QUERIES, floor) == (0, 0, 1)
    assert judge(QUERIES, FloorConfig(threshold=0.3, coverage_weight=0.5)) == (1, 0, 1)
    assert judge(QUERIES, FloorConfig(threshold=0.55)) == (0, 2, 3)


def test_counts_agree_with_judge_at_every_threshold() -> None:
    false_close, hidden = counts(QUERIES, 0.5, 0.0)
    for at in (0.3, 0.4, 0.45, 0.55):
        row = int(np.argmin(abs(THRESHOLDS - at)))
        fc, hid, _ = judge(
            QUERIES, FloorConfig(threshold=float(THRESHOLDS[row]), coverage_weight=0.5)
        )
        assert (false_close[row], hidden[row]) == (fc, hid)


def test_the_choice_is_the_middle_of_the_widest_range_at_the_lowest_cost() -> None:
    chosen = choose(QUERIES, "test", True, FAMILIES["cosine-only"])
    # Cosine only, cost false close / 2 + 5 x hidden / 10: up to 0.2 both unanswerable
    # queries pass (1.0); up to 0.35 one passes and a3 is hidden (1.0); above 0.35 and up
    # to 0.5 only a3 is hidden (0.5), the best; its thresholds run 0.355-0.5.
    assert chosen.threshold == pytest.approx(0.425)
    assert chosen.coverage_weight == 0.0 and chosen.encoder == "test"
    assert judge(QUERIES, chosen)[:2] == (0, 1)
    weighted = choose(QUERIES, "test", True, FAMILIES["shipped"])
    assert judge(QUERIES, weighted)[:2] == (0, 0)


def test_folds_deal_unanswerable_queries_out_evenly() -> None:
    many = [query(f"a{i}", [0.5]) for i in range(10)] + [
        query(f"u{i}", [0.1], answerable=False) for i in range(5)
    ]
    fold = folds(many, 5, seed=3)
    for k in range(5):
        members = [q for q, f in zip(many, fold, strict=True) if f == k]
        assert sum(not q.answerable for q in members) == 1
        assert sum(q.answerable for q in members) == 2
    assert fold == folds(many, 5, seed=3)


def test_a_crowding_weight_is_chosen_where_crowded_documents_mislead() -> None:
    # The unanswerable queries' best results are as close in meaning as the answerable
    # ones', but they are generic documents with many near neighbours.
    crowded = [
        *(query(f"a{n}", [0.5], crowding=[-0.05]) for n in range(10)),
        *(query(f"u{n}", [0.5], answerable=False, crowding=[0.2]) for n in range(3)),
    ]
    assert judge(crowded, choose(crowded, "test", True, FAMILIES["no-crowding"]))[:2] != (0, 0)
    chosen = choose(crowded, "test", True, FAMILIES["shipped"])
    assert chosen.crowding_weight > 0
    assert judge(crowded, chosen)[:2] == (0, 0)
    # Equally good without it, the smaller weight wins.
    assert choose(QUERIES, "test", True, FAMILIES["shipped"]).crowding_weight == 0.0
