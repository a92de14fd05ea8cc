"""Hybrid retrieval: BM25 and a sentence encoder each propose candidates, fusion ranks them.

A query is cleaned (control characters dropped, cut to `MAX_QUERY_CHARS`), analysed for
BM25 and encoded for the vector index. The BM25 side expands the analysed query with
pseudo-relevance feedback (`lexical.FeedbackConfig`: terms of its best documents, RM3)
and searches with the expanded query. Each side returns its top `depth` candidates
(restricted to `allowed_ids` when given), each candidate's missing score is filled in
from the other side, and `fusion.fuse` orders the union. Queries with nothing to search
for (empty, punctuation or emoji only) return no hits; no query raises.

A document's vector is that of its whole text plus, weighted by `title_weight`, that of its
first line (the title, by the convention of `documents.document_text` and of BEIR): a
sentence encoder averages a long text into one point, and the title keeps what the
resource *is* from being diluted by prices and contact details. Each document's language
is indexed with it (`text.language_of`); a document written only in the other language
than the query is ranked by the encoder alone (`fusion`), so BM25's silence about it does
not bury a cross-language match.

An English query is also answered by a second, English encoder (`english_encoder`,
optional) over the English documents alone: the cross-language encoder is weak on English
technical text, which the English one reads well, and encoding only English documents
keeps the cost of a second model to the part of a catalog that needs it.

A hit's `lexical_score` stays the BM25 score of the query's own terms, so that "shares a
word with the query" keeps its meaning for callers; the expanded query's score only
ranks (it is what fusion and the `lexical` mode's `score` use).

Query encoding runs on a small thread pool while the BM25 side is scored: the encoders
are native code that releases the GIL and, on a query's few tokens, keeps one core busy,
so the two sides overlap on a machine with two or more cores. A caller may start the
encoding even earlier with `prepare_query` (while it reads filters from the database)
and hand the result to `search`.

Concurrency: searches may run in many threads; updates (`upsert`, `remove`, `compact`)
must not overlap with searches on the same object. Processes share an index through its
folder: a writer saves, readers load again (files are never rewritten in place).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection, Iterable, Sequence, Sized
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from . import storage
from .dense import Encoder, EncoderUnavailable, get_encoder
from .fusion import Candidates, FusionConfig, Hit, fuse
from .lexical import FeedbackConfig, LexicalIndex, LexicalScores
from .match_quality import FloorConfig, floor_for
from .query import MAX_QUERY_CHARS, PreparedQuery, ScoreLookup, clean_query, encoding_pool
from .text import analyze, language_of, other_language
from .vectors import HNSW_THRESHOLD, VectorIndex

__all__ = [
    "MAX_QUERY_CHARS",
    "HybridRetriever",
    "RetrieverConfig",
    "ScoreLookup",
    "SearchMode",
    "clean_query",
    "document_vectors",
]

logger = logging.getLogger(__name__)

SearchMode = Literal["hybrid", "lexical", "dense"]
Progress = Callable[[int, int | None], None]
"""Called as progress(done, total) while building; total is None for an unsized iterable."""

MAX_K = 1000
FORMAT = 1
_CONFIG_FILE = "retriever.json"


@dataclass(frozen=True, slots=True)
class RetrieverConfig:
    """The retriever's tunable parameters; the defaults are the measured, shipped ones.

    BM25 k1 and b, feedback and fusion were chosen on the bilingual SME development
    collection by cross-validation (every fold chose them), the title and English weights
    alongside; Cranfield and CISI were held out. The numbers are in
    docs/decisions/0010-bilingual-retrieval.md.
    """

    k1: float = 0.9
    b: float = 0.9
    fusion: FusionConfig = field(
        default_factory=lambda: FusionConfig(alpha=0.7, normalization="minmax")
    )
    depth: int = 100
    feedback: FeedbackConfig = field(
        default_factory=lambda: FeedbackConfig(docs=5, terms=10, original_weight=0.3)
    )
    title_weight: float = 0.3
    """Weight of the title's vector added to the whole text's (0: the text's alone)."""
    language_gate: bool = True
    """Rank a document in the other language than the query by the encoder alone."""
    english_weight: float = 1.0
    """Weight of the English encoder, against the cross-language one's 1, for English pairs."""

    def __post_init__(self) -> None:
        if not 0.0 <= self.title_weight <= 10.0:
            raise ValueError(f"title_weight: must be in [0, 10] (got {self.title_weight!r})")
        if not 0.0 <= self.english_weight <= 10.0:
            raise ValueError(f"english_weight: must be in [0, 10] (got {self.english_weight!r})")

    def to_json(self) -> dict[str, object]:
        """Return the configuration as plain JSON data."""
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, object]) -> RetrieverConfig:
        """Read a configuration written by `to_json`.

        A configuration saved before feedback existed had none: it loads with feedback
        off, so an old index keeps ranking as it did until it is rebuilt; one saved before
        titles were weighted loads with `title_weight` 0, so that documents added to it
        are encoded as its others were.
        """
        fusion = data.get("fusion")
        feedback = data.get("feedback")
        values = {key: value for key, value in data.items() if key not in ("fusion", "feedback")}
        values.setdefault("title_weight", 0.0)
        return cls(
            fusion=FusionConfig(**fusion) if isinstance(fusion, dict) else FusionConfig(),
            feedback=FeedbackConfig(**feedback)
            if isinstance(feedback, dict)
            else FeedbackConfig(docs=0),
            **values,  # type: ignore[arg-type]
        )


def document_vectors(encoder: Encoder, texts: Sequence[str], title_weight: float) -> np.ndarray:
    """Encode documents: each text's vector plus `title_weight` times its first line's, unit length.

    A one-line text is its own title, so it is encoded once and keeps its own vector.
    """
    vectors = encoder.encode(texts, kind="document")
    if title_weight <= 0 or not len(texts):
        return vectors
    titled = [row for row, text in enumerate(texts) if "\n" in text.strip()]
    if not titled:
        return vectors
    titles = [texts[row].strip().split("\n", 1)[0] for row in titled]
    mixed = vectors.copy()
    mixed[titled] += title_weight * encoder.encode(titles, kind="document")
    norms = np.linalg.norm(mixed, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (mixed / norms).astype(np.float32)


class HybridRetriever:
    """Owns a BM25 index and, optionally, a vector index with its encoder, and searches both."""

    def __init__(
        self,
        lexical: LexicalIndex,
        dense: VectorIndex | None = None,
        encoder: Encoder | None = None,
        *,
        english: VectorIndex | None = None,
        english_encoder: Encoder | None = None,
        config: RetrieverConfig | None = None,
        floor: FloorConfig | None = None,
    ) -> None:
        if (dense is None) != (encoder is None):
            raise ValueError("dense: a vector index needs its encoder, and an encoder its index")
        if (english is None) != (english_encoder is None) or (english and dense is None):
            raise ValueError("english: needs its encoder and the cross-language dense side")
        if dense is not None and encoder is not None and dense.dimension != encoder.dimension:
            raise ValueError(
                f"encoder: {encoder.name} makes {encoder.dimension}-d vectors, "
                f"the index holds {dense.dimension}-d"
            )
        self.lexical = lexical
        self.dense = dense
        self.encoder = encoder
        self.english = english
        self.english_encoder = english_encoder
        self.config = config or RetrieverConfig(k1=lexical.k1, b=lexical.b)
        # The relevance floor (`match_quality`) is on one encoder's cosine scale: a floor
        # for another encoder (or for the one saved, when it cannot be loaded here) gives
        # way to the calibrated values of the encoder in use.
        encoder_name = encoder.name if encoder is not None else None
        if floor is None or floor.encoder != encoder_name:
            floor = floor_for(encoder_name)
        self.floor = floor
        self._prepare_crowding()

    @classmethod
    def build(
        cls,
        docs: Iterable[tuple[str, str]],
        *,
        encoder: Encoder | None = None,
        english_encoder: Encoder | None = None,
        config: RetrieverConfig | None = None,
        floor: FloorConfig | None = None,
        progress: Progress | None = None,
        batch_size: int = 64,
        hnsw_threshold: int = HNSW_THRESHOLD,
    ) -> HybridRetriever:
        """Index (doc_id, text) pairs, reporting progress after each batch.

        With an `english_encoder` the English side is built after the rest, from the same
        pairs (see `attach_english`, which a caller may also run later).
        """
        config = config or RetrieverConfig()
        if english_encoder is not None and encoder is not None:
            docs = list(docs)
        total = len(docs) if isinstance(docs, Sized) else None
        ids: list[str] = []
        terms: list[list[str]] = []
        languages: dict[str, str] = {}
        vectors: list[np.ndarray] = []
        batch: list[tuple[str, str]] = []

        def flush() -> None:
            ids.extend(doc_id for doc_id, _ in batch)
            terms.extend(analyze(text) for _, text in batch)
            languages.update((doc_id, language_of(text)) for doc_id, text in batch)
            if encoder is not None:
                texts = [text for _, text in batch]
                vectors.append(document_vectors(encoder, texts, config.title_weight))
            batch.clear()
            if progress is not None:
                progress(len(ids), total)

        for doc_id, text in docs:
            batch.append((doc_id, text))
            if len(batch) >= batch_size:
                flush()
        if batch or not ids:
            flush()
        lexical = LexicalIndex.build(
            zip(ids, terms, strict=True), k1=config.k1, b=config.b, languages=languages
        )
        dense = None
        if encoder is not None:
            matrix = np.concatenate(vectors) if vectors else np.zeros((0, encoder.dimension))
            dense = VectorIndex.build(ids, matrix, hnsw_threshold=hnsw_threshold)
        retriever = cls(lexical, dense, encoder, config=config, floor=floor)
        if english_encoder is not None and encoder is not None:
            retriever.attach_english(
                english_encoder, docs, batch_size=batch_size, hnsw_threshold=hnsw_threshold
            )
        return retriever

    def attach_english(
        self,
        english_encoder: Encoder,
        docs: Iterable[tuple[str, str]],
        *,
        progress: Progress | None = None,
        batch_size: int = 64,
        hnsw_threshold: int = HNSW_THRESHOLD,
    ) -> int:
        """Encode the English documents among `docs` with `english_encoder` as the English side.

        A catalog is searchable before this runs (the English side only adds to English
        queries), so a store can publish first and attach the English side afterwards.
        Progress counts the documents read; returns how many were English.
        """
        if self.dense is None:
            raise ValueError("english: needs the cross-language dense side")
        total = len(docs) if isinstance(docs, Sized) else None
        ids: list[str] = []
        vectors: list[np.ndarray] = []
        batch: list[tuple[str, str]] = []
        read = 0

        def flush() -> None:
            if batch:
                ids.extend(doc_id for doc_id, _ in batch)
                texts = [text for _, text in batch]
                vectors.append(document_vectors(english_encoder, texts, self.config.title_weight))
                batch.clear()
            if progress is not None:
                progress(read, total)

        for doc_id, text in docs:
            read += 1
            if language_of(text) == "en":
                batch.append((doc_id, text))
            if len(batch) >= batch_size or (progress is not None and read % batch_size == 0):
                flush()
        flush()
        matrix = np.concatenate(vectors) if vectors else np.zeros((0, english_encoder.dimension))
        self.english = VectorIndex.build(ids, matrix, hnsw_threshold=hnsw_threshold)
        self.english_encoder = english_encoder
        return len(ids)

    @property
    def has_dense(self) -> bool:
        """Say whether dense (semantic) search is available."""
        return self.dense is not None

    def __len__(self) -> int:
        return len(self.lexical)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.lexical

    # -- search -------------------------------------------------------------------------------

    def prepare_query(self, query: str, mode: SearchMode = "hybrid") -> PreparedQuery:
        """Clean the query and start encoding it in the background (when `mode` needs it)."""
        text = clean_query(query)
        future = None
        if (
            mode in ("hybrid", "dense")
            and self.encoder is not None
            and self.dense is not None
            and any(ch.isalnum() for ch in text)
        ):
            encoder = self.encoder
            future = encoding_pool().submit(lambda: encoder.encode([text], kind="query")[0])
        english = None
        if future is not None and self._answers_in_english(text):
            english_encoder = self.english_encoder
            assert english_encoder is not None
            english = encoding_pool().submit(
                lambda: english_encoder.encode([text], kind="query")[0]
            )
        return PreparedQuery(text, future, english)

    def _answers_in_english(self, text: str) -> bool:
        """Tell whether the English encoder takes part in answering this query."""
        return (
            self.english is not None
            and self.english_encoder is not None
            and self.config.english_weight > 0
            and language_of(text) == "en"
        )

    def crowding(self, doc_ids: Iterable[str]) -> dict[str, float]:
        """Each document's crowding in the cross-language vector index, when the floor reads it.

        Empty when the floor gives crowding no weight (an index saved before it) or there is
        no dense side (`VectorIndex.crowding`, `match_quality`).
        """
        if self.dense is None or not self.floor.crowding_weight:
            return {}
        return self.dense.crowding(doc_ids)

    def search(
        self,
        query: str | PreparedQuery,
        k: int = 10,
        *,
        allowed_ids: Collection[str] | None = None,
        mode: SearchMode = "hybrid",
        on_lexical: Callable[[list[str]], object] | None = None,
    ) -> list[Hit]:
        """Return up to k hits for the query, best first; restricted to allowed_ids if given.

        `query` is text, or what `prepare_query` returned for it (with the same mode).
        `on_lexical` is called with the BM25 candidates' ids while the query vector may
        still be computing, so a caller can read what it will need about them meanwhile.
        """
        prepared = query if isinstance(query, PreparedQuery) else None
        text = prepared.text if prepared is not None else clean_query(query)
        k = min(int(k), MAX_K)
        if k <= 0 or not any(ch.isalnum() for ch in text):
            return []
        if prepared is None:
            prepared = self.prepare_query(text, mode)
        if allowed_ids is not None and not isinstance(allowed_ids, set | frozenset):
            allowed_ids = set(allowed_ids)
        depth = max(self.config.depth, k)
        lexical = dense = None
        own: LexicalScores | None = None
        ranking: LexicalScores | None = None
        if mode in ("hybrid", "lexical"):
            own, ranking = self._lexical_scores(analyze(text))
            lexical = Candidates.from_ranked(ranking.top(depth, allowed_ids))
            if on_lexical is not None:
                on_lexical([doc_id for doc_id, _ in lexical.ranked])
        vector = prepared.vector() if mode in ("hybrid", "dense") else None
        english = None
        english_vector = None
        if self.dense is not None and vector is not None:
            dense = Candidates.from_ranked(self.dense.search(vector, depth, allowed_ids))
            english_vector = prepared.english_vector() if mode == "hybrid" else None
            if english_vector is not None and self.english is not None:
                english = Candidates.from_ranked(
                    self.english.search(english_vector, depth, allowed_ids)
                )
        return self.combine(
            text, k, mode, own, ranking, lexical, vector, dense, english_vector, english
        )

    def combine(
        self,
        text: str,
        k: int,
        mode: SearchMode,
        own: ScoreLookup | None,
        ranking: ScoreLookup | None,
        lexical: Candidates | None,
        vector: np.ndarray | None,
        dense: Candidates | None,
        english_vector: np.ndarray | None = None,
        english: Candidates | None = None,
    ) -> list[Hit]:
        """Turn one query's candidate lists into its hits: fill in, gate by language, fuse.

        The last step of `search`, shared with the block-wise batch matcher
        (`engine.block`), which finds the candidate lists of many queries at once: `own`
        and `ranking` answer `of(doc_ids)` with the query's own and ranking BM25 scores
        (the same object when feedback is off).
        """
        if (
            self.dense is not None
            and vector is not None
            and dense is not None
            and lexical is not None
            and ranking is not None
        ):
            lexical, dense, english = self._fill_in(
                ranking, vector, lexical, dense, english_vector, english
            )
        if mode == "hybrid":
            other = self._other_language(text, lexical, dense)
            hits = fuse(
                lexical,
                dense,
                self.config.fusion,
                other_language=other,
                english=english,
                english_weight=self.config.english_weight,
                limit=k,
            )
            return self._with_own_scores(hits, own) if own is not ranking else hits
        only = lexical if mode == "lexical" else dense
        if only is None:
            return []
        hits = [
            Hit(
                doc_id=doc_id,
                score=score,
                lexical_score=score if mode == "lexical" else None,
                dense_score=score if mode == "dense" else None,
                lexical_rank=rank if mode == "lexical" else None,
                dense_rank=rank if mode == "dense" else None,
            )
            for rank, (doc_id, score) in enumerate(only.ranked[:k], start=1)
        ]
        return self._with_own_scores(hits, own) if own is not ranking else hits

    def _other_language(
        self, text: str, lexical: Candidates | None, dense: Candidates | None
    ) -> frozenset[str]:
        """The candidates written only in the other language than the query (see fusion)."""
        if not self.config.language_gate or lexical is None or dense is None:
            return frozenset()
        query_language = language_of(text)
        if query_language == "mixed":
            return frozenset()
        pool = lexical.scores.keys() | dense.scores.keys()
        return frozenset(
            doc_id
            for doc_id, language in self.lexical.languages_of(pool).items()
            if other_language(query_language, language)  # type: ignore[arg-type]
        )

    def _lexical_scores(self, terms: list[str]) -> tuple[LexicalScores, LexicalScores]:
        """Return the BM25 scores of the query's own terms and of the query that ranks.

        With feedback on, the second is the expanded query's (one more pass over the
        index, after the first has found the feedback documents); otherwise both are the
        same object.
        """
        own = self.lexical.score(terms)
        feedback = self.config.feedback
        if not feedback.enabled:
            return own, own
        return own, self.lexical.score(self.lexical.expand(terms, feedback, own))

    @staticmethod
    def _with_own_scores(hits: list[Hit], own: ScoreLookup | None) -> list[Hit]:
        """Report each hit's BM25 score for the query's own terms (see the module notes)."""
        if own is None or not hits:
            return hits
        scores = own.of(hit.doc_id for hit in hits)
        return [
            Hit(
                hit.doc_id,
                hit.score,
                scores.get(hit.doc_id, 0.0),
                hit.dense_score,
                hit.lexical_rank,
                hit.dense_rank,
            )
            for hit in hits
        ]

    def _fill_in(
        self,
        ranking: ScoreLookup,
        vector: np.ndarray,
        lexical: Candidates,
        dense: Candidates,
        english_vector: np.ndarray | None = None,
        english: Candidates | None = None,
    ) -> tuple[Candidates, Candidates, Candidates | None]:
        """Give every candidate every score, so that fusion never guesses a missing one.

        The English encoder scores only the documents it indexed (the English ones).
        """
        assert self.dense is not None
        lexical_scores = dict(lexical.scores)
        dense_scores = dict(dense.scores)
        pool = lexical_scores.keys() | dense_scores.keys()
        if english is not None:
            pool |= english.scores.keys()
        lexical_scores.update(ranking.of(d for d in pool if d not in lexical_scores))
        missing = [d for d in pool if d not in dense_scores]
        dense_scores.update(self.dense.scores_for(vector, missing))
        filled = None
        if english is not None and english_vector is not None and self.english is not None:
            english_scores = dict(english.scores)
            unscored = [d for d in pool if d not in english_scores]
            english_scores.update(self.english.scores_for(english_vector, unscored))
            filled = Candidates(english.ranked, english_scores)
        return (
            Candidates(lexical.ranked, lexical_scores),
            Candidates(dense.ranked, dense_scores),
            filled,
        )

    # -- updates ------------------------------------------------------------------------------

    def upsert(self, doc_id: str, text: str) -> None:
        """Add a document or replace its text; visible to the next search."""
        language = language_of(text)
        self.lexical.upsert(doc_id, analyze(text), language)
        if self.dense is not None and self.encoder is not None:
            vector = document_vectors(self.encoder, [text], self.config.title_weight)[0]
            self.dense.upsert(doc_id, vector)
        if self.english is not None and self.english_encoder is not None:
            if language == "en":
                weight = self.config.title_weight
                self.english.upsert(
                    doc_id, document_vectors(self.english_encoder, [text], weight)[0]
                )
            else:
                self.english.remove(doc_id)

    def remove(self, doc_id: str) -> bool:
        """Remove a document; return whether it was indexed."""
        found = self.lexical.remove(doc_id)
        if self.dense is not None:
            found = self.dense.remove(doc_id) or found
        if self.english is not None:
            self.english.remove(doc_id)
        return found

    @property
    def needs_compaction(self) -> bool:
        """Say whether pending updates are worth folding into the indexes now."""
        return (
            self.lexical.needs_compaction
            or (self.dense is not None and self.dense.needs_compaction)
            or (self.english is not None and self.english.needs_compaction)
        )

    def compact(self) -> None:
        """Fold pending updates into fresh index segments (no re-encoding)."""
        self.lexical.compact()
        if self.dense is not None:
            self.dense.compact()
        if self.english is not None:
            self.english.compact()
        self._prepare_crowding()

    def _prepare_crowding(self) -> None:
        """Measure the dense side's crowding now when the floor reads it (not in a search)."""
        if self.dense is not None and self.floor.crowding_weight:
            self.dense.prepare_crowding()

    # -- persistence --------------------------------------------------------------------------

    def save(self, path: Path | str) -> None:
        """Save both indexes and the configuration into the folder `path`."""
        folder = Path(path)
        self.lexical.save(folder / "lexical")
        if self.dense is not None:
            self.dense.save(folder / "dense")
        if self.english is not None:
            self.english.save(folder / "dense-en")
        storage.write_json_atomic(
            folder / _CONFIG_FILE,
            {
                "format": FORMAT,
                "encoder": self.encoder.name if self.encoder else None,
                "english_encoder": self.english_encoder.name if self.english_encoder else None,
                "config": self.config.to_json(),
                "floor": self.floor.to_json(),
            },
        )

    @classmethod
    def load(
        cls,
        path: Path | str,
        *,
        encoder: Encoder | None = None,
        english_encoder: Encoder | None = None,
        config: RetrieverConfig | None = None,
        mmap: bool = True,
    ) -> HybridRetriever:
        """Load a saved retriever; if its encoder cannot be had here, it loads lexical-only.

        The relevance floor saved with it stays in force (an index saved before floors
        existed gets its encoder's calibrated one). An English side whose encoder cannot be
        had here is left out: English queries are then answered as all others are.
        """
        folder = Path(path)
        saved = storage.read_json(folder / _CONFIG_FILE)
        if saved.get("format") != FORMAT:
            raise ValueError(f"not a retriever folder (format {saved.get('format')})")
        config = config or RetrieverConfig.from_json(saved["config"])
        floor = FloorConfig.from_json(saved["floor"]) if saved.get("floor") else None
        lexical = LexicalIndex.load(folder / "lexical", mmap=mmap)
        name = saved["encoder"]
        if name is None:
            return cls(lexical, config=config, floor=floor)
        if encoder is None:
            try:
                encoder = get_encoder(name)
            except (EncoderUnavailable, KeyError) as missing:
                logger.warning("dense search off: %s", missing)
                return cls(lexical, config=config)
        elif encoder.name != name:
            raise ValueError(f"encoder: index was built with {name!r}, not {encoder.name!r}")
        dense = VectorIndex.load(folder / "dense", mmap=mmap)
        english = None
        english_name = saved.get("english_encoder")
        if english_name:
            if english_encoder is None or english_encoder.name != english_name:
                try:
                    english_encoder = get_encoder(english_name)
                except (EncoderUnavailable, KeyError) as missing:
                    logger.warning("English encoder off: %s", missing)
                    english_encoder = None
            if english_encoder is not None:
                english = VectorIndex.load(folder / "dense-en", mmap=mmap)
        return cls(
            lexical,
            dense,
            encoder,
            english=english,
            english_encoder=english_encoder if english is not None else None,
            config=config,
            floor=floor,
        )
