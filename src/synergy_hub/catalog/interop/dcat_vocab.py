"""Namespaces and controlled terms of the DCAT-AP export, including our own `shub:` terms.

DCAT-AP asks for EU Vocabularies (data themes, file types, languages, access rights,
licences) where it names a range; what DCAT has no term for (resource types beyond data,
pillars, access modes, prices, capacity, eligibility, GB/T 2260 regions and GB/T 4754
industries) lives in the `shub:` namespace documented in docs/interop.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD

from synergy_hub.catalog.vocabulary import ResourceType

__all__ = [
    "ADMS",
    "DCAT",
    "DCATAP",
    "DCTERMS",
    "EU_ACCESS_RIGHT",
    "EU_COUNTRY",
    "EU_FILE_TYPE",
    "EU_LANGUAGE",
    "EU_LICENCE",
    "EU_THEME",
    "FOAF",
    "HYDRA",
    "IANA_MEDIA",
    "LOCN",
    "ODRL",
    "PUBLISHER_TYPE",
    "RDF",
    "RDFS",
    "SHUB",
    "SHUB_CODES",
    "SKOS",
    "THEMES",
    "TYPE_PROFILES",
    "VCARD",
    "XSD",
    "TypeProfile",
    "code_from_iri",
    "code_iri",
]

#: Our own vocabulary: classes and properties for what DCAT-AP does not cover.
SHUB = Namespace("https://synergy-hub.cn/ns#")
#: Code lists of our namespace (region, industry, resource-type, pillar, …): `…/ns/<list>/<code>`.
SHUB_CODES = "https://synergy-hub.cn/ns/"

ADMS = Namespace("http://www.w3.org/ns/adms#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
LOCN = Namespace("http://www.w3.org/ns/locn#")
ODRL = Namespace("http://www.w3.org/ns/odrl/2/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")

_EU = "http://publications.europa.eu/resource/authority/"
EU_THEME = Namespace(_EU + "data-theme/")
EU_FILE_TYPE = Namespace(_EU + "file-type/")
EU_LANGUAGE = Namespace(_EU + "language/")
EU_ACCESS_RIGHT = Namespace(_EU + "access-right/")
EU_LICENCE = Namespace(_EU + "licence/")
EU_COUNTRY = Namespace(_EU + "country/")
IANA_MEDIA = Namespace("http://www.iana.org/assignments/media-types/")
PUBLISHER_TYPE = Namespace("http://purl.org/adms/publishertype/")

#: EU data themes used, with their labels (English, Chinese).
THEMES: dict[str, tuple[str, str]] = {
    "TECH": ("Science and technology", "科学技术"),
    "ECON": ("Economy and finance", "经济与金融"),
    "EDUC": ("Education, culture and sport", "教育、文化和体育"),
}


@dataclass(frozen=True)
class TypeProfile:
    """How one of our resource types appears in DCAT: class, EU theme and our own class."""

    dcat_class: URIRef
    theme: str
    shub_class: URIRef


# Data are datasets; everything reached through the hub's access request (an API, a
# model's inference, computing time, a lab day, a test slot, …) is offered as a service.
TYPE_PROFILES: dict[str, TypeProfile] = {
    ResourceType.DATASET: TypeProfile(DCAT.Dataset, "TECH", SHUB.DataResource),
    ResourceType.API: TypeProfile(DCAT.DataService, "TECH", SHUB.ApiService),
    ResourceType.AI_MODEL: TypeProfile(DCAT.DataService, "TECH", SHUB.AIModel),
    ResourceType.COMPUTE: TypeProfile(DCAT.DataService, "TECH", SHUB.ComputingService),
    ResourceType.SOFTWARE_TOOL: TypeProfile(DCAT.DataService, "TECH", SHUB.SoftwareTool),
    ResourceType.EQUIPMENT: TypeProfile(DCAT.DataService, "TECH", SHUB.Equipment),
    ResourceType.LABORATORY: TypeProfile(DCAT.DataService, "TECH", SHUB.Laboratory),
    ResourceType.TESTING_CERTIFICATION: TypeProfile(DCAT.DataService, "TECH", SHUB.TestingService),
    ResourceType.TRAINING_INCUBATION: TypeProfile(DCAT.DataService, "EDUC", SHUB.TrainingService),
    ResourceType.SUPPLY_CHAIN_SERVICE: TypeProfile(
        DCAT.DataService, "ECON", SHUB.SupplyChainService
    ),
    ResourceType.MARKET_ACCESS: TypeProfile(DCAT.DataService, "ECON", SHUB.MarketAccessService),
}


def code_iri(code_list: str, code: str) -> URIRef:
    """The IRI of a code in one of our code lists, e.g. `region/330100`."""
    return URIRef(f"{SHUB_CODES}{code_list}/{code}")


def code_from_iri(code_list: str, iri: str) -> str | None:
    """The code of an IRI in one of our code lists, or None for any other IRI."""
    prefix = f"{SHUB_CODES}{code_list}/"
    if iri.startswith(prefix) and len(iri) > len(prefix):
        return iri[len(prefix) :]
    return None
