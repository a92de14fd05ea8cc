"""The catalog generation: which committed changes the search index must reflect.

Each publication increments the number in its own transaction and records what it
changed (`record_publication`, a receiver of the catalog's in-transaction signal). The
index writes, with each generation of its files, the catalog generation it reflects
(`IndexStore`). The index is updated after the commit, so a crash between the two
leaves the index behind; comparing the numbers finds that, and the changes in between
are replayed (`changes_between`) or, where they cannot be, the index is rebuilt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from synergy_hub.catalog.models import OpennessList, Resource
from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.matching import documents
from synergy_hub.matching.models import CatalogChange, CatalogGeneration

SINGLETON = 1


@dataclass(frozen=True)
class Generation:
    """A point in one database's line of changes: its epoch and how many changes came before."""

    epoch: str
    value: int

    def to_json(self) -> dict[str, Any]:
        return {"epoch": self.epoch, "value": self.value}

    @classmethod
    def from_json(cls, data: Any) -> Generation | None:
        """Read `to_json`'s output; None for anything else (an index older than the numbers)."""
        if not isinstance(data, dict):
            return None
        epoch, value = data.get("epoch"), data.get("value")
        if not isinstance(epoch, str) or not isinstance(value, int) or value < 0:
            return None
        return cls(epoch, value)


NOTHING_RECORDED = Generation("", 0)


def replay_range(have: Generation | None, want: Generation) -> range | None:
    """The change numbers an index at `have` lacks to reach `want`, or None: rebuild it.

    An index that reflects no recorded change yet (value 0, built from what the database
    held before its first recorded publication) takes every recorded change, whatever the
    epoch; otherwise the epochs must agree and the index may not be ahead of the database
    (a database restored from an older backup, an index written for another database).
    """
    if have is None:
        return None
    if have.value == 0:
        return range(1, want.value + 1)
    if have.epoch != want.epoch or have.value > want.value:
        return None
    return range(have.value + 1, want.value + 1)


def current() -> Generation:
    """The database's generation (one query); `NOTHING_RECORDED` before the first change."""
    row = CatalogGeneration.objects.filter(pk=SINGLETON).values_list("epoch", "value").first()
    if row is None:
        return NOTHING_RECORDED
    return Generation(row[0].hex, row[1])


def record_publication(
    sender: Any, openness_list: OpennessList, superseded: OpennessList | None, **_: Any
) -> None:
    """Signal receiver, inside the publishing transaction: number the change and record it.

    The row lock on the counter holds until the publication commits, so concurrent
    publications take their numbers, and commit, one after the other.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("a change is numbered inside the transaction that makes it")
    CatalogGeneration.objects.bulk_create([CatalogGeneration(pk=SINGLETON)], ignore_conflicts=True)
    counter = CatalogGeneration.objects.select_for_update().get(pk=SINGLETON)
    counter.value += 1
    counter.save(update_fields=["value"])
    CatalogChange.objects.create(
        generation=counter.value, published=openness_list, superseded=superseded
    )


def changes_between(numbers: range) -> tuple[dict[str, str], set[str]] | None:
    """The documents to upsert and the keys to remove to replay the changes `numbers`.

    Replaying is idempotent and needs no order: every resource lineage the changes touched
    is indexed as it is published now, or removed when no version of it is. None when
    a change is missing from the record (then only a rebuild is sure).
    """
    if not numbers:
        return {}, set()
    rows = list(
        CatalogChange.objects.filter(
            generation__gte=numbers.start, generation__lt=numbers.stop
        ).values_list("generation", "published_id", "superseded_id")
    )
    if sorted(row[0] for row in rows) != list(numbers):
        return None
    list_ids = {row[1] for row in rows} | {row[2] for row in rows if row[2] is not None}
    lineages = set(
        Resource.objects.filter(openness_list_id__in=list_ids).values_list("lineage", flat=True)
    )
    upserts = {
        documents.doc_id(resource): documents.document_text(resource)
        for resource in Resource.objects.filter(
            openness_list__state=ListState.PUBLISHED, lineage__in=lineages
        )
    }
    removals = {lineage.hex for lineage in lineages} - set(upserts)
    return upserts, removals
