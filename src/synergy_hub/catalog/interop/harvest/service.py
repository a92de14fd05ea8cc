"""Harvest an external catalog into a publisher's draft openness list, all or nothing.

Who may: an editor (or administrator) of the approved platform or service provider that
publishes the list, or a programme officer acting for it. Each record is validated by
the same rules as a resource typed in by hand, and the harvest is planned (`plan`) before
anything is written; a dry run stops there. Valid records are then written (`apply`) by
catalog's own inner services, with the draft list, the harvest records and the audit
events, in ONE durable transaction, so a failure part-way leaves nothing behind.
Harvesting the same source again into the same publisher updates the resources harvested
before (on the open draft, or on a new draft version of the published list) instead of
adding them twice.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from synergy_hub.accounts.models import Organisation, OrganisationStatus, User
from synergy_hub.accounts.permissions import PUBLISHER_KINDS, is_officer, require_member
from synergy_hub.audit.services import record as audit
from synergy_hub.catalog.models import Batch
from synergy_hub.catalog.models_interop import HarvestRun, HarvestSource, HarvestStatus

from . import lists
from .apply import Progress, apply_plan
from .fetch import SourceError, fetch_source, is_url, source_identity, source_key
from .plan import CheckedRecords, HarvestJob, check_records, make_plan
from .report import HarvestReport, Outcome
from .sources import read_catalog


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


def _write(
    job: HarvestJob, checked: CheckedRecords, report: HarvestReport, progress: Progress
) -> None:
    """Plan and apply the harvest in one durable transaction, one harvest per publisher."""
    with transaction.atomic(durable=True):
        Organisation.objects.select_for_update().get(pk=job.publisher.pk)
        apply_plan(job, make_plan(job, checked, report), report, progress)


def _log_failure(
    actor: User, publisher: Organisation, source: str, key: str, report: HarvestReport
) -> None:
    """Keep a failed run (its report only) in a transaction of its own.

    The run is linked to its source when the publisher harvested that source before; a
    source that never completed a harvest is not recorded as one of the publisher's.
    """
    with transaction.atomic(durable=True):
        known = HarvestSource.objects.filter(owner=publisher, identity=source_identity(key))
        run = HarvestRun.objects.create(
            publisher=publisher,
            actor=actor,
            source=source[:2000],
            harvest_source=known.first(),
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
    key = source_key(source) if is_url(source) or allow_files else source[:500]
    report.source_location = key
    try:
        fetched = fetch_source(source, allow_files=allow_files)
        parsed = read_catalog(fetched)
        report.format = parsed.format
        report.profiles, report.ignored = parsed.profiles, parsed.ignored
        report.notes.extend(parsed.notes)
        if not parsed.records and not parsed.problems:
            raise SourceError(_("No datasets or data services were found in this source."))
        checked = check_records(parsed, report)
        job = HarvestJob(actor, publisher, batch, fetched, parsed)
        if dry_run:
            make_plan(job, checked, report).describe(report)
        else:
            _write(job, checked, report, progress)
    except (SourceError, lists.HarvestRefused) as exc:
        report.fail(str(exc))
    except ValidationError as exc:  # a list changed state under the harvest
        reason = " ".join(exc.messages)
        _void_writes(report, reason)
        report.fail(reason)
    except DatabaseError as exc:
        _void_writes(report, type(exc).__name__)
        report.fail(
            _("The database refused the harvest (%(error)s); nothing was imported.")
            % {"error": str(exc)[:200]}
        )
    if not report.ok and not dry_run:
        _log_failure(actor, publisher, source, key, report)
    return report
