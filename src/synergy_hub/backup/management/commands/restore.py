"""`synergy restore PATH [--force]`: replace the hub's data by a `synergy backup` archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from synergy_hub.backup.progress import Bars
from synergy_hub.backup.services import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive: the database, the data files and the search index "
        "(replayed or rebuilt). Stop the hub first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="the archive written by `synergy backup`")
        parser.add_argument(
            "--force",
            action="store_true",
            help="overwrite a database that already holds data",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        bars = Bars(quiet=options["verbosity"] < 1)
        try:
            restored = restore_backup(options["path"], force=options["force"], progress=bars)
        except BackupError as refused:
            raise CommandError(str(refused)) from refused
        finally:
            bars.close()
        manifest = restored.manifest
        self.stdout.write(
            self.style.SUCCESS(
                f"restored the backup of {manifest.created_at} (hub {manifest.hub_version}, "
                f"audit log at event {manifest.audit_head['seq']})"
                + ("; migrated to this version's schema" if restored.migrated else "")
                + f"; search index: {restored.index}. Check it with `synergy audit verify`."
            )
        )
