"""`synergy harvest <file-or-url> --publisher ID --actor EMAIL [--batch N] [--dry-run]`.

The command runs in a fixed language (`--language`, by default the site's), never in
whatever locale the process happens to have; the texts the harvest stores do not depend
on it at all (each label is written in the language of the field it goes into).
"""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from tqdm import tqdm

from synergy_hub.accounts.models import Organisation, User
from synergy_hub.catalog.interop.harvest.report import HarvestReport, Outcome
from synergy_hub.catalog.interop.harvest.service import harvest_into_draft
from synergy_hub.catalog.models import Batch
from synergy_hub.catalog.selectors import current_batch


class Command(BaseCommand):
    help = (
        "Harvest a DCAT-AP (RDF), DCAT-US (data.json) or CKAN catalog file or URL into a "
        "draft openness list of a publisher, printing a report per record."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", help="a file or an http(s) URL")
        parser.add_argument("--publisher", type=int, required=True, help="organisation id")
        parser.add_argument(
            "--actor",
            required=True,
            help="e-mail of the acting user: an editor of the publisher or a programme officer",
        )
        parser.add_argument(
            "--batch", type=int, help="batch number for a new list (default: the open batch)"
        )
        parser.add_argument("--dry-run", action="store_true", help="report only, write nothing")
        parser.add_argument("--json", action="store_true", help="print the report as JSON")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="language of the printed report (default: the site's)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            self._harvest(options)

    def _harvest(self, options: dict[str, Any]) -> None:
        publisher = Organisation.objects.filter(pk=options["publisher"]).first()
        if publisher is None:
            raise CommandError(f"no organisation with id {options['publisher']}")
        actor = User.objects.filter(email=options["actor"].lower(), is_active=True).first()
        if actor is None:
            raise CommandError(f"no active user {options['actor']}")
        batch = (
            Batch.objects.filter(number=options["batch"]).first()
            if options["batch"]
            else current_batch()
        )
        if batch is None:
            raise CommandError("no such batch (and no batch is open): give --batch N")

        def progress(label: str, total: int) -> Any:
            return tqdm(total=total, desc=label, unit=" records", disable=options["verbosity"] < 1)

        try:
            report = harvest_into_draft(
                actor,
                publisher,
                batch,
                options["source"],
                dry_run=options["dry_run"],
                allow_files=True,
                progress=progress,
            )
        except PermissionDenied as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
        else:
            self._print(report)
        if not report.ok:
            raise CommandError(f"harvest failed: {report.error}")

    def _print(self, report: HarvestReport) -> None:
        styles = {
            Outcome.IMPORTED: self.style.SUCCESS,
            Outcome.UPDATED: self.style.SUCCESS,
            Outcome.UNCHANGED: self.style.HTTP_INFO,
            Outcome.SKIPPED: self.style.WARNING,
            Outcome.FAILED: self.style.ERROR,
            Outcome.REMOVED: self.style.WARNING,
        }
        for entry in report.records:
            identifier = entry.identifier[:60]
            line = f"{entry.index:>5} {entry.outcome.value:<9} {identifier:<60} {entry.title[:50]}"
            self.stdout.write(styles[entry.outcome](line))
            if entry.reason:
                self.stdout.write(f"{'':>16}{entry.reason}")
            for warning in entry.warnings:
                value = f" ({warning.value})" if warning.value else ""
                self.stdout.write(f"{'':>16}note: {warning.field}: {warning.message}{value}")
        for term, records in report.ignored.items():
            self.stdout.write(f"not read: {term} ({records} record(s))")
        for note in report.notes:
            self.stdout.write(f"note: {note}")
        if report.dry_run:
            counts = report.counts
            self.stdout.write(
                f"dry run, nothing written: would create {counts['imported']}, "
                f"update {counts['updated']}, remove {counts['removed']}; "
                f"{counts['unchanged']} unchanged, {counts['skipped']} skipped, "
                f"{counts['failed']} failed, {report.warning_count} warning(s)"
            )
        counts_text = ", ".join(f"{n} {name}" for name, n in report.counts.items() if n)
        if report.warning_count:
            counts_text += f", {report.warning_count} warning(s)"
        where = (
            f" into list {report.list_id} v{report.list_version}"
            + (" (new)" if report.list_created else "")
            if report.list_id
            else ""
        )
        prefix = "dry run: " if report.dry_run else ""
        profiles = f" [{', '.join(report.profiles)}]" if report.profiles else ""
        self.stdout.write(
            f"{prefix}{report.format or 'unknown format'}{profiles}{where}: "
            f"{counts_text or 'no records'}"
        )
