"""The writes of a harvest, each audited like the same edit by hand."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from synergy_hub.accounts.models import User
from synergy_hub.audit.services import record as audit
from synergy_hub.catalog.models import OpennessList, Resource
from synergy_hub.catalog.services import resource_snapshot

from .mapping import MappedRecord
from .report import RecordReport


@dataclass
class ValidRecord:
    """A record that passed validation: its report entry, mapping and clean values."""

    report: RecordReport
    mapped: MappedRecord
    clean: dict[str, Any]
    regions: list[Any]
    industries: list[Any]


def add(
    actor: User, target: OpennessList, item: ValidRecord, lineage: uuid.UUID, position: int
) -> Resource:
    resource = Resource.objects.create(
        openness_list=target, lineage=lineage, position=position, **item.clean
    )
    resource.regions.set(item.regions)
    resource.industries.set(item.industries)
    audit(
        actor=actor,
        action="catalog.resource.added",
        obj=resource,
        organisation_id=target.publisher_id,
        after=resource_snapshot(resource),
    )
    return resource


def update(actor: User, resource: Resource, item: ValidRecord) -> None:
    before = resource_snapshot(resource)
    for name, value in item.clean.items():
        setattr(resource, name, value)
    resource.updated_at = timezone.now()
    resource.save()
    resource.regions.set(item.regions)
    resource.industries.set(item.industries)
    audit(
        actor=actor,
        action="catalog.resource.updated",
        obj=resource,
        organisation_id=resource.openness_list.publisher_id,
        before=before,
        after=resource_snapshot(resource),
    )


def remove(actor: User, resource: Resource) -> None:
    audit(
        actor=actor,
        action="catalog.resource.removed",
        obj=resource,
        organisation_id=resource.openness_list.publisher_id,
        before=resource_snapshot(resource),
    )
    resource.delete()
