"""Read DCAT / DCAT-AP records from an RDF graph in any serialisation rdflib parses.

Records are the nodes typed dcat:Dataset or dcat:DataService, except services that only
serve as a distribution's access service; our own `shub:` terms are read back so that a
Synergy Hub catalog round-trips. Each literal keeps its language; a literal without one
takes the language the record declares (`dct:language`, else the catalog's). Values the
harvest cannot use (a malformed date, a language tag that is not one) become notes on
the record that name the field, never errors.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS, SKOS
from rdflib.term import Node

from synergy_hub.languages import LanguageTagError, normalise_tag, tag_from_code

from ..dcat_vocab import DCAT, EU_COUNTRY, HYDRA, SHUB, VCARD, code_from_iri
from . import profiles
from .records import Note, ParsedCatalog, RecordProblem, SourceRecord, Text

DC11 = "http://purl.org/dc/elements/1.1/"
dcatde = profiles.dcatde

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
LOCN_GEOGRAPHIC_NAME = URIRef("http://www.w3.org/ns/locn#geographicName")
#: The nodes of a record whose literals are checked for malformed values.
_PARTS = (DCAT.distribution, DCTERMS.temporal, DCAT.contactPoint, DCTERMS.publisher)


class _Reader:
    """Reads one graph's records, noting per record what it could not use."""

    def __init__(self, graph: Graph, bad_tags: dict[str, str]) -> None:
        self.graph = graph
        self.bad_tags = bad_tags  # placeholder tag → the tag as written (see sources.py)
        self.notes: list[Note] = []

    def texts(self, node: Node, *predicates: URIRef) -> list[Text]:
        """The literals of the first predicate that has any, each with its language."""
        found: list[Text] = []
        for predicate in predicates:
            for value in self.graph.objects(node, predicate):
                if isinstance(value, Literal) and str(value).strip():
                    found.append(self._text(value))
                elif isinstance(value, BNode | URIRef):
                    # an object with a label (e.g. a rights statement)
                    found.extend(self.texts(value, RDFS.label, SKOS.prefLabel, RDF.value))
            if found:
                return found
        return found

    def _text(self, value: Literal) -> Text:
        text = str(value).strip()
        if not value.language:
            return Text(text)
        written = self.bad_tags.get(value.language, value.language)
        try:
            return Text(text, normalise_tag(written))
        except LanguageTagError:
            return Text(text, bad_tag=written[:40])

    def first(self, node: Node, *predicates: URIRef) -> str:
        texts = self.texts(node, *predicates)
        return texts[0].value if texts else ""


def _iri_or_literal(graph: Graph, node: Node, predicate: URIRef) -> list[str]:
    return [str(v).strip() for v in graph.objects(node, predicate) if str(v).strip()]


def _mailbox(value: str) -> str:
    return value.removeprefix("mailto:").strip()


def _contact(reader: _Reader, node: Node, record: SourceRecord) -> None:
    graph = reader.graph
    for contact in graph.objects(node, DCAT.contactPoint):
        record.contact_name = reader.first(contact, VCARD.fn, VCARD["organization-name"])
        emails = _iri_or_literal(graph, contact, VCARD.hasEmail)
        record.contact_email = _mailbox(emails[0]) if emails else ""
        for phone in graph.objects(contact, VCARD.hasTelephone):
            value = graph.value(phone, VCARD.hasValue) if isinstance(phone, BNode) else phone
            record.contact_phone = str(value or "").removeprefix("tel:")
        return
    # DCAT-AP.de: the maintainer (or else the originator) is who to ask.
    for role in (*dcatde("maintainer"), *dcatde("originator")):
        for person in graph.objects(node, role):
            record.contact_name = reader.first(person, FOAF.name)
            mailboxes = _iri_or_literal(graph, person, FOAF.mbox)
            record.contact_email = _mailbox(mailboxes[0]) if mailboxes else ""
            return


def _access_level(reader: _Reader, node: Node) -> str:
    for value in reader.graph.objects(node, DCTERMS.accessRights):
        text = str(value).rstrip("/").rsplit("/", 1)[-1].upper()
        if not isinstance(value, URIRef):
            text = reader.first(node, DCTERMS.accessRights).upper()
        if "NON_PUBLIC" in text or "NON-PUBLIC" in text:
            return "non-public"
        if "RESTRICTED" in text:
            return "restricted"
        if "PUBLIC" in text:
            return "public"
    return ""


def _licence(reader: _Reader, node: Node, record: SourceRecord) -> None:
    graph = reader.graph
    holders = [node, *graph.objects(node, DCAT.distribution)]
    for holder in holders:
        record.rights += reader.texts(holder, *dcatde("licenseAttributionByText"))
    for holder in holders:
        for licence in graph.objects(holder, DCTERMS.license):
            record.licence = str(licence) if isinstance(licence, URIRef | Literal) else ""
            record.licence_terms = reader.texts(licence, DCTERMS.description)
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


def declared_languages(graph: Graph, node: Node) -> list[str]:
    """The languages `dct:language` declares for a node, as tags (literal codes or IRIs)."""
    tags = [tag_from_code(str(value)) for value in graph.objects(node, DCTERMS.language)]
    return sorted({tag for tag in tags if tag})


def _malformed(graph: Graph, node: Node) -> list[Note]:
    """Literals of the record, its distributions, period, contact and publisher that do not
    match their datatype (rdflib keeps them, `ill_typed`), each with its field."""
    found: list[Note] = []
    holders: list[tuple[str, Node]] = [("", node)]
    holders += [
        (profiles.curie(str(p)) + " → ", o)
        for p in _PARTS
        for o in graph.objects(node, p)
        if isinstance(o, BNode | URIRef)
    ]
    for prefix, holder in holders:
        for predicate, value in sorted(graph.predicate_objects(holder)):
            if isinstance(value, Literal) and value.ill_typed:
                datatype = profiles.curie(str(value.datatype))
                found.append(
                    Note(
                        prefix + profiles.curie(str(predicate)),
                        _("Not a valid %(datatype)s: not used.") % {"datatype": datatype},
                        str(value)[:80],
                    )
                )
    return found


def _record(reader: _Reader, node: Node, kind: str, catalog_languages: list[str]) -> SourceRecord:
    graph = reader.graph
    reader.notes = []
    identifiers = _iri_or_literal(graph, node, DCTERMS.identifier)
    record = SourceRecord(
        identifier=identifiers[0]
        if identifiers
        else (str(node) if isinstance(node, URIRef) else ""),
        kind=kind,
        titles=reader.texts(
            node,
            DCTERMS.title,
            URIRef(DC11 + "title"),
            RDFS.label,
            SKOS.prefLabel,
        ),
        descriptions=reader.texts(node, DCTERMS.description, URIRef(DC11 + "description")),
        keywords=reader.texts(node, DCAT.keyword),
        access_level=_access_level(reader, node),
        rights=reader.texts(node, DCTERMS.rights),
        modified=reader.first(node, DCTERMS.modified),
        shub=_shub_terms(graph, node),
        languages=declared_languages(graph, node) or catalog_languages,
    )
    pages = _iri_or_literal(graph, node, DCAT.landingPage) or _iri_or_literal(
        graph, node, FOAF.homepage
    )
    record.landing_page = pages[0] if pages else ""
    publisher = graph.value(node, DCTERMS.publisher)
    if publisher is not None:
        record.publisher_names = reader.texts(publisher, FOAF.name, RDFS.label)
        record.publisher_name = (
            record.publisher_names[0].value
            if record.publisher_names
            else (str(publisher) if isinstance(publisher, Literal) else "")
        )
    record.health_data = any(
        str(predicate).startswith(profiles.HEALTH) for predicate in graph.predicates(node, None)
    )
    _contact(reader, node, record)
    _licence(reader, node, record)
    nationwide = str(EU_COUNTRY["CHN"])
    foreign = [
        value
        for value in graph.objects(node, DCTERMS.spatial)
        if code_from_iri("region", str(value)) is None and str(value) != nationwide
    ]
    for term in dcatde("politicalGeocodingURI"):
        foreign += list(graph.objects(node, term))
    record.has_foreign_spatial = bool(foreign)
    if foreign:
        labelled = [v for v in foreign if not isinstance(v, BNode)]
        record.foreign_spatial = (
            str(labelled[0])
            if labelled
            else reader.first(foreign[0], SKOS.prefLabel, RDFS.label, LOCN_GEOGRAPHIC_NAME)
            or _("a location without a name")
        )
    for distribution in graph.objects(node, DCAT.distribution):
        record.access_urls += _iri_or_literal(graph, distribution, DCAT.accessURL)
        record.access_urls += _iri_or_literal(graph, distribution, DCAT.downloadURL)
    record.access_urls += _iri_or_literal(graph, node, DCAT.endpointURL)
    record.notes = reader.notes + _malformed(graph, node)
    return record


def records_from_graph(
    graph: Graph, format_name: str, bad_tags: dict[str, str] | None = None
) -> ParsedCatalog:
    """Every dataset and data service in the graph, in a stable order."""
    parsed = ParsedCatalog(format=format_name, profiles=profiles.detect(graph))
    reader = _Reader(graph, bad_tags or {})
    catalog = next(iter(graph.subjects(RDF.type, DCAT.Catalog)), None)
    catalog_languages: list[str] = []
    if catalog is not None:
        parsed.title = reader.texts(catalog, DCTERMS.title)
        catalog_languages = declared_languages(graph, catalog)
        parsed.languages = catalog_languages
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
            parsed.records.append(_record(reader, node, kind, catalog_languages))
        except (ValueError, TypeError) as exc:
            parsed.problems.append(RecordProblem(index, str(node), "", str(exc)[:200]))
    parsed.ignored = profiles.ignored_terms(graph, [node for node, _kind in nodes])
    return parsed


def next_page(graph: Graph) -> str | None:
    """The next page of a Hydra-paged catalog (ckanext-dcat and Synergy Hub), if any."""
    for predicate in (HYDRA.next, HYDRA.nextPage):
        value = next(iter(graph.objects(None, predicate)), None)
        if value is not None:
            return str(value)
    return None
