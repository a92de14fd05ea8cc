"""Map a harvested record to the fields of our resource (pure: no database).

The result goes through `catalog.services.clean_resource_data`, the same rules as a
resource typed in by hand; this module only decides which source values to carry and
which defaults to assume, and notes each such decision as a warning for the report.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from synergy_hub.catalog.vocabulary import AccessMode, Pillar, ResourceType, Unit

from ..dcat_vocab import EU_LICENCE
from ..labels import CJK
from .records import SourceRecord, Text

OPEN_LICENCE = EU_LICENCE["CC_BY_4_0"]
MAX_KEYWORDS = 20
MAX_KEYWORD_LENGTH = 40
MAX_IDENTIFIER = 500

#: Defaults for records that do not say (a Synergy Hub source says all of these).
DEFAULT_PILLAR: dict[str, str] = {
    ResourceType.DATASET: Pillar.OPEN,
    ResourceType.API: Pillar.ECOSYSTEM,
}
DEFAULT_UNIT: dict[str, str] = {
    ResourceType.DATASET: Unit.DOWNLOAD,
    ResourceType.API: Unit.API_CALL,
}


@dataclass
class MappedRecord:
    """Our resource fields for one record, with notes; `skip` says why it is not imported."""

    identifier: str
    title: str
    data: dict[str, Any] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    skip: str = ""
    fail: str = ""

    @property
    def checksum(self) -> str:
        """Fingerprint of the mapped fields: unchanged records are not rewritten."""
        canonical = json.dumps(self.data, sort_keys=True, default=str, ensure_ascii=False)
        return hashlib.sha256(canonical.encode()).hexdigest()


def _language(text: Text) -> str:
    tag = text.language.split("-")[0]
    if tag in ("zh", "en"):
        return tag
    if not tag:
        return "zh" if CJK.search(text.value) else "en"
    return tag


def split_languages(texts: list[Text], warnings: list[str], what: str) -> tuple[str, str]:
    """Chinese and English text; another language stands in for English, with a note."""
    by_language: dict[str, str] = {}
    for text in texts:
        by_language.setdefault(_language(text), text.value)
    zh, en = by_language.get("zh", ""), by_language.get("en", "")
    others = [lang for lang in by_language if lang not in ("zh", "en")]
    if not en and others:
        en = by_language[others[0]]
        warnings.append(
            _("The %(what)s in “%(lang)s” was kept as the English %(what)s.")
            % {"what": what, "lang": others[0]}
        )
    return zh, en


def _keywords(record: SourceRecord, warnings: list[str]) -> list[str]:
    values = list(dict.fromkeys(k.value.strip() for k in record.keywords if k.value.strip()))
    kept = [k for k in values if len(k) <= MAX_KEYWORD_LENGTH]
    if len(kept) < len(values):
        warnings.append(
            _("%(count)d keyword(s) longer than %(max)d characters were left out.")
            % {"count": len(values) - len(kept), "max": MAX_KEYWORD_LENGTH}
        )
    if len(kept) > MAX_KEYWORDS:
        warnings.append(_("Only the first %(max)d keywords were kept.") % {"max": MAX_KEYWORDS})
    return kept[:MAX_KEYWORDS]


def _email(value: str, warnings: list[str]) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        validate_email(value)
    except ValidationError:
        warnings.append(
            _("The contact e-mail “%(value)s” is not valid and was left out.")
            % {"value": value[:60]}
        )
        return ""
    return value


def _terms(record: SourceRecord) -> tuple[str, str]:
    zh, en = split_languages(record.licence_terms or record.rights, [], "terms")
    # CC BY is what our own export states for open data without terms: nothing to add.
    if record.licence and not record.licence_terms and record.licence != str(OPEN_LICENCE):
        en = (en + "\n" if en else "") + _("Licence: %(licence)s") % {"licence": record.licence}
    return zh, en


def _access_mode(record: SourceRecord) -> tuple[str, str]:
    """Our access mode, or a skip reason for records that are not opened to others."""
    stated = str(record.shub.get("access_mode") or "")
    if stated in AccessMode.values:
        return stated, ""
    if record.access_level == "non-public":
        return "", _("Not public: only resources opened to others belong on an openness list.")
    if record.access_level == "restricted":
        return AccessMode.ON_REQUEST, ""
    return AccessMode.OPEN, ""


def map_record(record: SourceRecord) -> MappedRecord:
    """Our resource fields for a harvested record (validated afterwards by the services)."""
    warnings: list[str] = []
    mapped = MappedRecord(
        identifier=record.identifier.strip(), title=record.label(), warnings=warnings
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
    access_mode, skip = _access_mode(record)
    if skip:
        mapped.skip = skip
        return mapped
    default_type = ResourceType.API if record.kind == "service" else ResourceType.DATASET
    resource_type = str(record.shub.get("resource_type") or default_type)
    if resource_type not in ResourceType.values:
        resource_type = default_type
    title_zh, title_en = split_languages(record.titles, warnings, _("title"))
    description_zh, description_en = split_languages(
        record.descriptions, warnings, _("description")
    )
    terms_zh, terms_en = _terms(record)
    if record.has_foreign_spatial:
        warnings.append(_("Spatial coverage outside GB/T 2260 regions was not kept."))
    shub = record.shub
    mapped.data = {
        "resource_type": resource_type,
        "pillar": shub.get("pillar") or DEFAULT_PILLAR.get(resource_type, Pillar.INNOVATION),
        "access_mode": access_mode,
        "unit": shub.get("unit") or DEFAULT_UNIT.get(resource_type, Unit.SERVICE_CASE),
        "title_zh": title_zh,
        "title_en": title_en,
        "description_zh": description_zh,
        "description_en": description_en,
        "keywords": _keywords(record, warnings),
        "usage_terms_zh": terms_zh,
        "usage_terms_en": terms_en,
        "contact_name": record.contact_name[:120] or record.publisher_name[:120],
        "contact_email": _email(record.contact_email, warnings),
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
    return mapped
