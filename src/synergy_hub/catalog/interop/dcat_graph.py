"""The DCAT-AP graph of resources: every node the shapes check by class is typed here.

Agents, licences, formats, themes, languages, locations, periods, contact points and
policies all carry their class, so the graph passes the DCAT-AP shapes' class-range
checks without importing the EU vocabularies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from django.utils.translation import gettext_lazy as _
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from synergy_hub.accounts.models import Organisation, OrganisationKind, OrganisationStatus
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.vocabulary import AccessMode, Period, Pillar, ResourceType, Unit
from synergy_hub.languages import EU_CODES, language_label
from synergy_hub.odrl import PolicyError, policy_from_jsonld
from synergy_hub.odrl.rdf import policy_to_graph

from . import facts
from .dcat_vocab import (
    ADMS,
    DCAT,
    DCATAP,
    DCTERMS,
    EU_ACCESS_RIGHT,
    EU_COUNTRY,
    EU_FILE_TYPE,
    EU_LANGUAGE,
    EU_THEME,
    FOAF,
    HYDRA,
    IANA_MEDIA,
    LOCN,
    ODRL,
    PUBLISHER_TYPE,
    RDF,
    RDFS,
    SHUB,
    SHUB_CODES,
    SKOS,
    THEMES,
    TYPE_PROFILES,
    VCARD,
    XSD,
    code_iri,
)
from .labels import ACCESS_TITLE, in_both, language_of

CATALOG_TITLE = _("Synergy Hub openness lists")
CATALOG_DESCRIPTION = _(
    "Resources that platform enterprises and service providers open to SMEs under the "
    "2026–2028 action plan, from the currently published openness lists."
)
ACCESS_DESCRIPTION = _("Request access to this resource on Synergy Hub.")
TERMS_LABEL = _("Terms of the publisher")
HUB_NAME = _("Synergy Hub")

_ACCESS_RIGHTS = {
    AccessMode.OPEN: ("PUBLIC", "public", "公开"),
    AccessMode.ON_REQUEST: ("RESTRICTED", "restricted", "受限"),
    AccessMode.PAID: ("RESTRICTED", "restricted", "受限"),
}
_PUBLISHER_TYPES: dict[str, tuple[str, str, str]] = {
    OrganisationKind.AUTHORITY: ("NationalAuthority", "National authority", "国家机关"),
    OrganisationKind.PLATFORM: ("Company", "Company", "企业"),
    OrganisationKind.PROVIDER: ("Company", "Company", "企业"),
    OrganisationKind.SME: ("Company", "Company", "企业"),
}
#: Our code lists with their titles (Chinese, English).
CODE_LISTS = {
    "pillar": ("协同行动", "Pillars"),
    "resource-type": ("资源类型", "Resource types"),
    "access-mode": ("开放方式", "Access modes"),
    "unit": ("计量单位", "Units"),
    "period": ("周期", "Capacity periods"),
    "industry": ("国民经济行业分类 GB/T 4754-2017", "Industries (GB/T 4754-2017)"),
}
_LANGUAGES = {"zh": ("ZHO", "Chinese", "中文"), "en": ("ENG", "English", "英语")}
PREFIXES = {
    "adms": ADMS,
    "dcat": DCAT,
    "dcatap": DCATAP,
    "dct": DCTERMS,
    "foaf": FOAF,
    "hydra": HYDRA,
    "locn": LOCN,
    "odrl": ODRL,
    "rdf": RDF,
    "rdfs": RDFS,
    "shub": SHUB,
    "skos": SKOS,
    "vcard": VCARD,
    "xsd": XSD,
}


def new_graph() -> Graph:
    graph = Graph(bind_namespaces="none")
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace)
    return graph


class GraphBuilder:
    """Adds resources and the nodes they refer to, each shared node once."""

    def __init__(self, links: facts.Links) -> None:
        self.links = links
        self.g = new_graph()
        self._done: set[Node] = set()
        self._labels: dict[str, tuple[str, str]] = {}

    def _both(self, text: object) -> tuple[str, str]:
        """(Chinese, English) of a translatable text, the Chinese left empty if untranslated."""
        key = str(text)
        if key not in self._labels:
            zh, en = in_both(text)
            self._labels[key] = (zh if zh != en else "", en)
        return self._labels[key]

    # small helpers

    def _first_time(self, node: Node) -> bool:
        if node in self._done:
            return False
        self._done.add(node)
        return True

    def _texts(self, subject: Node, predicate: URIRef, zh: str, en: str) -> None:
        if zh:
            self.g.add((subject, predicate, Literal(zh, lang="zh")))
        if en:
            self.g.add((subject, predicate, Literal(en, lang="en")))

    def _label(self, subject: Node, predicate: URIRef, text: object) -> None:
        # An untranslated text is English: never tag it as Chinese.
        self._texts(subject, predicate, *self._both(text))

    def _concept(
        self, iri: URIRef, scheme: URIRef, zh: str, en: str, notation: str | None = None
    ) -> URIRef:
        if self._first_time(iri):
            self.g.add((iri, RDF.type, SKOS.Concept))
            self.g.add((iri, SKOS.inScheme, scheme))
            self._texts(iri, SKOS.prefLabel, zh, en)
            if notation:
                self.g.add((iri, SKOS.notation, Literal(notation)))
        return iri

    def _code(self, code_list: str, code: str, label: object) -> URIRef:
        iri = code_iri(code_list, code)
        if iri in self._done:
            return iri
        zh, en = self._both(label)
        scheme_zh, scheme_en = CODE_LISTS[code_list]
        scheme = self.scheme(URIRef(f"{SHUB_CODES}{code_list}"), scheme_zh, scheme_en)
        return self._concept(iri, scheme, zh, en, code)

    def _typed(self, iri: URIRef, *classes: URIRef) -> URIRef:
        if self._first_time(iri):
            for cls in classes:
                self.g.add((iri, RDF.type, cls))
        return iri

    # shared nodes

    def scheme(self, iri: URIRef, title_zh: str, title_en: str) -> URIRef:
        if self._first_time(iri):
            self.g.add((iri, RDF.type, SKOS.ConceptScheme))
            self._texts(iri, DCTERMS.title, title_zh, title_en)
        return iri

    def language(self, code: str) -> URIRef:
        """One of the UI's two languages (`zh`, `en`) as the EU authority's, typed."""
        eu, en, zh = _LANGUAGES[code]
        return self._linguistic_system(EU_LANGUAGE[eu], zh, en)

    def other_language(self, tag: str) -> URIRef | None:
        """Another language as the EU authority's, typed; None where it has no code."""
        primary = tag.split("-")[0]
        if primary not in EU_CODES:
            return None
        zh, en = in_both(language_label(primary))
        return self._linguistic_system(EU_LANGUAGE[EU_CODES[primary]], zh, en)

    def _linguistic_system(self, iri: URIRef, zh: str, en: str) -> URIRef:
        if self._first_time(iri):
            self.g.add((iri, RDF.type, DCTERMS.LinguisticSystem))
            self._texts(iri, SKOS.prefLabel, zh, en)
        return iri

    def _other_texts(
        self, node: Node, translations: dict[str, Any], predicates: dict[str, URIRef]
    ) -> None:
        """One literal per language for an object's texts in other languages (decision 0013)."""
        for tag, texts in sorted((translations or {}).items()):
            for part, predicate in predicates.items():
                if texts.get(part):
                    self.g.add((node, predicate, Literal(texts[part], lang=tag)))

    def _other_languages(self, node: URIRef, resource: Resource) -> None:
        """A resource's texts in other languages, its keywords in them, and their languages."""
        self._other_texts(
            node,
            resource.translations,
            {"title": DCTERMS.title, "description": DCTERMS.description},
        )
        for tag, texts in sorted((resource.translations or {}).items()):
            for keyword in texts.get("keywords", []):
                self.g.add((node, DCAT.keyword, Literal(keyword, lang=tag)))
            written = texts.get("title") or texts.get("description")
            language = self.other_language(tag) if written else None
            if language is not None:
                self.g.add((node, DCTERMS.language, language))

    def country(self) -> URIRef:
        iri = EU_COUNTRY["CHN"]
        if self._first_time(iri):
            self.g.add((iri, RDF.type, DCTERMS.Location))
            self._texts(iri, SKOS.prefLabel, "中国", "China")
        return iri

    def region(self, code: str, name_zh: str, name_en: str) -> URIRef:
        iri = code_iri("region", code)
        if self._first_time(iri):
            self.g.add((iri, RDF.type, DCTERMS.Location))
            self.g.add((iri, SKOS.notation, Literal(code)))
            self._texts(iri, SKOS.prefLabel, name_zh, name_en)
        return iri

    def agent(self, organisation: Organisation) -> URIRef:
        iri = URIRef(self.links.organisation(organisation.pk))
        if not self._first_time(iri):
            return iri
        self.g.add((iri, RDF.type, FOAF.Agent))
        self.g.add((iri, RDF.type, FOAF.Organization))
        self._texts(iri, FOAF.name, organisation.name_zh, organisation.name_en)
        self._other_texts(iri, organisation.translations, {"name": FOAF.name})
        self.g.add((iri, DCTERMS.identifier, Literal(organisation.uscc)))
        code, en, zh = _PUBLISHER_TYPES[organisation.kind]
        kind = self._concept(PUBLISHER_TYPE[code], URIRef(str(PUBLISHER_TYPE)), zh, en)
        self.g.add((iri, DCTERMS.type, kind))
        if organisation.website:
            homepage = self._typed(URIRef(organisation.website), FOAF.Document)
            self.g.add((iri, FOAF.homepage, homepage))
        return iri

    def hub_agent(self) -> URIRef:
        iri = URIRef(self.links.url("/#hub"))
        if self._first_time(iri):
            self.g.add((iri, RDF.type, FOAF.Agent))
            self._label(iri, FOAF.name, HUB_NAME)
        return iri

    def theme(self, code: str) -> URIRef:
        en, zh = THEMES[code]
        scheme = self.scheme(URIRef(str(EU_THEME).rstrip("/")), "数据主题", "Data theme")
        return self._concept(EU_THEME[code], scheme, zh, en)

    def access_rights(self, access_mode: str) -> URIRef:
        code, en, zh = _ACCESS_RIGHTS[AccessMode(access_mode)]
        iri = EU_ACCESS_RIGHT[code]
        if self._first_time(iri):
            self.g.add((iri, RDF.type, DCTERMS.RightsStatement))
            self._texts(iri, SKOS.prefLabel, zh, en)
        return iri

    # resources

    def resource(self, resource: Resource) -> URIRef:
        """Describe one resource as a dcat:Dataset or dcat:DataService."""
        profile = TYPE_PROFILES[resource.resource_type]
        node = URIRef(self.links.dataset_iri(resource))
        g = self.g
        g.add((node, RDF.type, profile.dcat_class))
        g.add((node, RDF.type, profile.shub_class))
        self._texts(node, DCTERMS.title, resource.title_zh, resource.title_en)
        self._texts(node, DCTERMS.description, resource.description_zh, resource.description_en)
        g.add((node, DCTERMS.identifier, Literal(str(resource.lineage))))
        for keyword in resource.keywords:
            g.add((node, DCAT.keyword, Literal(keyword, lang=language_of(keyword))))
        for code in ("zh", "en"):
            if getattr(resource, f"title_{code}") or getattr(resource, f"description_{code}"):
                g.add((node, DCTERMS.language, self.language(code)))
        self._other_languages(node, resource)
        openness_list = resource.openness_list
        g.add((node, DCTERMS.publisher, self.agent(openness_list.publisher)))
        g.add((node, DCAT.theme, self.theme(profile.theme)))
        pillar = self._code("pillar", resource.pillar, Pillar(resource.pillar).label)
        g.add((node, DCAT.theme, pillar))
        kind = self._code(
            "resource-type", resource.resource_type, ResourceType(resource.resource_type).label
        )
        g.add((node, DCTERMS.type, kind))
        g.add((node, SHUB.resourceType, kind))
        g.add((node, SHUB.pillar, pillar))
        self._dates(node, resource)
        self._coverage(node, resource)
        g.add((node, DCTERMS.accessRights, self.access_rights(resource.access_mode)))
        g.add((node, DCAT.contactPoint, self._contact(node, resource)))
        g.add(
            (
                node,
                DCAT.landingPage,
                self._typed(URIRef(self.links.landing_page(resource)), FOAF.Document),
            )
        )
        licence = self._licence(resource)
        policy = self._policy(node, resource)
        if profile.dcat_class == DCAT.Dataset:
            g.add((node, DCAT.distribution, self._distribution(node, resource, licence, policy)))
        else:
            # The shapes give the endpoint URL the range rdfs:Resource (ranges.ttl).
            endpoint = URIRef(self.links.landing_page(resource))
            g.add((node, DCAT.endpointURL, endpoint))
            g.add((endpoint, RDF.type, RDFS.Resource))
            g.add((node, DCTERMS.license, licence))
            g.add((node, ODRL.hasPolicy, policy))
        self._offer_terms(node, resource)
        return node

    def _dates(self, node: URIRef, resource: Resource) -> None:
        first = getattr(resource, "first_published", None) or resource.openness_list.published_at
        if first is not None:
            self.g.add((node, DCTERMS.issued, Literal(first, datatype=XSD.dateTime)))
        modified = facts.modified_at(resource)
        self.g.add((node, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))
        start = resource.openness_list.published_at
        programme = resource.openness_list.batch.programme
        period = URIRef(self.links.part_iri(resource, "availability"))
        self.g.add((period, RDF.type, DCTERMS.PeriodOfTime))
        if start is not None:
            self.g.add((period, DCAT.startDate, Literal(start.date(), datatype=XSD.date)))
        end = date(programme.end_year, 12, 31)
        self.g.add((period, DCAT.endDate, Literal(end, datatype=XSD.date)))
        self.g.add((node, DCTERMS.temporal, period))

    def _coverage(self, node: URIRef, resource: Resource) -> None:
        regions = list(resource.regions.all())
        if not regions:
            self.g.add((node, DCTERMS.spatial, self.country()))
        for region in regions:
            self.g.add(
                (node, DCTERMS.spatial, self.region(region.code, region.name_zh, region.name_en))
            )
        for industry in resource.industries.all():
            scheme = self.scheme(URIRef(f"{SHUB_CODES}industry"), *CODE_LISTS["industry"])
            concept = self._concept(
                code_iri("industry", industry.code),
                scheme,
                industry.name_zh,
                industry.name_en,
                industry.code,
            )
            self.g.add((node, SHUB.industry, concept))

    def _contact(self, node: URIRef, resource: Resource) -> URIRef:
        contact = URIRef(self.links.part_iri(resource, "contact"))
        self.g.add((contact, RDF.type, VCARD.Kind))
        self.g.add((contact, RDF.type, VCARD.Organization))
        publisher = resource.openness_list.publisher
        name = resource.contact_name or publisher.name_zh or publisher.name_en
        self.g.add((contact, VCARD.fn, Literal(name)))
        self.g.add((contact, VCARD["organization-name"], Literal(publisher.name_zh)))
        email = resource.contact_email or publisher.contact_email
        if email:
            self.g.add((contact, VCARD.hasEmail, URIRef(f"mailto:{email}")))
        if resource.contact_phone:
            phone = "".join(ch for ch in resource.contact_phone if ch.isdigit() or ch in "+-")
            self.g.add((contact, VCARD.hasTelephone, URIRef(f"tel:{phone}")))
        return contact

    def _licence(self, resource: Resource) -> URIRef:
        licence = facts.licence_for(resource)
        iri = URIRef(self.links.licence_url(resource))
        if not self._first_time(iri):
            return iri
        self.g.add((iri, RDF.type, DCTERMS.LicenseDocument))
        if licence.is_open:
            self._texts(iri, RDFS.label, licence.title_zh, licence.title_en)
        else:
            self._label(iri, RDFS.label, TERMS_LABEL)
            self._texts(iri, DCTERMS.description, resource.usage_terms_zh, resource.usage_terms_en)
            for tag, texts in sorted((resource.translations or {}).items()):
                if texts.get("usage_terms"):
                    self.g.add((iri, DCTERMS.description, Literal(texts["usage_terms"], lang=tag)))
        return iri

    def _policy(self, node: URIRef, resource: Resource) -> URIRef:
        """The stored ODRL policy, or a minimal offer: permission to use, from the publisher."""
        if resource.usage_policy:
            try:
                policy = policy_from_jsonld(resource.usage_policy)
            except (PolicyError, TypeError, ValueError):
                pass  # an unreadable stored policy is replaced by the minimal offer
            else:
                self.g += policy_to_graph(policy)
                iri = URIRef(policy.uid)
                self.g.add((iri, RDF.type, ODRL.Policy))
                return iri
        # Written directly: the same triples `policy_to_graph` gives for this offer.
        iri = URIRef(self.links.part_iri(resource, "policy"))
        permission = BNode()
        publisher = URIRef(self.links.organisation(resource.openness_list.publisher_id))
        for triple in (
            (iri, RDF.type, ODRL.Policy),
            (iri, RDF.type, ODRL.Offer),
            (iri, ODRL.uid, iri),
            (iri, ODRL.assigner, publisher),
            (iri, ODRL.target, node),
            (iri, ODRL.permission, permission),
            (permission, RDF.type, ODRL.Permission),
            (permission, ODRL.action, ODRL.use),
        ):
            self.g.add(triple)
        return iri

    def _distribution(
        self, node: URIRef, resource: Resource, licence: URIRef, policy: URIRef
    ) -> URIRef:
        dist = URIRef(self.links.part_iri(resource, "distribution"))
        g = self.g
        g.add((dist, RDF.type, DCAT.Distribution))
        self._label(dist, DCTERMS.title, ACCESS_TITLE)
        self._label(dist, DCTERMS.description, ACCESS_DESCRIPTION)
        g.add((dist, DCTERMS.identifier, Literal(facts.access_resource_id(resource.lineage))))
        g.add((dist, DCAT.accessURL, URIRef(self.links.landing_page(resource))))
        g.add((dist, DCTERMS.format, self._typed(EU_FILE_TYPE["HTML"], DCTERMS.MediaTypeOrExtent)))
        g.add((dist, DCAT.mediaType, self._typed(IANA_MEDIA["text/html"], DCTERMS.MediaType)))
        g.add((dist, DCTERMS.license, licence))
        g.add((dist, ODRL.hasPolicy, policy))
        g.add((dist, DCTERMS.modified, Literal(facts.modified_at(resource), datatype=XSD.dateTime)))
        return dist

    def _offer_terms(self, node: URIRef, resource: Resource) -> None:
        """Our own terms: how the resource is offered, to whom, at what price and capacity."""
        g = self.g
        g.add(
            (
                node,
                SHUB.accessMode,
                self._code(
                    "access-mode", resource.access_mode, AccessMode(resource.access_mode).label
                ),
            )
        )
        g.add((node, SHUB.unit, self._code("unit", resource.unit, Unit(resource.unit).label)))
        if resource.price is not None:
            g.add((node, SHUB.price, Literal(resource.price, datatype=XSD.decimal)))
            g.add((node, SHUB.currency, Literal("CNY")))
        g.add(
            (
                node,
                SHUB.smeDiscountPercent,
                Literal(resource.sme_discount_percent, datatype=XSD.nonNegativeInteger),
            )
        )
        if resource.capacity is not None:
            g.add((node, SHUB.capacity, Literal(resource.capacity, datatype=XSD.decimal)))
        if resource.capacity_period:
            g.add(
                (
                    node,
                    SHUB.capacityPeriod,
                    self._code(
                        "period", resource.capacity_period, Period(resource.capacity_period).label
                    ),
                )
            )
        for size_class in resource.eligible_size_classes:
            g.add((node, SHUB.eligibleSizeClass, code_iri("size-class", size_class)))
        for tier in resource.eligible_tiers:
            g.add((node, SHUB.eligibleTier, code_iri("tier", tier)))
        openness_list = resource.openness_list
        list_iri = URIRef(self.links.openness_list(openness_list.pk))
        g.add((node, SHUB.opennessList, list_iri))
        if self._first_time(list_iri):
            g.add((list_iri, RDF.type, SHUB.OpennessList))
            self._texts(list_iri, DCTERMS.title, openness_list.title_zh, openness_list.title_en)
            self._texts(
                list_iri, DCTERMS.description, openness_list.summary_zh, openness_list.summary_en
            )
            self._other_texts(
                list_iri,
                openness_list.translations,
                {"title": DCTERMS.title, "summary": DCTERMS.description},
            )
            g.add((list_iri, SHUB.batch, Literal(openness_list.batch.number, datatype=XSD.integer)))
            g.add((list_iri, SHUB.version, Literal(openness_list.version, datatype=XSD.integer)))
            g.add((list_iri, DCTERMS.publisher, self.agent(openness_list.publisher)))

    # the catalog

    def catalog(
        self, resources: Iterable[URIRef], *, publisher: URIRef, modified: datetime | None
    ) -> URIRef:
        """The one dcat:Catalog that lists every resource on the page."""
        node = URIRef(self.links.catalog_iri())
        g = self.g
        g.add((node, RDF.type, DCAT.Catalog))
        self._label(node, DCTERMS.title, CATALOG_TITLE)
        self._label(node, DCTERMS.description, CATALOG_DESCRIPTION)
        g.add((node, DCTERMS.publisher, publisher))
        g.add((node, FOAF.homepage, self._typed(URIRef(self.links.url("/")), FOAF.Document)))
        g.add((node, DCTERMS.language, self.language("zh")))
        g.add((node, DCTERMS.language, self.language("en")))
        g.add((node, DCTERMS.spatial, self.country()))
        if modified is not None:
            g.add((node, DCTERMS.modified, Literal(modified, datatype=XSD.dateTime)))
        g.add(
            (
                node,
                DCAT.themeTaxonomy,
                self.scheme(URIRef(str(EU_THEME).rstrip("/")), "数据主题", "Data theme"),
            )
        )
        pillars = self.scheme(URIRef(f"{SHUB_CODES}pillar"), *CODE_LISTS["pillar"])
        g.add((node, DCAT.themeTaxonomy, pillars))
        for item in resources:
            if (item, RDF.type, DCAT.Dataset) in g:
                g.add((node, DCAT.dataset, item))
            else:
                g.add((node, DCAT.service, item))
        return node

    def paging(
        self,
        catalog: URIRef,
        *,
        number: int,
        last: int,
        size: int,
        total: int,
        page_url: Callable[[int], str],
    ) -> None:
        """Hydra paging as ckanext-dcat does, with a PartialCollectionView."""
        view = URIRef(page_url(number))
        g = self.g
        g.add((catalog, RDF.type, HYDRA.Collection))
        g.add((catalog, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
        g.add((catalog, HYDRA.view, view))
        g.add((view, RDF.type, HYDRA.PartialCollectionView))
        g.add((view, HYDRA.first, URIRef(page_url(1))))
        g.add((view, HYDRA.last, URIRef(page_url(last))))
        if number > 1:
            g.add((view, HYDRA.previous, URIRef(page_url(number - 1))))
        if number < last:
            g.add((view, HYDRA.next, URIRef(page_url(number + 1))))
        g.add((view, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
        g.add((view, HYDRA.itemsPerPage, Literal(size, datatype=XSD.integer)))


def catalog_publisher(builder: GraphBuilder) -> URIRef:
    """The programme office publishes the catalog; a hub agent stands in before it exists."""
    office = (
        Organisation.objects.filter(
            kind=OrganisationKind.AUTHORITY, status=OrganisationStatus.APPROVED
        )
        .order_by("pk")
        .first()
    )
    return builder.agent(office) if office is not None else builder.hub_agent()
