"""Read records from JSON catalogs: DCAT-US `data.json` (and DCAT-JSON) and CKAN packages.

CKAN input is a `package_search`/`package_show` response, a list of packages or one
package; packages exported by a Synergy Hub keep our fields in `extras`.
"""

from __future__ import annotations

from typing import Any

from .records import ParsedCatalog, RecordProblem, SourceRecord, Text

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


def _language(dataset: dict[str, Any]) -> str:
    languages = dataset.get("language")
    first = languages[0] if isinstance(languages, list) and languages else languages
    return _str(first).split("-")[0].lower()


def _texts(value: Any, language: str = "") -> list[Text]:
    if isinstance(value, dict):  # {"en": "…", "zh": "…"} as ckanext-fluent writes
        return [Text(_str(v), _str(k).lower()) for k, v in value.items() if _str(v)]
    text = value.strip() if isinstance(value, str) else str(value) if value is not None else ""
    return [Text(text, language)] if text else []


def _named(value: Any) -> str:
    return _str(value.get("name") or value.get("title")) if isinstance(value, dict) else _str(value)


def _dcat_json_record(dataset: dict[str, Any]) -> SourceRecord:
    language = _language(dataset)
    contact = dataset.get("contactPoint") if isinstance(dataset.get("contactPoint"), dict) else {}
    publisher = dataset.get("publisher")
    record = SourceRecord(
        identifier=_str(dataset.get("identifier")) or _str(dataset.get("@id")),
        kind="dataset",
        titles=_texts(dataset.get("title"), language),
        descriptions=_texts(dataset.get("description"), language),
        keywords=[Text(_str(k), language) for k in dataset.get("keyword") or [] if _str(k)]
        if isinstance(dataset.get("keyword"), list)
        else [],
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
        modified=_str(dataset.get("modified")),
    )
    if not record.contact_email and isinstance(publisher, dict):
        record.contact_email = _str(publisher.get("mbox")).removeprefix("mailto:")
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


def _ckan_record(package: dict[str, Any]) -> SourceRecord:
    extras = _extras(package)
    tags: list[Any] = package["tags"] if isinstance(package.get("tags"), list) else []
    organisation = package.get("organization")
    record = SourceRecord(
        identifier=_str(package.get("id")) or _str(package.get("name")),
        kind="dataset",
        titles=_texts(package.get("title_translated")) or _texts(package.get("title")),
        descriptions=_texts(package.get("notes_translated")) or _texts(package.get("notes")),
        keywords=[Text(_named(tag)) for tag in tags if _named(tag)],
        landing_page=_str(package.get("url")),
        access_level="non-public" if package.get("private") is True else "",
        licence=_str(package.get("license_url")) or _str(package.get("license_id")),
        publisher_name=_named(organisation) if organisation else _str(package.get("author")),
        contact_name=_str(package.get("maintainer")) or _str(package.get("author")),
        contact_email=_str(package.get("maintainer_email")) or _str(package.get("author_email")),
        contact_phone=extras.get("contact_phone", ""),
        modified=_str(package.get("metadata_modified")),
    )
    terms = [
        Text(extras[f"usage_terms_{lang}"], lang)
        for lang in ("zh", "en")
        if extras.get(f"usage_terms_{lang}")
    ]
    record.licence_terms = terms
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
    parsed = ParsedCatalog(format=format_name, title=_texts(document.get("title")))
    _collect(list(document.get("dataset") or []), _dcat_json_record, parsed)
    return parsed


def records_from_dcat_json_datasets(items: list[Any]) -> ParsedCatalog:
    """A bare list of DCAT-JSON datasets (or one)."""
    parsed = ParsedCatalog(format="dcat-json")
    _collect(items, _dcat_json_record, parsed)
    return parsed


def records_from_ckan(packages: list[Any]) -> ParsedCatalog:
    """CKAN package dictionaries."""
    parsed = ParsedCatalog(format="ckan")
    _collect(packages, _ckan_record, parsed)
    return parsed
