"""Read records from JSON catalogs: DCAT-US `data.json` (and DCAT-JSON) and CKAN packages.

CKAN input is a `package_search`/`package_show` response, a list of packages or one
package; packages exported by a Synergy Hub keep our fields in `extras`. Multilingual
packages are read as ckanext-fluent writes them (`title_translated`, `notes_translated`,
`tags_translated`: objects keyed by language) and as opendata.swiss (DCAT-AP-CH on CKAN)
serves them (`title`, `description` and `keywords` themselves keyed by language).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext as _

from synergy_hub.languages import LanguageTagError, normalise_tag, tag_from_code

from .records import Note, ParsedCatalog, RecordProblem, SourceRecord, Text

_ACCESS_LEVELS = {"public": "public", "restricted public": "restricted", "non-public": "non-public"}
_OUR_EXTRAS = (
    "resource_type",
    "pillar",
    "access_mode",
    "price",
    "sme_discount_percent",
    "unit",
    "capacity",
    "capacity_period",
)
_OUR_LIST_EXTRAS = ("regions", "industries", "eligible_size_classes", "eligible_tiers")


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _languages(value: Any) -> list[str]:
    """Declared languages (`language`: a code or a list of codes) as tags."""
    codes = value if isinstance(value, list) else [value]
    tags = [tag_from_code(code) for code in codes if isinstance(code, str) and code.strip()]
    return list(dict.fromkeys(tag for tag in tags if tag))


def _tagged(value: str, key: Any) -> Text:
    """A text under a key that should be a language tag (kept as written when it is not)."""
    try:
        return Text(value, normalise_tag(str(key)))
    except LanguageTagError:
        return Text(value, bad_tag=str(key)[:40])


def _texts(value: Any) -> list[Text]:
    """Texts from a string, or from an object keyed by language as ckanext-fluent writes."""
    if isinstance(value, dict):
        return [_tagged(_str(v), k) for k, v in value.items() if _str(v)]
    text = value.strip() if isinstance(value, str) else str(value) if value is not None else ""
    return [Text(text)] if text else []


def _multilingual(package: dict[str, Any], names: tuple[str, ...]) -> list[Text]:
    """The first of several fields that holds an object keyed by language, else the first
    that holds a plain text."""
    for name in names:
        if isinstance(package.get(name), dict):
            found = _texts(package[name])
            if found:
                return found
    for name in names:
        found = _texts(package.get(name)) if isinstance(package.get(name), str) else []
        if found:
            return found
    return []


def _keywords(package: dict[str, Any]) -> list[Text]:
    """Keywords per language (`tags_translated`, opendata.swiss `keywords`), else the tags."""
    for name in ("tags_translated", "keywords"):
        value = package.get(name)
        if isinstance(value, dict):
            found = [
                _tagged(_str(word), key)
                for key, words in value.items()
                if isinstance(words, list)
                for word in words
                if _str(word)
            ]
            if found:
                return found
    tags: list[Any] = package["tags"] if isinstance(package.get("tags"), list) else []
    return [Text(_named(tag)) for tag in tags if _named(tag)]


_YEAR_MONTH = re.compile(r"^\d{4}(-\d{2})?$")


def _valid_date(value: str) -> bool:
    """ISO 8601 as catalogs write it: a year, year-month, date or date-time; an interval
    (`start/end`) or a repeating one (`R/P1Y`) when each end is one of those or a duration."""
    if value.startswith("R/") or value.startswith("P"):
        return True
    if "/" in value:
        return all(part.startswith("P") or _valid_date(part) for part in value.split("/", 1))
    if _YEAR_MONTH.match(value):
        return 1 <= int(value[5:7] or "1") <= 12
    try:
        if len(value) == 10:
            date.fromisoformat(value)
        else:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def _dates(item: dict[str, Any], names: tuple[str, ...], notes: list[Note]) -> None:
    for name in names:
        value = item.get(name)
        if isinstance(value, str) and value.strip() and not _valid_date(value.strip()):
            notes.append(Note(name, _("Not a valid ISO 8601 date: not used."), value[:80]))


def _named(value: Any) -> str:
    return _str(value.get("name") or value.get("title")) if isinstance(value, dict) else _str(value)


def _dcat_json_record(dataset: dict[str, Any]) -> SourceRecord:
    notes: list[Note] = []
    contact = dataset.get("contactPoint") if isinstance(dataset.get("contactPoint"), dict) else {}
    publisher = dataset.get("publisher")
    record = SourceRecord(
        identifier=_str(dataset.get("identifier")) or _str(dataset.get("@id")),
        kind="dataset",
        titles=_texts(dataset.get("title")),
        descriptions=_texts(dataset.get("description")),
        keywords=[Text(_str(k)) for k in dataset.get("keyword") or [] if _str(k)]
        if isinstance(dataset.get("keyword"), list)
        else [],
        languages=_languages(dataset.get("language")),
        notes=notes,
        landing_page=_str(dataset.get("landingPage")),
        access_level=_ACCESS_LEVELS.get(_str(dataset.get("accessLevel")).lower(), ""),
        licence=_str(dataset.get("license")),
        rights=_texts(dataset.get("rights")),
        publisher_name=_named(publisher),
        contact_name=_str(contact.get("fn")) if isinstance(contact, dict) else "",
        contact_email=_str(contact.get("hasEmail")).removeprefix("mailto:")
        if isinstance(contact, dict)
        else "",
        has_foreign_spatial=bool(dataset.get("spatial")),
        foreign_spatial=str(dataset.get("spatial") or "")[:80],
        modified=_str(dataset.get("modified")),
    )
    if not record.contact_email and isinstance(publisher, dict):
        record.contact_email = _str(publisher.get("mbox")).removeprefix("mailto:")
    _dates(dataset, ("modified", "issued", "temporal"), notes)
    for distribution in dataset.get("distribution") or []:
        if isinstance(distribution, dict):
            for key in ("accessURL", "downloadURL"):
                if _str(distribution.get(key)):
                    record.access_urls.append(_str(distribution.get(key)))
    return record


def _extras(package: dict[str, Any]) -> dict[str, str]:
    extras = package.get("extras")
    if not isinstance(extras, list):
        return {}
    return {
        _str(item.get("key")): _str(item.get("value"))
        for item in extras
        if isinstance(item, dict) and _str(item.get("key"))
    }


def _contact(package: dict[str, Any]) -> dict[str, Any]:
    """ckanext-dcat's `contact`, opendata.swiss's `contact_points` (lists); the first."""
    contacts = package.get("contact") or package.get("contact_points")
    first = contacts[0] if isinstance(contacts, list) and contacts else contacts
    return first if isinstance(first, dict) else {}


#: Fields of ckanext-dcat's HealthDCAT-AP schema that mark a package as health data.
_HEALTH_FIELDS = ("hdab", "health_category", "health_theme", "population_coverage")


def _access_rights(value: str) -> str:
    """ckanext-dcat's `access_rights` (an EU access-right IRI or a label) as an access level."""
    code = value.rstrip("/").rsplit("/", 1)[-1].upper().replace("-", "_")
    if "NON_PUBLIC" in code:
        return "non-public"
    if "RESTRICTED" in code:
        return "restricted"
    return "public" if "PUBLIC" in code else ""


def _ckan_record(package: dict[str, Any]) -> SourceRecord:
    notes: list[Note] = []
    extras = _extras(package)
    organisation = package.get("organization")
    contact = _contact(package)
    record = SourceRecord(
        identifier=_str(package.get("id")) or _str(package.get("name")),
        kind="dataset",
        titles=_multilingual(package, ("title_translated", "title")),
        descriptions=_multilingual(package, ("notes_translated", "description", "notes")),
        keywords=_keywords(package),
        languages=_languages(package.get("language")),
        notes=notes,
        landing_page=_str(package.get("url")),
        access_level="non-public"
        if package.get("private") is True
        else _access_rights(_str(package.get("access_rights"))),
        health_data=any(package.get(key) for key in _HEALTH_FIELDS),
        licence=_str(package.get("license_url")) or _str(package.get("license_id")),
        publisher_name=_named(organisation) if organisation else _str(package.get("author")),
        publisher_names=_multilingual(organisation, ("title_translated", "title"))
        if isinstance(organisation, dict)
        else [],
        contact_name=_str(package.get("maintainer"))
        or _str(contact.get("name"))
        or _str(package.get("author")),
        contact_email=_str(package.get("maintainer_email"))
        or _str(contact.get("email"))
        or _str(package.get("author_email")),
        contact_phone=extras.get("contact_phone", ""),
        modified=_str(package.get("metadata_modified")),
    )
    terms = [
        Text(extras[f"usage_terms_{lang}"], lang)
        for lang in ("zh", "en")
        if extras.get(f"usage_terms_{lang}")
    ]
    record.licence_terms = terms
    _dates(package, ("issued", "modified"), notes)
    for name in _OUR_EXTRAS:
        if extras.get(name):
            record.shub[name] = extras[name]
    for name in _OUR_LIST_EXTRAS:
        if extras.get(name):
            record.shub[name] = [c for c in extras[name].split(",") if c]
    for resource in package.get("resources") or []:
        if isinstance(resource, dict) and _str(resource.get("url")):
            record.access_urls.append(_str(resource.get("url")))
    return record


def is_ckan_package(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and ("notes" in value or "resources" in value)
        and ("name" in value or "id" in value)
    )


def _collect(items: list[Any], reader: Any, parsed: ParsedCatalog) -> None:
    for index, item in enumerate(items):
        if not isinstance(item, dict) or not item:
            parsed.problems.append(RecordProblem(index, "", "", "empty or malformed record"))
            continue
        try:
            parsed.records.append(reader(item))
        except (TypeError, ValueError, AttributeError) as exc:
            title = _str(item.get("title"))[:120]
            parsed.problems.append(
                RecordProblem(index, _str(item.get("identifier")), title, str(exc)[:200])
            )


def records_from_dcat_json(document: dict[str, Any], format_name: str) -> ParsedCatalog:
    """A data.json (DCAT-US) or DCAT-JSON catalog: `{"dataset": [...]}`."""
    parsed = ParsedCatalog(
        format=format_name,
        title=_texts(document.get("title")),
        profiles=[format_name],
        languages=_languages(document.get("language")),
    )
    _collect(list(document.get("dataset") or []), _dcat_json_record, parsed)
    return parsed


def records_from_dcat_json_datasets(items: list[Any]) -> ParsedCatalog:
    """A bare list of DCAT-JSON datasets (or one)."""
    parsed = ParsedCatalog(format="dcat-json", profiles=["dcat-json"])
    _collect(items, _dcat_json_record, parsed)
    return parsed


def _ckan_profiles(packages: list[Any]) -> list[str]:
    found = ["ckan"]
    fields = ("title_translated", "notes_translated", "tags_translated", "title", "description")
    if any(
        isinstance(package, dict) and isinstance(package.get(name), dict)
        for package in packages
        for name in fields
    ):
        found.append("ckanext-fluent")
    return found


def records_from_ckan(packages: list[Any]) -> ParsedCatalog:
    """CKAN package dictionaries."""
    parsed = ParsedCatalog(format="ckan", profiles=_ckan_profiles(packages))
    _collect(packages, _ckan_record, parsed)
    return parsed
