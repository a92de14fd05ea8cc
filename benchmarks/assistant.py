"""The SME assistant's offline understanding: extraction accuracy and recall@5 on the demo catalog.

    python -m benchmarks.assistant [--split dev|test|all] [--no-search] [--show-misses]

The set (`benchmarks/data/assistant_statements.json`, its header says how it was written)
holds 172 problem statements in Chinese, English and both, each with the structured need
a careful reader extracts and a rule naming the acceptable demo resources, plus 12
follow-up pairs. Every third statement is in the held-out `test` split.

1. **Extraction**: `understand(text, today=the set's today)` against the expected need,
   field by field — resource types (the set of types), region (the most specific code
   named), industries (the set of GB/T 4754 divisions), budget (the upper bound in yuan),
   time frame (from, until and deadline together), quantities (the set of amount + unit).
   A field counts as right only when it equals the expectation exactly, empty included
   (saying nothing where the statement says nothing is right; inventing a value is wrong).
   Follow-ups: the second turn read with the first as `previous`, all expected fields
   (types, region, budget, time frame, price preference) right together.
2. **Retrieval**: the default demo catalog (`load_demo_data`, seed 2026) loaded into a
   temporary SQLite database, the product index built (`store().rebuild()`, the product's
   encoder unless `SYNERGY_ENCODER` says otherwise), then each statement searched through
   `matching.services.search_resources` with the assistant's one mapping
   (`assistant.understanding.search_terms`): its words, its type and region filters, as an
   anonymous visitor. A resource is acceptable when its type is one the statement's rule
   names (with the unit and keywords the rule adds, if any) and it serves the expected
   region (names none, or one that contains or lies within it). recall@5 is
   |top 5 ∩ acceptable| / min(5, |acceptable|) per statement, averaged; hit@5 is the share
   of statements with at least one acceptable resource in the top 5. For comparison the
   same searches with the raw statement and no filters (what the catalog's search box does
   with the text alone).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from synergy_hub.assistant.understanding.need import UnderstoodNeed
from synergy_hub.assistant.understanding.pipeline import understand

DATA = Path(__file__).parent / "data" / "assistant_statements.json"
FIELDS = ("types", "region", "industry", "budget", "time_frame", "quantity")
K = 5


def load_set(path: Path = DATA) -> dict[str, Any]:
    """The evaluation set as stored."""
    return json.loads(path.read_text("utf-8"))


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _money(value: float | int | str | None) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def field_results(need: UnderstoodNeed, expect: dict[str, Any]) -> dict[str, bool]:
    """Which of the six fields the need got exactly right."""
    frame = expect.get("time_frame")
    wanted = (
        (None, None, None)
        if frame is None
        else (_day(frame["from"]), _day(frame["until"]), _day(frame["deadline"]))
    )
    quantities = {(Decimal(str(a)), u) for a, u in expect.get("quantities", [])}
    return {
        "types": set(need.resource_types) == set(expect["types"]),
        "region": (need.region_codes[0] if need.region_codes else None) == expect["region"],
        "industry": set(need.industry_codes) == set(expect.get("industries", [])),
        "budget": need.budget_max_yuan == _money(expect["budget_max_yuan"]),
        "time_frame": (need.wanted_from, need.wanted_until, need.deadline) == wanted,
        "quantity": {(q.amount, q.unit) for q in need.quantities} == quantities,
    }


def follow_up_right(need: UnderstoodNeed, expect: dict[str, Any]) -> bool:
    """Whether a follow-up turn left every expected field as the set says."""
    frame = expect.get("time_frame")
    wanted = (
        (None, None, None)
        if frame is None
        else (_day(frame["from"]), _day(frame["until"]), _day(frame["deadline"]))
    )
    return (
        set(need.resource_types) == set(expect["types"])
        and (need.region_codes[0] if need.region_codes else None) == expect["region"]
        and need.budget_max_yuan == _money(expect["budget_max_yuan"])
        and (need.wanted_from, need.wanted_until, need.deadline) == wanted
        and need.price_preference == expect["price_preference"]
    )


def in_split(items: Iterable[dict[str, Any]], split: str) -> list[dict[str, Any]]:
    """The items of one split ("all": every item)."""
    return [item for item in items if split == "all" or item["split"] == split]


@dataclass
class Extraction:
    """Per-field counts of right answers over some statements."""

    count: int
    right: dict[str, int]
    misses: list[tuple[str, str, str]]

    def accuracy(self, name: str) -> float:
        """The share of statements with this field right."""
        return self.right[name] / self.count if self.count else 0.0


def extraction(items: Sequence[dict[str, Any]], today: date) -> Extraction:
    """Read every statement and count the fields it got right."""
    right = dict.fromkeys(FIELDS, 0)
    misses = []
    for item in items:
        need = understand(item["text"], today=today)
        for name, ok in field_results(need, item["expect"]).items():
            right[name] += ok
            if not ok:
                misses.append((item["id"], name, item["text"]))
    return Extraction(len(items), right, misses)


# --- retrieval ---------------------------------------------------------------------------


def _setup(folder: Path, today: date) -> None:
    """A fresh SQLite database and index in the folder, with the demo catalog loaded."""
    os.environ.pop("DATABASE_URL", None)
    os.environ["SYNERGY_DATA_DIR"] = str(folder)
    os.environ["SYNERGY_INDEX_DIR"] = str(folder / "index")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "synergy_hub.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from synergy_hub.demo.loader import load_demo_data
    from synergy_hub.matching.index import store

    load_demo_data(today=today)
    store().rebuild()


@dataclass(frozen=True)
class Row:
    """What the acceptability rules read of a published resource."""

    key: str
    resource_type: str
    unit: str
    regions: frozenset[str]
    text: str


def _rows() -> dict[str, Row]:
    """The published resources by the id search results carry (the lineage)."""
    from synergy_hub.catalog.selectors import published_resources

    rows = {}
    for resource in published_resources().prefetch_related("regions"):
        text = " ".join(
            [
                resource.title_zh,
                resource.title_en,
                resource.description_zh,
                resource.description_en,
                " ".join(resource.keywords or []),
            ]
        ).lower()
        rows[resource.lineage.hex] = Row(
            resource.lineage.hex,
            resource.resource_type,
            resource.unit,
            frozenset(region.code for region in resource.regions.all()),
            text,
        )
    return rows


def acceptable(item: dict[str, Any], rows: dict[str, Row]) -> set[str]:
    """The published resources the statement's rule accepts."""
    from synergy_hub.eligibility.regions import regions_overlap

    region = item["expect"]["region"]
    found = set()
    for row in rows.values():
        if region and row.regions and not any(regions_overlap(region, r) for r in row.regions):
            continue
        for rule in item["acceptable"]:
            if row.resource_type != rule["type"]:
                continue
            if "units" in rule and row.unit not in rule["units"]:
                continue
            if "keywords" in rule and not any(k.lower() in row.text for k in rule["keywords"]):
                continue
            found.add(row.key)
            break
    return found


def _top(words: str, catalog_filters: dict[str, Any] | None, engine_filters: Any) -> list[str]:
    from synergy_hub.matching.services import search_resources

    outcome = search_resources(
        words,
        catalog_filters=catalog_filters,
        engine_filters=engine_filters,
        limit=K,
        record_exposure=False,
    )
    return [item.resource.lineage.hex for item in outcome.items]


@dataclass
class Retrieval:
    """recall@5 and hit@5 of one way of searching, over the statements that have answers."""

    scored: int
    recall: float
    hit: float
    unanswerable: int
    misses: list[tuple[str, float, str]]


def retrieval(items: Sequence[dict[str, Any]], today: date, *, raw: bool) -> Retrieval:
    """Search every statement (with the assistant's terms, or `raw` text alone)."""
    from synergy_hub.assistant.understanding.search_terms import search_terms

    rows = _rows()
    recall_sum = hit_sum = 0.0
    scored = unanswerable = 0
    misses = []
    for item in items:
        wanted = acceptable(item, rows)
        if not wanted:
            unanswerable += 1
            continue
        if raw:
            top = _top(item["text"], None, None)
        else:
            terms = search_terms(understand(item["text"], today=today))
            top = _top(terms.words, terms.catalog_filters(), terms.engine_filters())
        found = len(wanted.intersection(top))
        recall = found / min(K, len(wanted))
        recall_sum += recall
        hit_sum += found > 0
        scored += 1
        if recall < 1:
            misses.append((item["id"], recall, item["text"]))
    return Retrieval(
        scored,
        recall_sum / scored if scored else 0.0,
        hit_sum / scored if scored else 0.0,
        unanswerable,
        misses,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test", "all"), default="all")
    parser.add_argument("--no-search", action="store_true", help="extraction only")
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()

    data = load_set()
    today = date.fromisoformat(data["today"])
    splits = ("dev", "test") if args.split == "all" else (args.split,)
    print(f"set: {len(data['statements'])} statements, {len(data['follow_ups'])} follow-ups")
    for split in (*splits, "all") if args.split == "all" else splits:
        items = in_split(data["statements"], split)
        result = extraction(items, today)
        figures = " ".join(f"{name}={result.accuracy(name):.3f}" for name in FIELDS)
        print(f"extraction {split} n={result.count} {figures}")
        follow = in_split(data["follow_ups"], split)
        right = sum(
            follow_up_right(
                understand(
                    pair["then"], previous=understand(pair["first"], today=today), today=today
                ),
                pair["expect"],
            )
            for pair in follow
        )
        print(f"follow-ups {split} n={len(follow)} all-fields-right={right / len(follow):.3f}")
        if args.show_misses:
            for item_id, name, text in result.misses:
                print(f"  miss {item_id} {name}: {text}")
    for lang in ("zh", "en", "mixed"):
        items = [item for item in in_split(data["statements"], args.split) if item["lang"] == lang]
        result = extraction(items, today)
        figures = " ".join(f"{name}={result.accuracy(name):.3f}" for name in FIELDS)
        print(f"extraction {args.split} lang={lang} n={result.count} {figures}")
    if args.no_search:
        return

    started_all = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="assistant-bench-") as scratch:
        folder = Path(scratch)
        started = time.perf_counter()
        _setup(folder, today)
        from django.conf import settings

        print(f"demo catalog loaded and indexed in {time.perf_counter() - started:.0f} s")
        print(f"encoder: {settings.SYNERGY_ENCODER or 'none (lexical)'}")
        from synergy_hub.catalog.selectors import published_resources

        print(f"published resources: {published_resources().count()}")
        for split in (*splits, "all") if args.split == "all" else splits:
            items = in_split(data["statements"], split)
            for label, raw in (("assistant", False), ("raw-text", True)):
                result = retrieval(items, today, raw=raw)
                print(
                    f"retrieval {split} {label} scored={result.scored} "
                    f"recall@{K}={result.recall:.3f} hit@{K}={result.hit:.3f} "
                    f"(no acceptable resource: {result.unanswerable})"
                )
                if args.show_misses and not raw:
                    for item_id, recall, text in result.misses:
                        print(f"  miss {item_id} recall={recall:.2f}: {text}")
    print(f"total {time.perf_counter() - started_all:.0f} s")


if __name__ == "__main__":
    main()
