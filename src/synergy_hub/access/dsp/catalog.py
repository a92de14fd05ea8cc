"""Build the DSP `Catalog` and `Dataset` answers from the catalog's DCAT-AP graph.

The description of each resource is the graph `catalog.interop.dcat_export` builds for the
DCAT-AP export, written here as DSP 2025-1 compact JSON-LD: DCAT and Dublin Core
properties as `dcat:` / `dct:` compact IRIs (the DSP context defines those prefixes and
a DSP document may only name context URLs, so our own `shub:` terms and FOAF, vCard and
SKOS ones are written as full IRIs). The resource's own nodes (contact point, period,
terms, openness list) and its publisher are embedded; code-list concepts, languages and
places are referred to by IRI, as the DCAT export describes them.

What is new here is what makes the catalog a Dataspace Protocol one: the dataset's
identity is the policy target that negotiation and agreements use
(`urn:synergy-hub:resource:<lineage>`), it carries the offer an SME could accept
(`offers`), and its distribution is the hub's access request, obtained through the hub's
access-request service (the catalog's one `DataService`).
"""

from __future__ import annotations

import posixpath
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD
from rdflib.term import Node

from synergy_hub.access import usage_policy
from synergy_hub.catalog.interop import dcat_export, facts
from synergy_hub.catalog.interop.dcat_vocab import EU_FILE_TYPE, ODRL, SHUB, VCARD
from synergy_hub.catalog.interop.labels import ACCESS_TITLE, in_both
from synergy_hub.catalog.models import Resource

from .messages import DSP_CONTEXT, DSPACE, CatalogQuery
from .offers import NotInProfile, resource_offer

SERVICE_TITLE = gettext_lazy("Synergy Hub access requests")
SERVICE_DESCRIPTION = gettext_lazy(
    "Request access to a resource with POST resources/{id}/access-requests (an SME's API "
    "token); the provider's offer and the agreement follow the hub's access workflow."
)

#: Prefixes the DSP context defines, used to compact property names.
_PREFIXES = (
    ("dct", str(DCTERMS)),
    ("dcat", str(DCAT)),
    ("odrl", str(ODRL)),
    ("xsd", str(XSD)),
    ("dspace", DSPACE),
)
#: Nodes embedded where they are referred to; other IRIs stay references.
_EMBEDDED_CLASSES = frozenset(
    {
        FOAF.Agent,
        DCTERMS.LicenseDocument,
        DCTERMS.PeriodOfTime,
        VCARD.Kind,
        SHUB.OpennessList,
    }
)
_HTML = str(EU_FILE_TYPE["HTML"])
#: Written otherwise in the DSP form (policy, distribution, membership) or left out.
_DATASET_SKIP = frozenset(
    {
        RDF.type,
        ODRL.hasPolicy,
        DCAT.distribution,
        DCAT.endpointURL,  # a service's endpoint is its distribution's access URL here
    }
)
_DISTRIBUTION_SKIP = frozenset({RDF.type, ODRL.hasPolicy, DCTERMS.format})
_CATALOG_SKIP = frozenset({RDF.type, DCAT.dataset, DCAT.service})
_TYPE_ONLY = frozenset({RDF.type})


def dataset_id(resource: Resource) -> str:
    """The DSP dataset id: the target of the resource's offers and agreements."""
    return usage_policy.resource_iri(resource.lineage)


def participant_id(links: facts.Links) -> str:
    """The hub as the participant that provides the catalog: its site address."""
    return links.url("/")


def catalog_id(links: facts.Links) -> str:
    return links.url(reverse("dsp:catalog_request"))


def access_service(links: facts.Links, *, full: bool = True) -> dict[str, Any]:
    """The hub's access-request service, where every distribution is obtained."""
    description = links.url(reverse("api:openapi-json"))
    endpoint = posixpath.dirname(description) + "/"
    service: dict[str, Any] = {"@id": endpoint, "@type": "DataService", "endpointURL": endpoint}
    if full:
        service["endpointDescription"] = description
        service["dct:title"] = _both(SERVICE_TITLE)
        service["dct:description"] = _both(SERVICE_DESCRIPTION)
    return service


def select(query: CatalogQuery) -> QuerySet[Resource]:
    """Resources of currently published lists that meet the query (drafts never)."""
    queryset = dcat_export.export_queryset(query.modified_since)
    for condition in query.conditions:
        queryset = queryset.filter(condition)
    return queryset


def catalog_page(query: CatalogQuery, page: int, page_size: int) -> dcat_export.CatalogPage:
    """One page of the selection in a stable order; `dcat_export.PageNotFound` past the end."""
    queryset = select(query)
    total = queryset.count()
    found = dcat_export.CatalogPage([], page, page_size, total)
    if page > found.last:
        raise dcat_export.PageNotFound(page)
    offset = (page - 1) * page_size
    return dcat_export.CatalogPage(
        list(queryset[offset : offset + page_size]), page, page_size, total
    )


def published_resource(lineage: uuid.UUID) -> Resource | None:
    """The current published version of a resource, None when none is published."""
    return select(CatalogQuery()).filter(lineage=lineage).first()


def catalog_document(page: dcat_export.CatalogPage, links: facts.Links) -> dict[str, Any]:
    """The `Catalog` answer for one page (resources whose offer cannot be stated are left out)."""
    offers = _offers(page.resources)
    kept = [resource for resource in page.resources if resource.pk in offers]
    graph = dcat_export.catalog_graph(
        dcat_export.CatalogPage(kept, page.number, page.size, page.total), links
    )
    writer = _Writer(graph)
    catalog: dict[str, Any] = {
        "@context": [DSP_CONTEXT],
        "@id": catalog_id(links),
        "@type": "Catalog",
        "participantId": participant_id(links),
    }
    catalog.update(writer.properties(URIRef(links.catalog_iri()), _CATALOG_SKIP))
    catalog["service"] = [access_service(links)]
    if kept:  # the schema wants at least one dataset when `dataset` is present
        service = access_service(links, full=False)
        catalog["dataset"] = [
            _dataset(writer, resource, offers[resource.pk], links, service) for resource in kept
        ]
    return catalog


def dataset_document(resource: Resource, links: facts.Links) -> dict[str, Any] | None:
    """The `Dataset` answer for one resource; None when its offer cannot be stated."""
    offers = _offers([resource])
    if resource.pk not in offers:
        return None
    writer = _Writer(dcat_export.resource_graph(resource, links))
    document: dict[str, Any] = {"@context": [DSP_CONTEXT]}
    document.update(
        _dataset(writer, resource, offers[resource.pk], links, access_service(links, full=False))
    )
    return document


def _offers(resources: Iterable[Resource]) -> dict[int, dict[str, Any]]:
    found = {}
    for resource in resources:
        try:
            found[resource.pk] = resource_offer(resource)
        except NotInProfile:
            continue
    return found


def _dataset(
    writer: _Writer,
    resource: Resource,
    offer: dict[str, Any],
    links: facts.Links,
    service: Mapping[str, Any],
) -> dict[str, Any]:
    node = URIRef(links.dataset_iri(resource))
    dataset: dict[str, Any] = {
        "@id": dataset_id(resource),
        "@type": "Dataset",
        "hasPolicy": [offer],
        "distribution": [_distribution(writer, node, resource, links, service)],
    }
    dataset.update(writer.properties(node, _DATASET_SKIP, inside=str(node)))
    return dataset


def _distribution(
    writer: _Writer,
    node: URIRef,
    resource: Resource,
    links: facts.Links,
    service: Mapping[str, Any],
) -> dict[str, Any]:
    """The access request: the DCAT distribution of a dataset, the same for a service."""
    found = writer.graph.value(node, DCAT.distribution)
    distribution: dict[str, Any] = {
        "@id": str(found) if found is not None else links.part_iri(resource, "distribution"),
        "@type": "Distribution",
        "format": _HTML,
        "accessService": dict(service),
    }
    if found is not None:
        distribution.update(writer.properties(found, _DISTRIBUTION_SKIP, inside=str(node)))
        return distribution
    # A service has no DCAT distribution: its endpoint (the request page) is the access URL.
    distribution["dct:title"] = _both(ACCESS_TITLE)
    distribution["dcat:accessURL"] = {"@id": links.landing_page(resource)}
    licence = writer.graph.value(node, DCTERMS.license)
    if licence is not None:
        distribution["dct:license"] = {"@id": str(licence)}
    return distribution


def _both(text: object) -> list[dict[str, str]]:
    zh, en = in_both(text)
    return [{"@value": zh, "@language": "zh"}, {"@value": en, "@language": "en"}]


class _Writer:
    """Write nodes of an rdflib graph as compact JSON-LD objects under the DSP context.

    A node worth embedding (a blank node, one of the subject's own parts under `inside`,
    an agent, a licence, a period, a contact, an openness list) is embedded where it first
    appears, in key order, and referred to by `@id` after that.
    """

    def __init__(self, graph: Graph) -> None:
        self.graph = graph

    def properties(
        self, subject: Node, skip: frozenset[URIRef], *, inside: str = ""
    ) -> dict[str, Any]:
        """The subject's properties as a JSON object (without its `@id` and `@type`)."""
        return self._properties(subject, skip, inside, depth=1, done={subject})

    def _properties(
        self, subject: Node, skip: frozenset[URIRef], inside: str, depth: int, done: set[Node]
    ) -> dict[str, Any]:
        pairs = sorted(
            (
                (_compact(predicate), obj)
                for predicate, obj in self.graph.predicate_objects(subject)
                if predicate not in skip
            ),
            key=lambda pair: pair[0],
        )
        grouped: dict[str, list[Any]] = {}
        for key, obj in pairs:
            grouped.setdefault(key, []).append(self._value(obj, inside, depth, done))
        out: dict[str, Any] = {}
        for key, values in grouped.items():
            values.sort(key=_sort_key)
            out[key] = values[0] if len(values) == 1 else values
        return out

    def _value(self, obj: Node, inside: str, depth: int, done: set[Node]) -> Any:
        if isinstance(obj, Literal):
            if obj.language:
                return {"@value": str(obj), "@language": obj.language}
            if obj.datatype is not None and obj.datatype != XSD.string:
                return {"@value": str(obj), "@type": _compact(obj.datatype)}
            return str(obj)
        if depth < 3 and obj not in done and self._embeds(obj, inside):
            done.add(obj)
            head: dict[str, Any] = {} if isinstance(obj, BNode) else {"@id": str(obj)}
            types = sorted(_compact(t) for t in self.graph.objects(obj, RDF.type))
            if types:
                head["@type"] = types[0] if len(types) == 1 else types
            return head | self._properties(obj, _TYPE_ONLY, inside, depth + 1, done)
        return {"@id": str(obj)}

    def _embeds(self, obj: Node, inside: str) -> bool:
        if isinstance(obj, BNode):
            return True
        if inside and str(obj).startswith(inside):
            return True
        return any(t in _EMBEDDED_CLASSES for t in self.graph.objects(obj, RDF.type))


def _compact(iri: Node) -> str:
    text = str(iri)
    for prefix, namespace in _PREFIXES:
        if text.startswith(namespace) and len(text) > len(namespace):
            return f"{prefix}:{text[len(namespace) :]}"
    return text


def _sort_key(value: Any) -> str:
    if isinstance(value, Mapping):
        return "|".join(str(value.get(k, "")) for k in ("@language", "@id", "@value", "@type"))
    return str(value)
