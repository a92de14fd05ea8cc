"""Which DCAT application profiles an RDF source follows, and which extension terms it
uses that the harvest does not read (both go into the report; neither stops a harvest).

Recognised: DCAT-AP 2 and 3 (by `dct:conformsTo`, or by DCAT-AP 3's own terms), DCAT-AP
with no version stated, DCAT-AP-CH (opendata.swiss: the `dcat-ap.ch` vocabularies),
DCAT-AP.de (GovData: the `dcatde:` namespace), HealthDCAT-AP and DCAT-US (POD). A term
is an *extension* when its namespace is none of DCAT-AP's own (DCAT, DCMI terms, FOAF,
vCard, ADMS, SKOS, LOCN, schema.org, SPDX, …): values of core terms that the hub has no
field for are simply not imported, while an extension's terms are listed so that a
publisher sees what its catalog says that the hub did not take.
"""

from __future__ import annotations

import re

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF
from rdflib.term import Node

from ..dcat_vocab import DCAT, DCATAP

DCATDE = "http://dcat-ap.de/def/dcatde/"
#: DCAT-AP.de's namespace of versions 1.0 and 1.0.1 (GovData still reads them), then 2.0.
DCATDE_NAMESPACES = (DCATDE + "1_0/", DCATDE + "1.0.1/", DCATDE)
HEALTH = ("http://healthdataportal.eu/ns/health#", "http://healthdcat-ap.eu/")
DCAT_AP_CH = ("http://dcat-ap.ch/", "https://dcat-ap.ch/")

#: Prefixes for the report (and the namespaces that are DCAT-AP's own: `CORE`).
PREFIXES = {
    "http://www.w3.org/ns/dcat#": "dcat",
    "http://purl.org/dc/terms/": "dct",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://xmlns.com/foaf/0.1/": "foaf",
    "http://www.w3.org/2006/vcard/ns#": "vcard",
    "http://www.w3.org/1999/02/22-rdf-syntax-ns#": "rdf",
    "http://www.w3.org/2000/01/rdf-schema#": "rdfs",
    "http://www.w3.org/2004/02/skos/core#": "skos",
    "http://www.w3.org/2002/07/owl#": "owl",
    "http://www.w3.org/ns/locn#": "locn",
    "http://www.w3.org/ns/adms#": "adms",
    "http://schema.org/": "schema",
    "https://schema.org/": "schema",
    "http://spdx.org/rdf/terms#": "spdx",
    "http://data.europa.eu/r5r/": "dcatap",
    "http://www.w3.org/ns/odrl/2/": "odrl",
    "http://www.w3.org/ns/prov#": "prov",
    "http://www.w3.org/ns/dqv#": "dqv",
    "http://www.w3.org/ns/hydra/core#": "hydra",
    "http://www.w3.org/ns/oa#": "oa",
    "http://www.w3.org/2001/XMLSchema#": "xsd",
    "https://synergy-hub.cn/ns#": "shub",
}
CORE = frozenset(PREFIXES)
EXTENSION_PREFIXES = {
    DCATDE_NAMESPACES[0]: "dcatde1.0",
    DCATDE_NAMESPACES[1]: "dcatde1.0.1",
    DCATDE: "dcatde",
    HEALTH[0]: "healthdcatap",
    HEALTH[1]: "healthdcatap",
    "http://dcat-ap.ch/def/": "dcatch",
    "https://dcat-ap.ch/def/": "dcatch",
    "https://project-open-data.cio.gov/v1.1/schema#": "pod",
}


#: Extension terms the harvest reads (contact, licence attribution, spatial coverage).
def dcatde(name: str) -> list[URIRef]:
    """A DCAT-AP.de term in each of its namespaces."""
    return [URIRef(namespace + name) for namespace in DCATDE_NAMESPACES]


READ_EXTENSION_TERMS = frozenset(
    str(term)
    for name in ("maintainer", "originator", "licenseAttributionByText", "politicalGeocodingURI")
    for term in dcatde(name)
)
#: DCAT-AP 3.0 terms that earlier versions do not have.
_DCAT_AP_3_TERMS = (
    DCATAP.applicableLegislation,
    DCATAP.hvdCategory,
    *(URIRef(str(DCAT) + name) for name in ("inSeries", "hasVersion", "version")),
)
_VERSION = re.compile(r"(?:releases?/v?|dcat-ap[/_-]?v?)(\d)")


def curie(iri: str) -> str:
    """`dcatde:maintainer` for a term of a known namespace, else the IRI itself."""
    for namespace, prefix in (PREFIXES | EXTENSION_PREFIXES).items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def is_extension(predicate: Node) -> bool:
    """A term of no namespace DCAT-AP uses itself, that the harvest does not read."""
    iri = str(predicate)
    if iri in READ_EXTENSION_TERMS:
        return False
    return not any(iri.startswith(namespace) for namespace in CORE)


def detect(graph: Graph) -> list[str]:
    """The profiles the graph follows, most general first (`dcat`, `dcat-ap-3`, …)."""
    found = ["dcat"]
    conforms = [str(o).lower() for o in graph.objects(None, DCTERMS.conformsTo)]
    stated = " ".join(conforms)
    versions = {
        match.group(1)
        for value in conforms
        if ("dcat-ap" in value or "dcat-application-profile" in value)
        and "dcat-ap.ch" not in value
        and "dcat-ap-ch" not in value
        for match in [_VERSION.search(value)]
        if match
    }
    if "3" in versions or any(
        next(iter(graph.subject_objects(term)), None) for term in _DCAT_AP_3_TERMS
    ):
        found.append("dcat-ap-3")
    if "2" in versions:
        found.append("dcat-ap-2")
    if len(found) == 1 and _uses_eu_vocabularies(graph):
        found.append("dcat-ap")
    if "dcat-ap-ch" in stated.lower() or _uses(graph, DCAT_AP_CH):
        found.append("dcat-ap-ch")
    if _uses(graph, (DCATDE,)):
        found.append("dcat-ap-de")
    if _uses(graph, HEALTH):
        found.append("healthdcat-ap")
    if "project-open-data" in stated:
        found.append("dcat-us")
    return found


def _uses(graph: Graph, namespaces: tuple[str, ...]) -> bool:
    for _subject, predicate, value in graph:
        if str(predicate).startswith(namespaces):
            return True
        if isinstance(value, URIRef) and str(value).startswith(namespaces):
            return True
    return False


def _uses_eu_vocabularies(graph: Graph) -> bool:
    eu = ("http://publications.europa.eu/resource/authority/", str(DCATAP))
    return _uses(graph, eu) or (None, RDF.type, DCAT.Catalog) in graph


def ignored_terms(graph: Graph, nodes: list[Node]) -> dict[str, int]:
    """Per extension term, the number of records (or their distributions) that use it."""
    counts: dict[str, int] = {}
    for node in nodes:
        holders = [node, *graph.objects(node, DCAT.distribution)]
        terms = {
            curie(str(predicate))
            for holder in holders
            for predicate in set(graph.predicates(holder))
            if is_extension(predicate)
        }
        for term in terms:
            counts[term] = counts.get(term, 0) + 1
    return dict(sorted(counts.items()))
