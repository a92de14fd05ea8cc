"""Facts about a resource that the DCAT export and the CKAN API must state identically.

Identifiers, addresses, the derived licence, the modification time and the one
distribution (the access-request page) are computed here once, so that a package from
`package_show` and a dataset from `/catalog.ttl` always describe the same thing.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse

from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.vocabulary import AccessMode, ResourceType

from .dcat_vocab import EU_LICENCE

#: Resource types whose content an open-data licence can cover.
INFORMATION_TYPES = frozenset({ResourceType.DATASET, ResourceType.API})

PACKAGE_NAME_PREFIX = "shub-"
ACCESS_SUFFIX = "-access"


@dataclass(frozen=True)
class Licence:
    """A licence the hub states for resources (also the rows of CKAN's `license_list`)."""

    id: str
    title_en: str
    title_zh: str
    url: str
    is_open: bool


CC_BY_4 = Licence(
    id="cc-by-4.0",
    title_en="Creative Commons Attribution 4.0",
    title_zh="知识共享署名 4.0",
    url=str(EU_LICENCE["CC_BY_4_0"]),
    is_open=True,
)
PUBLISHER_TERMS = Licence(
    id="publisher-terms",
    title_en="Terms of the publisher",
    title_zh="发布方使用条款",
    url="",  # per resource: its usage terms, see Links.terms_iri
    is_open=False,
)
LICENCES = (CC_BY_4, PUBLISHER_TERMS)


def licence_for(resource: Resource) -> Licence:
    """CC BY 4.0 for open data and APIs without extra terms; otherwise the publisher's terms.

    Resources have no licence field: stated usage terms (e.g. "no resale") would contradict
    an open licence, so only an open, information-type resource with no terms gets one.
    """
    if (
        resource.access_mode == AccessMode.OPEN
        and resource.resource_type in INFORMATION_TYPES
        and not resource.usage_terms  # in any language
    ):
        return CC_BY_4
    return PUBLISHER_TERMS


def modified_at(resource: Resource) -> datetime:
    """When the resource last changed as the public sees it: an edit or a publication."""
    published = resource.openness_list.published_at
    if published is None:
        return resource.updated_at
    return max(resource.updated_at, published)


def package_name(lineage: uuid.UUID) -> str:
    """The CKAN package name: stable for the resource's whole lineage."""
    return PACKAGE_NAME_PREFIX + lineage.hex


def lineage_from_package_ref(value: str) -> uuid.UUID | None:
    """Read a package id (lineage UUID) or name (`shub-<hex>`); None when it is neither."""
    text = value.strip().lower()
    if text.startswith(PACKAGE_NAME_PREFIX):
        text = text[len(PACKAGE_NAME_PREFIX) :]
    try:
        return uuid.UUID(text)
    except ValueError:
        return None


def access_resource_id(lineage: uuid.UUID) -> str:
    """The id of the one CKAN resource (DCAT distribution) of a package."""
    return f"{lineage}{ACCESS_SUFFIX}"


def lineage_from_access_id(value: str) -> uuid.UUID | None:
    """Read the lineage back from a CKAN resource id; None for unknown ids."""
    text = value.strip().lower()
    if not text.endswith(ACCESS_SUFFIX):
        return None
    try:
        return uuid.UUID(text[: -len(ACCESS_SUFFIX)])
    except ValueError:
        return None


_SENTINEL_PK = 987654321
_SENTINEL_UUID = uuid.UUID(int=0xFEDCBA9876543210FEDCBA9876543210)


@functools.cache
def _templates() -> dict[str, str]:
    """URL paths with a `{}` where the key goes (one `reverse` each, not one per row)."""
    pk = str(_SENTINEL_PK)
    return {
        "resource": reverse("catalog:resource", args=[_SENTINEL_PK]).replace(pk, "{}"),
        "organisation": reverse("catalog:organisation", args=[_SENTINEL_PK]).replace(pk, "{}"),
        "list": reverse("catalog:list", args=[_SENTINEL_PK]).replace(pk, "{}"),
        "dataset": reverse("interop:resource_id", args=[_SENTINEL_UUID]).replace(
            str(_SENTINEL_UUID), "{}"
        ),
    }


#: The parts of a resource's description that have their own IRI under the dataset IRI.
IRI_PARTS = ("distribution", "policy", "contact", "terms", "availability")


@dataclass(frozen=True)
class Links:
    """Absolute addresses of the hub's objects under one site base (scheme and host).

    IRIs end in "/" (no fragments): rdflib's Turtle writer makes every distinct
    "namespace" of a splittable IRI a prefix candidate, which made a 700-resource catalog
    take 14 s to write; slash-terminated IRIs are written as they are.
    """

    base: str

    def url(self, path: str) -> str:
        return self.base.rstrip("/") + path

    def catalog_iri(self) -> str:
        """The catalog's identity, answered by a redirect to its Turtle document."""
        return self.url(reverse("interop:catalog"))

    def dataset_iri(self, resource: Resource) -> str:
        """Stable across list versions: identifies the lineage, answered by a redirect."""
        return self.url(_templates()["dataset"].format(resource.lineage))

    def part_iri(self, resource: Resource, part: str) -> str:
        """A node of the resource's description (its distribution, policy, contact, …)."""
        assert part in IRI_PARTS
        return f"{self.dataset_iri(resource)}{part}/"

    def landing_page(self, resource: Resource) -> str:
        return self.url(_templates()["resource"].format(resource.pk))

    def terms_iri(self, resource: Resource) -> str:
        """The publisher's terms: the usage terms shown on the resource's page."""
        return self.part_iri(resource, "terms")

    def organisation(self, organisation_id: int) -> str:
        return self.url(_templates()["organisation"].format(organisation_id))

    def openness_list(self, list_id: int) -> str:
        return self.url(_templates()["list"].format(list_id))

    def licence_url(self, resource: Resource) -> str:
        licence = licence_for(resource)
        return licence.url or self.terms_iri(resource)


def languages_of(resource: Resource) -> list[str]:
    """The languages a resource has a title or description in, as BCP 47 tags, sorted."""
    found = {
        code
        for code in ("zh", "en")
        if getattr(resource, f"title_{code}") or getattr(resource, f"description_{code}")
    }
    found |= {
        tag
        for tag, texts in (resource.translations or {}).items()
        if texts.get("title") or texts.get("description")
    }
    return sorted(found)
