"""Read DCAT / DCAT-AP records from an RDF graph in any serialisation rdflib parses.

Records are the nodes typed dcat:Dataset or dcat:DataService, except services that only
serve as a distribution's access service; our own `shub:` terms are read back so that a
Synergy Hub catalog round-trips.
"""

from __future__ import annotations

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS
from rdflib.term import Node

from ..dcat_vocab import DCAT, EU_COUNTRY, HYDRA, SHUB, VCARD, code_from_iri
from .records import ParsedCatalog, RecordProblem, SourceRecord, Text

DC11 = "http://purl.org/dc/elements/1.1/"

#: Our code lists read back into resource fields.
_SHUB_CODES = {
    SHUB.resourceType: ("resource-type", "resource_type"),
    SHUB.pillar: ("pillar", "pillar"),
    SHUB.accessMode: ("access-mode", "access_mode"),
    SHUB.unit: ("unit", "unit"),
    SHUB.capacityPeriod: ("period", "capacity_period"),
}
_SHUB_LISTS = {
    SHUB.eligibleSizeClass: ("size-class", "eligible_size_classes"),
    SHUB.eligibleTier: ("tier", "eligible_tiers"),
    SHUB.industry: ("industry", "industries"),
}
_SHUB_NUMBERS = {
    SHUB.price: "price",
    SHUB.capacity: "capacity",
    SHUB.smeDiscountPercent: "sme_discount_percent",
}


def _texts(graph: Graph, node: Node, *predicates: URIRef) -> list[Text]:
    found: list[Text] = []
    for predicate in predicates:
        for value in graph.objects(node, predicate):
            if isinstance(value, Literal) and str(value).strip():
                found.append(Text(str(value).strip(), (value.language or "").lower()))
            elif isinstance(value, BNode | URIRef):
                # an object with a label (e.g. a rights statement)
                found.extend(_texts(graph, value, RDFS.label, SKOS.prefLabel, RDF.value))
        if found:
            return found
    return found


def _first(graph: Graph, node: Node, *predicates: URIRef) -> str:
    texts = _texts(graph, node, *predicates)
    return texts[0].value if texts else ""


def _iri_or_literal(graph: Graph, node: Node, predicate: URIRef) -> list[str]:
    return [str(v).strip() for v in graph.objects(node, predicate) if str(v).strip()]


def _mailbox(value: str) -> str:
    return value.removeprefix("mailto:").strip()


def _contact(graph: Graph, node: Node, record: SourceRecord) -> None:
    for contact in graph.objects(node, DCAT.contactPoint):
        record.contact_name = _first(graph, contact, VCARD.fn, VCARD["organization-name"])
        emails = _iri_or_literal(graph, contact, VCARD.hasEmail)
        record.contact_email = _mailbox(emails[0]) if emails else ""
        for phone in graph.objects(contact, VCARD.hasTelephone):
            value = graph.value(phone, VCARD.hasValue) if isinstance(phone, BNode) else phone
            record.contact_phone = str(value or "").removeprefix("tel:")
        return


def _access_level(graph: Graph, node: Node) -> str:
    for value in graph.objects(node, DCTERMS.accessRights):
        text = str(value).rstrip("/").rsplit("/", 1)[-1].upper()
        if not isinstance(value, URIRef):
            text = _first(graph, node, DCTERMS.accessRights).upper()
        if "NON_PUBLIC" in text or "NON-PUBLIC" in text:
            return "non-public"
        if "RESTRICTED" in text:
            return "restricted"
        if "PUBLIC" in text:
            return "public"
    return ""


def _licence(graph: Graph, node: Node, record: SourceRecord) -> None:
    holders = [node, *graph.objects(node, DCAT.distribution)]
    for holder in holders:
        for licence in graph.objects(holder, DCTERMS.license):
            record.licence = str(licence) if isinstance(licence, URIRef | Literal) else ""
            record.licence_terms = _texts(graph, licence, DCTERMS.description)
            return


def _shub_terms(graph: Graph, node: Node) -> dict[str, object]:
    terms: dict[str, object] = {}
    for predicate, (code_list, name) in _SHUB_CODES.items():
        value = graph.value(node, predicate)
        code = code_from_iri(code_list, str(value)) if value is not None else None
        if code:
            terms[name] = code
    for predicate, (code_list, name) in _SHUB_LISTS.items():
        codes = [code_from_iri(code_list, str(v)) for v in graph.objects(node, predicate)]
        if any(codes):
            terms[name] = sorted(c for c in codes if c)
    for predicate, name in _SHUB_NUMBERS.items():
        value = graph.value(node, predicate)
        if isinstance(value, Literal):
            terms[name] = str(value)
    regions = [code_from_iri("region", str(v)) for v in graph.objects(node, DCTERMS.spatial)]
    if any(regions):
        terms["regions"] = sorted(c for c in regions if c)
    return terms


def _record(graph: Graph, node: Node, kind: str) -> SourceRecord:
    identifiers = _iri_or_literal(graph, node, DCTERMS.identifier)
    record = SourceRecord(
        identifier=identifiers[0]
        if identifiers
        else (str(node) if isinstance(node, URIRef) else ""),
        kind=kind,
        titles=_texts(
            graph, node, DCTERMS.title, URIRef(DC11 + "title"), RDFS.label, SKOS.prefLabel
        ),
        descriptions=_texts(graph, node, DCTERMS.description, URIRef(DC11 + "description")),
        keywords=_texts(graph, node, DCAT.keyword),
        access_level=_access_level(graph, node),
        rights=_texts(graph, node, DCTERMS.rights),
        modified=_first(graph, node, DCTERMS.modified),
        shub=_shub_terms(graph, node),
    )
    pages = _iri_or_literal(graph, node, DCAT.landingPage) or _iri_or_literal(
        graph, node, FOAF.homepage
    )
    record.landing_page = pages[0] if pages else ""
    publisher = graph.value(node, DCTERMS.publisher)
    if publisher is not None:
        record.publisher_name = _first(graph, publisher, FOAF.name, RDFS.label) or (
            str(publisher) if isinstance(publisher, Literal) else ""
        )
    _contact(graph, node, record)
    _licence(graph, node, record)
    nationwide = str(EU_COUNTRY["CHN"])
    record.has_foreign_spatial = any(
        code_from_iri("region", str(v)) is None and str(v) != nationwide
        for v in graph.objects(node, DCTERMS.spatial)
    )
    for distribution in graph.objects(node, DCAT.distribution):
        record.access_urls += _iri_or_literal(graph, distribution, DCAT.accessURL)
        record.access_urls += _iri_or_literal(graph, distribution, DCAT.downloadURL)
    record.access_urls += _iri_or_literal(graph, node, DCAT.endpointURL)
    return record


def records_from_graph(graph: Graph, format_name: str) -> ParsedCatalog:
    """Every dataset and data service in the graph, in a stable order."""
    parsed = ParsedCatalog(format=format_name)
    catalog = next(iter(graph.subjects(RDF.type, DCAT.Catalog)), None)
    if catalog is not None:
        parsed.title = _texts(graph, catalog, DCTERMS.title)
    listed_services = set(graph.objects(None, DCAT.service))
    access_services = set(graph.objects(None, DCAT.accessService))
    nodes: list[tuple[Node, str]] = [(n, "dataset") for n in graph.subjects(RDF.type, DCAT.Dataset)]
    for service in graph.subjects(RDF.type, DCAT.DataService):
        if service in access_services and service not in listed_services:
            continue  # part of a distribution, not a record of its own
        if (service, RDF.type, DCAT.Dataset) not in graph:
            nodes.append((service, "service"))
    nodes.sort(key=lambda item: (isinstance(item[0], BNode), str(item[0])))
    for index, (node, kind) in enumerate(nodes):
        try:
            parsed.records.append(_record(graph, node, kind))
        except (ValueError, TypeError) as exc:
            parsed.problems.append(RecordProblem(index, str(node), "", str(exc)[:200]))
    return parsed


def next_page(graph: Graph) -> str | None:
    """The next page of a Hydra-paged catalog (ckanext-dcat and Synergy Hub), if any."""
    for predicate in (HYDRA.next, HYDRA.nextPage):
        value = next(iter(graph.objects(None, predicate)), None)
        if value is not None:
            return str(value)
    return None
