"""BM25 keyword index over analysed text, with incremental updates and allowed-id filters.

Design
------
The index is one immutable *segment* plus a small mutable *delta*:

* The segment (`lexical_segment.Segment`) is a bm25s index (Lucene BM25: scores
  precomputed per term and document in a sparse matrix) built from the terms our analyser
  produced, with row numbers mapped to our document ids. It is saved into its own folder
  and loaded memory-mapped, so several web workers share one copy in the page cache.
  Next to it we keep each document's term counts and the collection statistics (document
  frequencies, average length), which is what lets the index rebuild itself without the
  source texts.
* `upsert` and `remove` never touch the segment. A removed or replaced segment document
  gets a tombstone (a row mask applied before ranking); new and replaced documents go to
  the delta, a small in-memory inverted index. Delta documents are scored with the same
  BM25 formula and the segment's frozen statistics (N, document frequency, average
  length), so their scores are on the same scale as segment scores and the two lists
  merge by score. Terms the segment has never seen get their statistics from the delta.
* `compact` folds tombstones and delta into a fresh segment and refreshes the statistics;
  `needs_compaction` says when the delta has grown past a tenth of the segment. Callers
  compact in a background job (or rebuild from the catalog), never on a request.

Filtering by allowed ids is exact: the segment scores every document anyway (one sparse
column sum per query term), so masking rows that are not allowed before taking the top k
costs one boolean mask and loses no recall, unlike fetching more and filtering afterwards,
which misses allowed documents ranked below the fetch depth when the allowed set is small
(`benchmarks/relevance.py` measures both).

Queries are term lists (a repeated term weighs more, as it does in the query text) or
explicit term weights. The weights are what pseudo-relevance feedback produces: `expand`
adds the terms that dominate the query's best-scoring documents (RM3, see
`FeedbackConfig`), so a question phrased in other words than the documents still finds
them. One query's scores are computed once (`score`) and then read for the top k, for
single documents, and for the feedback documents, so feedback costs one extra pass.

Each document may also carry its language (`text.language_of`: Chinese, English or mixed),
kept beside its terms and saved with them; fusion reads it to tell when BM25 cannot match
a document at all because it is written in the other language than the query.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import compress
from pathlib import Path

import numpy as np

from . import storage
from .lexical_segment import LANGUAGES, Segment

__all__ = [
    "FeedbackConfig",
    "FeedbackMix",
    "LexicalIndex",
    "LexicalScores",
    "Query",
    "feedback_mix",
    "query_weights",
    "top_rows",
]

FORMAT = 1
_PREFIXES = ("segment", "delta")

Query = Sequence[str] | Mapping[str, float]
"""Analysed query terms (repeats count), or term weights such as an expanded query."""


@dataclass(frozen=True, slots=True)
class FeedbackConfig:
    """Pseudo-relevance feedback (RM3): expand the query from its own best documents.

    The `docs` best-scoring documents of the query are taken as relevant; each votes for
    its terms in proportion to their share of its length, weighted by its share of the
    feedback documents' total score (the RM3 relevance model). The `terms` terms with the
    most votes, weights summing to 1, are mixed with the query's own terms (also summing
    to 1) as `original_weight * query + (1 - original_weight) * expansion`. BM25 is linear
    in the query term weights, so the expanded query is scored in one more pass.
    `docs=0` turns feedback off. The shipped values are measured (decision 0001).
    """

    docs: int = 10
    terms: int = 40
    original_weight: float = 0.3

    def __post_init__(self) -> None:
        if self.docs < 0:
            raise ValueError(f"docs: must be 0 (off) or more (got {self.docs!r})")
        if self.terms < 1:
            raise ValueError(f"terms: must be at least 1 (got {self.terms!r})")
        if not 0.0 <= self.original_weight <= 1.0:
            raise ValueError(f"original_weight: must be in [0, 1] (got {self.original_weight!r})")

    @property
    def enabled(self) -> bool:
        """Say whether feedback changes queries at all."""
        return self.docs > 0 and self.original_weight < 1.0


def query_weights(query: Query) -> dict[str, float]:
    """Return a query as term weights: a term list counts repeats; zero weights are dropped."""
    if isinstance(query, Mapping):
        return {term: float(weight) for term, weight in query.items() if weight > 0}
    return {term: float(count) for term, count in Counter(query).items()}


def _as_set(ids: Collection[str]) -> Collection[str]:
    """Return `ids` in a form with fast membership tests."""
    return ids if isinstance(ids, set | frozenset | dict) else set(ids)


def top_rows(rows: np.ndarray, scores: np.ndarray, k: int) -> np.ndarray:
    """Return the rows whose scores are among the k highest, unordered, ties at the k-th kept.

    More than k come back only when scores tie at the k-th place: the caller sorts by
    score, then by document id, and keeps k, so a tie at the cut is decided by the id and
    not by where a partition happened to leave it (the same on every path that ranks).
    """
    if len(rows) <= k:
        return rows
    values = scores[rows]
    kth = np.partition(values, len(values) - k)[len(values) - k]
    return rows[values >= kth]


@dataclass(frozen=True, slots=True)
class FeedbackMix:
    """RM3's expanded query: `keep` of the query's own weights (over their total) plus the
    feedback terms' weights (`added`). Scores are linear in the weights, so the expanded
    query's scores are `scale` times the own query's scores plus the `added` terms' scores
    (what the block-wise search computes)."""

    keep: float
    query_total: float
    added: dict[str, float]

    @property
    def scale(self) -> float:
        """The factor of the own weights in the expanded query."""
        return self.keep / self.query_total

    def weights(self, original: Mapping[str, float]) -> dict[str, float]:
        """The expanded query's term weights."""
        keep, total = self.keep, self.query_total
        expanded = {term: keep * weight / total for term, weight in original.items()}
        for term, weight in self.added.items():
            expanded[term] = expanded.get(term, 0.0) + weight
        return expanded


def feedback_mix(
    original: Mapping[str, float], chosen: Sequence[tuple[str, float]], keep: float
) -> FeedbackMix:
    """Mix the query's own weights with the chosen feedback terms and their votes (RM3)."""
    chosen_total = sum(weight for _, weight in chosen)
    added: dict[str, float] = {}
    for term, weight in chosen:
        added[term] = added.get(term, 0.0) + (1 - keep) * weight / chosen_total
    return FeedbackMix(keep, sum(original.values()), added)


class LexicalIndex:
    """BM25 index of analysed documents that supports search, filters and cheap updates."""

    def __init__(self, segment: Segment) -> None:
        self._start_from(segment)

    def _start_from(self, segment: Segment) -> None:
        """Make `segment` the whole index: no tombstones, empty delta."""
        self._segment = segment
        self._dead = np.zeros(segment.size, dtype=bool)
        self._removed: set[str] = set()
        self._delta: dict[str, Counter[str]] = {}
        self._delta_lengths: dict[str, int] = {}
        self._delta_languages: dict[str, str] = {}
        self._postings: dict[str, dict[str, int]] = {}
        self._languages: list[str] | None = None

    # -- construction -------------------------------------------------------------------------

    @classmethod
    def build(
        cls,
        docs: Iterable[tuple[str, list[str]]],
        *,
        k1: float = 1.2,
        b: float = 0.75,
        languages: Mapping[str, str] | None = None,
    ) -> LexicalIndex:
        """Index (doc_id, terms) pairs; a repeated id keeps its last terms.

        `languages` maps documents to "zh", "en" or "mixed" (`text.language_of`).
        """
        counts = {doc_id: Counter(terms) for doc_id, terms in docs}
        return cls(Segment.build(counts, k1=k1, b=b, languages=languages))

    @property
    def k1(self) -> float:
        """Return the BM25 term-saturation parameter."""
        return self._segment.k1

    @property
    def b(self) -> float:
        """Return the BM25 length-normalisation parameter."""
        return self._segment.b

    def __len__(self) -> int:
        return self._segment.size - int(self._dead.sum()) + len(self._delta)

    def __contains__(self, doc_id: object) -> bool:
        if doc_id in self._delta:
            return True
        row = self._segment.row_of.get(doc_id) if isinstance(doc_id, str) else None
        return row is not None and not self._dead[row]

    # -- updates ------------------------------------------------------------------------------

    def upsert(self, doc_id: str, terms: list[str], language: str = "") -> None:
        """Add a document or replace its terms (and language); visible to the next search."""
        self.remove(doc_id)
        counts = Counter(terms)
        self._delta[doc_id] = counts
        self._delta_lengths[doc_id] = sum(counts.values())
        if language:
            self._delta_languages[doc_id] = language
        for term, count in counts.items():
            self._postings.setdefault(term, {})[doc_id] = count

    def remove(self, doc_id: str) -> bool:
        """Remove a document; return whether it was there."""
        found = False
        row = self._segment.row_of.get(doc_id)
        if row is not None and not self._dead[row]:
            self._dead[row] = True
            self._removed.add(doc_id)
            found = True
        counts = self._delta.pop(doc_id, None)
        if counts is not None:
            del self._delta_lengths[doc_id]
            self._delta_languages.pop(doc_id, None)
            for term in counts:
                postings = self._postings[term]
                del postings[doc_id]
                if not postings:
                    del self._postings[term]
            found = True
        return found

    @property
    def needs_compaction(self) -> bool:
        """Say whether tombstones and delta have grown enough to be worth a compaction."""
        pending = len(self._delta) + len(self._removed)
        return pending > max(256, self._segment.size // 10)

    def compact(self) -> None:
        """Fold tombstones and delta into a new segment with fresh statistics."""
        seg = self._segment
        words = seg.words
        docs: dict[str, Counter[str]] = {}
        languages: dict[str, str] = {}
        for row, doc_id in enumerate(seg.ids):
            if not self._dead[row]:
                docs[doc_id] = seg.terms_of(row, words)
                languages[doc_id] = LANGUAGES[int(seg.languages[row])]
        docs.update(self._delta)
        languages.update(self._delta_languages)
        self._start_from(Segment.build(docs, k1=self.k1, b=self.b, languages=languages))

    def languages_of(self, doc_ids: Iterable[str]) -> dict[str, str]:
        """Return the language of each given document whose language is known."""
        row_of = self._segment.row_of
        names = self._row_languages()
        delta, delta_languages, removed = self._delta, self._delta_languages, self._removed
        found: dict[str, str] = {}
        for doc_id in doc_ids:
            language = delta_languages.get(doc_id)
            if language is None and doc_id not in delta and doc_id not in removed:
                row = row_of.get(doc_id)
                if row is not None:
                    language = names[row]
            if language:
                found[doc_id] = language
        return found

    def _row_languages(self) -> list[str]:
        """Each segment row's language as text ("" unknown), read once from the segment."""
        if self._languages is None:
            self._languages = [LANGUAGES[code] for code in self._segment.languages.tolist()]
        return self._languages

    # -- search -------------------------------------------------------------------------------

    def score(self, query: Query) -> LexicalScores:
        """Score every live document for the query once; read the result as often as needed."""
        weights = query_weights(query)
        if not weights:
            return LexicalScores(self, None, {})
        return LexicalScores(self, self._segment.scores(weights), self._delta_scores(weights))

    def search(
        self, query: Query, k: int, allowed_ids: Collection[str] | None = None
    ) -> list[tuple[str, float]]:
        """Return up to k (doc_id, score) pairs with a positive score, best first."""
        if k <= 0 or not query:
            return []
        return self.score(query).top(k, allowed_ids)

    def scores_for(self, query: Query, doc_ids: Iterable[str]) -> dict[str, float]:
        """Return the BM25 score of each given document that is in the index (0 if no match)."""
        return self.score(query).of(doc_ids)

    def document_frequencies(self, terms: Iterable[str]) -> tuple[int, dict[str, int]]:
        """Return the number of documents and how many of them hold each term.

        The segment's statistics plus the delta's postings (a document removed since the
        last compaction still counts, as it does for BM25's frozen statistics).
        """
        seg = self._segment
        frequencies: dict[str, int] = {}
        for term in terms:
            term_id = seg.vocab.get(term)
            in_segment = int(seg.doc_freqs[term_id]) if term_id is not None else 0
            frequencies[term] = in_segment + len(self._postings.get(term, ()))
        return seg.size + len(self._delta), frequencies

    def covered_weights(
        self, doc_ids: Iterable[str], weights: Mapping[str, float]
    ) -> dict[str, float]:
        """Return, for each given document in the index, the summed weights of the terms it holds.

        `weights` maps query terms to weights (the relevance floor's idf weights): a
        document's coverage of the query is its sum over the total. All the segment
        documents' term ids are read as one array and looked up at once.
        """
        seg = self._segment
        found: dict[str, float] = {}
        rows: list[int] = []
        in_segment: list[str] = []
        for doc_id in doc_ids:
            counts = self._delta.get(doc_id)
            if counts is not None:
                found[doc_id] = sum(weight for term, weight in weights.items() if term in counts)
                continue
            row = seg.row_of.get(doc_id)
            if row is not None and not self._dead[row]:
                rows.append(row)
                in_segment.append(doc_id)
        if not rows:
            return found
        known = sorted(
            (seg.vocab[term], weight) for term, weight in weights.items() if term in seg.vocab
        )
        if not known:
            found.update(dict.fromkeys(in_segment, 0.0))
            return found
        wanted = np.asarray([term_id for term_id, _ in known], dtype=np.int64)
        wanted_weights = np.asarray([weight for _, weight in known], dtype=np.float64)
        # Every row's term ids in one array (a document holds each term once), tagged with
        # the row they belong to; each is looked up among the wanted ids by bisection.
        at = np.asarray(rows, dtype=np.int64)
        starts, ends = seg.term_offsets[at], seg.term_offsets[at + 1]
        lengths = (ends - starts).astype(np.int64)
        owner = np.repeat(np.arange(len(rows)), lengths)
        before = np.cumsum(lengths) - lengths
        held = seg.term_ids[np.repeat(starts - before, lengths) + np.arange(int(lengths.sum()))]
        place = np.minimum(np.searchsorted(wanted, held), len(wanted) - 1)
        value = np.where(wanted[place] == held, wanted_weights[place], 0.0)
        sums = np.bincount(owner, weights=value, minlength=len(rows))
        found.update(zip(in_segment, sums.tolist(), strict=True))
        return found

    def expand(
        self, query: Query, feedback: FeedbackConfig, first: LexicalScores | None = None
    ) -> dict[str, float]:
        """Return the query's term weights with RM3 feedback terms mixed in (see FeedbackConfig).

        `first` is the query's own scores when the caller has them already. Feedback
        documents come from the whole index, never from an allowed-id filter, so that a
        filtered search ranks its documents exactly as the unfiltered search does. A query
        that matches nothing, or feedback turned off, gives the query's own weights back.
        """
        original = query_weights(query)
        if not original or not feedback.enabled:
            return original
        best = (first or self.score(original)).top(feedback.docs)
        total = sum(score for _, score in best)
        if total <= 0:
            return original
        votes = self._votes([(doc_id, score / total) for doc_id, score in best])
        # Ties broken by term, so an expansion never depends on dictionary order.
        chosen = heapq.nsmallest(
            feedback.terms, votes.items(), key=lambda vote: (-vote[1], vote[0])
        )
        return feedback_mix(original, chosen, feedback.original_weight).weights(original)

    def _votes(self, docs: list[tuple[str, float]]) -> dict[str, float]:
        """Return the RM3 relevance model: sum over docs of weight * count / length, per term."""
        votes: dict[str, float] = {}
        seg = self._segment
        rows: list[int] = []
        shares: list[float] = []
        for doc_id, weight in docs:
            counts = self._delta.get(doc_id)
            if counts is None:
                rows.append(seg.row_of[doc_id])
                shares.append(weight)
                continue
            length = sum(counts.values())
            for term, count in counts.items():
                votes[term] = votes.get(term, 0.0) + weight * count / length
        if rows:
            offsets = seg.term_offsets
            spans = [(int(offsets[row]), int(offsets[row + 1])) for row in rows]
            term_ids = np.concatenate([seg.term_ids[start:end] for start, end in spans])
            counts_array = np.concatenate([seg.term_counts[start:end] for start, end in spans])
            per_count = np.repeat(
                [
                    share / int(seg.doc_lengths[row])
                    for share, row in zip(shares, rows, strict=True)
                ],
                [end - start for start, end in spans],
            )
            unique, inverse = np.unique(term_ids, return_inverse=True)
            sums = np.bincount(inverse, weights=counts_array * per_count)
            words = seg.words
            for term_id, value in zip(unique.tolist(), sums.tolist(), strict=True):
                term = words[term_id]
                votes[term] = votes.get(term, 0.0) + value
        return votes

    def _mask(self, allowed: Collection[str]) -> np.ndarray:
        """Return a row mask of the segment rows whose ids are allowed."""
        mask = np.zeros(self._segment.size, dtype=bool)
        row_of = self._segment.row_of
        rows = [row for row in (row_of.get(doc_id) for doc_id in allowed) if row is not None]
        mask[rows] = True
        return mask

    def _delta_scores(self, weights: Mapping[str, float]) -> dict[str, float]:
        """Score the delta documents with the segment's statistics (see the module notes)."""
        if not self._delta:
            return {}
        seg = self._segment
        if seg.size:
            n_docs, avg_length = seg.size, seg.avg_length
        else:
            n_docs = len(self._delta)
            avg_length = sum(self._delta_lengths.values()) / n_docs
        avg_length = avg_length or 1.0
        k1, b = seg.k1, seg.b
        scores: dict[str, float] = {}
        for term, weight in weights.items():
            postings = self._postings.get(term)
            if not postings:
                continue
            term_id = seg.vocab.get(term)
            if term_id is not None:
                df = int(seg.doc_freqs[term_id])
                n = n_docs
            else:
                df = len(postings)
                n = n_docs + (len(self._delta) if seg.size else 0)
            idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
            for doc_id, tf in postings.items():
                norm = k1 * (1 - b + b * self._delta_lengths[doc_id] / avg_length)
                scores[doc_id] = scores.get(doc_id, 0.0) + weight * idf * tf / (tf + norm)
        return scores

    # -- persistence --------------------------------------------------------------------------

    def save(self, path: Path | str) -> None:
        """Save into the folder `path`; unchanged segment files are reused, never rewritten."""
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        seg = self._segment
        if seg.location is None or seg.location.parent.resolve() != folder.resolve():
            seg.save(folder / storage.fresh_name("segment"))
        assert seg.location is not None
        delta_name = None
        if self._delta or self._removed:
            delta_name = storage.fresh_name("delta", ".json")
            storage.write_json_atomic(
                folder / delta_name,
                {
                    "docs": {doc_id: dict(c) for doc_id, c in self._delta.items()},
                    "languages": self._delta_languages,
                    "removed": sorted(self._removed),
                },
            )
        storage.write_json_atomic(
            folder / storage.MANIFEST,
            {"format": FORMAT, "kind": "bm25", "segment": seg.location.name, "delta": delta_name},
        )
        keep = [seg.location.name] + ([delta_name] if delta_name else [])
        storage.remove_unreferenced(folder, keep, _PREFIXES)

    @classmethod
    def load(cls, path: Path | str, *, mmap: bool = True) -> LexicalIndex:
        """Load an index saved by `save`, the segment memory-mapped by default."""
        folder = Path(path)
        try:
            return cls._load(folder, mmap=mmap)
        except FileNotFoundError:
            # A concurrent save replaced the files between reading the manifest and opening
            # them: the new manifest names files that exist.
            return cls._load(folder, mmap=mmap)

    @classmethod
    def _load(cls, folder: Path, *, mmap: bool) -> LexicalIndex:
        manifest = storage.read_json(folder / storage.MANIFEST)
        if manifest.get("format") != FORMAT or manifest.get("kind") != "bm25":
            raise ValueError(f"not a lexical index folder (format {manifest.get('format')})")
        index = cls(Segment.load(folder / manifest["segment"], mmap=mmap))
        if manifest["delta"]:
            delta = storage.read_json(folder / manifest["delta"])
            for doc_id in delta["removed"]:
                index.remove(doc_id)
            languages = delta.get("languages", {})
            for doc_id, counts in delta["docs"].items():
                index.upsert(doc_id, list(Counter(counts).elements()), languages.get(doc_id, ""))
        return index


class LexicalScores:
    """One query's BM25 scores over a whole index: computed once, read for top k or by id.

    Valid until the index is next updated (searches and updates never overlap, see
    `retrieval`).
    """

    def __init__(
        self, index: LexicalIndex, segment: np.ndarray | None, delta: dict[str, float]
    ) -> None:
        self._index = index
        self._segment_scores = segment
        self._delta_scores = delta

    def top(self, k: int, allowed_ids: Collection[str] | None = None) -> list[tuple[str, float]]:
        """Return up to k (doc_id, score) pairs with a positive score, best first."""
        if k <= 0:
            return []
        index = self._index
        allowed = None if allowed_ids is None else _as_set(allowed_ids)
        found: list[tuple[str, float]] = []
        scores = self._segment_scores
        if scores is not None:
            keep = scores > 0
            if index._removed:
                keep &= ~index._dead
            if allowed is not None:
                keep &= index._mask(allowed)
            rows = top_rows(np.flatnonzero(keep), scores, k)
            ids = index._segment.ids
            found.extend((ids[int(r)], float(scores[r])) for r in rows)
        for doc_id, score in self._delta_scores.items():
            if score > 0 and (allowed is None or doc_id in allowed):
                found.append((doc_id, score))
        found.sort(key=lambda hit: (-hit[1], hit[0]))
        return found[:k]

    def of(self, doc_ids: Iterable[str]) -> dict[str, float]:
        """Return the score of each given document that is in the index (0 if no match)."""
        index = self._index
        row_of = index._segment.row_of
        out: dict[str, float] = {}
        rows: list[int] = []
        found: list[str] = []
        for doc_id in doc_ids:
            if doc_id in index._delta:
                out[doc_id] = self._delta_scores.get(doc_id, 0.0)
                continue
            row = row_of.get(doc_id)
            if row is not None:
                rows.append(row)
                found.append(doc_id)
        if rows:
            at = np.asarray(rows)
            live = ~index._dead[at]
            scores = self._segment_scores
            values = np.zeros(len(at)) if scores is None else scores[at]
            out.update(zip(compress(found, live), values[live].tolist(), strict=False))
        return out
