"""The benchmark's ranking metrics, checked against values worked out by hand."""

from __future__ import annotations

import math

import pytest
from benchmarks.metrics import dcg, evaluate, ndcg_at_k, per_query, recall_at_k


def test_dcg_matches_the_textbook_example() -> None:
    # Gains 3, 2, 3, 0, 1, 2: 3/1 + 2/log2(3) + 3/2 + 0 + 1/log2(6) + 2/log2(7) = 6.861.
    assert dcg([3, 2, 3, 0, 1, 2]) == pytest.approx(6.861, abs=1e-3)


def test_ndcg_with_graded_judgments() -> None:
    judgments = {"a": 3, "c": 2, "d": 1}
    # DCG: a (3) at rank 1 gives 3, c (2) at rank 3 gives 2 / log2(4) = 1: total 4.
    # Ideal: 3, 2, 1 gives 3 + 2 / log2(3) + 1 / 2 = 4.76186.
    expected = 4 / (3 + 2 / math.log2(3) + 0.5)
    assert ndcg_at_k(["a", "b", "c"], judgments) == pytest.approx(expected)
    assert expected == pytest.approx(0.84001, abs=1e-5)


def test_ndcg_is_one_for_the_ideal_order_and_zero_without_relevant_hits() -> None:
    judgments = {"a": 1, "b": 4, "c": 2}
    assert ndcg_at_k(["b", "c", "a"], judgments) == pytest.approx(1.0)
    assert ndcg_at_k(["x", "y"], judgments) == 0.0
    assert ndcg_at_k([], judgments) == 0.0


def test_ndcg_cuts_at_k_and_ignores_repeated_documents() -> None:
    judgments = {"hit": 1}
    ranking = [f"miss{i}" for i in range(10)] + ["hit"]
    assert ndcg_at_k(ranking, judgments, k=10) == 0.0
    assert ndcg_at_k(ranking, judgments, k=11) == pytest.approx(1 / math.log2(12))
    # A duplicate takes no extra rank: "hit" stays at rank 2.
    assert ndcg_at_k(["x", "x", "hit"], judgments) == pytest.approx(1 / math.log2(3))


def test_ndcg_ideal_uses_only_the_best_k_judgments() -> None:
    judgments = {"a": 1, "b": 1, "c": 1}
    assert ndcg_at_k(["a"], judgments, k=1) == pytest.approx(1.0)


def test_recall_counts_relevant_documents_in_the_first_k() -> None:
    judgments = {"a": 1, "b": 2, "c": 1, "z": 0}
    assert recall_at_k(["a", "x", "b", "z"], judgments, k=100) == pytest.approx(2 / 3)
    assert recall_at_k(["x", "a", "b"], judgments, k=2) == pytest.approx(1 / 3)
    assert recall_at_k(["a"], {"z": 0}) == 0.0


def test_evaluate_averages_over_judged_queries_and_scores_missing_runs_zero() -> None:
    qrels = {"q1": {"a": 1}, "q2": {"b": 1}, "q3": {"c": 0}}
    runs = {"q1": ["a"], "q3": ["c"]}
    assert set(per_query(runs, qrels)) == {"q1", "q2"}
    ndcg, recall = evaluate(runs, qrels)
    assert ndcg == pytest.approx(0.5)
    assert recall == pytest.approx(0.5)
    assert evaluate({}, {}) == (0.0, 0.0)


def test_the_benchmark_grid_scores_like_fuse_and_the_metrics() -> None:
    """The relevance benchmark scores its parameter grid vectorised; it must agree with the
    engine's `fuse` (after fill-in) and with the metrics above, setting by setting."""
    import numpy as np
    from benchmarks.relevance import DEPTH, FUSION_GRID, Collection, Dense, Grid

    from synergy_hub.matching.engine.fusion import Candidates, fuse

    rng = np.random.default_rng(5)
    n_docs = 260
    doc_ids = [f"d{i:03d}" for i in rng.permutation(n_docs)]
    qrels = {"q": {doc_ids[int(i)]: int(rng.integers(1, 4)) for i in rng.choice(n_docs, 25)}}
    collection = Collection("toy", doc_ids, [""] * n_docs, {"q": "toy"}, qrels)
    grid = Grid.of(collection)
    lexical = np.where(rng.random(n_docs) < 0.6, rng.random(n_docs) * 10, 0).astype(np.float32)
    lexical[:4] = lexical[4]  # ties, broken by id
    dense = rng.random((1, n_docs)).astype(np.float32)
    ranked = grid.rank_rows(lexical, positive_only=True)
    encoder = Dense(dense, [grid.rank_rows(dense[0], positive_only=False)])
    rankings = grid.fusion_rankings(0, lexical, ranked, encoder)
    got = grid.fusion_scores(0, lexical, ranked, encoder)

    lexical_list = [(doc_ids[r], float(lexical[r])) for r in ranked]
    dense_list = [(doc_ids[r], float(dense[0, r])) for r in encoder.rows[0]]
    pool = {d for d, _ in lexical_list} | {d for d, _ in dense_list}
    row = {d: i for i, d in enumerate(doc_ids)}
    lex = Candidates(lexical_list, {d: float(lexical[row[d]]) for d in pool})
    den = Candidates(dense_list, {d: float(dense[0, row[d]]) for d in pool})
    for position, config in enumerate(FUSION_GRID):
        ranking = [hit.doc_id for hit in fuse(lex, den, config)][:DEPTH]
        assert [doc_ids[r] for r in rankings[position]] == ranking, config
        expected = (ndcg_at_k(ranking, qrels["q"]), recall_at_k(ranking, qrels["q"]))
        assert tuple(got[position]) == pytest.approx(expected), config
    lexical_only = grid.scores(0, ranked[np.newaxis, :])[0]
    ranking = [d for d, _ in lexical_list]
    expected = (ndcg_at_k(ranking, qrels["q"]), recall_at_k(ranking, qrels["q"]))
    assert tuple(lexical_only) == pytest.approx(expected)
