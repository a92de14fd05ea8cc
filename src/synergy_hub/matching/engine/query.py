"""What a search starts from: the query cleaned to searchable text, and its vectors being
computed on the process's query-encoding threads while the lexical side scores.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Protocol

import numpy as np

__all__ = ["MAX_QUERY_CHARS", "PreparedQuery", "ScoreLookup", "clean_query", "encoding_pool"]

MAX_QUERY_CHARS = 2000
"""Longer queries are cut: a need described in a few paragraphs fits; more only costs time."""

_ENCODING_THREADS = 2
_encoding_pool: ThreadPoolExecutor | None = None


def encoding_pool() -> ThreadPoolExecutor:
    """The process's query-encoding threads (created on first use; model calls are locked)."""
    global _encoding_pool
    if _encoding_pool is None:
        _encoding_pool = ThreadPoolExecutor(
            max_workers=_ENCODING_THREADS, thread_name_prefix="query-encoder"
        )
    return _encoding_pool


def _forget_pool() -> None:
    """A forked process has none of its parent's threads: it starts a pool of its own.

    (The production server loads and warms the index before forking its workers.)
    """
    global _encoding_pool
    _encoding_pool = None


os.register_at_fork(after_in_child=_forget_pool)


class ScoreLookup(Protocol):
    """One query's BM25 scores, read by document id (`lexical.LexicalScores` is one)."""

    def of(self, doc_ids: Iterable[str]) -> dict[str, float]: ...


class PreparedQuery:
    """A cleaned query whose vectors are being computed in the background."""

    def __init__(
        self,
        text: str,
        vector: Future[np.ndarray] | None,
        english: Future[np.ndarray] | None = None,
    ) -> None:
        self.text = text
        self._vector = vector
        self._english = english

    def vector(self) -> np.ndarray | None:
        """Wait for the query vector (None without an encoder); encoder errors surface here."""
        return None if self._vector is None else self._vector.result()

    def english_vector(self) -> np.ndarray | None:
        """Wait for the English encoder's vector (None unless an English query has one)."""
        return None if self._english is None else self._english.result()


def clean_query(query: object) -> str:
    """Return the query as searchable text: a string, at most MAX_QUERY_CHARS, no control chars."""
    if not isinstance(query, str):
        return ""
    text = query[:MAX_QUERY_CHARS]
    return "".join(ch if ch.isprintable() else " " for ch in text).strip()
