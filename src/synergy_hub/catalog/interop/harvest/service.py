"""Harvest an external catalog into a publisher's draft openness list, all or nothing.

Who may: an editor (or administrator) of the approved platform or service provider that
publishes the list, or a programme officer acting for it. Each record is validated by
the same rules as a resource typed in by hand; valid records are written, with the draft
list, the harvest records and the audit events, in ONE durable transaction, so a failure
part-way leaves nothing behind. Harvesting the same source again into the same publisher
updates the resources harvested before (on the open draft, or on a new draft version of
the published list) instead of adding them twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub.accounts.models import Organisation, OrganisationStatus, User
from synergy_hub.accounts.permissions import PUBLISHER_KINDS, is_officer, require_member
from synergy_hub.audit.services import record as audit
from synergy_hub.catalog.models import Batch, Resource
from synergy_hub.catalog.models_interop import HarvestRecord, HarvestRun, HarvestStatus
from synergy_hub.catalog.services import clean_resource_data
from synergy_hub.validation import FieldErrors, error_list

from . import lists, writes
from .fetch import FetchedSource, SourceError, fetch_source
from .mapping import map_record
from .records import ParsedCatalog
from .report import HarvestReport, Outcome, RecordReport
from .sources import read_catalog
from .writes import ValidRecord

Progress = Callable[[str, int], Any]


def _noop_progress(_label: str, _total: int) -> Any:
    class _Bar:
        def update(self, _n: int = 1) -> None:
            pass

        def close(self) -> None:
            pass

    return _Bar()


def require_harvester(actor: User, publisher: Organisation) -> None:
    """Refuse (403) anyone but the publisher's editors and programme officers."""
    if publisher.kind not in PUBLISHER_KINDS or publisher.status != OrganisationStatus.APPROVED:
        raise PermissionDenied(
            _("Only approved platform enterprises and service providers publish openness lists.")
        )
    if is_officer(actor):
        return
    membership = require_member(actor, kinds=PUBLISHER_KINDS)
    if membership.organisation_id != publisher.pk:
        raise PermissionDenied(_("You may harvest only into your own organisation's lists."))


def _validate(parsed: ParsedCatalog, report: HarvestReport) -> tuple[list[ValidRecord], set[str]]:
    """Map and validate every record; returns the valid ones and the identifiers still present."""
    valid: list[ValidRecord] = []
    present: set[str] = set()
    for problem in parsed.problems:
        report.records.append(
            RecordReport(
                problem.index, problem.identifier, problem.title, Outcome.FAILED, problem.reason
            )
        )
    for index, source_record in enumerate(parsed.records):
        mapped = map_record(source_record)
        entry = RecordReport(
            index, mapped.identifier, mapped.title, Outcome.FAILED, warnings=mapped.warnings
        )
        report.records.append(entry)
        if mapped.fail:
            entry.reason = mapped.fail
            continue
        if mapped.identifier in present:
            entry.outcome, entry.reason = (
                Outcome.SKIPPED,
                _("Duplicate identifier: an earlier record of this source has it."),
            )
            continue
        if mapped.skip:
            entry.outcome, entry.reason = Outcome.SKIPPED, mapped.skip
            continue
        present.add(mapped.identifier)
        errors = FieldErrors()
        clean, regions, industries = clean_resource_data(mapped.data, errors)
        if errors.errors:
            entry.reason = "; ".join(
                f"{item['field']}: {item['message']}"
                for item in error_list(ValidationError(errors.errors))
            )
            continue
        valid.append(ValidRecord(entry, mapped, clean, regions, industries))
    return valid, present


def _classify(
    valid: list[ValidRecord], known: dict[str, HarvestRecord], on_list: dict[uuid.UUID, Resource]
) -> None:
    """Imported, updated or unchanged, by the identifier's earlier lineage and checksum."""
    for item in valid:
        earlier = known.get(item.mapped.identifier)
        resource = on_list.get(earlier.lineage) if earlier else None
        if resource is None:
            item.report.outcome = Outcome.IMPORTED
        elif earlier is not None and earlier.checksum == item.mapped.checksum:
            item.report.outcome = Outcome.UNCHANGED
            item.report.resource_id = resource.pk
        else:
            item.report.outcome = Outcome.UPDATED
            item.report.resource_id = resource.pk


def _apply(
    actor: User,
    publisher: Organisation,
    batch: Batch,
    source: FetchedSource,
    parsed: ParsedCatalog,
    valid: list[ValidRecord],
    present: set[str],
    report: HarvestReport,
    progress: Progress,
    *,
    write: bool,
) -> None:
    """Decide (and, when writing, perform) each record's outcome against earlier harvests."""
    if write:
        Organisation.objects.select_for_update().get(pk=publisher.pk)  # one harvest at a time
    known = {
        r.source_id: r
        for r in HarvestRecord.objects.filter(publisher=publisher, source_key=source.key)
    }
    previous = lists.previous_list(publisher, source.key)
    on_list = lists.resources_by_lineage(previous)
    _classify(valid, known, on_list)
    gone = [
        r for source_id, r in known.items() if source_id not in present and r.lineage in on_list
    ]
    for earlier in gone:
        leaving = on_list[earlier.lineage]
        report.records.append(
            RecordReport(
                len(report.records),
                earlier.source_id,
                leaving.title[:120],
                Outcome.REMOVED,
                _("No longer in the source (or no longer public)."),
                resource_id=leaving.pk,
            )
        )
    changes = bool(gone) or any(
        item.report.outcome in (Outcome.IMPORTED, Outcome.UPDATED) for item in valid
    )
    if changes and previous is None:
        lists.require_open(batch)
    draft = previous
    if not write:
        report.list_created = changes and previous is None
        if draft is not None:
            report.list_id, report.list_version = draft.pk, draft.version
        return
    if changes:
        draft, report.list_created = lists.draft_for_writing(
            actor, publisher, batch, parsed, source.key, previous
        )
        if draft != previous:
            on_list = lists.resources_by_lineage(draft)  # the copies keep their lineage
    now = timezone.now()
    run = HarvestRun.objects.create(
        publisher=publisher,
        actor=actor,
        source=source.location[:2000],
        source_key=source.key,
        source_format=parsed.format,
        openness_list=draft,
        status=HarvestStatus.COMPLETED,
        started_at=now,
    )
    bar = progress("records", len(valid) + len(gone))
    position = draft.resources.count() if draft is not None else 0
    for item in valid:
        found = known.get(item.mapped.identifier)
        resource: Resource | None = on_list.get(found.lineage) if found else None
        if item.report.outcome == Outcome.UPDATED and resource is not None:
            writes.update(actor, resource, item)
        elif item.report.outcome == Outcome.IMPORTED and draft is not None:
            lineage = found.lineage if found else uuid.uuid4()
            resource = writes.add(actor, draft, item, lineage, position)
            position += 1
        if resource is not None:
            item.report.resource_id = resource.pk
            HarvestRecord.objects.update_or_create(
                publisher=publisher,
                source_key=source.key,
                source_id=item.mapped.identifier,
                defaults={
                    "lineage": resource.lineage,
                    "checksum": item.mapped.checksum,
                    "source_url": (source.url or source.location)[:2000],
                    "last_harvested_at": now,
                    "last_run": run,
                },
            )
        bar.update(1)
    for earlier in gone:
        if earlier.lineage in on_list:
            writes.remove(actor, on_list[earlier.lineage])
        bar.update(1)
    bar.close()
    if draft is not None:
        report.list_id, report.list_version = draft.pk, draft.version
        if changes:
            draft.updated_at = timezone.now()
            draft.save(update_fields=["updated_at"])
    report.run_id = run.pk
    run.counts = report.counts
    run.report = report.to_dict()
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "report", "finished_at"])
    audit(
        actor=actor,
        action="catalog.harvest.completed",
        obj=run,
        organisation_id=publisher.pk,
        after={
            "source": run.source,
            "format": run.source_format,
            "list": draft.pk if draft else None,
            "counts": report.counts,
        },
    )


def _log_failure(
    actor: User, publisher: Organisation, source: str, key: str, report: HarvestReport
) -> None:
    """Keep a failed run (its report only) in a transaction of its own."""
    with transaction.atomic(durable=True):
        run = HarvestRun.objects.create(
            publisher=publisher,
            actor=actor,
            source=source[:2000],
            source_key=key,
            source_format=report.format,
            status=HarvestStatus.FAILED,
            counts=report.counts,
            report=report.to_dict(),
        )
        audit(
            actor=actor,
            action="catalog.harvest.failed",
            obj=run,
            organisation_id=publisher.pk,
            after={"source": run.source, "error": report.error},
        )
    report.run_id = run.pk


def _void_writes(report: HarvestReport, reason: str) -> None:
    """After a rollback nothing was written: say so on every record that would have been."""
    written = (Outcome.IMPORTED, Outcome.UPDATED, Outcome.REMOVED)
    for entry in report.records:
        if entry.outcome in written:
            entry.outcome = Outcome.FAILED
            entry.reason = _("Not written: the harvest was rolled back (%(reason)s).") % {
                "reason": reason
            }
            entry.resource_id = None
    report.list_id = report.list_version = None
    report.list_created = False


def harvest_into_draft(
    actor: User,
    publisher: Organisation,
    batch: Batch,
    source: str,
    *,
    dry_run: bool = False,
    allow_files: bool = False,
    progress: Progress = _noop_progress,
) -> HarvestReport:
    """Harvest a DCAT-AP, DCAT-US (data.json) or CKAN source into the publisher's draft list.

    Returns the per-record report; problems with the source become a failed report, never
    an exception. A dry run reports what would happen and writes nothing.
    """
    require_harvester(actor, publisher)
    report = HarvestReport(source=source, publisher_id=publisher.pk, dry_run=dry_run)
    key = source[:500]
    try:
        fetched = fetch_source(source, allow_files=allow_files)
        key = fetched.key
        parsed = read_catalog(fetched)
        report.format = parsed.format
        if not parsed.records and not parsed.problems:
            raise SourceError(_("No datasets or data services were found in this source."))
        valid, present = _validate(parsed, report)
        if dry_run:
            _apply(
                actor,
                publisher,
                batch,
                fetched,
                parsed,
                valid,
                present,
                report,
                progress,
                write=False,
            )
        else:
            with transaction.atomic(durable=True):
                _apply(
                    actor,
                    publisher,
                    batch,
                    fetched,
                    parsed,
                    valid,
                    present,
                    report,
                    progress,
                    write=True,
                )
    except (SourceError, lists.HarvestRefused) as exc:
        report.fail(str(exc))
    except DatabaseError as exc:
        _void_writes(report, type(exc).__name__)
        report.fail(
            _("The database refused the harvest (%(error)s); nothing was imported.")
            % {"error": str(exc)[:200]}
        )
    if not report.ok and not dry_run:
        _log_failure(actor, publisher, source, key, report)
    return report
