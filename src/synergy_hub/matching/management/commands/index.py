"""`synergy index rebuild|reconcile|status`: build the search index, bring it in step, report."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from synergy_hub.matching import documents
from synergy_hub.matching.index import store


class Command(BaseCommand):
    help = (
        "Search index tools: `rebuild` indexes every published resource; `reconcile` replays "
        "the publications the index lacks (after a crash); `status` reports."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "reconcile", "status"])

    def handle(self, *args: Any, **options: Any) -> None:
        index = store()
        if options["action"] == "status":
            name = index.generation()
            if name is None:
                self.stdout.write(
                    "no index yet: the first search builds it, or run `index rebuild`"
                )
                return
            retriever = index.retriever()
            encoder = retriever.encoder.name if retriever.encoder else "none (lexical only)"
            synced = index.synced()
            behind = "in step" if index.in_step() else "behind: run `index reconcile`"
            self.stdout.write(
                f"generation {name}: {len(retriever)} documents, encoder {encoder}; "
                f"{documents.published_count()} resources published; reflects catalog "
                f"generation {synced.value if synced else 'unknown'} ({behind})"
            )
            return
        total = documents.published_count()
        quiet = options["verbosity"] < 1
        bars: dict[str, tqdm[Any]] = {}

        def bar_for(label: str) -> tqdm[Any]:
            if label not in bars:
                for other in bars.values():
                    other.close()
                bars[label] = tqdm(total=total, desc=label, unit=" resources", disable=quiet)
            return bars[label]

        def progress(done: int, _total: int | None) -> None:
            bar = bar_for("indexing")
            bar.update(done - bar.n)

        def english_progress(done: int, _total: int | None) -> None:
            bar = bar_for("English side")
            bar.update(done - bar.n)

        started = time.perf_counter()
        if options["action"] == "reconcile":
            outcome = index.reconcile(progress=progress, english_progress=english_progress)
        else:
            outcome = f"index {index.rebuild(progress, english_progress)} built"
        for bar in bars.values():
            bar.close()
        self.stdout.write(self.style.SUCCESS(f"{outcome} in {time.perf_counter() - started:.1f} s"))
