"""When the vector index should switch from exact search to HNSW: latency and recall by size.

    python -m benchmarks.vector_search [--sizes 10000,50000,100000] [--dimension 384]

Random unit vectors stand in for document embeddings (the index does not care what they
mean); queries are perturbed copies of indexed vectors, as real queries sit near documents.
For each size it prints exact and HNSW search time per query, HNSW build time and the
HNSW recall@10 against the exact answer; then the time to measure every vector's crowding
(the mean cosine of its nearest neighbours, part of every build) by the exact block scan
and through the graph, and how far the graph's values stray from the exact ones.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from synergy_hub.matching.engine import vectors
from synergy_hub.matching.engine.vectors import VectorIndex


def _unit(matrix: np.ndarray) -> np.ndarray:
    return (matrix / np.linalg.norm(matrix, axis=1, keepdims=True)).astype(np.float32)


def measure(size: int, dimension: int, queries: int = 200) -> str:
    """Return one line of measurements for an index of `size` vectors."""
    rng = np.random.default_rng(size)
    matrix = _unit(rng.normal(size=(size, dimension)))
    ids = [str(i) for i in range(size)]
    picks = rng.integers(0, size, queries)
    probes = _unit(matrix[picks] + 0.5 * rng.normal(size=(queries, dimension)) / np.sqrt(dimension))
    exact = VectorIndex.build(ids, matrix, hnsw_threshold=size + 1)
    start = time.perf_counter()
    truth = [{d for d, _ in exact.search(q, 10)} for q in probes]
    exact_ms = 1000 * (time.perf_counter() - start) / queries
    start = time.perf_counter()
    graph = VectorIndex.build(ids, matrix, hnsw_threshold=1)
    build_s = time.perf_counter() - start
    start = time.perf_counter()
    found = [{d for d, _ in graph.search(q, 10)} for q in probes]
    graph_ms = 1000 * (time.perf_counter() - start) / queries
    recall = np.mean([len(t & f) / 10 for t, f in zip(truth, found, strict=True)])
    start = time.perf_counter()
    crowding_exact = vectors._crowding(matrix, None)
    crowding_exact_s = time.perf_counter() - start
    start = time.perf_counter()
    crowding_graph = vectors._crowding(matrix, graph._segment.graph)
    crowding_graph_s = time.perf_counter() - start
    stray = float(np.mean(np.abs(crowding_graph - crowding_exact)))
    return (
        f"size={size} exact={exact_ms:.2f}ms/query hnsw={graph_ms:.2f}ms/query "
        f"hnsw_build={build_s:.1f}s hnsw_recall@10={recall:.3f} "
        f"crowding_exact={crowding_exact_s:.1f}s crowding_hnsw={crowding_graph_s:.1f}s "
        f"crowding_mean_abs_difference={stray:.4f}"
    )


def main() -> None:
    """Parse the command line and measure each size."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.vector_search")
    parser.add_argument("--sizes", default="10000,50000,100000")
    parser.add_argument("--dimension", type=int, default=384)
    args = parser.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        print(measure(size, args.dimension), flush=True)


if __name__ == "__main__":
    main()
