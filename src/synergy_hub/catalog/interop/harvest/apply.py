"""Carry out a harvest plan through catalog's services, inside the harvest's transaction.

The list, its resources and their audit events are written by the same inner services
(`…_in_transaction`) as an edit by hand; this module adds only what is the harvest's
own: the run, the harvest records that remember each source identifier's resource, and
the summary event.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.utils import timezone

from synergy_hub.accounts.models import User
from synergy_hub.audit.services import record as audit
from synergy_hub.catalog.models import OpennessList, Resource
from synergy_hub.catalog.models_interop import (
    HarvestRecord,
    HarvestRun,
    HarvestSource,
    HarvestStatus,
)
from synergy_hub.catalog.services import (
    add_resource_in_transaction,
    remove_resource_in_transaction,
    update_resource_in_transaction,
)

from . import lists
from .plan import HarvestJob, HarvestPlan, PlannedRecord
from .registry import keep_source
from .report import HarvestReport, Outcome

Progress = Callable[[str, int], Any]


def apply_plan(
    job: HarvestJob, plan: HarvestPlan, report: HarvestReport, progress: Progress
) -> None:
    """Write what the plan decided; the caller holds the one transaction around it all."""
    actor = job.actor
    source = keep_source(actor, job.publisher, job.source, plan.known)
    report.source_id = source.pk
    target = plan.previous
    if plan.changes:
        target, report.list_created = lists.draft_for_writing(
            actor, job.publisher, job.batch, job.parsed, job.source, plan.previous
        )
    # A new version holds copies of the previous resources, with the same lineage.
    on_target = plan.on_previous if target == plan.previous else lists.resources_by_lineage(target)
    run = _start_run(job, source, target)
    now = run.started_at
    bar = progress("records", len(plan.records) + len(plan.remove))
    for planned in plan.records:
        resource = _write_record(actor, target, planned, on_target)
        if resource is not None:
            planned.item.report.resource_id = resource.pk
            _remember(job, source, run, planned, resource, now)
        bar.update(1)
    for removal in plan.remove:
        if removal.earlier.lineage in on_target:
            remove_resource_in_transaction(actor, on_target[removal.earlier.lineage])
        bar.update(1)
    bar.close()
    if target is not None:
        report.list_id, report.list_version = target.pk, target.version
        if plan.changes:
            target.updated_at = timezone.now()
            target.save(update_fields=["updated_at"])
    _finish_run(job, run, target, report)


def _write_record(
    actor: User,
    target: OpennessList | None,
    planned: PlannedRecord,
    on_target: dict[uuid.UUID, Resource],
) -> Resource | None:
    """Add or update one record's resource; the resource it stands for now, if any."""
    resource = on_target.get(planned.lineage) if planned.lineage is not None else None
    if planned.outcome == Outcome.UPDATED and resource is not None:
        update_resource_in_transaction(actor, resource, planned.item.clean)
    elif planned.outcome == Outcome.IMPORTED and target is not None:
        resource = add_resource_in_transaction(
            actor, target, planned.item.clean, lineage=planned.lineage
        )
    return resource


def _remember(
    job: HarvestJob,
    source: HarvestSource,
    run: HarvestRun,
    planned: PlannedRecord,
    resource: Resource,
    now: datetime,
) -> None:
    """Remember which resource the source identifier became, and the checksum it had."""
    HarvestRecord.objects.update_or_create(
        harvest_source=source,
        source_id=planned.item.mapped.identifier,
        defaults={
            "lineage": resource.lineage,
            "checksum": planned.item.mapped.checksum,
            "source_url": (job.source.url or job.source.location)[:2000],
            "last_harvested_at": now,
            "last_run": run,
        },
    )


def _start_run(job: HarvestJob, source: HarvestSource, target: OpennessList | None) -> HarvestRun:
    return HarvestRun.objects.create(
        publisher=job.publisher,
        actor=job.actor,
        source=job.source.location[:2000],
        harvest_source=source,
        source_format=job.parsed.format,
        openness_list=target,
        status=HarvestStatus.COMPLETED,
        started_at=timezone.now(),
    )


def _finish_run(
    job: HarvestJob, run: HarvestRun, target: OpennessList | None, report: HarvestReport
) -> None:
    """Store the report on the run and append the harvest's summary event."""
    report.run_id = run.pk
    run.counts = report.counts
    run.report = report.to_dict()
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "report", "finished_at"])
    audit(
        actor=job.actor,
        action="catalog.harvest.completed",
        obj=run,
        organisation_id=job.publisher.pk,
        after={
            "source": run.source,
            "location": run.harvest_source.location if run.harvest_source else "",
            "format": run.source_format,
            "list": target.pk if target else None,
            "counts": report.counts,
        },
    )
