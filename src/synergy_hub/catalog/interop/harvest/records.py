"""One harvested record as read from any source format, before it becomes our resource.

Parsers for DCAT RDF, DCAT-US data.json and CKAN JSON all produce these plain values,
so the mapping to our fields is written once.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Text:
    """A literal with its language tag: normalised BCP 47, or "" when untagged.

    `bad_tag` is a tag as written that is not a language tag (the text is then untagged).
    """

    value: str
    language: str = ""
    bad_tag: str = ""


@dataclass(frozen=True)
class Note:
    """A value of a record that could not be used as it was: which field, what, and why."""

    field: str
    message: str
    value: str = ""


@dataclass
class SourceRecord:
    """What a source says about one dataset or service, in source terms."""

    identifier: str = ""
    kind: str = "dataset"  # "dataset" or "service"
    titles: list[Text] = field(default_factory=list)
    descriptions: list[Text] = field(default_factory=list)
    keywords: list[Text] = field(default_factory=list)
    landing_page: str = ""
    access_level: str = ""  # "public", "restricted", "non-public" or ""
    #: A HealthDCAT-AP record: its data, even non-public, is reached by a data permit
    #: from a health data access body, so it is offered on request rather than left out.
    health_data: bool = False
    licence: str = ""
    licence_terms: list[Text] = field(default_factory=list)
    rights: list[Text] = field(default_factory=list)
    publisher_name: str = ""
    #: The publisher's name in every language the source gives it (`foaf:name`).
    publisher_names: list[Text] = field(default_factory=list)
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    has_foreign_spatial: bool = False
    foreign_spatial: str = ""  # the first such value, for the report
    access_urls: list[str] = field(default_factory=list)
    modified: str = ""
    #: The languages the record (or else its catalog) declares, as tags, in source order.
    languages: list[str] = field(default_factory=list)
    #: Values the parser could not use (malformed dates, bad language tags, …).
    notes: list[Note] = field(default_factory=list)
    #: Our own terms when the source is a Synergy Hub export (resource_type, pillar, …).
    shub: dict[str, object] = field(default_factory=dict)

    def label(self) -> str:
        """A short name for the report: the first title, else the identifier."""
        return self.titles[0].value[:120] if self.titles else self.identifier[:120]


@dataclass(frozen=True)
class RecordProblem:
    """A record the parser could not read as a record at all, with the reason."""

    index: int
    identifier: str
    title: str
    reason: str


@dataclass
class ParsedCatalog:
    """Records found in a source, its format and title, and records that could not be read.

    `profiles` names the application profiles recognised (`dcat-ap-3`, `dcat-ap-ch`, …);
    `ignored` counts, per property of an extension, the records whose value for it was
    not read; `notes` are the source's own messages (e.g. what the RDF parser said).
    """

    format: str
    title: list[Text] = field(default_factory=list)
    records: list[SourceRecord] = field(default_factory=list)
    problems: list[RecordProblem] = field(default_factory=list)
    profiles: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)  # declared for the whole catalog
    ignored: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
