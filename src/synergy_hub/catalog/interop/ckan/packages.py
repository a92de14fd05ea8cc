"""CKAN dictionaries for our objects: packages, resources, organizations, groups, licences.

Publishers are CKAN organizations (named by their USCC), pillars are groups, keywords are
tags, and each resource is a package whose one CKAN resource is its access-request page.
Fields CKAN has no name for travel as `extras`, as ckanext-dcat does.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from synergy_hub.accounts.models import Organisation, pick_language
from synergy_hub.catalog.activity import ResourceChange
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.vocabulary import ListState, Pillar

from .. import facts
from ..labels import ACCESS_TITLE, in_both, language_of

#: The CKAN release whose Action API responses these dictionaries follow.
CKAN_API_LEVEL = "2.10.0"


def ckan_time(moment: datetime | None) -> str | None:
    """CKAN's timestamps: naive UTC in ISO 8601."""
    if moment is None:
        return None
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat()


def organization_name(organisation: Organisation) -> str:
    """A CKAN organization name: the USCC in lower case (unique, stable, URL-safe)."""
    return organisation.uscc.lower()


def organization_dict(
    organisation: Organisation, *, package_count: int | None = None
) -> dict[str, Any]:
    title = organisation.name
    found: dict[str, Any] = {
        "id": str(organisation.pk),
        "name": organization_name(organisation),
        "title": title,
        "display_name": title,
        "title_translated": _translated(
            organisation, organisation.name_zh, organisation.name_en, "name"
        ),
        "description": organisation.description,
        "description_translated": _translated(
            organisation, organisation.description_zh, organisation.description_en, "description"
        ),
        "type": "organization",
        "is_organization": True,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "image_display_url": "",
        "created": ckan_time(organisation.created_at),
    }
    if package_count is not None:
        found["package_count"] = package_count
    return found


def group_dict(pillar: str, *, package_count: int | None = None) -> dict[str, Any]:
    label = Pillar(pillar).label
    zh, en = in_both(label)
    found: dict[str, Any] = {
        "id": pillar,
        "name": pillar,
        "title": str(label),
        "display_name": str(label),
        "title_translated": {"zh": zh, "en": en},
        "description": "",
        "type": "group",
        "is_organization": False,
        "state": "active",
        "approval_status": "approved",
        "image_url": "",
        "image_display_url": "",
    }
    if package_count is not None:
        found["package_count"] = package_count
    return found


def licence_dict(licence: facts.Licence) -> dict[str, Any]:
    title = pick_language(licence.title_zh, licence.title_en)
    return {
        "id": licence.id,
        "title": title,
        "url": licence.url,
        "status": "active",
        "maintainer": "",
        "family": "",
        "od_conformance": "approved" if licence.is_open else "not reviewed",
        "osd_conformance": "not reviewed",
        "domain_content": licence.is_open,
        "domain_data": licence.is_open,
        "domain_software": False,
        "is_generic": not licence.is_open,
        "is_okd_compliant": licence.is_open,
        "is_osi_compliant": False,
    }


def tag_dict(name: str) -> dict[str, Any]:
    return {
        "id": name,
        "name": name,
        "display_name": name,
        "vocabulary_id": None,
        "state": "active",
    }


def resource_dict(resource: Resource, links: facts.Links) -> dict[str, Any]:
    """The package's one CKAN resource: the page where access is requested."""
    return {
        "id": facts.access_resource_id(resource.lineage),
        "package_id": str(resource.lineage),
        "name": str(ACCESS_TITLE),
        "description": pick_language(resource.usage_terms_zh, resource.usage_terms_en),
        "format": "HTML",
        "mimetype": "text/html",
        "url": links.landing_page(resource),
        "url_type": None,
        "state": "active",
        "position": 0,
        "created": ckan_time(resource.created_at),
        "last_modified": ckan_time(facts.modified_at(resource)),
        "metadata_modified": ckan_time(facts.modified_at(resource)),
        "resource_type": None,
        "size": None,
        "hash": "",
        "cache_url": None,
        "datastore_active": False,
    }


def _extras(resource: Resource, links: facts.Links) -> list[dict[str, str]]:
    values = {
        "dcat_uri": links.dataset_iri(resource),
        "resource_type": resource.resource_type,
        "pillar": resource.pillar,
        "access_mode": resource.access_mode,
        "price": "" if resource.price is None else str(resource.price),
        "currency": "CNY",
        "sme_discount_percent": str(resource.sme_discount_percent),
        "sme_price": "" if resource.sme_price is None else str(resource.sme_price),
        "unit": resource.unit,
        "capacity": "" if resource.capacity is None else str(resource.capacity),
        "capacity_period": resource.capacity_period,
        "regions": ",".join(r.code for r in resource.regions.all()),
        "industries": ",".join(i.code for i in resource.industries.all()),
        "eligible_size_classes": ",".join(resource.eligible_size_classes),
        "eligible_tiers": ",".join(resource.eligible_tiers),
        "batch": str(resource.openness_list.batch.number),
        "list_id": str(resource.openness_list_id),
        "list_version": str(resource.openness_list.version),
        "usage_terms_zh": resource.usage_terms_zh,
        "usage_terms_en": resource.usage_terms_en,
        "contact_phone": resource.contact_phone,
    }
    return [{"key": key, "value": value} for key, value in values.items()]


def _translated(item: Resource | Organisation, zh: str, en: str, part: str) -> dict[str, str]:
    """A text in every language, as ckanext-fluent writes it: `{"zh": …, "en": …, "de": …}`."""
    found = {"zh": zh, "en": en}
    for tag, texts in sorted((item.translations or {}).items()):
        if texts.get(part):
            found[tag] = texts[part]
    return found


def _tags_translated(resource: Resource) -> dict[str, list[str]]:
    """Keywords per language (ckanext-fluent's `fluent_tags`): ours split by script."""
    found: dict[str, list[str]] = {"zh": [], "en": []}
    for keyword in resource.keywords:
        found[language_of(keyword)].append(keyword)
    for tag, texts in sorted((resource.translations or {}).items()):
        if texts.get("keywords"):
            found[tag] = list(texts["keywords"])
    return found


def package_dict(resource: Resource, links: facts.Links) -> dict[str, Any]:
    """A resource as a CKAN package (reads only prefetched relations).

    Texts are also given in every language they exist in, as ckanext-fluent and
    ckanext-dcat's multilingual schema write them (`title_translated`,
    `notes_translated`, `tags_translated`), with `language` listing the languages.
    """
    openness_list = resource.openness_list
    publisher = openness_list.publisher
    licence = facts.licence_for(resource)
    tags = [tag_dict(keyword) for keyword in resource.keywords]
    return {
        "id": str(resource.lineage),
        "name": facts.package_name(resource.lineage),
        "title": resource.title,
        "title_translated": _translated(resource, resource.title_zh, resource.title_en, "title"),
        "notes": resource.description,
        "notes_translated": _translated(
            resource, resource.description_zh, resource.description_en, "description"
        ),
        "tags_translated": _tags_translated(resource),
        "language": facts.languages_of(resource),
        "type": "dataset",
        "state": "active",
        "private": openness_list.state != ListState.PUBLISHED,
        "url": links.landing_page(resource),
        "version": str(openness_list.version),
        "author": pick_language(publisher.name_zh, publisher.name_en),
        "author_email": publisher.contact_email or None,
        "maintainer": resource.contact_name or None,
        "maintainer_email": resource.contact_email or None,
        "license_id": licence.id,
        "license_title": pick_language(licence.title_zh, licence.title_en),
        "license_url": links.licence_url(resource),
        "isopen": licence.is_open,
        "metadata_created": ckan_time(resource.created_at),
        "metadata_modified": ckan_time(facts.modified_at(resource)),
        "creator_user_id": None,
        "owner_org": str(publisher.pk),
        "organization": organization_dict(publisher),
        "groups": [group_dict(resource.pillar)],
        "tags": tags,
        "num_tags": len(tags),
        "resources": [resource_dict(resource, links)],
        "num_resources": 1,
        "extras": _extras(resource, links),
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }


#: CKAN's activity types for what a published list version did to a resource.
ACTIVITY_TYPES = {"new": "new package", "changed": "changed package", "removed": "deleted package"}
_ACTIVITY_NAMESPACE = uuid.UUID("5c1d0f5e-8a47-4d1e-9a55-3f1f3b0c2a61")


def activity_dict(change: ResourceChange, resource: Resource, links: facts.Links) -> dict[str, Any]:
    """One CKAN activity: the package as that published version held it.

    The actor is not public here (`user_id` is null); the id is stable for the event and
    the package, so a client that saw it once recognises it.
    """
    package = package_dict(resource, links)
    package["private"] = False  # it was public when it happened
    if change.kind == "removed":
        package["state"] = "deleted"
    return {
        "id": str(uuid.uuid5(_ACTIVITY_NAMESPACE, f"{change.activity.seq}/{resource.lineage}")),
        "timestamp": ckan_time(change.activity.occurred_at),
        "user_id": None,
        "object_id": str(resource.lineage),
        "activity_type": ACTIVITY_TYPES[change.kind],
        "data": {"package": package},
    }
