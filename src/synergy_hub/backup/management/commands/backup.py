"""`synergy backup [--output PATH] [--without-index]`: archive the hub while it serves."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from synergy_hub.backup.progress import Bars
from synergy_hub.backup.services import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Write one archive of the database, the search index and the data files "
        "(safe while the hub serves); `synergy restore` reads it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output",
            type=Path,
            help="the archive to write (.tar.gz or .tar); default: "
            "<data dir>/backups/synergy-<UTC time>.tar.gz",
        )
        parser.add_argument(
            "--without-index",
            action="store_true",
            help="leave the search index out (smaller archive; the restore rebuilds it)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        bars = Bars(quiet=options["verbosity"] < 1)
        try:
            output, manifest = create_backup(
                options["output"], with_index=not options["without_index"], progress=bars
            )
        except BackupError as refused:
            raise CommandError(str(refused)) from refused
        finally:
            bars.close()
        rows = sum(manifest.row_counts.values())
        index = "with the search index" if manifest.index["included"] else "without the index"
        self.stdout.write(
            self.style.SUCCESS(
                f"backup written to {output}: {manifest.vendor} database, {rows} rows in "
                f"{len(manifest.row_counts)} tables, audit log at event "
                f"{manifest.audit_head['seq']}, {index}"
            )
        )
