"""The databases' own full-text search, run on the same collection as our engine, as baselines.

Both get the query as an OR of its words (an AND of a natural-language question matches
almost nothing) and return their top 100 by their own ranking function:

* SQLite FTS5 with the `porter unicode61` tokenizer, ranked by `bm25()`;
* PostgreSQL with the `english` text-search configuration, ranked by `ts_rank_cd` and by
  `ts_rank`, in a temporary table that disappears with the session (and is dropped anyway).
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["BaselineRun", "postgres_runs", "sqlite_fts5_run"]

_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class BaselineRun:
    """One baseline's rankings with its build time and mean query time."""

    rankings: dict[str, list[str]]
    build_seconds: float
    query_ms: float


def _or_query(text: str) -> str:
    """Return an FTS5 query matching any word of `text` (each word quoted, so never syntax)."""
    return " OR ".join(f'"{word}"' for word in _WORD.findall(text.lower()))


def sqlite_fts5_run(
    doc_ids: Sequence[str], texts: Sequence[str], queries: dict[str, str], depth: int = 100
) -> BaselineRun:
    """Index the documents in an in-memory FTS5 table and rank every query by bm25()."""
    connection = sqlite3.connect(":memory:")
    try:
        start = time.perf_counter()
        connection.execute(
            "CREATE VIRTUAL TABLE docs USING fts5(doc_id UNINDEXED, body, "
            "tokenize='porter unicode61')"
        )
        connection.executemany("INSERT INTO docs VALUES (?, ?)", zip(doc_ids, texts, strict=True))
        connection.commit()
        built = time.perf_counter() - start
        rankings: dict[str, list[str]] = {}
        start = time.perf_counter()
        for query_id, text in queries.items():
            match = _or_query(text)
            rows = (
                connection.execute(
                    "SELECT doc_id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?",
                    (match, depth),
                ).fetchall()
                if match
                else []
            )
            rankings[query_id] = [row[0] for row in rows]
        elapsed = time.perf_counter() - start
    finally:
        connection.close()
    return BaselineRun(rankings, built, 1000 * elapsed / max(len(queries), 1))


def postgres_runs(
    url: str,
    doc_ids: Sequence[str],
    texts: Sequence[str],
    queries: dict[str, str],
    depth: int = 100,
) -> dict[str, BaselineRun] | str:
    """Rank every query with ts_rank_cd and ts_rank; return a note instead if PostgreSQL is down."""
    import psycopg

    try:
        connection = psycopg.connect(url, connect_timeout=3)
    except psycopg.Error as error:
        return f"PostgreSQL not reachable ({type(error).__name__}): baseline skipped"
    runs: dict[str, BaselineRun] = {}
    try:
        with connection.transaction(force_rollback=True):
            start = time.perf_counter()
            connection.execute(
                "CREATE TEMPORARY TABLE relevance_docs (doc_id text PRIMARY KEY, body tsvector)"
            )
            with connection.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO relevance_docs VALUES (%s, to_tsvector('english', %s))",
                    list(zip(doc_ids, texts, strict=True)),
                )
            connection.execute("CREATE INDEX ON relevance_docs USING gin (body)")
            connection.execute("ANALYZE relevance_docs")
            built = time.perf_counter() - start
            for function in ("ts_rank_cd", "ts_rank"):
                rankings: dict[str, list[str]] = {}
                start = time.perf_counter()
                for query_id, text in queries.items():
                    rows = connection.execute(
                        f"""
                        SELECT doc_id FROM relevance_docs,
                            (SELECT replace(plainto_tsquery('english', %s)::text, ' & ', ' | ')
                                ::tsquery AS q) AS query
                        WHERE body @@ q ORDER BY {function}(body, q) DESC, doc_id LIMIT %s
                        """,
                        (text, depth),
                    ).fetchall()
                    rankings[query_id] = [row[0] for row in rows]
                elapsed = time.perf_counter() - start
                runs[f"postgres-{function}"] = BaselineRun(
                    rankings, built, 1000 * elapsed / max(len(queries), 1)
                )
            connection.execute("DROP TABLE relevance_docs")
    finally:
        connection.close()
    return runs
