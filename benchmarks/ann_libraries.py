"""hnswlib against FAISS on the same vectors: build time, query latency and recall.

    OPENBLAS_NUM_THREADS=1 python -m benchmarks.ann_libraries [--sizes 10000] [--data random]

The vector index (`synergy_hub.matching.engine.vectors`) uses hnswlib with M 32,
ef_construction 200 and ef 128 over 384-d unit vectors by inner product; this compares
that graph with FAISS's `IndexHNSWFlat` under the same settings and with `IndexFlatIP`
(exact), against NumPy's exact matrix-vector product, which is what the index does below
its HNSW threshold. FAISS is not a dependency of the project: install it apart
(`pip install --target DIR faiss-cpu`, then `PYTHONPATH=DIR`); without it the FAISS rows
are skipped with a message. Builds use every core; queries run one at a time on one
thread, as a search request does. Run it with `OPENBLAS_NUM_THREADS=1`: once FAISS's
OpenMP threads have run in the process, NumPy's multi-threaded BLAS competes with them
and the exact search's times grow from tenths of a millisecond to about ten.

Data: `random` unit vectors (the worst case for a graph, as in `vector_search`) and
`clustered` ones (256 centres, each point about cos 0.75 from its centre), which is closer
to how text embeddings bunch. Queries are perturbed copies of indexed vectors.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Callable
from importlib.metadata import version
from typing import Any

import numpy as np

M, EF_CONSTRUCTION, EF_SEARCH = 32, 200, 128
DEPTH = 100  # the retriever takes the top 100 from the dense side


def _unit(matrix: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(matrix / np.linalg.norm(matrix, axis=1, keepdims=True)).astype(
        np.float32
    )


def make_data(kind: str, size: int, dimension: int, queries: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (vectors, queries), unit length, reproducible for a kind and size."""
    rng = np.random.default_rng(size + (0 if kind == "random" else 1))
    if kind == "random":
        matrix = _unit(rng.normal(size=(size, dimension)))
    elif kind == "clustered":
        centres = _unit(rng.normal(size=(256, dimension)))
        noise = rng.normal(size=(size, dimension)) / np.sqrt(dimension)
        matrix = _unit(centres[rng.integers(0, 256, size)] + 0.9 * noise)
    else:
        raise SystemExit(f"unknown data kind {kind!r}: random or clustered")
    picks = rng.integers(0, size, queries)
    probes = _unit(matrix[picks] + 0.5 * rng.normal(size=(queries, dimension)) / np.sqrt(dimension))
    return matrix, probes


def _timed(search: Callable[[np.ndarray], np.ndarray], probes: np.ndarray) -> tuple[list, float]:
    """Run each query alone; return the answers and the median milliseconds per query."""
    answers, times = [], []
    for query in probes:
        start = time.perf_counter()
        answers.append(search(query))
        times.append(time.perf_counter() - start)
    return answers, 1000 * float(np.median(times))


def _recall(truth: list[np.ndarray], found: list[np.ndarray], k: int) -> float:
    shares = [
        len(set(t[:k].tolist()) & set(f[:k].tolist())) / k
        for t, f in zip(truth, found, strict=True)
    ]
    return float(np.mean(shares))


def _line(name: str, build_s: float | None, query_ms: float, truth: list, found: list) -> str:
    build = f"build={build_s:.1f}s " if build_s is not None else ""
    return (
        f"  {name:<22} {build}query_p50={query_ms:.2f}ms "
        f"recall@10={_recall(truth, found, 10):.3f} recall@100={_recall(truth, found, DEPTH):.3f}"
    )


def measure(kind: str, size: int, dimension: int, queries: int, faiss: Any | None) -> None:
    """Print one line per method for one data set."""
    matrix, probes = make_data(kind, size, dimension, queries)
    print(f"{kind} size={size} dimension={dimension} queries={queries}", flush=True)

    def numpy_exact(query: np.ndarray) -> np.ndarray:
        scores = matrix @ query
        best = np.argpartition(-scores, DEPTH - 1)[:DEPTH]
        return best[np.argsort(-scores[best])]

    truth, exact_ms = _timed(numpy_exact, probes)
    print(_line("numpy exact", None, exact_ms, truth, truth), flush=True)

    import hnswlib

    start = time.perf_counter()
    graph = hnswlib.Index(space="ip", dim=dimension)
    graph.init_index(max_elements=size, ef_construction=EF_CONSTRUCTION, M=M, random_seed=7)
    graph.add_items(matrix, np.arange(size), num_threads=os.cpu_count() or 1)
    graph.set_ef(EF_SEARCH)
    build_s = time.perf_counter() - start
    graph.set_num_threads(1)
    found, ms = _timed(lambda q: graph.knn_query(q, k=DEPTH)[0][0], probes)
    print(_line("hnswlib HNSW", build_s, ms, truth, found), flush=True)

    if faiss is None:
        print("  faiss: not installed, FAISS rows skipped (see the module notes)")
        return
    faiss.omp_set_num_threads(os.cpu_count() or 1)
    start = time.perf_counter()
    index = faiss.IndexHNSWFlat(dimension, M, faiss.METRIC_INNER_PRODUCT)
    index.hnsw.efConstruction = EF_CONSTRUCTION
    index.add(matrix)
    index.hnsw.efSearch = EF_SEARCH
    build_s = time.perf_counter() - start
    faiss.omp_set_num_threads(1)
    found, ms = _timed(lambda q: index.search(q[None, :], DEPTH)[1][0], probes)
    print(_line("faiss IndexHNSWFlat", build_s, ms, truth, found), flush=True)

    start = time.perf_counter()
    flat = faiss.IndexFlatIP(dimension)
    flat.add(matrix)
    build_s = time.perf_counter() - start
    found, ms = _timed(lambda q: flat.search(q[None, :], DEPTH)[1][0], probes)
    print(_line("faiss IndexFlatIP", build_s, ms, truth, found), flush=True)


def main() -> None:
    """Parse the command line and measure each data kind and size."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.ann_libraries")
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--data", default="random,clustered")
    parser.add_argument("--dimension", type=int, default=384)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args()
    try:
        import faiss
    except ImportError:
        faiss = None
    print(
        f"# hnswlib {version('hnswlib')}, "
        f"faiss {faiss.__version__ if faiss else 'absent'}, numpy {np.__version__}, "
        f"{os.cpu_count()} cores; M {M}, ef_construction {EF_CONSTRUCTION}, ef {EF_SEARCH}"
    )
    for size in (int(s) for s in args.sizes.split(",")):
        for kind in args.data.split(","):
            measure(kind, size, args.dimension, args.queries, faiss)


if __name__ == "__main__":
    main()
