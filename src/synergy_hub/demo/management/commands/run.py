"""`synergy run`: migrate, load the demo data into an empty database, then serve.

Serves with gunicorn on HOST:PORT (default 127.0.0.1:8000): one worker process per core,
bounded queues that answer 503 when full, the search index loaded once and shared
(`synergy_hub.config.server`; docs/operations.md, "Server").
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from synergy_hub.catalog.models import Programme
from synergy_hub.config import server
from synergy_hub.config.settings import DATA_DIR


class Command(BaseCommand):
    help = "Migrate, load demo data if the database is empty, and serve the site."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--no-demo", action="store_true", help="do not load demo data")
        parser.add_argument(
            "--workers", type=int, default=None, help="worker processes (default: one per core)"
        )
        parser.add_argument(
            "--dev",
            action="store_true",
            help="serve with Django's auto-reloading development server (`make dev`)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            serving = server.configured_options(options["host"], options["port"])
            if options["workers"] is not None:
                serving = server.ServerOptions(
                    **{**serving.__dict__, "workers": options["workers"]}
                )
        except ValueError as error:
            raise CommandError(str(error)) from None
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database migrated.")
        if not options["no_demo"] and not Programme.objects.exists():
            self.stdout.write("Empty database: loading the demo data…")
            call_command("demo_data", verbosity=1, stdout=self.stdout)
        elif not options["no_demo"]:
            from synergy_hub.demo.loader import DEMO_DOMAIN, DEMO_PASSWORD

            self.stdout.write(
                f"Demo log-ins: officer@{DEMO_DOMAIN}, operator@{DEMO_DOMAIN}, "
                f"provider@{DEMO_DOMAIN}, sme@{DEMO_DOMAIN} — password {DEMO_PASSWORD}"
            )
        from django.db import connections

        from synergy_hub.matching.index import store

        if store().generation() is None:
            self.stdout.write(
                "Building the search index in the background (once; later publications "
                "update it). Pages serve now; the first searches wait for the index."
            )
            # A process of its own, started before the workers are forked: the workers
            # wait for its result instead of each building the index.
            multiprocessing.get_context("spawn").Process(
                target=server.build_index_once, name="index-build", daemon=False
            ).start()
        connections.close_all()
        if options["dev"]:
            call_command("runserver", f"{options['host']}:{options['port']}")
            return
        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(
            self.style.SUCCESS(
                f"Synergy Hub is serving on {url} with {serving.worker_count} worker "
                "processes (Ctrl+C stops it)"
            )
        )
        self.stdout.flush()
        server.serve(serving)
