"""Index folders copied by hard links: a change to the copy never reaches the original."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from synergy_hub.matching.engine import storage
from synergy_hub.matching.engine.dense import HashingEncoder
from synergy_hub.matching.engine.retrieval import HybridRetriever

DOCS = [
    ("gpu", "GPU computing power rental for model training"),
    ("lab", "Steel strength testing laboratory"),
    ("zh", "面向中小企业的GPU算力服务"),
]


def _files(folder: Path) -> dict[str, int]:
    """Every file under `folder` by relative path, with its inode."""
    return {
        str(path.relative_to(folder)): path.stat().st_ino
        for path in folder.rglob("*")
        if path.is_file()
    }


def test_a_linked_copy_shares_the_files_and_keeps_the_original_as_it_was(tmp_path: Path) -> None:
    original = tmp_path / "gen-a"
    HybridRetriever.build(DOCS, encoder=HashingEncoder(), hnsw_threshold=2).save(original)
    before = {path: (original / path).read_bytes() for path in _files(original)}

    copy = tmp_path / "gen-b"
    storage.link_tree(original, copy)
    assert _files(copy) == _files(original)  # the same inodes: nothing was written twice

    updated = HybridRetriever.load(copy, encoder=HashingEncoder())
    updated.upsert("new", "Tidal energy test basin for prototypes")
    updated.remove("lab")
    updated.save(copy)

    assert {path: (original / path).read_bytes() for path in _files(original)} == before
    untouched = HybridRetriever.load(original, encoder=HashingEncoder())
    assert "new" not in untouched and "lab" in untouched
    reloaded = HybridRetriever.load(copy, encoder=HashingEncoder())
    assert "lab" not in reloaded
    assert reloaded.search("tidal energy basin", k=1)[0].doc_id == "new"
    shared = set(_files(copy).items()) & set(_files(original).items())
    assert any("hnsw.bin" in path for path, _ in shared)  # the graph was not written again


def test_a_file_system_without_hard_links_gets_copies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "source"
    (source / "inner").mkdir(parents=True)
    (source / "inner" / "data.npy").write_bytes(b"\x93NUMPY")

    def refuse(*_: object) -> None:
        raise OSError("hard links not supported")

    monkeypatch.setattr(os, "link", refuse)
    storage.link_tree(source, tmp_path / "copy")
    copied = tmp_path / "copy" / "inner" / "data.npy"
    assert copied.read_bytes() == b"\x93NUMPY"
    assert copied.stat().st_ino != (source / "inner" / "data.npy").stat().st_ino
