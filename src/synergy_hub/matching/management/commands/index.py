"""`synergy index rebuild|status`: (re)build the search index from the published catalog."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from tqdm import tqdm

from synergy_hub.matching import documents
from synergy_hub.matching.index import store


class Command(BaseCommand):
    help = "Search index tools: `rebuild` indexes every published resource; `status` reports."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rebuild", "status"])

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
            self.stdout.write(
                f"generation {name}: {len(retriever)} documents, encoder {encoder}; "
                f"{documents.published_count()} resources published"
            )
            return
        bar = tqdm(
            total=documents.published_count(),
            desc="indexing",
            unit=" resources",
            disable=options["verbosity"] < 1,
        )

        def progress(done: int, _total: int | None) -> None:
            bar.update(done - bar.n)

        started = time.perf_counter()
        name = index.rebuild(progress=progress)
        bar.close()
        self.stdout.write(
            self.style.SUCCESS(f"index {name} built in {time.perf_counter() - started:.1f} s")
        )
