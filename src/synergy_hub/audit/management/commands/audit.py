"""`synergy audit verify`: prove the audit log untouched, or name the first broken link."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from synergy_hub.audit.services import verify


class Command(BaseCommand):
    help = "Audit log tools. `verify` checks every event's hash chain."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify()
        if report.ok:
            self.stdout.write(
                self.style.SUCCESS(f"audit log intact: {report.checked} events verified")
            )
            return
        raise CommandError(
            f"audit log broken at event {report.broken_seq}: {report.reason} "
            f"({report.checked} events verified before it)"
        )
