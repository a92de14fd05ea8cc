"""Decide what a harvest would do, without writing: the plan a dry run reports.

Each record is mapped and validated by catalog's own rules (`clean_resource_data`), then
compared with what this source gave the publisher before: a record seen for the first
time is added, a changed one updated, an identical one left alone, and a record
harvested before from this same source (never another one) that is gone from it is
removed from the list.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from synergy_hub.accounts.models import Organisation, User
from synergy_hub.catalog.models import Batch, OpennessList, Resource
from synergy_hub.catalog.models_interop import HarvestRecord
from synergy_hub.catalog.services import CleanResource, clean_resource_data
from synergy_hub.validation import FieldErrors, error_list

from . import lists
from .fetch import FetchedSource
from .mapping import MappedRecord, map_record
from .records import ParsedCatalog
from .registry import KnownSource, find_source
from .report import HarvestReport, Outcome, RecordReport

#: How texts without a language tag were read, for the report (see `mapping.Languages`).
_ASSUMPTIONS = {
    "none declared": gettext_lazy(
        "%(count)d record(s) have texts without a language tag and declare no language: "
        "those texts were taken as English (or Chinese, when written in Chinese characters)."
    ),
    "several declared": gettext_lazy(
        "%(count)d record(s) have texts without a language tag and declare several "
        "languages: those texts were taken as English where English is declared, else as "
        "the first declared language."
    ),
}


@dataclass(frozen=True)
class HarvestJob:
    """Who harvests which source, read and parsed, into which publisher's list."""

    actor: User
    publisher: Organisation
    batch: Batch  # where a new list goes
    source: FetchedSource
    parsed: ParsedCatalog


@dataclass
class ValidRecord:
    """A record that passed validation: its report entry, mapping and clean values."""

    report: RecordReport
    mapped: MappedRecord
    clean: CleanResource


@dataclass
class CheckedRecords:
    """The source's records after validation; `present` also counts those that failed it."""

    valid: list[ValidRecord] = field(default_factory=list)
    failed: list[RecordReport] = field(default_factory=list)  # failed or skipped
    present: set[str] = field(default_factory=set)  # identifiers whose resources stay


@dataclass
class PlannedRecord:
    """A valid record with the outcome decided for it and what it was harvested as before."""

    item: ValidRecord
    earlier: HarvestRecord | None

    @property
    def outcome(self) -> Outcome:
        return self.item.report.outcome

    @property
    def lineage(self) -> uuid.UUID | None:
        """The resource lineage this source identifier was given before, if any."""
        return self.earlier.lineage if self.earlier is not None else None


@dataclass
class Removal:
    """A record harvested before and gone from the source: its resource leaves the list."""

    earlier: HarvestRecord
    report: RecordReport


@dataclass
class HarvestPlan:
    """Everything a harvest would write, decided before anything is written."""

    known: KnownSource  # the source, if this owner harvested it before
    previous: OpennessList | None  # the latest version of the list this source went to
    on_previous: dict[uuid.UUID, Resource]  # its resources, by lineage
    records: list[PlannedRecord] = field(default_factory=list)  # in source order
    remove: list[Removal] = field(default_factory=list)
    failed: list[RecordReport] = field(default_factory=list)

    def _with(self, outcome: Outcome) -> list[PlannedRecord]:
        return [planned for planned in self.records if planned.outcome == outcome]

    @property
    def add(self) -> list[PlannedRecord]:
        return self._with(Outcome.IMPORTED)

    @property
    def update(self) -> list[PlannedRecord]:
        return self._with(Outcome.UPDATED)

    @property
    def unchanged(self) -> list[PlannedRecord]:
        return self._with(Outcome.UNCHANGED)

    @property
    def changes(self) -> bool:
        """Whether the list changes at all (otherwise no list is created or versioned)."""
        return bool(self.remove) or any(
            planned.outcome in (Outcome.IMPORTED, Outcome.UPDATED) for planned in self.records
        )

    @property
    def creates_list(self) -> bool:
        return self.changes and self.previous is None

    def describe(self, report: HarvestReport) -> None:
        """Tell the report which list a dry run would write into."""
        report.list_created = self.creates_list
        if self.previous is not None:
            report.list_id, report.list_version = self.previous.pk, self.previous.version


_ADOPTED = gettext_lazy(
    "This source was known by its file name only (harvested before sources had a "
    "location); it is now known by its path."
)


def check_records(parsed: ParsedCatalog, report: HarvestReport) -> CheckedRecords:
    """Map and validate every record, giving each its entry in the report."""
    checked = CheckedRecords()
    assumed: dict[str, int] = {}
    for problem in parsed.problems:
        entry = RecordReport(
            problem.index, problem.identifier, problem.title, Outcome.FAILED, problem.reason
        )
        report.records.append(entry)
        checked.failed.append(entry)
    for index, source_record in enumerate(parsed.records):
        mapped = map_record(source_record)
        for assumption in mapped.assumptions:
            assumed[assumption] = assumed.get(assumption, 0) + 1
        entry = RecordReport(
            index, mapped.identifier, mapped.title, Outcome.FAILED, warnings=mapped.warnings
        )
        report.records.append(entry)
        valid = _check_record(mapped, entry, checked.present)
        if valid is None:
            checked.failed.append(entry)
        else:
            checked.valid.append(valid)
    for assumption, count in sorted(assumed.items()):
        report.notes.append(str(_ASSUMPTIONS[assumption]) % {"count": count})
    return checked


def _check_record(
    mapped: MappedRecord, entry: RecordReport, present: set[str]
) -> ValidRecord | None:
    """One record's validation; a record that fails it still keeps its earlier resource."""
    if mapped.fail:
        entry.reason = mapped.fail
        return None
    if mapped.identifier in present:
        entry.outcome = Outcome.SKIPPED
        entry.reason = _("Duplicate identifier: an earlier record of this source has it.")
        return None
    if mapped.skip:
        entry.outcome, entry.reason = Outcome.SKIPPED, mapped.skip
        return None
    present.add(mapped.identifier)
    errors = FieldErrors()
    # A record without a description is imported (noted); the list waits for one.
    clean = clean_resource_data(mapped.data, errors, description_required=False)
    if errors.errors:
        entry.reason = "; ".join(
            f"{item['field']}: {item['message']}"
            for item in error_list(ValidationError(errors.errors))
        )
        return None
    return ValidRecord(entry, mapped, clean)


def make_plan(job: HarvestJob, checked: CheckedRecords, report: HarvestReport) -> HarvestPlan:
    """Compare the checked records with this source's earlier harvests into the publisher.

    Raises `lists.HarvestRefused` when the list cannot take the changes (it is under
    review, or a new list would go into a closed batch).
    """
    source = find_source(job.publisher, job.source)
    earlier_records = (
        HarvestRecord.objects.filter(harvest_source=source.source) if source.source else []
    )
    known = {r.source_id: r for r in earlier_records}
    previous = lists.previous_list(source.source)
    plan = HarvestPlan(
        source, previous, lists.resources_by_lineage(previous), failed=checked.failed
    )
    if source.source is not None:
        report.source_id = source.source.pk
    if source.adopt:
        report.notes.append(str(_ADOPTED))
    for item in checked.valid:
        plan.records.append(_classify(item, known.get(item.mapped.identifier), plan.on_previous))
    for source_id, earlier in known.items():
        if source_id in checked.present or earlier.lineage not in plan.on_previous:
            continue
        leaving = plan.on_previous[earlier.lineage]
        entry = RecordReport(
            len(report.records),
            earlier.source_id,
            leaving.title[:120],
            Outcome.REMOVED,
            _("No longer in the source (or no longer public)."),
            resource_id=leaving.pk,
        )
        report.records.append(entry)
        plan.remove.append(Removal(earlier, entry))
    if plan.creates_list:
        lists.require_open(job.batch)
    return plan


def _classify(
    item: ValidRecord, earlier: HarvestRecord | None, on_previous: dict[uuid.UUID, Resource]
) -> PlannedRecord:
    """Imported, updated or unchanged, by the identifier's earlier lineage and checksum."""
    resource = on_previous.get(earlier.lineage) if earlier is not None else None
    if resource is None:
        item.report.outcome = Outcome.IMPORTED
    elif earlier is not None and earlier.checksum == item.mapped.checksum:
        item.report.outcome = Outcome.UNCHANGED
        item.report.resource_id = resource.pk
    else:
        item.report.outcome = Outcome.UPDATED
        item.report.resource_id = resource.pk
    return PlannedRecord(item, earlier)
