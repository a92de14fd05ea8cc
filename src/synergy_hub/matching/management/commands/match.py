"""`synergy match --all [--outreach] [--scheduler ADDRESS]`: batch matching on Dask."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from synergy_hub.matching.batch import run_batch
from synergy_hub.matching.models import MatchRun, MatchRunKind, MatchRunStatus


class Command(BaseCommand):
    help = (
        "Match every open need to resources (or, with --outreach, every resource to SMEs), "
        "in chunks on Dask, storing results; an interrupted run resumes with --resume."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--all", action="store_true", help="match everything (required)")
        parser.add_argument("--outreach", action="store_true", help="resources → candidate SMEs")
        parser.add_argument("--scheduler", help="Dask scheduler address; default: a local cluster")
        parser.add_argument("--workers", type=int, default=2, help="local worker processes")
        parser.add_argument("--k", type=int, default=10, help="results kept per item")
        parser.add_argument(
            "--chunk-size", type=int, default=1000, help="needs (or resources) per block"
        )
        parser.add_argument("--resume", type=int, metavar="RUN", help="continue an earlier run")

    def handle(self, *args: Any, **options: Any) -> None:
        resume = None
        if options["resume"]:
            resume = MatchRun.objects.filter(pk=options["resume"]).first()
            if resume is None:
                raise CommandError(f"no matching run {options['resume']}")
            if resume.status == MatchRunStatus.COMPLETED:
                raise CommandError(f"run {resume.pk} is already complete")
        elif not options["all"]:
            raise CommandError("say --all to match every open need (or --resume RUN)")
        if not 1 <= options["k"] <= 100 or options["chunk_size"] < 1 or options["workers"] < 1:
            raise CommandError("--k must be 1–100; --chunk-size and --workers at least 1")
        kind = (
            resume.kind
            if resume
            else (MatchRunKind.OUTREACH if options["outreach"] else MatchRunKind.NEEDS)
        )
        bar = tqdm(desc=f"matching {kind}", unit=" chunks", disable=options["verbosity"] < 1)

        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        result = run_batch(
            kind,
            k=options["k"],
            chunk_size=options["chunk_size"],
            scheduler=options["scheduler"],
            workers=options["workers"],
            resume=resume,
            progress=progress,
        )
        bar.close()
        self.stdout.write(
            self.style.SUCCESS(
                f"run {result.run.pk}: {result.items} items in {result.seconds:.1f} s "
                f"({result.per_second:.1f} per second), {result.run.done_chunks}/"
                f"{result.run.total_chunks} chunks"
            )
        )
