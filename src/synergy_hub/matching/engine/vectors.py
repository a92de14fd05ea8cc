"""Nearest-neighbour index of unit vectors by inner product, exact when small, HNSW when large.

The layout mirrors the lexical index: an immutable *segment* (a float32 matrix saved as
.npy and loaded memory-mapped, plus an hnswlib graph over it when it holds at least
`hnsw_threshold` vectors) and a small *delta* of added or replaced vectors searched
exactly, with tombstones for removed segment rows. `compact` folds the delta into a new
segment (rebuilding the graph); no re-encoding is ever needed, the vectors are kept.

Documents with the same text have the same vector, and a catalog can repeat a text many
times (the scaled demo catalogs do: 663 distinct texts among 100,000 resources). The
segment keeps each distinct vector once, with the row of every document's vector
(`owner`), and the graph links distinct vectors only: a graph over thousands of identical
points has no direction to walk in, and found 82 % of the true top 100 (none at all for
some queries) where the deduplicated one finds them all. A hit on a vector stands for
every live, allowed document that has it, with the same score.

Search is exact (one matrix-vector product, perfect recall) below `hnsw_threshold` vectors.
Measured by `benchmarks/vector_search.py` on the shared two-core machine with 384-d vectors:
exact search costs 11 ms per query at 10,000 vectors and 26 ms at 50,000, where an HNSW
graph answers in 2-3 ms but takes minutes to build; so the graph is built from 50,000 on.
An allowed-id filter of at most `hnsw_threshold` rows is scored exactly over just those
rows; a larger one is passed to hnswlib as a filter function, which keeps the graph walk
inside the allowed set.

Each distinct vector also knows how **crowded** its neighbourhood is: the mean cosine of
its `CROWDING_NEIGHBOURS` nearest other distinct vectors, computed by `prepare_crowding`
(exactly in blocks below the graph threshold, through the graph above it; the retriever
calls it after each build and compaction of the index whose floor reads it) or else on
first use, and saved with the segment. `crowding` reports a document's value minus the
segment's median, which the relevance floor reads (`match_quality`): a document close to
many others (a generic "consulting services" text) is close to many queries too, so its
cosine says less. A document added since the segment was assembled is measured against
the segment when asked; its neighbours' values are refreshed by the next compaction.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import storage

__all__ = ["VectorIndex"]

FORMAT = 1
HNSW_THRESHOLD = 50_000
_PREFIXES = ("segment", "delta")
_HNSW_M = 32
_HNSW_EF_CONSTRUCTION = 200
_HNSW_EF_SEARCH = 128
CROWDING_NEIGHBOURS = 10
"""How many nearest other distinct vectors a vector's crowding averages over."""
_CROWDING_BLOCK = 1024


def _top(rows: np.ndarray, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the k best (rows, scores), unordered; `scores` is aligned with `rows`."""
    if len(rows) > k:
        keep = np.argpartition(-scores, k - 1)[:k]
        return rows[keep], scores[keep]
    return rows, scores


def _distinct_rows(matrix: np.ndarray, chunk: int = 65_536) -> tuple[np.ndarray, np.ndarray]:
    """Return (distinct, owner) with `matrix[i] == distinct[owner[i]]` for every row i.

    Rows are grouped by a random projection (one matrix-vector product and a sort, not a
    row-by-row hash), then every row is compared with its group's first row, so equal
    projections of different vectors only cost a missed merge, never a wrong one.
    """
    if len(matrix) == 0:
        return matrix, np.zeros(0, dtype=np.int64)
    probe = np.asarray(np.random.default_rng(7).standard_normal(matrix.shape[1]), np.float32)
    _, first, inverse = np.unique(matrix @ probe, return_index=True, return_inverse=True)
    representative = first[inverse.reshape(-1)]
    for begin in range(0, len(matrix), chunk):
        part = slice(begin, begin + chunk)
        same = np.all(matrix[part] == matrix[representative[part]], axis=1)
        stray = np.flatnonzero(~same) + begin
        representative[stray] = stray
    kept, owner = np.unique(representative, return_inverse=True)
    return np.ascontiguousarray(matrix[kept]), owner.reshape(-1).astype(np.int64)


def _pack(vectors: np.ndarray, owner: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Drop repeated and unreferenced rows of `vectors`; return them with the new owner."""
    distinct, merged = _distinct_rows(vectors)
    used, owner = np.unique(merged[owner], return_inverse=True)
    return np.ascontiguousarray(distinct[used]), owner.reshape(-1).astype(np.int64)


def _build_hnsw(matrix: np.ndarray) -> Any:
    """Build an inner-product HNSW graph whose labels are the matrix rows."""
    import hnswlib

    graph = hnswlib.Index(space="ip", dim=matrix.shape[1])
    graph.init_index(
        max_elements=len(matrix), ef_construction=_HNSW_EF_CONSTRUCTION, M=_HNSW_M, random_seed=7
    )
    graph.add_items(np.ascontiguousarray(matrix), np.arange(len(matrix)))
    graph.set_ef(_HNSW_EF_SEARCH)
    return graph


def _mean_of_best(scores: np.ndarray, k: int) -> np.ndarray:
    """Return the mean of the k largest values of each row (k at most the row length)."""
    if k <= 0:
        return np.zeros(len(scores), dtype=np.float32)
    best = np.partition(scores, scores.shape[1] - k, axis=1)[:, scores.shape[1] - k :]
    return best.mean(axis=1).astype(np.float32)


def _crowding(matrix: np.ndarray, graph: Any) -> np.ndarray:
    """Return each distinct vector's mean cosine to its nearest other distinct vectors."""
    count = len(matrix)
    k = min(CROWDING_NEIGHBOURS, count - 1)
    if k <= 0:
        return np.zeros(count, dtype=np.float32)
    if graph is not None:
        graph.set_ef(max(_HNSW_EF_SEARCH, k + 1))
        labels, distances = graph.knn_query(np.asarray(matrix), k=k + 1)
        scores = 1.0 - distances
        own = labels == np.arange(count)[:, None]
        # The vector itself is normally its own first hit; where the walk missed it, the
        # farthest of the k + 1 is dropped instead.
        own[~own.any(axis=1), -1] = True
        return scores[~own].reshape(count, k).mean(axis=1).astype(np.float32)
    out = np.empty(count, dtype=np.float32)
    for begin in range(0, count, _CROWDING_BLOCK):
        block = np.asarray(matrix[begin : begin + _CROWDING_BLOCK])
        scores = block @ np.asarray(matrix).T
        scores[np.arange(len(block)), np.arange(begin, begin + len(block))] = -np.inf
        out[begin : begin + len(block)] = _mean_of_best(scores, k)
    return out


@dataclass
class _Segment:
    """The immutable part: distinct vectors, each document's vector row, maybe an HNSW graph."""

    ids: list[str]
    matrix: np.ndarray
    owner: np.ndarray
    graph: Any = None
    location: Path | None = None
    crowding: np.ndarray | None = None
    """Per distinct vector: the mean cosine of its nearest other distinct vectors."""
    row_of: dict[str, int] = field(init=False)
    _order: np.ndarray | None = field(default=None, init=False, repr=False)
    _starts: np.ndarray | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        self.row_of = {doc_id: row for row, doc_id in enumerate(self.ids)}

    @property
    def size(self) -> int:
        """Return the number of document rows, tombstoned ones included."""
        return len(self.ids)

    @property
    def vectors(self) -> int:
        """Return the number of distinct vectors."""
        return len(self.matrix)

    def crowding_values(self) -> np.ndarray:
        """Return the crowding of every distinct vector (computed on first use if not saved)."""
        if self.crowding is None:
            self.crowding = _crowding(self.matrix, self.graph)
        return self.crowding

    def members(self, vector_row: int) -> np.ndarray:
        """Return the document rows whose vector is `vector_row`, ascending."""
        if self._order is None or self._starts is None:
            self._order = np.argsort(self.owner, kind="stable")
            self._starts = np.searchsorted(self.owner[self._order], np.arange(self.vectors + 1))
        return self._order[self._starts[vector_row] : self._starts[vector_row + 1]]

    def save(self, folder: Path) -> None:
        """Write the segment into a new folder."""
        folder.mkdir(parents=True)
        storage.save_array(folder / "vectors.npy", self.matrix)
        storage.save_array(folder / "owner.npy", self.owner)
        if self.crowding is not None:
            storage.save_array(folder / "crowding.npy", self.crowding)
        if self.graph is not None:
            self.graph.save_index(str(folder / "hnsw.bin"))
        storage.write_json_atomic(folder / "segment.json", {"ids": self.ids})
        self.location = folder

    @classmethod
    def load(cls, folder: Path, *, mmap: bool) -> _Segment:
        """Read a segment written by `save` (one written before deduplication too)."""
        ids = storage.read_json(folder / "segment.json")["ids"]
        matrix = storage.load_array(folder / "vectors.npy", mmap=mmap)
        if (folder / "owner.npy").exists():
            owner = np.asarray(storage.load_array(folder / "owner.npy", mmap=False))
        else:
            owner = np.arange(len(ids), dtype=np.int64)
        graph = None
        if (folder / "hnsw.bin").exists():
            import hnswlib

            graph = hnswlib.Index(space="ip", dim=matrix.shape[1])
            graph.load_index(str(folder / "hnsw.bin"), max_elements=len(matrix))
            graph.set_ef(_HNSW_EF_SEARCH)
        crowding = None
        if (folder / "crowding.npy").exists():  # a segment saved before crowding was kept
            crowding = np.asarray(storage.load_array(folder / "crowding.npy", mmap=False))
        return cls(
            ids=ids, matrix=matrix, owner=owner, graph=graph, location=folder, crowding=crowding
        )


def _empty_segment(dimension: int) -> _Segment:
    return _Segment(
        ids=[],
        matrix=np.zeros((0, dimension), dtype=np.float32),
        owner=np.zeros(0, dtype=np.int64),
    )


class VectorIndex:
    """Unit vectors keyed by document id, searchable by cosine similarity, updatable in place."""

    def __init__(self, dimension: int, *, hnsw_threshold: int = HNSW_THRESHOLD) -> None:
        self.dimension = dimension
        self.hnsw_threshold = hnsw_threshold
        self._start_from(_empty_segment(dimension))

    def _start_from(self, segment: _Segment) -> None:
        """Make `segment` the whole index: no tombstones, empty delta."""
        self._segment = segment
        self._dead = np.zeros(segment.size, dtype=bool)
        self._live_members = np.bincount(segment.owner, minlength=segment.vectors)
        self._removed: set[str] = set()
        self._delta: dict[str, np.ndarray] = {}
        self._delta_matrix: np.ndarray | None = None
        self._delta_ids: list[str] = []
        self._delta_crowding: dict[str, float] = {}
        self._typical_crowding: float | None = None

    @classmethod
    def build(
        cls,
        ids: Sequence[str],
        vectors: np.ndarray,
        *,
        hnsw_threshold: int = HNSW_THRESHOLD,
    ) -> VectorIndex:
        """Index `vectors` (one unit row per id); a repeated id keeps its last vector."""
        matrix = np.asarray(vectors, dtype=np.float32)
        if matrix.ndim != 2 or len(matrix) != len(ids):
            raise ValueError(f"need one vector per id: {len(ids)} ids, shape {matrix.shape}")
        last = {doc_id: row for row, doc_id in enumerate(ids)}
        owner = np.fromiter(last.values(), dtype=np.int64, count=len(last))
        return cls._assemble(list(last), matrix, owner, hnsw_threshold)

    @classmethod
    def _assemble(
        cls, ids: list[str], vectors: np.ndarray, owner: np.ndarray, hnsw_threshold: int
    ) -> VectorIndex:
        """Make an index whose document `ids[i]` has the vector `vectors[owner[i]]`."""
        dimension = vectors.shape[1]
        matrix, owner = _pack(vectors, owner)
        segment = _Segment(ids=ids, matrix=matrix.reshape(-1, dimension), owner=owner)
        if segment.vectors >= hnsw_threshold:
            segment.graph = _build_hnsw(segment.matrix)
        index = cls(dimension, hnsw_threshold=hnsw_threshold)
        index._start_from(segment)
        return index

    def __len__(self) -> int:
        return self._segment.size - int(self._dead.sum()) + len(self._delta)

    def __contains__(self, doc_id: object) -> bool:
        if doc_id in self._delta:
            return True
        row = self._segment.row_of.get(doc_id) if isinstance(doc_id, str) else None
        return row is not None and not self._dead[row]

    # -- updates ------------------------------------------------------------------------------

    def upsert(self, doc_id: str, vector: np.ndarray) -> None:
        """Add a document's vector or replace it; visible to the next search."""
        row_vector = np.asarray(vector, dtype=np.float32).reshape(-1)
        if row_vector.shape != (self.dimension,):
            raise ValueError(f"vector has shape {row_vector.shape}, index needs {self.dimension}")
        self.remove(doc_id)
        self._delta_crowding.pop(doc_id, None)
        self._delta[doc_id] = row_vector
        self._delta_matrix = None

    def remove(self, doc_id: str) -> bool:
        """Remove a document's vector; return whether it was there."""
        found = self._delta.pop(doc_id, None) is not None
        if found:
            self._delta_matrix = None
        row = self._segment.row_of.get(doc_id)
        if row is not None and not self._dead[row]:
            self._dead[row] = True
            self._live_members[self._segment.owner[row]] -= 1
            self._removed.add(doc_id)
            found = True
        return found

    @property
    def needs_compaction(self) -> bool:
        """Say whether tombstones and delta have grown enough to be worth a compaction."""
        pending = len(self._delta) + len(self._removed)
        return pending > max(256, self._segment.size // 10)

    def compact(self) -> None:
        """Fold tombstones and delta into a new segment (and a new graph when large)."""
        seg = self._segment
        live = np.flatnonzero(~self._dead)
        ids = [seg.ids[int(r)] for r in live] + list(self._delta)
        parts = [np.asarray(seg.matrix, dtype=np.float32)]
        owner = [seg.owner[live]]
        if self._delta:
            parts.append(np.stack(list(self._delta.values())))
            owner.append(seg.vectors + np.arange(len(self._delta), dtype=np.int64))
        vectors = np.concatenate(parts).reshape(-1, self.dimension)
        fresh = VectorIndex._assemble(ids, vectors, np.concatenate(owner), self.hnsw_threshold)
        self._start_from(fresh._segment)

    # -- crowding -----------------------------------------------------------------------------

    def prepare_crowding(self) -> None:
        """Compute every segment vector's crowding now, not at the first search that reads it."""
        self._segment.crowding_values()

    def crowding(self, doc_ids: Iterable[str]) -> dict[str, float]:
        """Return each indexed document's crowding above the segment's median (see the notes).

        Positive: the document sits among more near neighbours than the catalog's typical
        document; negative: it stands more apart. Documents not in the index are left out.
        """
        seg = self._segment
        values = seg.crowding_values()
        if self._typical_crowding is None:
            self._typical_crowding = float(np.median(values)) if len(values) else 0.0
        typical = self._typical_crowding
        out: dict[str, float] = {}
        for doc_id in doc_ids:
            vector = self._delta.get(doc_id)
            if vector is not None:
                out[doc_id] = self._crowding_of_added(doc_id, vector) - typical
                continue
            row = seg.row_of.get(doc_id)
            if row is not None and not self._dead[row]:
                out[doc_id] = float(values[seg.owner[row]]) - typical
        return out

    def _crowding_of_added(self, doc_id: str, vector: np.ndarray) -> float:
        """The crowding of a document added since the segment, measured against the segment."""
        known = self._delta_crowding.get(doc_id)
        if known is not None:
            return known
        seg = self._segment
        k = min(CROWDING_NEIGHBOURS, seg.vectors)
        value = 0.0
        if k > 0:
            if seg.graph is not None:
                seg.graph.set_ef(max(_HNSW_EF_SEARCH, k + 1))
                _, distances = seg.graph.knn_query(vector, k=min(k + 1, seg.vectors))
                scores = 1.0 - distances[0]
            else:
                scores = np.asarray(seg.matrix @ vector)
            scores = scores[scores < 1.0 - 1e-6]  # the same text in the segment is not a neighbour
            if len(scores):
                value = float(np.sort(scores)[-k:].mean())
        self._delta_crowding[doc_id] = value
        return value

    # -- search -------------------------------------------------------------------------------

    def search(
        self, query: np.ndarray, k: int, allowed_ids: Collection[str] | None = None
    ) -> list[tuple[str, float]]:
        """Return up to k (doc_id, cosine similarity) pairs, best first (ties by id)."""
        if k <= 0:
            return []
        vector = np.asarray(query, dtype=np.float32).reshape(-1)
        if allowed_ids is not None and not isinstance(allowed_ids, set | frozenset | dict):
            allowed_ids = set(allowed_ids)
        found = self._search_segment(vector, k, allowed_ids)
        if self._delta:
            found.extend(self._search_delta(vector, k, allowed_ids))
        found.sort(key=lambda hit: (-hit[1], hit[0]))
        return found[:k]

    def search_many(
        self, queries: np.ndarray, k: int, allowed_ids: Collection[str] | None = None
    ) -> list[list[tuple[str, float]]]:
        """`search` for each row of `queries` under one filter, in one batched pass.

        On a segment without pending updates the graph answers every row in one
        `knn_query` call, and exact scoring gathers the allowed vectors once for all
        rows; the hits are those `search` returns row by row. With a delta or tombstones each row is
        searched on its own (the batch matcher's callers compact first).
        """
        matrix = np.asarray(queries, dtype=np.float32).reshape(len(queries), -1)
        if k <= 0 or not len(matrix):
            return [[] for _ in range(len(matrix))]
        seg = self._segment
        if self._delta or self._removed or seg.size == 0:
            return [self.search(row, k, allowed_ids) for row in matrix]
        rows: np.ndarray | None = None
        if allowed_ids is not None:
            wanted = (seg.row_of.get(doc_id) for doc_id in allowed_ids)
            rows = np.fromiter((r for r in wanted if r is not None), dtype=np.int64)
            if len(rows) == 0:
                return [[] for _ in range(len(matrix))]
            if seg.graph is None or len(rows) <= self.hnsw_threshold:
                return self._score_rows_many(matrix, rows, k)
        if seg.graph is not None:
            return self._search_graph_many(matrix, k, rows)
        return [self._search_all(vector, k) for vector in matrix]

    def _score_rows_many(
        self, matrix: np.ndarray, rows: np.ndarray, k: int
    ) -> list[list[tuple[str, float]]]:
        """`_score_rows` for every query row: the allowed rows' vectors gathered once."""
        seg = self._segment
        rows = np.sort(rows)
        owners = seg.owner[rows]
        # One matrix-vector product per query over vectors gathered once: a matrix-matrix
        # product would sum in another order and move scores in their last bits.
        gathered = np.asarray(seg.matrix[owners]) if len(rows) < seg.vectors else None
        found = []
        for vector in matrix:
            if gathered is not None:
                scores = gathered @ vector
            else:
                scores = np.asarray(seg.matrix @ vector)[owners]
            best_rows, best_scores = _top(rows, scores, k)
            found.append(
                [(seg.ids[int(r)], float(s)) for r, s in zip(best_rows, best_scores, strict=True)]
            )
        return found

    def _search_graph_many(
        self, matrix: np.ndarray, k: int, rows: np.ndarray | None
    ) -> list[list[tuple[str, float]]]:
        """`_search_graph` for every query row in one `knn_query` call (no tombstones)."""
        seg = self._segment
        accept_rows: np.ndarray | None = None
        accept: Callable[[int], bool] | None = None
        acceptable = seg.vectors
        if rows is not None:
            accept_rows = np.zeros(seg.size, dtype=bool)
            accept_rows[rows] = True
            allowed_vectors = set(seg.owner[rows].tolist())
            accept = allowed_vectors.__contains__
            acceptable = len(allowed_vectors)
        wanted = min(k, acceptable)
        if wanted == 0:
            return [[] for _ in range(len(matrix))]
        seg.graph.set_ef(max(_HNSW_EF_SEARCH, wanted))
        try:
            labels, distances = seg.graph.knn_query(matrix, k=wanted, filter=accept, num_threads=1)
        except RuntimeError:
            return [self._search_graph(vector, k, rows) for vector in matrix]
        return [
            self._expand(labels[row], 1.0 - distances[row], k, accept_rows)
            for row in range(len(matrix))
        ]

    def _search_delta(
        self, vector: np.ndarray, k: int, allowed_ids: Collection[str] | None
    ) -> list[tuple[str, float]]:
        """Return the delta's k best (doc_id, score) pairs, unordered.

        Only those k become Python objects: the delta grows to thousands of documents
        between compactions, and turning every one into a pair and sorting them all took
        5 ms of each search with 9,000 (docs/benchmarks.md, Indexing cost on distinct
        texts). Every document that ties with the k-th score is kept, so the caller's
        ordering by id decides among equals as it would over the whole delta.
        """
        if self._delta_matrix is None:
            self._delta_matrix = np.stack(list(self._delta.values()))
            self._delta_ids = list(self._delta)
        scores = np.asarray(self._delta_matrix @ vector)
        rows = np.arange(len(scores))
        if allowed_ids is not None:
            rows = np.fromiter(
                (row for row, doc_id in enumerate(self._delta_ids) if doc_id in allowed_ids),
                dtype=np.int64,
            )
            scores = scores[rows]
        if len(rows) > k:
            kth = np.partition(scores, len(scores) - k)[len(scores) - k]
            keep = scores >= kth
            rows, scores = rows[keep], scores[keep]
        ids = self._delta_ids
        return [
            (ids[row], score) for row, score in zip(rows.tolist(), scores.tolist(), strict=True)
        ]

    def scores_for(self, query: np.ndarray, doc_ids: Iterable[str]) -> dict[str, float]:
        """Return the cosine similarity of each given document that is in the index."""
        vector = np.asarray(query, dtype=np.float32).reshape(-1)
        out: dict[str, float] = {}
        rows: list[int] = []
        row_ids: list[str] = []
        for doc_id in doc_ids:
            if doc_id in self._delta:
                out[doc_id] = float(self._delta[doc_id] @ vector)
                continue
            row = self._segment.row_of.get(doc_id)
            if row is not None and not self._dead[row]:
                rows.append(row)
                row_ids.append(doc_id)
        if rows:
            seg = self._segment
            scores = np.asarray(seg.matrix[seg.owner[rows]]) @ vector
            out.update(zip(row_ids, scores.tolist(), strict=True))
        return out

    def _search_segment(
        self, vector: np.ndarray, k: int, allowed_ids: Collection[str] | None
    ) -> list[tuple[str, float]]:
        """Search the segment exactly or through the graph (see the module notes)."""
        seg = self._segment
        if seg.size == 0:
            return []
        rows: np.ndarray | None = None
        if allowed_ids is not None:
            wanted = (seg.row_of.get(doc_id) for doc_id in allowed_ids)
            rows = np.fromiter((r for r in wanted if r is not None), dtype=np.int64)
            if self._removed:
                rows = rows[~self._dead[rows]]
            if len(rows) == 0:
                return []
            if seg.graph is None or len(rows) <= self.hnsw_threshold:
                return self._score_rows(vector, rows, k)
        if seg.graph is not None:
            return self._search_graph(vector, k, rows)
        return self._search_all(vector, k)

    def _score_rows(self, vector: np.ndarray, rows: np.ndarray, k: int) -> list[tuple[str, float]]:
        """Score the given live document rows exactly; return their k best."""
        seg = self._segment
        rows = np.sort(rows)
        owners = seg.owner[rows]
        if len(rows) < seg.vectors:
            scores = np.asarray(seg.matrix[owners]) @ vector
        else:
            scores = np.asarray(seg.matrix @ vector)[owners]
        best_rows, best_scores = _top(rows, scores, k)
        return [(seg.ids[int(r)], float(s)) for r, s in zip(best_rows, best_scores, strict=True)]

    def _expand(
        self, vector_rows: np.ndarray, scores: np.ndarray, k: int, accept: np.ndarray | None
    ) -> list[tuple[str, float]]:
        """Turn vector hits, best first, into document hits until k are found.

        Every accepted document of the last vector taken is included: they tie, and the
        caller breaks ties by id.
        """
        seg = self._segment
        found: list[tuple[str, float]] = []
        for row, score in zip(vector_rows.tolist(), scores.tolist(), strict=True):
            members = seg.members(row)
            if accept is not None:
                members = members[accept[members]]
            found.extend((seg.ids[m], score) for m in members.tolist())
            if len(found) >= k:
                break
        return found

    def _search_all(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """Exact search over every distinct vector, then its live documents."""
        seg = self._segment
        scores = np.asarray(seg.matrix @ vector)
        accept = ~self._dead if self._removed else None
        taken = min(k, seg.vectors)
        while True:
            if taken < seg.vectors:
                best = np.argpartition(-scores, taken - 1)[:taken]
            else:
                best = np.arange(seg.vectors)
            best = best[np.argsort(-scores[best], kind="stable")]
            found = self._expand(best, scores[best], k, accept)
            if len(found) >= k or taken == seg.vectors:
                return found
            taken = seg.vectors  # removed documents left the best vectors short

    def _search_graph(
        self, vector: np.ndarray, k: int, rows: np.ndarray | None
    ) -> list[tuple[str, float]]:
        """Search the HNSW graph, keeping the walk on vectors with live (and allowed) rows."""
        seg = self._segment
        accept_rows: np.ndarray | None = None
        accept: Callable[[int], bool] | None = None
        if rows is not None:
            accept_rows = np.zeros(seg.size, dtype=bool)
            accept_rows[rows] = True
            allowed_vectors = set(seg.owner[rows].tolist())
            accept = allowed_vectors.__contains__
            acceptable = len(allowed_vectors)
        elif self._removed:
            accept_rows = ~self._dead
            alive = self._live_members > 0

            def accept_alive(label: int) -> bool:
                return bool(alive[label])

            accept = accept_alive
            acceptable = int(alive.sum())
        else:
            acceptable = seg.vectors
        wanted = min(k, acceptable)
        if wanted == 0:
            return []
        seg.graph.set_ef(max(_HNSW_EF_SEARCH, wanted))
        try:
            labels, distances = seg.graph.knn_query(vector, k=wanted, filter=accept)
        except RuntimeError:
            # The walk found fewer acceptable vectors than asked: score the rows exactly.
            candidates = rows if rows is not None else np.flatnonzero(~self._dead)
            return self._score_rows(vector, candidates, k)
        return self._expand(labels[0], 1.0 - distances[0], k, accept_rows)

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
            delta_name = storage.fresh_name("delta")
            (folder / delta_name).mkdir()
            vectors = (
                np.stack(list(self._delta.values()))
                if self._delta
                else np.zeros((0, self.dimension), dtype=np.float32)
            )
            storage.save_array(folder / delta_name / "vectors.npy", vectors)
            storage.write_json_atomic(
                folder / delta_name / "delta.json",
                {"ids": list(self._delta), "removed": sorted(self._removed)},
            )
        storage.write_json_atomic(
            folder / storage.MANIFEST,
            {
                "format": FORMAT,
                "kind": "vectors",
                "dimension": self.dimension,
                "hnsw_threshold": self.hnsw_threshold,
                "segment": seg.location.name,
                "delta": delta_name,
            },
        )
        keep = [seg.location.name] + ([delta_name] if delta_name else [])
        storage.remove_unreferenced(folder, keep, _PREFIXES)

    @classmethod
    def load(cls, path: Path | str, *, mmap: bool = True) -> VectorIndex:
        """Load an index saved by `save`, the vectors memory-mapped by default."""
        folder = Path(path)
        try:
            return cls._load(folder, mmap=mmap)
        except FileNotFoundError:
            # A concurrent save replaced the files after we read the manifest: read it again.
            return cls._load(folder, mmap=mmap)

    @classmethod
    def _load(cls, folder: Path, *, mmap: bool) -> VectorIndex:
        manifest = storage.read_json(folder / storage.MANIFEST)
        if manifest.get("format") != FORMAT or manifest.get("kind") != "vectors":
            raise ValueError(f"not a vector index folder (format {manifest.get('format')})")
        index = cls(manifest["dimension"], hnsw_threshold=manifest["hnsw_threshold"])
        index._start_from(_Segment.load(folder / manifest["segment"], mmap=mmap))
        if manifest["delta"]:
            delta_folder = folder / manifest["delta"]
            delta = storage.read_json(delta_folder / "delta.json")
            vectors = storage.load_array(delta_folder / "vectors.npy", mmap=False)
            for doc_id in delta["removed"]:
                index.remove(doc_id)
            for doc_id, vector in zip(delta["ids"], vectors, strict=True):
                index.upsert(doc_id, vector)
        return index
