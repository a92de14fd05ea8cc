"""The search index on disk: built from the published catalog, updated in place, shared.

Layout under the index folder (setting `SYNERGY_INDEX_DIR`):

    CURRENT            the name of the generation in use (replaced atomically)
    gen-<time>-<id>/   one saved `HybridRetriever` (never rewritten once written), with
                       synced.json: the catalog generation it reflects (`generations`)
    embeddings/        document vectors by text hash (`EmbeddingCache`), shared by builds
    .lock              held by writers (rebuild and incremental update)

Readers load the generation named by CURRENT memory-mapped and notice a new one by the
file's modification time, so several web processes share one index. A writer takes the
lock, applies its change to a copy of the current generation whose files are hard links
(only the change's delta and the manifests are written), saves it as a new generation and
switches CURRENT; older generations beyond the last two are removed.

Each generation records the catalog generation it reflects. The index is updated after
the publication commits, so a crash in between leaves it behind the database; the first
load in each process (and `synergy index reconcile`, and each publication's update)
compares the two numbers, one query, and replays the missing changes (`reconcile`).

Encoding dominates build time, so the store's encoder goes through an embedding cache:
a rebuild or an update encodes only texts that no earlier one has (a new list version
mostly republishes unchanged resources), and a repeated query skips the model too.
"""

from __future__ import annotations

import fcntl
import gc
import logging
import os
import shutil
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

from synergy_hub.matching import documents, generations
from synergy_hub.matching.engine import storage
from synergy_hub.matching.engine.dense import (
    CachedEncoder,
    EmbeddingCache,
    EncoderUnavailable,
    get_encoder,
)
from synergy_hub.matching.engine.retrieval import HybridRetriever
from synergy_hub.matching.generations import Generation

logger = logging.getLogger(__name__)

KEEP_GENERATIONS = 2
EMBEDDINGS_DIR = "embeddings"
ENGLISH_EMBEDDINGS_DIR = "embeddings-en"
QUERY_CACHE_SIZE = 4096
"""Query vectors kept per process (1.5 KiB each with 384 dimensions)."""
SETTLE_HEAP_FROM = 1_000
"""Catalog size from which loading the index also freezes the heap (`settle_heap`)."""
SYNCED = "synced.json"
"""In each generation folder: the catalog generation that generation reflects."""
Progress = Callable[[int, int | None], None]


class IndexStore:
    """Finds, loads, rebuilds and updates the index of one folder."""

    def __init__(
        self, root: Path, encoder_name: str | None, english_name: str | None = None
    ) -> None:
        self.root = root
        self.encoder_name = encoder_name
        self.english_name = english_name
        self._lock = threading.Lock()
        self._loaded: tuple[str, float, HybridRetriever] | None = None
        self._encoder: CachedEncoder | None = None
        self._english: CachedEncoder | None = None

    # -- reading -------------------------------------------------------------------------------

    @property
    def pointer(self) -> Path:
        return self.root / "CURRENT"

    def generation(self) -> str | None:
        """The name of the generation in use, or None when nothing has been built."""
        try:
            return self.pointer.read_text(encoding="utf-8").strip() or None
        except FileNotFoundError:
            return None

    def retriever(self) -> HybridRetriever:
        """The current retriever, building the index first when there is none yet."""
        try:
            stamp = self.pointer.stat().st_mtime
        except FileNotFoundError:
            self.ensure_built()
            stamp = self.pointer.stat().st_mtime
        loaded = self._loaded
        if loaded is None:
            self._catch_up()
        name = self.generation()
        if loaded is not None and loaded[0] == name and loaded[1] == stamp:
            return loaded[2]
        with self._lock:
            assert name is not None
            retriever = HybridRetriever.load(
                self.root / name, encoder=self.encoder(), english_encoder=self.english_encoder()
            )
            self._loaded = (name, stamp, retriever)
            if len(retriever) >= SETTLE_HEAP_FROM:
                settle_heap()
            return retriever

    def synced(self, name: str | None = None) -> Generation | None:
        """The catalog generation the index (or its generation `name`) reflects, if known."""
        name = name or self.generation()
        if name is None:
            return None
        try:
            return Generation.from_json(storage.read_json(self.root / name / SYNCED))
        except (OSError, ValueError):
            return None

    def in_step(self) -> bool:
        """Whether the index reflects every committed change (one query and one small file)."""
        wanted = generations.replay_range(self.synced(), generations.current())
        return wanted is not None and not wanted

    def _catch_up(self) -> None:
        """Before a process first serves from the index: replay what a crash left out.

        Cheap when the index is in step (the usual case); a failure is logged and the
        index served as it is, never a failed search.
        """
        if self.generation() is None:
            return
        try:
            if not self.in_step():
                logger.warning("search index behind the catalog: %s", self.reconcile())
        except Exception:
            logger.exception("index reconciliation failed; run `synergy index reconcile`")

    def encoder(self) -> CachedEncoder | None:
        """The configured sentence encoder behind its caches, or None (lexical only)."""
        if self._encoder is None and self.encoder_name:
            self._encoder = self._cached(self.encoder_name, EMBEDDINGS_DIR)
        return self._encoder

    def english_encoder(self) -> CachedEncoder | None:
        """The English encoder (for English documents and queries) behind its caches, or None."""
        if self._english is None and self.english_name and self.encoder_name:
            self._english = self._cached(self.english_name, ENGLISH_EMBEDDINGS_DIR)
        return self._english

    def _cached(self, name: str, folder: str) -> CachedEncoder | None:
        """An encoder behind a document cache in `folder` and a query cache; None if missing."""
        try:
            bare = get_encoder(name)
        except EncoderUnavailable as missing:
            logger.warning("encoder %s off: %s", name, missing)
            return None
        return CachedEncoder(
            bare,
            documents=EmbeddingCache(self.root / folder),
            queries=EmbeddingCache(max_items=QUERY_CACHE_SIZE),
        )

    def _flush_embeddings(self) -> None:
        """Keep the vectors a write computed for the next build (a failure only costs time)."""
        for cached in (self._encoder, self._english):
            if cached is None:
                continue
            try:
                cached.flush()
            except OSError:
                logger.exception("could not save the embedding cache")

    # -- writing -------------------------------------------------------------------------------

    @contextmanager
    def _writer(self) -> Iterator[None]:
        self.root.mkdir(parents=True, exist_ok=True)
        with open(self.root / ".lock", "w") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    @staticmethod
    def _new_name() -> str:
        """A generation's name; names sort in the order they were made (`_prune` relies on it).

        The nanoseconds matter: a publication that compacts makes two generations in the
        same second, and with the second alone the older one could sort last and the
        one readers were switching to be removed.
        """
        now = time.time_ns()
        stamp = time.strftime("%Y%m%dT%H%M%S", time.localtime(now // 1_000_000_000))
        return f"gen-{stamp}.{now % 1_000_000_000:09d}-{uuid.uuid4().hex[:8]}"

    def _publish(
        self, retriever: HybridRetriever, name: str | None = None, synced: Generation | None = None
    ) -> str:
        """Save a generation (into `name`, a linked copy, when given) and make it current.

        `synced`, the catalog generation it reflects, is written before the switch; a
        linked copy without it keeps the one it was copied from.
        """
        name = name or self._new_name()
        retriever.save(self.root / name)
        if synced is not None:
            storage.write_json_atomic(self.root / name / SYNCED, synced.to_json())
        temporary = self.root / f".CURRENT.{uuid.uuid4().hex}"
        temporary.write_text(name, encoding="utf-8")
        os.replace(temporary, self.pointer)
        self._prune(keep={name})
        return name

    def _prune(self, keep: set[str]) -> None:
        generations = sorted(p for p in self.root.glob("gen-*") if p.is_dir())
        for old in generations[:-KEEP_GENERATIONS]:
            if old.name not in keep:
                shutil.rmtree(old, ignore_errors=True)

    def ensure_built(self, progress: Progress | None = None) -> str:
        """Build the index unless there is one.

        A caller that waited for a build in progress (in another thread or process) uses
        its result instead of building again.
        """
        with self._writer():
            name = self.generation()
            if name is not None:
                return name
            return self._rebuild(progress)

    def rebuild(
        self, progress: Progress | None = None, english_progress: Progress | None = None
    ) -> str:
        """Index every published resource from scratch and make it the current generation.

        `english_progress` reports the second pass, the English side's.
        """
        with self._writer():
            return self._rebuild(progress, english_progress)

    def _rebuild(self, progress: Progress | None, english_progress: Progress | None = None) -> str:
        """Build and publish a generation; the caller holds the writer lock.

        The English side (decision 0010) is encoded after the rest has been published,
        so the catalog is searchable while the slower English encoder reads the English
        resources; a second generation then adds it.
        """
        synced = generations.current()  # read first: what commits later is replayed later
        total = documents.published_count()

        def report(done: int, _total: int | None) -> None:
            if progress is not None:
                progress(done, total)

        def report_english(done: int, _total: int | None) -> None:
            if english_progress is not None:
                english_progress(done, total)

        retriever = HybridRetriever.build(
            documents.published_documents(), encoder=self.encoder(), progress=report
        )
        self._flush_embeddings()
        name = self._publish(retriever, synced=synced)
        english = self.english_encoder()
        if english is not None and retriever.dense is not None:
            retriever.attach_english(
                english, documents.published_documents(), progress=report_english
            )
            self._flush_embeddings()
            name = self._publish(retriever, synced=synced)
        return name

    def reconcile(
        self, progress: Progress | None = None, english_progress: Progress | None = None
    ) -> str:
        """Bring the index in step with the committed catalog and say what that took.

        The changes between the two generations are replayed (`progress` counts the
        documents); where they cannot be (no index generation recorded, another epoch,
        the index ahead of a restored database, a change missing), the index is rebuilt.
        """
        with self._writer():
            name = self.generation()
            if name is None:
                return f"built {self._rebuild(progress)}"
            have, want = self.synced(name), generations.current()
            numbers = generations.replay_range(have, want)
            changes = generations.changes_between(numbers) if numbers is not None else None
            if changes is None:
                if english_progress is None:
                    return f"rebuilt {self._rebuild(progress)}"
                return f"rebuilt {self._rebuild(progress, english_progress)}"
            if not numbers:
                return f"in step at {want.value}"
            upserts, removals = changes
            self._apply(upserts, removals, want, progress)
            return (
                f"replayed changes {numbers.start}-{numbers.stop - 1}: "
                f"{len(upserts)} documents indexed, {len(removals)} removed"
            )

    def snapshot(self, target: Path) -> Generation | None:
        """Copy the current generation and the embedding caches into the new folder `target`.

        For a backup: taken under the writer lock, as hard links (instant, and the files
        are never rewritten in place), so no update is half in it. Returns the catalog
        generation it reflects, or None when there is no index to copy.
        """
        with self._writer():
            name = self.generation()
            if name is None:
                return None
            target.mkdir(parents=True)
            storage.link_tree(self.root / name, target / name)
            for folder in (EMBEDDINGS_DIR, ENGLISH_EMBEDDINGS_DIR):
                if (self.root / folder).is_dir():
                    storage.link_tree(self.root / folder, target / folder)
            (target / "CURRENT").write_text(name, encoding="utf-8")
            return self.synced(name)

    def replace_with(self, source: Path) -> None:
        """Make the index folder `source` (a restored snapshot) this store's index.

        `source` must be on the same file system as the index folder; it is moved.
        """
        with self._lock:
            self.root.parent.mkdir(parents=True, exist_ok=True)
            if self.root.exists():
                shutil.rmtree(self.root)
            os.replace(source, self.root)
            self._loaded = None
            self._encoder = self._english = None

    def apply(self, upserts: dict[str, str], removals: set[str]) -> str | None:
        """Add or replace some documents and remove others without a full rebuild."""
        if not upserts and not removals:
            return self.generation()
        with self._writer():
            return self._apply(upserts, removals)

    def _apply(
        self,
        upserts: dict[str, str],
        removals: set[str],
        synced: Generation | None = None,
        progress: Progress | None = None,
    ) -> str:
        """`apply` for a caller holding the writer lock; `synced` is recorded with the result."""
        name = self.generation()
        if name is None:
            synced = generations.current()
            built = HybridRetriever.build(
                documents.published_documents(),
                encoder=self.encoder(),
                english_encoder=self.english_encoder(),
            )
            self._flush_embeddings()
            return self._publish(built, synced=synced)
        synced = synced or self.synced(name)
        # The new generation starts as hard links to the current one's files (never
        # rewritten in place), so only the update's small delta files and the
        # manifests are written: at 100,000 resources, loading a private copy and
        # writing every file again took 6 s of each publication (docs/benchmarks.md).
        fresh = self._new_name()
        storage.link_tree(self.root / name, self.root / fresh)
        try:
            retriever = HybridRetriever.load(
                self.root / fresh,
                encoder=self.encoder(),
                english_encoder=self.english_encoder(),
            )
            for key in removals:
                retriever.remove(key)
            for done, (key, text) in enumerate(upserts.items(), start=1):
                retriever.upsert(key, text)
                if progress is not None:
                    progress(done, len(upserts))
            self._flush_embeddings()
            name = self._publish(retriever, fresh, synced=synced)
        except BaseException:
            shutil.rmtree(self.root / fresh, ignore_errors=True)
            raise
        if retriever.needs_compaction:
            # The update is searchable already. Folding the pending updates into new
            # segments comes after: it builds a new HNSW graph, 38 s at 100,000
            # resources, and searches slow down as updates pile up before it.
            retriever.compact()
            name = self._publish(retriever, synced=synced)
        return name


FULL_COLLECTION_AFTER = 100
"""Collections of the middle generation between two full ones once the heap is settled."""


def settle_heap() -> None:
    """Collect garbage once, keep what is left out of later full collections, make them rarer.

    A serving process holds a large, long-lived heap (Django, the text analyser's
    dictionaries, the index's Python parts, the candidates' cached facts): a full
    collection walked all of it, 40-140 ms at 100,000 resources, taken by whichever
    search happened to trigger it, one search in thirty (docs/benchmarks.md, Speed).
    Frozen objects are still freed when nothing refers to them; only reference cycles
    among them wait for the next call, which comes with the next generation of the
    index. Full collections still run, ten times less often.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()
    young, middle, full = gc.get_threshold()
    gc.set_threshold(young, middle, max(full, FULL_COLLECTION_AFTER))


_stores: dict[tuple[str, str | None, str | None], IndexStore] = {}
_stores_lock = threading.Lock()


def store() -> IndexStore:
    """The index store configured by the settings (one per folder and encoder per process)."""
    root = Path(settings.SYNERGY_INDEX_DIR)
    key = (str(root), settings.SYNERGY_ENCODER or None, settings.SYNERGY_ENGLISH_ENCODER or None)
    with _stores_lock:
        if key not in _stores:
            _stores[key] = IndexStore(root, key[1], key[2])
        return _stores[key]
