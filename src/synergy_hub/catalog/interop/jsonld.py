"""The schema.org description embedded in a resource's page, for search engines.

Data-like resources (datasets, APIs, AI models) are `schema:Dataset`, as Google's dataset
search reads them; the others (computing power, laboratories, testing, training, …) are
`schema:Service` with an `Offer` per price. Identifiers and the licence are the ones the
DCAT export and the CKAN API state (`facts`), so the three never disagree.
"""

from __future__ import annotations

import json
from typing import Any

from django.urls import reverse

from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.vocabulary import ResourceType

from . import facts

#: Resource types described as schema.org datasets; every other type is a service.
DATASET_TYPES = frozenset({ResourceType.DATASET, ResourceType.API, ResourceType.AI_MODEL})


def _offers(resource: Resource, page: str) -> list[dict[str, Any]]:
    if resource.price is None:
        return [{"@type": "Offer", "price": "0", "priceCurrency": "CNY", "url": page}]
    offers = [
        {
            "@type": "Offer",
            "price": str(resource.price),
            "priceCurrency": "CNY",
            "url": page,
            "unitText": resource.get_unit_display(),
        }
    ]
    if resource.sme_discount_percent:
        offers.append(
            {
                "@type": "Offer",
                "price": str(resource.sme_price),
                "priceCurrency": "CNY",
                "url": page,
                "unitText": resource.get_unit_display(),
                "eligibleCustomerType": "SME",
                "description": f"-{resource.sme_discount_percent}% SME",
            }
        )
    return offers


def schema_org(resource: Resource, base: str) -> dict[str, Any]:
    """The resource as a schema.org Dataset or Service (reads prefetched relations)."""
    links = facts.Links(base.rstrip("/"))
    publisher = resource.openness_list.publisher
    page = links.landing_page(resource)
    names = {"zh": resource.title_zh, "en": resource.title_en}
    descriptions = {"zh": resource.description_zh, "en": resource.description_en}
    found: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "Dataset" if resource.resource_type in DATASET_TYPES else "Service",
        "@id": links.dataset_iri(resource),
        "identifier": str(resource.lineage),
        "url": page,
        "name": resource.title,
        "alternateName": [text for text in names.values() if text and text != resource.title],
        "description": resource.description,
        "inLanguage": facts.languages_of(resource),
        "keywords": list(resource.keywords),
        "areaServed": [region.name for region in resource.regions.all()] or "CN",
        "dateModified": facts.modified_at(resource).isoformat(),
        "isAccessibleForFree": resource.price is None or resource.price == 0,
        "license": links.licence_url(resource),
        "offers": _offers(resource, page),
    }
    organisation = {
        "@type": "Organization",
        "name": publisher.name,
        "url": links.organisation(publisher.pk),
    }
    if found["@type"] == "Dataset":
        found["publisher"] = organisation
        found["creator"] = organisation
        found["distribution"] = [
            {
                "@type": "DataDownload",
                "encodingFormat": "text/turtle",
                "contentUrl": links.url(
                    reverse("interop:resource_document", kwargs={"pk": resource.pk, "fmt": "ttl"})
                ),
            }
        ]
    else:
        found["provider"] = organisation
        found["serviceType"] = resource.get_resource_type_display()
    if not any(descriptions.values()):
        found.pop("description")
    return found


def embedded_jsonld(resource: Resource, base: str) -> str:
    """The description as a string safe inside `<script type="application/ld+json">`."""
    text = json.dumps(schema_org(resource, base), ensure_ascii=False, default=str)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
