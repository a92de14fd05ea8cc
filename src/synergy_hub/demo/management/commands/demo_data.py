"""`synergy demo-data [--scale N]`: load the deterministic demo catalog into an empty database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from synergy_hub.demo.loader import (
    DEFAULT_NEEDS,
    DEFAULT_RESOURCES,
    DEFAULT_SMES,
    DemoLogins,
    load_demo_data,
)


def print_logins(command: BaseCommand, logins: DemoLogins) -> None:
    """Show the demo accounts, one per role."""
    command.stdout.write(command.style.MIGRATE_HEADING("Demo log-ins (password for all):"))
    for role, email, password in logins.rows:
        command.stdout.write(f"  {role:<18} {email:<36} {password}")


class Command(BaseCommand):
    help = "Load deterministic, bilingual demo data (platforms, SMEs, 3 batches of lists, needs)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--scale",
            type=int,
            default=DEFAULT_RESOURCES,
            help=f"resources to generate (default {DEFAULT_RESOURCES}; 100000+ for benchmarks)",
        )
        parser.add_argument("--smes", type=int, default=DEFAULT_SMES)
        parser.add_argument("--needs", type=int, default=DEFAULT_NEEDS)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["scale"] < 1 or options["smes"] < 1 or options["needs"] < 0:
            raise CommandError("--scale and --smes must be at least 1, --needs at least 0")

        def progress(label: str, total: int) -> Any:
            return tqdm(total=total, desc=label, unit=" rows", disable=options["verbosity"] < 1)

        try:
            logins, counts = load_demo_data(
                seed=options["seed"],
                resources=options["scale"],
                smes=options["smes"],
                needs=options["needs"],
                progress=progress,
            )
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        summary = ", ".join(f"{value} {key}" for key, value in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {summary}"))
        print_logins(self, logins)
