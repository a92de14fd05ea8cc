"""Map a harvested record to the fields of our resource (pure: no database).

The result goes through `catalog.services.clean_resource_data`, the same rules as a
resource typed in by hand; this module only decides which source values to carry and
which defaults to assume, and notes each value it leaves out or changes, with its field.

Languages (decision 0013): each text keeps the language it was written in. Simplified
Chinese and English go to the `_zh` / `_en` columns, every other language to
`translations` under its BCP 47 tag; a text without a tag takes the language the record
(or its catalog) declares, and only when none is declared is a text without Chinese
characters taken as English, which the report says. Labels the harvest writes into a
text (the licence) are written in that text's language, whatever the caller's locale.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _

from synergy_hub.catalog.services import MAX_DESCRIPTION, MAX_KEYWORD_LENGTH, MAX_KEYWORDS
from synergy_hub.catalog.services import MAX_TITLE as SERVICE_MAX_TITLE
from synergy_hub.catalog.vocabulary import AccessMode, Pillar, ResourceType, Unit
from synergy_hub.languages import EN, ZH, column_of, language_label

from ..dcat_vocab import EU_LICENCE
from ..labels import CJK
from .records import Note, SourceRecord, Text

OPEN_LICENCE = EU_LICENCE["CC_BY_4_0"]
MAX_IDENTIFIER = 500
MAX_TITLE = SERVICE_MAX_TITLE

#: Defaults for records that do not say (a Synergy Hub source says all of these).
DEFAULT_PILLAR: dict[str, str] = {
    ResourceType.DATASET: Pillar.OPEN,
    ResourceType.API: Pillar.ECOSYSTEM,
}
DEFAULT_UNIT: dict[str, str] = {
    ResourceType.DATASET: Unit.DOWNLOAD,
    ResourceType.API: Unit.API_CALL,
}

#: Where licences that harvesters meet are defined: a licence IRI under one of these, or a
#: CKAN licence id below, is known; anything else is kept as text and reported.
KNOWN_LICENCE_PREFIXES = (
    "http://publications.europa.eu/resource/authority/licence/",
    "https://publications.europa.eu/resource/authority/licence/",
    "http://creativecommons.org/",
    "https://creativecommons.org/",
    "http://opendatacommons.org/licenses/",
    "https://opendatacommons.org/licenses/",
    "http://www.opendefinition.org/licenses/",
    "http://opendefinition.org/licenses/",
    "https://opendefinition.org/licenses/",
    "http://spdx.org/licenses/",
    "https://spdx.org/licenses/",
    "http://dcat-ap.de/def/licenses/",
    "https://dcat-ap.de/def/licenses/",
    "http://dcat-ap.ch/vocabulary/licenses/",
    "https://dcat-ap.ch/vocabulary/licenses/",
    "http://www.nationalarchives.gov.uk/doc/open-government-licence/",
    "https://www.nationalarchives.gov.uk/doc/open-government-licence/",
    "http://reference.data.gov.uk/id/open-government-licence",
    "http://www.usa.gov/publicdomain/",
    "https://www.usa.gov/publicdomain/",
    "https://www.usa.gov/government-works",
)
_CKAN_LICENCE_IDS = """cc-by cc-by-4.0 cc-by-sa cc-zero cc-nc odc-by odc-odbl odc-pddl gfdl
    other-open other-pd other-at other-nc other-closed uk-ogl notspecified publisher-terms"""
KNOWN_CKAN_LICENCES = frozenset(_CKAN_LICENCE_IDS.split())


@dataclass
class MappedRecord:
    """Our resource fields for one record, with notes; `skip` says why it is not imported.

    `assumptions` names how texts without a language tag were read (for the source's
    notes: one line for all the records that share it, rather than one per record).
    """

    identifier: str
    title: str
    data: dict[str, Any] = field(default_factory=dict)
    warnings: list[Note] = field(default_factory=list)
    skip: str = ""
    fail: str = ""
    assumptions: set[str] = field(default_factory=set)

    @property
    def checksum(self) -> str:
        """Fingerprint of the mapped fields: unchanged records are not rewritten."""
        canonical = json.dumps(self.data, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()

    @property
    def has_description(self) -> bool:
        data = self.data
        return bool(
            data.get("description_zh")
            or data.get("description_en")
            or any(t.get("description") for t in data.get("translations", {}).values())
        )


@dataclass
class Texts:
    """One text field of a record by language: the two columns and the other languages."""

    zh: str = ""
    en: str = ""
    others: dict[str, str] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.zh or self.en or self.others)


def usable(
    texts: list[Text], part: str, notes: list[Note], *, only_ones: bool = True
) -> list[Text]:
    """Texts whose language tag is not a tag are left out where the field has others (and
    keywords always, `only_ones=False`), else read as untagged; the report says which."""
    valid = [text for text in texts if not text.bad_tag]
    keep = not valid and only_ones
    for text in texts:
        if text.bad_tag:
            message = (
                _("Not a language tag: read as a text without one.")
                if keep
                else _("Not a language tag: this text was left out.")
            )
            notes.append(Note(part, message, f"{text.bad_tag}: {text.value}"[:80]))
    return [Text(text.value) for text in texts] if keep else valid


class Languages:
    """Which language a record's texts are in: their tag, else the declared language."""

    def __init__(self, declared: list[str]) -> None:
        self.declared = list(dict.fromkeys(declared))
        self.assumptions: set[str] = set()

    def of(self, text: Text) -> str:
        if text.language:
            return text.language
        if len(self.declared) == 1:
            return self.declared[0]
        if CJK.search(text.value) and not self.declared:
            return ZH
        if not self.declared:
            self.assumptions.add("none declared")
            return EN
        if any(column_of(tag) == EN for tag in self.declared):
            self.assumptions.add("several declared")
            return EN
        self.assumptions.add("several declared")
        return sorted(self.declared)[0]

    def split(
        self, texts: list[Text], part: str, notes: list[Note], limit: int, *, join: bool = False
    ) -> Texts:
        """The first text of each language (the plain tag before its variants), cut to
        `limit` characters; every other value is noted as left out, or with `join` (rights
        statements) added on a line of its own."""
        found = Texts()
        tagged = sorted(
            ((self.of(text), text.value) for text in usable(texts, part, notes)),
            key=lambda item: item[0] not in (ZH, EN),
        )
        if join:
            tagged = self._joined(tagged)
        for tag, value in tagged:
            column = column_of(tag)
            if column is not None and getattr(found, column):
                notes.append(
                    Note(part, _("A second text in this language was left out."), value[:80])
                )
                continue
            if column is None and tag in found.others:
                notes.append(
                    Note(
                        part,
                        _("A second text in %(language)s was left out.")
                        % {"language": language_label(tag)},
                        value[:80],
                    )
                )
                continue
            if len(value) > limit:
                notes.append(
                    Note(
                        part,
                        _("Cut to %(max)d characters (it had %(count)d).")
                        % {"max": limit, "count": len(value)},
                        value[:80],
                    )
                )
                value = value[:limit].rstrip()
            if column is not None:
                setattr(found, column, value)
            else:
                found.others[tag] = value
        return found

    @staticmethod
    def _joined(tagged: list[tuple[str, str]]) -> list[tuple[str, str]]:
        by_tag: dict[str, list[str]] = {}
        for tag, value in tagged:
            values = by_tag.setdefault(tag, [])
            if value not in values:
                values.append(value)
        return [(tag, "\n".join(values)) for tag, values in by_tag.items()]


def _keywords(
    languages: Languages, record: SourceRecord, notes: list[Note]
) -> dict[str, list[str]]:
    """Keywords per language: `zh`/`en` share the `keywords` column, the others their own."""
    by_language: dict[str, list[str]] = {}
    long: list[str] = []
    for keyword in usable(record.keywords, "keywords", notes, only_ones=False):
        value = keyword.value.strip()
        if not value:
            continue
        if len(value) > MAX_KEYWORD_LENGTH:
            long.append(value)
            continue
        tag = languages.of(keyword)
        key = column_of(tag) or tag
        bucket = by_language.setdefault(EN if key == ZH else key, [])
        if value not in bucket:
            bucket.append(value)
    for value in long:
        notes.append(
            Note(
                "keywords",
                _("Longer than %(max)d characters: left out.") % {"max": MAX_KEYWORD_LENGTH},
                value[:80],
            )
        )
    for key, values in by_language.items():
        if len(values) > MAX_KEYWORDS:
            notes.append(
                Note(
                    "keywords",
                    _("Only the first %(max)d keywords were kept; %(count)d left out.")
                    % {"max": MAX_KEYWORDS, "count": len(values) - MAX_KEYWORDS},
                    ", ".join(values[MAX_KEYWORDS:])[:80],
                )
            )
            by_language[key] = values[:MAX_KEYWORDS]
    return by_language


def _email(value: str, notes: list[Note]) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        notes.append(Note("contact_email", _("Not a valid e-mail address: left out."), value[:80]))
        return ""
    return value


def licence_known(licence: str) -> bool:
    return licence.startswith(KNOWN_LICENCE_PREFIXES) or licence.lower() in KNOWN_CKAN_LICENCES


def _licence_label(licence: str, language: str) -> str:
    """ "Licence: …" in a fixed language: the text it goes into, not the caller's locale."""
    with translation.override(language):
        return _("Licence: %(licence)s") % {"licence": licence}


def _terms(languages: Languages, record: SourceRecord, notes: list[Note]) -> Texts:
    terms = languages.split(
        record.licence_terms or record.rights, "usage_terms", notes, MAX_DESCRIPTION, join=True
    )
    licence = record.licence
    # CC BY is what our own export states for open data without terms: nothing to add.
    if licence and not record.licence_terms and licence != str(OPEN_LICENCE):
        if not licence_known(licence):
            notes.append(
                Note(
                    "licence",
                    _("Unknown licence: kept as text in the usage terms, not as a licence."),
                    licence[:80],
                )
            )
        terms.en = "\n".join(filter(None, [terms.en, _licence_label(licence, "en")]))
        if terms.zh:
            terms.zh = "\n".join([terms.zh, _licence_label(licence, "zh-hans")])
    return terms


def _access_mode(record: SourceRecord, notes: list[Note]) -> tuple[str, str]:
    """Our access mode, or a skip reason for records that are not opened to others.

    Non-public health data (HealthDCAT-AP) is opened to others through a data permit, so
    it is imported with restricted access (on request) and the report says so.
    """
    stated = str(record.shub.get("access_mode") or "")
    if stated in AccessMode.values:
        return stated, ""
    if record.access_level == "non-public" and record.health_data:
        notes.append(
            Note(
                "access_mode",
                _(
                    "Not public at the source (HealthDCAT-AP): imported with restricted "
                    "access, on request."
                ),
                "NON_PUBLIC",
            )
        )
        return AccessMode.ON_REQUEST, ""
    if record.access_level == "non-public":
        return "", _("Not public: only resources opened to others belong on an openness list.")
    if record.access_level == "restricted":
        return AccessMode.ON_REQUEST, ""
    return AccessMode.OPEN, ""


def _translations(
    titles: Texts, descriptions: Texts, terms: Texts, keywords: dict[str, list[str]]
) -> dict[str, dict[str, Any]]:
    """The texts in languages other than Chinese and English, by tag (in tag order)."""
    tags = set(titles.others) | set(descriptions.others) | set(terms.others)
    tags |= {tag for tag in keywords if tag not in (ZH, EN)}
    found: dict[str, dict[str, Any]] = {}
    for tag in sorted(tags):
        parts: dict[str, Any] = {
            "title": titles.others.get(tag, ""),
            "description": descriptions.others.get(tag, ""),
            "keywords": keywords.get(tag, []),
            "usage_terms": terms.others.get(tag, ""),
        }
        found[tag] = {name: value for name, value in parts.items() if value}
    return found


def _publisher_name(languages: Languages, record: SourceRecord) -> str:
    """The publisher's name for the contact: Chinese or English where the source has them."""
    names = languages.split(record.publisher_names, "contact_name", [], 120)
    return names.zh or names.en or record.publisher_name[:120]


def map_record(record: SourceRecord) -> MappedRecord:
    """Our resource fields for a harvested record (validated afterwards by the services)."""
    notes: list[Note] = list(record.notes)
    mapped = MappedRecord(
        identifier=record.identifier.strip(), title=record.label(), warnings=notes
    )
    if not mapped.identifier:
        mapped.fail = _(
            "The record has no identifier (dct:identifier, identifier or IRI), so it "
            "could not be harvested again."
        )
        return mapped
    if len(mapped.identifier) > MAX_IDENTIFIER:
        mapped.fail = _("The record's identifier is longer than %(max)d characters.") % {
            "max": MAX_IDENTIFIER
        }
        return mapped
    access_mode, skip = _access_mode(record, notes)
    if skip:
        mapped.skip = skip
        return mapped
    languages = Languages(record.languages)
    titles = languages.split(record.titles, "title", notes, MAX_TITLE)
    if not titles:
        mapped.fail = _("The record has no title in any language.")
        return mapped
    default_type = ResourceType.API if record.kind == "service" else ResourceType.DATASET
    resource_type = str(record.shub.get("resource_type") or default_type)
    if resource_type not in ResourceType.values:
        resource_type = default_type
    descriptions = languages.split(record.descriptions, "description", notes, MAX_DESCRIPTION)
    if not descriptions:
        notes.append(
            Note(
                "description",
                _("The record has no description: add one before the list is submitted."),
            )
        )
    terms = _terms(languages, record, notes)
    keywords = _keywords(languages, record, notes)
    if record.has_foreign_spatial:
        notes.append(
            Note(
                "regions",
                _("Spatial coverage outside GB/T 2260 regions: not kept."),
                record.foreign_spatial[:80],
            )
        )
    shub = record.shub
    mapped.data = {
        "resource_type": resource_type,
        "pillar": shub.get("pillar") or DEFAULT_PILLAR.get(resource_type, Pillar.INNOVATION),
        "access_mode": access_mode,
        "unit": shub.get("unit") or DEFAULT_UNIT.get(resource_type, Unit.SERVICE_CASE),
        "title_zh": titles.zh,
        "title_en": titles.en,
        "description_zh": descriptions.zh,
        "description_en": descriptions.en,
        "keywords": keywords.get(EN, []),
        "translations": _translations(titles, descriptions, terms, keywords),
        "usage_terms_zh": terms.zh,
        "usage_terms_en": terms.en,
        "contact_name": record.contact_name[:120] or _publisher_name(languages, record),
        "contact_email": _email(record.contact_email, notes),
        "contact_phone": record.contact_phone[:40],
        "price": shub.get("price") if access_mode == AccessMode.PAID else None,
        "sme_discount_percent": shub.get("sme_discount_percent") or 0,
        "capacity": shub.get("capacity"),
        "capacity_period": shub.get("capacity_period") or "",
        "regions": shub.get("regions") or [],
        "industries": shub.get("industries") or [],
        "eligible_size_classes": shub.get("eligible_size_classes") or [],
        "eligible_tiers": shub.get("eligible_tiers") or [],
    }
    mapped.assumptions = languages.assumptions
    return mapped
