"""Block-wise retrieval for batch matching: many queries at once, the same hits as `search`.

`HybridRetriever.search` answers one query: it analyses it, scores every document for its
terms (one pass over their postings, twice with feedback), asks the vector index for its
nearest documents, then fills in, gates by language and fuses. Batch matching asks the
same of a million needs, so `BlockSearcher.search` takes a block of them and does each
step for the whole block:

* **Query analysis in bulk**: every query is cleaned and analysed once; its terms are also
  what the relevance floor reads (`match_quality.assess(analysed=...)`).
* **Lexical scores by sparse products**, 64 queries at a time (the products' output stays
  in cache). The queries become a sparse matrix Q (queries x terms, the query term
  weights); the segment's precomputed BM25 values are the sparse matrix S (terms x
  documents, bm25s's own arrays, memory-mapped, not copied). Q·S is every query's score
  of every document it shares a term with, as a sparse matrix: each row's top candidates
  are taken from its non-zeros alone (ties at the cut by id, `lexical.top_rows`), and
  documents are looked up in a row through a scratch array, never by sorting it.
* **Pseudo-relevance feedback (RM3) by two more products.** Each query's best documents
  become a sparse matrix F (queries x documents, share of the feedback score divided by
  the document's length); F·C, with C the documents' term counts (the segment's own
  arrays), is every query's vote for every term. The best-voted terms (ties broken by the
  term, as `LexicalIndex.expand` does) are mixed with the query's own weights: `keep / Σ
  own weights` times the own weights, plus the feedback terms' weights A. Scores are
  linear in the weights, so the expanded query ranks by that factor times the own scores
  (Q·S, in float64) plus A·S, a product over the feedback terms' postings only: most of
  a catalog's postings are read once per query, not twice.
* **Dense candidates by batched nearest-neighbour queries**: the block's texts are encoded
  in one call per encoder and searched in one `VectorIndex.search_many` call per filter.
* **Fusion** reuses the retriever's own last step (`HybridRetriever.combine`) per query, so
  the disclosed ranking downstream sees exactly what an interactive search gives it.

Queries share a filter when they share an `allowed` object (the batch matcher passes one
set per distinct filter): the lexical side masks columns, the dense side searches once
per filter. An index with pending updates (a delta or tombstones since its last
compaction) is searched query by query with `HybridRetriever.search`: correct, only
slower; the batch matcher compacts a private copy first (`matching.batch_tasks`).

The sparse products sum in float64 and round to float32 once, as `Segment.scores` does,
and exact vector scores are matrix-vector products as in `VectorIndex.search`, so scores
agree with the interactive path's but for the order of float64 sums: a difference that
rarely survives the rounding to float32, and can then only swap two documents whose
scores agree to about 1e-7 (`tests/matching/engine/test_block.py`,
`tests/matching/test_batch_blocks.py`, `benchmarks/batch.py`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import sparse

from .fusion import Candidates, Hit
from .lexical import FeedbackMix, feedback_mix, query_weights, top_rows
from .retrieval import MAX_K, HybridRetriever, SearchMode, clean_query
from .text import analyze

__all__ = ["BlockAnswer", "BlockSearcher"]


@dataclass(frozen=True, slots=True)
class BlockAnswer:
    """One query of a block: its cleaned text, its analysed terms and its hits, best first."""

    text: str
    terms: list[str]
    hits: list[Hit]


class _RowScores:
    """One query's BM25 scores as a sparse row: the documents it shares a term with.

    The row is kept as the product left it (columns unsorted): `top` reads its values
    once, and `of` looks documents up through a scratch array over the whole segment,
    which costs less than sorting a row that holds most of a large catalog.
    """

    __slots__ = ("_columns", "_row_of", "_size", "_values")

    def __init__(
        self, columns: np.ndarray, values: np.ndarray, row_of: dict[str, int], size: int
    ) -> None:
        self._columns = columns
        self._values = values
        self._row_of = row_of
        self._size = size

    def of(self, doc_ids: Iterable[str]) -> dict[str, float]:
        """Return each given document's score (0 when it shares no term with the query)."""
        ids: list[str] = []
        rows: list[int] = []
        for doc_id in doc_ids:
            row = self._row_of.get(doc_id)
            if row is not None:
                ids.append(doc_id)
                rows.append(row)
        if not rows:
            return {}
        scratch = np.zeros(self._size, dtype=np.float32)
        scratch[self._columns] = self._values
        return dict(zip(ids, scratch[rows].tolist(), strict=True))

    def top(
        self, k: int, ids: Sequence[str], mask: np.ndarray | None = None
    ) -> list[tuple[str, float]]:
        """Up to k (doc_id, score) pairs with a positive score, best first (`LexicalScores.top`)."""
        columns, values = self._columns, self._values
        keep = values > 0
        if mask is not None:
            keep &= mask[columns]
        columns, values = columns[keep], values[keep]
        best = top_rows(np.arange(len(columns)), values, k)
        columns, values = columns[best], values[best]
        found = [(ids[c], float(v)) for c, v in zip(columns.tolist(), values.tolist(), strict=True)]
        found.sort(key=lambda hit: (-hit[1], hit[0]))
        return found[:k]


_LEXICAL_ROWS = 64
"""Queries per sparse product: a product's output for a large catalog holds most of its
documents per query, and smaller products stay in the processor's caches."""


class BlockSearcher:
    """Searches a retriever's index for a block of queries at a time (see the module notes)."""

    def __init__(self, retriever: HybridRetriever) -> None:
        self.retriever = retriever
        lexical = retriever.lexical
        self._segment = lexical._segment
        seg = self._segment
        self._block_ready = not (
            lexical._delta
            or lexical._removed
            or (
                retriever.dense is not None and (retriever.dense._delta or retriever.dense._removed)
            )
            or (
                retriever.english is not None
                and (retriever.english._delta or retriever.english._removed)
            )
        )
        self._scores: Any = None
        self._counts: Any = None
        self._word_rank: np.ndarray | None = None
        if self._block_ready and seg.bm25 is not None:
            matrix = seg.bm25.scores
            # bm25s keeps one column of BM25 values per term (CSC, documents x terms): read
            # as CSR that is terms x documents, the arrays shared as they are (memory-mapped).
            # The values in float64 (one copy per process; the index arrays stay shared),
            # so that sums round to float32 once, as `Segment.scores` does.
            self._scores = sparse.csr_matrix(
                (
                    np.asarray(matrix["data"], dtype=np.float64),
                    matrix["indices"],
                    matrix["indptr"],
                ),
                shape=(len(seg.vocab), seg.size),
            )
            self._counts = sparse.csr_matrix(
                (
                    np.asarray(seg.term_counts, dtype=np.float64),
                    seg.term_ids,
                    seg.term_offsets,
                ),
                shape=(seg.size, len(seg.vocab)),
            )
        self._masks: dict[int, tuple[Collection[str], np.ndarray]] = {}

    @property
    def block_ready(self) -> bool:
        """Whether blocks take the batched path (no pending updates in the index)."""
        return self._block_ready

    def _mask(self, allowed: Collection[str]) -> np.ndarray:
        """The segment rows a filter allows, kept while the same filter object is passed."""
        key = id(allowed)
        cached = self._masks.get(key)
        if cached is not None and cached[0] is allowed:
            return cached[1]
        mask = np.zeros(self._segment.size, dtype=bool)
        row_of = self._segment.row_of
        rows = [row for row in (row_of.get(doc_id) for doc_id in allowed) if row is not None]
        mask[rows] = True
        if len(self._masks) > 256:
            self._masks.clear()
        self._masks[key] = (allowed, mask)
        return mask

    def search(
        self,
        queries: Sequence[str],
        k: int = 10,
        *,
        allowed: Sequence[Collection[str] | None] | None = None,
        mode: SearchMode = "hybrid",
    ) -> list[BlockAnswer]:
        """Return, for each query, what `HybridRetriever.search` returns for it (module notes).

        `allowed[i]` restricts query i to those document ids (None: no restriction).
        """
        retriever = self.retriever
        count = len(queries)
        filters = list(allowed) if allowed is not None else [None] * count
        if len(filters) != count:
            raise ValueError("allowed: need one filter (or None) per query")
        texts = [clean_query(query) for query in queries]
        k = min(int(k), MAX_K)
        live = [row for row, text in enumerate(texts) if k > 0 and any(c.isalnum() for c in text)]
        answers = [BlockAnswer(text, [], []) for text in texts]
        if not live:
            return answers
        if not self._block_ready:
            for row in live:
                hits = retriever.search(texts[row], k, allowed_ids=filters[row], mode=mode)
                answers[row] = BlockAnswer(texts[row], analyze(texts[row]), hits)
            return answers
        depth = max(retriever.config.depth, k)
        terms: dict[int, list[str]] = {row: analyze(texts[row]) for row in live}
        vectors, english_vectors = self._encode(texts, live, mode)
        dense, english = self._dense(vectors, english_vectors, filters, depth)
        lexical_side = mode in ("hybrid", "lexical")
        ids = self._segment.ids
        # The lexical side 64 queries at a time, each part combined and its score rows
        # dropped before the next: a row holds most of a large catalog.
        for start in range(0, len(live), _LEXICAL_ROWS):
            part = live[start : start + _LEXICAL_ROWS]
            own, ranking = self._lexical(part, terms) if lexical_side else ({}, {})
            for row in part:
                lexical = None
                if lexical_side:
                    allowed_ids = filters[row]
                    mask = None if allowed_ids is None else self._mask(allowed_ids)
                    lexical = Candidates.from_ranked(ranking[row].top(depth, ids, mask))
                answers[row] = BlockAnswer(
                    texts[row],
                    terms[row],
                    retriever.combine(
                        texts[row],
                        k,
                        mode,
                        own.get(row),
                        ranking.get(row),
                        lexical,
                        vectors.get(row),
                        dense.get(row),
                        english_vectors.get(row),
                        english.get(row),
                    ),
                )
        return answers

    # -- lexical side ------------------------------------------------------------------------

    def _query_matrix(self, weights: list[dict[str, float]]) -> Any:
        """The queries' term weights as a sparse matrix (queries x terms); unknown terms dropped."""
        vocab = self._segment.vocab
        indptr = [0]
        columns: list[int] = []
        values: list[float] = []
        for query in weights:
            for term, weight in query.items():
                term_id = vocab.get(term)
                if term_id is not None:
                    columns.append(term_id)
                    values.append(weight)
            indptr.append(len(columns))
        return sparse.csr_matrix(
            (
                np.asarray(values, dtype=np.float64),
                np.asarray(columns, dtype=np.int64),
                np.asarray(indptr, dtype=np.int64),
            ),
            shape=(len(weights), len(vocab)),
        )

    def _rows(self, product: Any, live: list[int]) -> dict[int, _RowScores]:
        """Split a product (queries x documents) into one score row per query."""
        product = product.tocsr()
        row_of = self._segment.row_of
        size = self._segment.size
        indptr, indices = product.indptr, product.indices
        data = product.data.astype(np.float32)
        return {
            row: _RowScores(
                indices[indptr[n] : indptr[n + 1]], data[indptr[n] : indptr[n + 1]], row_of, size
            )
            for n, row in enumerate(live)
        }

    def _lexical(
        self, part: list[int], terms: dict[int, list[str]]
    ) -> tuple[dict[int, _RowScores], dict[int, _RowScores]]:
        """Some queries' own BM25 scores and (with feedback) their expanded queries' scores.

        The expanded query's scores are the own scores (float64, before rounding) scaled
        plus the feedback terms' scores (`FeedbackMix`): one more product over the feedback
        terms' postings only, instead of one over every term of the expanded query.
        """
        if self._scores is None:  # an empty index
            empty = _RowScores(
                np.zeros(0, np.int64),
                np.zeros(0, np.float32),
                self._segment.row_of,
                self._segment.size,
            )
            return dict.fromkeys(part, empty), dict.fromkeys(part, empty)
        weights = [query_weights(terms[row]) for row in part]
        sums = (self._query_matrix(weights) @ self._scores).tocsr()
        own = self._rows(sums, part)
        if not self.retriever.config.feedback.enabled:
            return own, own
        mixes = self._expand(part, weights, own)
        factors = [1.0 if mix is None else mix.scale for mix in mixes]
        scale = np.repeat(factors, np.diff(sums.indptr))
        scaled = sparse.csr_matrix((sums.data * scale, sums.indices, sums.indptr), sums.shape)
        added = self._query_matrix([{} if mix is None else mix.added for mix in mixes])
        return own, self._rows(scaled + added @ self._scores, part)

    def _expand(
        self, live: list[int], weights: list[dict[str, float]], own: dict[int, _RowScores]
    ) -> list[FeedbackMix | None]:
        """RM3 for the whole block: `LexicalIndex.expand` for each query (module notes);
        None where a query has no feedback (its own weights rank)."""
        seg = self._segment
        feedback = self.retriever.config.feedback
        ids = seg.ids
        lengths = seg.doc_lengths
        indptr = [0]
        columns: list[int] = []
        values: list[float] = []
        for row in live:
            best = own[row].top(feedback.docs, ids)
            total = sum(score for _, score in best)
            if total > 0:
                for doc_id, score in best:
                    doc_row = seg.row_of[doc_id]
                    columns.append(doc_row)
                    values.append((score / total) / int(lengths[doc_row]))
            indptr.append(len(columns))
        chosen_matrix = sparse.csr_matrix(
            (np.asarray(values), np.asarray(columns, dtype=np.int64), np.asarray(indptr)),
            shape=(len(live), seg.size),
        )
        votes = (chosen_matrix @ self._counts).tocsr()
        words = seg.words
        word_rank = self._ranks_of_words()
        mixes: list[FeedbackMix | None] = []
        for n, original in enumerate(weights):
            start, end = votes.indptr[n], votes.indptr[n + 1]
            if indptr[n + 1] == indptr[n] or start == end:
                mixes.append(None)
                continue
            term_ids = votes.indices[start:end]
            term_votes = votes.data[start:end]
            order = np.lexsort((word_rank[term_ids], -term_votes))[: feedback.terms]
            chosen = [(words[int(term_ids[i])], float(term_votes[i])) for i in order.tolist()]
            mixes.append(feedback_mix(original, chosen, feedback.original_weight))
        return mixes

    def _ranks_of_words(self) -> np.ndarray:
        """Each term id's place in the vocabulary sorted as text (feedback's tie-break)."""
        if self._word_rank is None:
            words = self._segment.words
            order = sorted(range(len(words)), key=words.__getitem__)
            rank = np.empty(len(words), dtype=np.int64)
            rank[order] = np.arange(len(words))
            self._word_rank = rank
        return self._word_rank

    # -- dense side --------------------------------------------------------------------------

    def _encode(
        self, texts: list[str], live: list[int], mode: SearchMode
    ) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray]]:
        """Each query's vector, and its English encoder's vector where that takes part."""
        retriever = self.retriever
        if mode not in ("hybrid", "dense") or retriever.encoder is None or retriever.dense is None:
            return {}, {}
        encoded = retriever.encoder.encode([texts[row] for row in live], kind="query")
        vectors = dict(zip(live, encoded, strict=True))
        english: dict[int, np.ndarray] = {}
        if mode == "hybrid" and retriever.english_encoder is not None:
            rows = [row for row in live if retriever._answers_in_english(texts[row])]
            if rows:
                encoded = retriever.english_encoder.encode([texts[r] for r in rows], kind="query")
                english = dict(zip(rows, encoded, strict=True))
        return vectors, english

    def _dense(
        self,
        vectors: dict[int, np.ndarray],
        english_vectors: dict[int, np.ndarray],
        filters: list[Collection[str] | None],
        depth: int,
    ) -> tuple[dict[int, Candidates], dict[int, Candidates]]:
        """Nearest neighbours for every query, one batched search per filter and index."""
        retriever = self.retriever
        dense: dict[int, Candidates] = {}
        english: dict[int, Candidates] = {}
        for index, queries, found in (
            (retriever.dense, vectors, dense),
            (retriever.english, english_vectors, english),
        ):
            if index is None or not queries:
                continue
            groups: dict[int, list[int]] = {}
            for row in queries:
                groups.setdefault(id(filters[row]), []).append(row)
            for rows in groups.values():
                matrix = np.stack([queries[row] for row in rows])
                results = index.search_many(matrix, depth, filters[rows[0]])
                for row, ranked in zip(rows, results, strict=True):
                    ranked.sort(key=lambda hit: (-hit[1], hit[0]))
                    found[row] = Candidates.from_ranked(ranked[:depth])
        return dense, english
