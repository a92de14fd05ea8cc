"""Combining the lexical and the dense result lists of one query into one ranking.

Two methods, both measured in `benchmarks/relevance.py`:

* Reciprocal rank fusion (RRF): a document scores the sum of 1 / (k + rank) over the
  lists it appears in. It ignores score values, so it needs no calibration; it is the
  baseline.
* Weighted score fusion: each list's scores are normalised per query (z-scores, or min-max
  to [0, 1]), then combined as `alpha * dense + (1 - alpha) * lexical`. Both scores are
  known for every candidate (the retriever fills in the score a document has in the list
  where it did not make the cut), so a candidate is never punished for a cut-off.

A document written only in the other language than the query (Chinese for an English
query, or the reverse) cannot share words with it, so its BM25 score says nothing about
it: averaging that zero in would bury exactly the cross-language matches the encoder
finds. Such documents (`other_language`) are ranked on the dense side alone, on the same
normalised scale.

An English query may also have a second, English-only encoder's answer (`english`): it
knows English technical text better than the cross-language encoder, which knows Chinese
and the links between the languages better. For the documents it indexed (English ones),
the dense side is the mean of the two normalised scores, the English one weighted by
`english_weight`.

Whatever the method, `fuse` rescales the fused scores of a query to [0, 1] (best = 1),
which is what the ranking step expects as relevance. `FusionConfig()` holds the shipped
default (weighted z-scores, alpha 0.4), chosen by measurement over query folds on two test
collections (see docs/decisions/0001-dense-encoder-and-fusion.md).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "Candidates",
    "FusionConfig",
    "FusionMethod",
    "Hit",
    "Normalization",
    "fuse",
    "normalize_scores",
    "reciprocal_rank_fusion",
    "weighted_score_fusion",
]

FusionMethod = Literal["weighted", "rrf"]
Normalization = Literal["minmax", "zscore"]


@dataclass(frozen=True, slots=True)
class Hit:
    """One retrieved document: its fused score and what each retriever said about it.

    `score` is the fused relevance in [0, 1] (the query's best candidate scores 1); a
    single-retriever search (mode "lexical" or "dense") puts that retriever's raw score
    there instead. Ranks are 1-based positions in a retriever's candidate list (None when
    it did not list the document); `lexical_score` and `dense_score` are raw BM25 and
    cosine values (None when that retriever did not run).
    """

    doc_id: str
    score: float
    lexical_score: float | None = None
    dense_score: float | None = None
    lexical_rank: int | None = None
    dense_rank: int | None = None


@dataclass(frozen=True, slots=True)
class Candidates:
    """One retriever's answer to a query: its ranked list and every score it knows."""

    ranked: Sequence[tuple[str, float]]
    scores: Mapping[str, float]

    @classmethod
    def from_ranked(cls, ranked: Sequence[tuple[str, float]]) -> Candidates:
        """Make candidates whose only known scores are those of the ranked list."""
        return cls(ranked=ranked, scores=dict(ranked))

    def ranks(self) -> dict[str, int]:
        """Return each listed document's 1-based rank."""
        return {doc_id: rank for rank, (doc_id, _) in enumerate(self.ranked, start=1)}


@dataclass(frozen=True, slots=True)
class FusionConfig:
    """How to fuse: the method and its parameter (alpha for weighted, k for RRF)."""

    method: FusionMethod = "weighted"
    alpha: float = 0.5
    normalization: Normalization = "zscore"
    rrf_k: int = 60

    def __post_init__(self) -> None:
        if self.method not in ("weighted", "rrf"):
            raise ValueError(f"method: must be 'weighted' or 'rrf' (got {self.method!r})")
        if not 0.0 <= self.alpha <= 1.0:
            raise ValueError(f"alpha: must be in [0, 1] (got {self.alpha!r})")
        if self.normalization not in ("minmax", "zscore"):
            raise ValueError(
                f"normalization: must be 'minmax' or 'zscore' ({self.normalization!r})"
            )
        if self.rrf_k < 1:
            raise ValueError(f"rrf_k: must be at least 1 (got {self.rrf_k!r})")


def reciprocal_rank_fusion(
    rankings: Sequence[Sequence[str]], *, k: int = 60, weights: Sequence[float] | None = None
) -> dict[str, float]:
    """Return each document's (weighted) sum of 1 / (k + rank) over the rankings."""
    if weights is None:
        weights = [1.0] * len(rankings)
    if len(weights) != len(rankings):
        raise ValueError("weights: need one weight per ranking")
    fused: dict[str, float] = {}
    for ranking, weight in zip(rankings, weights, strict=True):
        for rank, doc_id in enumerate(ranking, start=1):
            fused[doc_id] = fused.get(doc_id, 0.0) + weight / (k + rank)
    return fused


def normalize_scores(scores: Mapping[str, float], method: Normalization) -> dict[str, float]:
    """Rescale one query's scores: min-max to [0, 1], or z-scores.

    When all scores are equal, min-max gives 1 (0 if they are all zero or less) and z-scores
    give 0, so an uninformative list adds the same to every document.
    """
    if not scores:
        return {}
    values = list(scores.values())
    if method == "minmax":
        low, high = min(values), max(values)
        if high == low:
            return dict.fromkeys(scores, 1.0 if high > 0 else 0.0)
        return {doc_id: (s - low) / (high - low) for doc_id, s in scores.items()}
    mean = sum(values) / len(values)
    spread = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    if spread == 0:
        return dict.fromkeys(scores, 0.0)
    return {doc_id: (s - mean) / spread for doc_id, s in scores.items()}


def weighted_score_fusion(
    lexical: Mapping[str, float],
    dense: Mapping[str, float],
    *,
    alpha: float,
    normalization: Normalization = "minmax",
    other_language: Collection[str] = frozenset(),
    english: Mapping[str, float] | None = None,
    english_weight: float = 0.0,
) -> dict[str, float]:
    """Return alpha * normalised dense + (1 - alpha) * normalised lexical for every document.

    A document missing from one mapping takes that list's lowest normalised value; one in
    `other_language` takes its normalised dense score alone; one in `english` has as its
    dense score the weighted mean of the two encoders' normalised scores (module notes).
    """
    lexical_norm = normalize_scores(lexical, normalization)
    dense_norm = normalize_scores(dense, normalization)
    if english and english_weight > 0:
        english_norm = normalize_scores(english, normalization)
        dense_norm = {
            doc_id: (value + english_weight * english_norm[doc_id]) / (1 + english_weight)
            if doc_id in english_norm
            else value
            for doc_id, value in dense_norm.items()
        }
    lexical_floor = min(lexical_norm.values(), default=0.0)
    dense_floor = min(dense_norm.values(), default=0.0)
    fused: dict[str, float] = {}
    for doc_id in lexical_norm.keys() | dense_norm.keys():
        semantic = dense_norm.get(doc_id, dense_floor)
        if doc_id in other_language:
            fused[doc_id] = semantic
        else:
            fused[doc_id] = alpha * semantic + (1 - alpha) * lexical_norm.get(doc_id, lexical_floor)
    return fused


def _unit_interval(scores: dict[str, float]) -> dict[str, float]:
    """Rescale fused scores to [0, 1] with the best at 1 (all equal: all 1), whatever the method."""
    if not scores:
        return scores
    low, high = min(scores.values()), max(scores.values())
    if high == low:
        return dict.fromkeys(scores, 1.0)
    return {doc_id: (s - low) / (high - low) for doc_id, s in scores.items()}


def fuse(
    lexical: Candidates | None,
    dense: Candidates | None,
    config: FusionConfig,
    *,
    other_language: Collection[str] = frozenset(),
    english: Candidates | None = None,
    english_weight: float = 0.0,
    limit: int | None = None,
) -> list[Hit]:
    """Fuse the retrievers' candidates into hits, best first (a side that did not run is None).

    Documents in `other_language` are ranked on the dense side alone when it ran; the
    `english` encoder's candidates join the dense side as the module notes say. `limit`:
    only the best this many are returned (None: all).
    """
    lexical_ranks = lexical.ranks() if lexical else {}
    dense_ranks = dense.ranks() if dense else {}
    if dense is None or english_weight <= 0:
        english = None
    present = [c for c in (lexical, dense, english) if c is not None]
    if dense is None:
        other_language = frozenset()
    if config.method == "rrf":
        fused = reciprocal_rank_fusion(
            [[d for d, _ in c.ranked if c is dense or d not in other_language] for c in present],
            k=config.rrf_k,
        )
    elif lexical is not None and dense is not None:
        pool = lexical_ranks.keys() | dense_ranks.keys()
        if english is not None:
            pool |= english.ranks().keys()
        fused = weighted_score_fusion(
            {d: lexical.scores.get(d, 0.0) for d in pool},
            {d: dense.scores[d] for d in pool if d in dense.scores},
            alpha=config.alpha,
            normalization=config.normalization,
            other_language=other_language,
            english=None
            if english is None
            else {d: english.scores[d] for d in pool if d in english.scores},
            english_weight=english_weight,
        )
    else:
        # One retriever only: its normalised scores, so the scale is the same as when fused.
        fused = normalize_scores(dict(present[0].ranked) if present else {}, config.normalization)
    fused = _unit_interval(fused)
    ordered = sorted(fused.items(), key=lambda item: (-item[1], item[0]))
    if limit is not None:
        ordered = ordered[: max(0, limit)]
    return [
        Hit(
            doc_id=doc_id,
            score=score,
            lexical_score=None if lexical is None else lexical.scores.get(doc_id, 0.0),
            dense_score=None if dense is None else dense.scores.get(doc_id),
            lexical_rank=lexical_ranks.get(doc_id),
            dense_rank=dense_ranks.get(doc_id),
        )
        for doc_id, score in ordered
    ]
