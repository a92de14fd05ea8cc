"""Ranking-quality metrics over graded relevance judgments (qrels), written out in full.

nDCG uses linear gains, as trec_eval and BEIR do: DCG@k = sum of grade / log2(rank + 1)
over the first k results, divided by the DCG of the ideal ordering of the judged documents.
Recall@k counts the judged-relevant documents (grade > 0) found in the first k results.
Only queries that have at least one relevant judgment are scored; a query the run has no
ranking for scores zero.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

__all__ = ["Qrels", "dcg", "evaluate", "ndcg_at_k", "per_query", "recall_at_k"]

Qrels = Mapping[str, Mapping[str, int]]
"""query id -> document id -> relevance grade (0 or absent: not relevant)."""


def dcg(gains: Sequence[float]) -> float:
    """Return the discounted cumulative gain of gains listed in rank order."""
    return sum(gain / math.log2(rank + 1) for rank, gain in enumerate(gains, start=1))


def ndcg_at_k(ranking: Sequence[str], judgments: Mapping[str, int], k: int = 10) -> float:
    """Return nDCG@k of one ranking against one query's graded judgments."""
    ideal = dcg(sorted((g for g in judgments.values() if g > 0), reverse=True)[:k])
    if ideal == 0:
        return 0.0
    seen: set[str] = set()
    gains: list[float] = []
    for doc_id in ranking:
        if len(gains) == k:
            break
        if doc_id in seen:
            continue
        seen.add(doc_id)
        gains.append(max(judgments.get(doc_id, 0), 0))
    return dcg(gains) / ideal


def recall_at_k(ranking: Sequence[str], judgments: Mapping[str, int], k: int = 100) -> float:
    """Return the share of relevant documents that appear in the first k of the ranking."""
    relevant = {doc_id for doc_id, grade in judgments.items() if grade > 0}
    if not relevant:
        return 0.0
    return len(relevant.intersection(ranking[:k])) / len(relevant)


def per_query(
    runs: Mapping[str, Sequence[str]], qrels: Qrels, *, ndcg_k: int = 10, recall_k: int = 100
) -> dict[str, tuple[float, float]]:
    """Return (nDCG@ndcg_k, Recall@recall_k) for each judged query."""
    scores: dict[str, tuple[float, float]] = {}
    for query_id, judgments in qrels.items():
        if not any(grade > 0 for grade in judgments.values()):
            continue
        ranking = runs.get(query_id, ())
        scores[query_id] = (
            ndcg_at_k(ranking, judgments, ndcg_k),
            recall_at_k(ranking, judgments, recall_k),
        )
    return scores


def evaluate(
    runs: Mapping[str, Sequence[str]], qrels: Qrels, *, ndcg_k: int = 10, recall_k: int = 100
) -> tuple[float, float]:
    """Return mean nDCG@ndcg_k and mean Recall@recall_k over the judged queries."""
    scores = per_query(runs, qrels, ndcg_k=ndcg_k, recall_k=recall_k)
    if not scores:
        return 0.0, 0.0
    count = len(scores)
    return (
        sum(n for n, _ in scores.values()) / count,
        sum(r for _, r in scores.values()) / count,
    )
