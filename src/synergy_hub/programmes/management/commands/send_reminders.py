"""`synergy send_reminders`: mail each organisation's members a digest of near deadlines.

Complaints a platform must acknowledge or decide within two days, fee changes an SME has
not answered that apply within three days, milestone reports due within a week or late.
Each item is reminded of once per deadline, so the command can run from cron as often as
wished (e.g. daily at 08:00: `0 8 * * * synergy send_reminders`); a second run sends nothing.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_datetime

from synergy_hub.programmes.services.reminders import send_reminders


class Command(BaseCommand):
    help = "Mail digests of near deadlines (complaints, fee notices, milestone reports), once each."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now", help="act as if it were this ISO 8601 time with offset (for tests)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = None
        if options.get("now"):
            now = parse_datetime(options["now"])
            if now is None or now.tzinfo is None:
                raise CommandError("--now needs an ISO 8601 time with its UTC offset")
        digest = send_reminders(now)
        self.stdout.write(
            self.style.SUCCESS(
                f"send_reminders: {digest.reminders} reminder(s) in {digest.mails} mail(s)"
            )
        )
