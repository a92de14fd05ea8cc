"""`synergy audit verify|checkpoint|new-key`: prove the audit log untouched, seal it, key it."""

from __future__ import annotations

import secrets
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from synergy_hub.audit.keys import MIN_SECRET_BYTES
from synergy_hub.audit.services import SealRefused, checkpoint, checkpoint_file, verify


class Command(BaseCommand):
    help = (
        "Audit log tools. `verify` checks every event's hash chain and every signed checkpoint; "
        "`checkpoint` signs the current head now; `new-key` prints a fresh signing key entry."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["verify", "checkpoint", "new-key"])
        parser.add_argument(
            "--require-sealed",
            action="store_true",
            help="verify: also fail when events after the last checkpoint are not yet signed",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "checkpoint":
                self._checkpoint()
            elif options["action"] == "new-key":
                key_id = timezone.now().strftime("k%Y%m%d")
                self.stdout.write(f"{key_id}:{secrets.token_hex(MIN_SECRET_BYTES)}")
            else:
                self._verify(require_sealed=options["require_sealed"])
        except ImproperlyConfigured as error:
            raise CommandError(f"audit signing key: {error}") from error

    def _checkpoint(self) -> None:
        try:
            signed = checkpoint(force=True)
        except SealRefused as error:
            raise CommandError(f"no checkpoint written: {error}") from error
        assert signed is not None  # forced: always written
        self.stdout.write(
            self.style.SUCCESS(
                f"checkpoint #{signed.checkpoint} signed with key {signed.key!r}: "
                f"{signed.events} events, head {signed.head[:16]}… ({checkpoint_file()})"
            )
        )

    def _verify(self, *, require_sealed: bool) -> None:
        report = verify()
        if not report.ok:
            where = f" at event {report.broken_seq}" if report.broken_seq is not None else ""
            raise CommandError(
                f"audit log broken{where}: {report.reason} "
                f"({report.checked} events and {report.checkpoints} checkpoints verified before it)"
            )
        message = (
            f"audit log intact: {report.checked} events verified, "
            f"{report.checkpoints} signed checkpoints valid"
        )
        if report.unsealed:
            note = (
                f"{report.unsealed} events after the last checkpoint are not yet signed "
                "(run `synergy audit checkpoint`)"
            )
            if require_sealed:
                raise CommandError(f"{message}; but {note}")
            message += f"; {note}"
        self.stdout.write(self.style.SUCCESS(message))
