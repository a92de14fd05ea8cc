"""The harvest sources a publisher owns: which one a fetched catalog is, and keeping it.

A source is identified by its canonical location (`fetch.source_key`) among its owner's
sources. Sources harvested before sources had a location were known by their file name
only (`name:<file name>`); the first harvest of a file of that name by the same owner
adopts such a source (when exactly one has the name), so its records are updated rather
than imported again, and from then on the source is known by its path.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from synergy_hub.accounts.models import Organisation, User
from synergy_hub.audit.services import record as audit
from synergy_hub.catalog.models_interop import HarvestSource, HarvestSourceKind

from .fetch import FetchedSource, source_identity

LEGACY_NAME = "name:"


@dataclass(frozen=True)
class KnownSource:
    """The source row a fetched catalog is, if it was harvested before by this owner."""

    source: HarvestSource | None
    adopt: bool = False  # a source known by file name only, to be given this location


def find_source(owner: Organisation, fetched: FetchedSource) -> KnownSource:
    found = HarvestSource.objects.filter(owner=owner, identity=source_identity(fetched.key)).first()
    if found is not None:
        return KnownSource(found)
    if fetched.kind == HarvestSourceKind.FILE:
        legacy = list(
            HarvestSource.objects.filter(
                owner=owner,
                kind=HarvestSourceKind.FILE,
                location=LEGACY_NAME + Path(fetched.location).name,
            )[:2]
        )
        if len(legacy) == 1:
            return KnownSource(legacy[0], adopt=True)
    return KnownSource(None)


def keep_source(
    actor: User, owner: Organisation, fetched: FetchedSource, known: KnownSource
) -> HarvestSource:
    """The source row for this harvest, created or adopted, with its audit event (the
    caller holds the transaction)."""
    source = known.source
    if source is None:
        source = HarvestSource.objects.create(
            owner=owner,
            kind=fetched.kind,
            location=fetched.key[:2000],
            identity=source_identity(fetched.key),
            created_by=actor,
        )
        audit(
            actor=actor,
            action="catalog.harvest_source.created",
            obj=source,
            organisation_id=owner.pk,
            after={"kind": source.kind, "location": source.location},
        )
    elif known.adopt:
        before = {"location": source.location}
        source.location = fetched.key[:2000]
        source.identity = source_identity(fetched.key)
        source.save(update_fields=["location", "identity"])
        audit(
            actor=actor,
            action="catalog.harvest_source.located",
            obj=source,
            organisation_id=owner.pk,
            before=before,
            after={"location": source.location},
        )
    return source
