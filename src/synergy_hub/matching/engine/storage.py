"""File helpers for index folders that other processes may be reading at the same time.

Index files are never rewritten in place: a reader may hold them memory-mapped, and
truncating a mapped file crashes it. Every write goes to a fresh name; a small JSON
manifest, replaced atomically, says which files are current; files no manifest names
any more are deleted afterwards (a reader that still maps one keeps its inode).
"""

from __future__ import annotations

import json
import mmap
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

MANIFEST = "manifest.json"


def fresh_name(prefix: str, suffix: str = "") -> str:
    """Return a file or folder name that no earlier save can have used."""
    return f"{prefix}-{uuid.uuid4().hex[:16]}{suffix}"


def write_json_atomic(path: Path, data: Any) -> None:
    """Write `data` as JSON to `path` so that readers see the old or the new file, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def read_json(path: Path) -> Any:
    """Read a JSON file written by `write_json_atomic`."""
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def save_array(path: Path, array: np.ndarray) -> None:
    """Save a NumPy array without pickling, so that it can be loaded memory-mapped."""
    np.save(path, np.ascontiguousarray(array), allow_pickle=False)


def load_array(path: Path, *, mmap: bool) -> np.ndarray:
    """Load an array saved by `save_array`, memory-mapped read-only when `mmap` is set.

    A memory-mapped array is handed out as a plain `ndarray` view of the map: the pages
    are the same, but slicing and indexing skip `np.memmap`'s per-operation Python
    overhead (a search slices the postings of every candidate).
    """
    array = np.load(path, mmap_mode="r" if mmap else None, allow_pickle=False)
    return array.view(np.ndarray) if isinstance(array, np.memmap) else array


def is_memory_mapped(array: np.ndarray) -> bool:
    """Tell whether an array's memory is a file mapping (directly or through its views)."""
    base: object = array
    while isinstance(base, np.ndarray):
        if isinstance(base, np.memmap):
            return True
        base = base.base
    return isinstance(base, mmap.mmap)


def link_tree(source: Path, target: Path) -> None:
    """Make `target` a copy of the folder `source` whose files are hard links to the originals.

    Safe because index files are never rewritten in place: a writer that changes the copy
    writes new files and replaces manifests (a new inode), so the original stays as it
    was, and the copy costs no disk space or time for what it does not change. Where the
    file system cannot link (another device, no hard links), files are copied.
    """

    def link(src: str, dst: str) -> None:
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    shutil.copytree(source, target, copy_function=link)


def remove_unreferenced(folder: Path, keep: Iterable[str], prefixes: Iterable[str]) -> None:
    """Delete the files and folders in `folder` with one of `prefixes` that `keep` does not name."""
    kept = set(keep)
    starts = tuple(f"{p}-" for p in prefixes)
    for entry in folder.iterdir():
        if entry.name in kept or not entry.name.startswith(starts):
            continue
        if entry.is_dir():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
