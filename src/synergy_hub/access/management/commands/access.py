"""`synergy access tick`: take the time-driven steps of agreements (start, expiry, notice run out).

`synergy access close-rounds [--loop SECONDS]`: allocate the rounds closed in the
background (large rounds, decision 0031), once or polling every SECONDS.

Reads and uses of an agreement take these steps lazily too; the tick keeps inboxes,
capacity and notifications right for agreements nobody looks at. Run it from cron (e.g.
every 15 minutes); running it twice does nothing the second time.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_datetime

from synergy_hub.access.services import advance_agreements, run_closing_jobs


class Command(BaseCommand):
    help = (
        "Access workflow tools. `tick` activates, expires and terminates agreements when due; "
        "`close-rounds` allocates the rounds queued for closing."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["tick", "close-rounds"])
        parser.add_argument(
            "--loop",
            type=float,
            default=0,
            help="close-rounds: keep polling for queued rounds every this many seconds",
        )
        parser.add_argument(
            "--now", help="act as if it were this ISO 8601 time with offset (for tests)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "close-rounds":
            while True:
                done = run_closing_jobs()
                self.stdout.write(f"access close-rounds: {done} round(s) allocated")
                if not options["loop"]:
                    return
                time.sleep(options["loop"])
        now = None
        if options.get("now"):
            now = parse_datetime(options["now"])
            if now is None or now.tzinfo is None:
                raise CommandError("--now needs an ISO 8601 time with its UTC offset")
        changed = advance_agreements(now)
        self.stdout.write(self.style.SUCCESS(f"access tick: {changed} agreement(s) changed state"))
