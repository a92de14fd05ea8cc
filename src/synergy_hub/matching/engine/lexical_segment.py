"""The immutable, bm25s-backed part of a BM25 index: one saved folder, memory-mapped.

A segment holds bm25s's precomputed scores per term and document, each document's term
counts (so the index can rebuild itself without the source texts), the collection
statistics and each document's language. `lexical.LexicalIndex` puts a mutable delta on
top of one segment and folds the two into a new segment when it compacts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import bm25s
import numpy as np

from . import storage

__all__ = ["LANGUAGES", "Segment"]

BM25_FILES = "bm25"
# A document's language as stored: unknown (an index saved before languages were kept).
LANGUAGES = ("", "en", "zh", "mixed")
_LANGUAGE_CODE = {name: code for code, name in enumerate(LANGUAGES)}


@dataclass
class Segment:
    """The immutable, bm25s-backed part of the index."""

    ids: list[str]
    vocab: dict[str, int]
    doc_freqs: np.ndarray
    doc_lengths: np.ndarray
    term_ids: np.ndarray
    term_counts: np.ndarray
    term_offsets: np.ndarray
    avg_length: float
    k1: float
    b: float
    bm25: bm25s.BM25 | None
    languages: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.uint8))
    location: Path | None = None
    row_of: dict[str, int] = field(init=False)
    _words: list[str] | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self.row_of = {doc_id: row for row, doc_id in enumerate(self.ids)}

    @property
    def size(self) -> int:
        """Return the number of rows, tombstoned ones included."""
        return len(self.ids)

    @classmethod
    def build(
        cls,
        docs: Mapping[str, Counter[str]],
        *,
        k1: float,
        b: float,
        languages: Mapping[str, str] | None = None,
    ) -> Segment:
        """Build a segment from each document's term counts (and language, when known)."""
        vocab: dict[str, int] = {}
        term_ids: list[int] = []
        term_counts: list[int] = []
        offsets = [0]
        lengths: list[int] = []
        for counts in docs.values():
            for term, count in counts.items():
                term_ids.append(vocab.setdefault(term, len(vocab)))
                term_counts.append(count)
            offsets.append(len(term_ids))
            lengths.append(sum(counts.values()))
        ids_array = np.asarray(term_ids, dtype=np.int32)
        counts_array = np.asarray(term_counts, dtype=np.int32)
        offsets_array = np.asarray(offsets, dtype=np.int64)
        bm25 = None
        if vocab:
            bm25 = bm25s.BM25(k1=k1, b=b, method="lucene")
            corpus = [
                np.repeat(
                    ids_array[offsets_array[i] : offsets_array[i + 1]],
                    counts_array[offsets_array[i] : offsets_array[i + 1]],
                ).tolist()
                for i in range(len(lengths))
            ]
            bm25.index((corpus, vocab), create_empty_token=False, show_progress=False)
        return cls(
            ids=list(docs),
            vocab=vocab,
            doc_freqs=np.bincount(ids_array, minlength=len(vocab)).astype(np.int32),
            doc_lengths=np.asarray(lengths, dtype=np.int32),
            term_ids=ids_array,
            term_counts=counts_array,
            term_offsets=offsets_array,
            avg_length=float(np.mean(lengths)) if lengths else 0.0,
            k1=k1,
            b=b,
            bm25=bm25,
            languages=np.asarray(
                [_LANGUAGE_CODE.get((languages or {}).get(doc_id, ""), 0) for doc_id in docs],
                dtype=np.uint8,
            ),
        )

    def scores(self, weights: Mapping[str, float]) -> np.ndarray | None:
        """Return every row's weighted BM25 score for the query, or None when no term is known.

        bm25s keeps each term's precomputed BM25 values as one column of a CSC matrix (the
        `scores` arrays, memory-mapped when loaded so). The query's columns are gathered,
        weighted and summed per row in one `bincount` (in float64, one pass however many
        terms an expanded query has); with weight 1 per term occurrence this is what
        `bm25s.BM25.get_scores_from_ids` computes.
        """
        known = [(self.vocab[t], w) for t, w in weights.items() if t in self.vocab]
        if not known or self.bm25 is None:
            return None
        matrix = self.bm25.scores
        data, indices, indptr = matrix["data"], matrix["indices"], matrix["indptr"]
        term_ids = np.asarray([term_id for term_id, _ in known], dtype=np.int64)
        starts, ends = indptr[term_ids], indptr[term_ids + 1]
        rows = np.concatenate([indices[s:e] for s, e in zip(starts, ends, strict=True)])
        values = np.concatenate([data[s:e] for s, e in zip(starts, ends, strict=True)])
        if any(weight != 1.0 for _, weight in known):
            values = values * np.repeat([weight for _, weight in known], ends - starts)
        return np.bincount(rows, weights=values, minlength=self.size).astype(np.float32)

    @property
    def words(self) -> list[str]:
        """Return the vocabulary by term id (built on first use: feedback reads rows)."""
        words = self._words
        if words is None:
            words = [""] * len(self.vocab)
            for term, term_id in self.vocab.items():
                words[term_id] = term
            self._words = words
        return words

    def terms_of(self, row: int, words: list[str]) -> Counter[str]:
        """Return the term counts of one row (`words` is the vocabulary by id)."""
        start, end = int(self.term_offsets[row]), int(self.term_offsets[row + 1])
        term_ids = self.term_ids[start:end].tolist()
        return Counter(
            dict(
                zip(
                    map(words.__getitem__, term_ids),
                    self.term_counts[start:end].tolist(),
                    strict=True,
                )
            )
        )

    def save(self, folder: Path) -> None:
        """Write the segment into a new folder."""
        folder.mkdir(parents=True)
        if self.bm25 is not None:
            self.bm25.save(str(folder / BM25_FILES), show_progress=False)
        for name in ("doc_freqs", "doc_lengths", "term_ids", "term_counts", "term_offsets"):
            storage.save_array(folder / f"{name}.npy", getattr(self, name))
        if len(self.languages):
            storage.save_array(folder / "languages.npy", self.languages)
        storage.write_json_atomic(
            folder / "segment.json",
            {
                "ids": self.ids,
                "avg_length": self.avg_length,
                "k1": self.k1,
                "b": self.b,
            },
        )
        self.location = folder

    @classmethod
    def load(cls, folder: Path, *, mmap: bool) -> Segment:
        """Read a segment written by `save`, its arrays memory-mapped when `mmap` is set."""
        meta = storage.read_json(folder / "segment.json")
        bm25 = None
        vocab: dict[str, int] = {}
        if (folder / BM25_FILES).is_dir():
            bm25 = bm25s.BM25.load(str(folder / BM25_FILES), mmap=mmap, show_progress=False)
            vocab = bm25.vocab_dict
        arrays = {
            name: storage.load_array(folder / f"{name}.npy", mmap=mmap)
            for name in ("doc_freqs", "doc_lengths", "term_ids", "term_counts", "term_offsets")
        }
        # A segment saved before languages were kept knows none of them.
        known = folder / "languages.npy"
        arrays["languages"] = (
            storage.load_array(known, mmap=mmap)
            if known.exists()
            else np.zeros(len(meta["ids"]), dtype=np.uint8)
        )
        return cls(
            ids=meta["ids"],
            vocab=vocab,
            avg_length=meta["avg_length"],
            k1=meta["k1"],
            b=meta["b"],
            bm25=bm25,
            location=folder,
            **arrays,
        )
