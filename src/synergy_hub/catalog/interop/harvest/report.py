"""The harvest report: one outcome per record, counts, and the source-level result."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

from .records import Note


class Outcome(StrEnum):
    IMPORTED = "imported"  # a new resource on the draft
    UPDATED = "updated"  # an earlier harvested resource, changed
    UNCHANGED = "unchanged"  # an earlier harvested resource, same as before (not rewritten)
    SKIPPED = "skipped"  # deliberately not imported (reason given)
    FAILED = "failed"  # could not be imported (reason given)
    REMOVED = "removed"  # harvested before, gone from the source, removed from the draft


@dataclass
class RecordReport:
    """What happened to one record of the source, with each value it could not use."""

    index: int
    identifier: str
    title: str
    outcome: Outcome
    reason: str = ""
    warnings: list[Note] = field(default_factory=list)
    resource_id: int | None = None


@dataclass
class HarvestReport:
    """The result of one harvest (or dry run) of one source into one publisher's list."""

    source: str
    publisher_id: int
    dry_run: bool = False
    format: str = ""
    #: The source's canonical identity (URL, or the file's resolved `file://` URI) and row.
    source_location: str = ""
    source_id: int | None = None
    profiles: list[str] = field(default_factory=list)
    #: Properties of extensions that were not read, with the number of records using each.
    ignored: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    status: str = "completed"  # or "failed"
    error: str = ""
    list_id: int | None = None
    list_version: int | None = None
    list_created: bool = False
    run_id: int | None = None
    records: list[RecordReport] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        counts = {outcome.value: 0 for outcome in Outcome}
        for record in self.records:
            counts[record.outcome.value] += 1
        return counts

    @property
    def warning_count(self) -> int:
        """The values left out or changed across all records (each a report line)."""
        return sum(len(record.warnings) for record in self.records)

    @property
    def ok(self) -> bool:
        return self.status == "completed"

    def fail(self, reason: str) -> HarvestReport:
        """Mark the whole source failed; per-record outcomes of a rolled-back write are void."""
        self.status = "failed"
        self.error = reason
        return self

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["counts"] = self.counts
        data["warning_count"] = self.warning_count
        return data
