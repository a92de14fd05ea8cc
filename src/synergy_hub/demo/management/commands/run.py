"""`synergy run`: migrate, load the demo data into an empty database, then serve.

Serves with waitress (a production-grade WSGI server) on HOST:PORT (default 127.0.0.1:8000).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from synergy_hub.catalog.models import Programme
from synergy_hub.config.settings import DATA_DIR

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Migrate, load demo data if the database is empty, and serve the site."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        parser.add_argument("--no-demo", action="store_true", help="do not load demo data")
        parser.add_argument("--threads", type=int, default=8)

    def handle(self, *args: Any, **options: Any) -> None:
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
        from synergy_hub.matching.index import store

        if store().generation() is None:
            self.stdout.write(
                "Building the search index in the background (once; later publications "
                "update it). Pages serve now; the first searches wait for the index."
            )
            threading.Thread(target=self._build_index, name="index-build", daemon=True).start()
        else:  # replay what a crash between a publication and its index update left out
            threading.Thread(target=self._check_index, name="index-check", daemon=True).start()
        from waitress import serve

        from synergy_hub.config.wsgi import application

        url = f"http://{options['host']}:{options['port']}/"
        self.stdout.write(self.style.SUCCESS(f"Synergy Hub is serving on {url} (Ctrl+C stops it)"))
        self.stdout.flush()
        serve(
            application,
            host=options["host"],
            port=options["port"],
            threads=options["threads"],
            ident="synergy-hub",
        )

    def _build_index(self) -> None:
        """Build the index once (searches arriving meanwhile wait for it, not rebuild it)."""
        from django.db import connection

        from synergy_hub.matching.index import store

        started = time.perf_counter()
        try:
            store().ensure_built()
        except Exception:  # a failed build is retried by the first search
            logger.exception("building the search index failed")
        else:
            self.stdout.write(f"Search index ready ({time.perf_counter() - started:.0f} s).")
        finally:
            connection.close()

    def _check_index(self) -> None:
        """Load the index, replaying first the publications it lacks (`IndexStore.retriever`)."""
        from django.db import connection

        from synergy_hub.matching.index import store

        try:
            store().retriever()
        except Exception:  # the first search tries again
            logger.exception("loading the search index failed")
        finally:
            connection.close()
