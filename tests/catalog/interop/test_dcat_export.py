"""The DCAT-AP 3.0.1 export: SHACL conformance on demo data, mapping, paging, caching, access."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from rdflib import Graph, Literal, URIRef

from synergy_hub.catalog.interop import dcat_export, facts
from synergy_hub.catalog.interop import dcat_vocab as v
from synergy_hub.catalog.interop.shacl import load_shapes, validate
from synergy_hub.catalog.models import Resource
from synergy_hub.demo.loader import load_demo_data
from synergy_hub.odrl import no_redistribution, policy_to_jsonld
from tests.catalog.interop.conftest import SmallCatalog
from tests.pages import client_for
from tests.permissions import assert_page_refused
from tests.shared_data import shared_data

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")

BASE = "http://testserver"
TODAY = date(2026, 11, 22)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return load_shapes(shared_data("dcat-ap", "3.0.1", "shacl"))


def get_graph(client: Client, url: str, fmt: str = "turtle") -> Graph:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return Graph().parse(data=response.content, format=fmt)


def dataset_iri(resource: Resource) -> URIRef:
    return URIRef(facts.Links(BASE).dataset_iri(resource))


# --- SHACL on the demo catalog ----------------------------------------------------------------


@pytest.mark.django_db
def test_demo_catalog_conforms_to_the_dcat_ap_shapes(shapes: Graph) -> None:
    load_demo_data(resources=120, smes=10, needs=5, today=TODAY)
    graph = get_graph(Client(), "/catalog.ttl?page_size=1000")
    result = validate(graph, shapes)
    assert result.conforms, result.text[:3000]
    assert result.violations == 0
    published = Resource.objects.filter(openness_list__state="published").count()
    members = set(graph.objects(None, v.DCAT.dataset)) | set(graph.objects(None, v.DCAT.service))
    assert len(members) == published > 0


@pytest.mark.django_db
def test_default_demo_catalog_conforms_to_the_dcat_ap_shapes(shapes: Graph) -> None:
    load_demo_data(today=TODAY)
    started = time.monotonic()
    page = dcat_export.catalog_page(1, dcat_export.MAX_PAGE_SIZE)
    graph = dcat_export.catalog_graph(page, facts.Links(BASE))
    result = validate(graph, shapes)
    assert result.conforms, result.text[:3000]
    assert result.violations == 0
    assert page.total == len(page.resources) > 400
    assert time.monotonic() - started < 60


def test_the_shapes_check_class_ranges(shapes: Graph) -> None:
    """Our shapes graph really runs the class checks: an untyped publisher is a violation."""
    graph = Graph()
    dataset, agent = URIRef("http://example.org/d"), URIRef("http://example.org/a")
    graph.add((dataset, v.RDF.type, v.DCAT.Dataset))
    graph.add((dataset, v.DCTERMS.title, Literal("t", lang="en")))
    graph.add((dataset, v.DCTERMS.description, Literal("d", lang="en")))
    graph.add((dataset, v.DCTERMS.publisher, agent))
    result = validate(graph, shapes)
    assert not result.conforms
    assert result.violations == 1
    graph.add((agent, v.RDF.type, v.FOAF.Agent))
    graph.add((agent, v.FOAF.name, Literal("A")))
    assert validate(graph, shapes).conforms


# --- mapping ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_resources_map_to_datasets_and_services(small_catalog: SmallCatalog, shapes: Graph) -> None:
    graph = get_graph(Client(), "/catalog.ttl")
    weather, gpu, lab = (
        dataset_iri(small_catalog.weather),
        dataset_iri(small_catalog.gpu),
        dataset_iri(small_catalog.lab),
    )
    assert (weather, v.RDF.type, v.DCAT.Dataset) in graph
    assert (gpu, v.RDF.type, v.DCAT.DataService) in graph
    assert (gpu, v.RDF.type, v.SHUB.ComputingService) in graph
    assert (lab, v.RDF.type, v.SHUB.Laboratory) in graph
    assert (weather, v.DCTERMS.title, Literal("开放气象数据", lang="zh")) in graph
    assert (weather, v.DCTERMS.title, Literal("Open weather data", lang="en")) in graph
    assert (gpu, v.DCAT.keyword, Literal("算力", lang="zh")) in graph
    # the open dataset without terms is CC BY 4.0; its distribution carries licence and policy
    distribution = graph.value(weather, v.DCAT.distribution)
    assert graph.value(distribution, v.DCTERMS.license) == v.EU_LICENCE["CC_BY_4_0"]
    assert graph.value(distribution, v.DCAT.accessURL) is not None
    assert (graph.value(distribution, v.ODRL.hasPolicy), v.RDF.type, v.ODRL.Policy) in graph
    # services state the publisher's terms as their licence
    terms = graph.value(gpu, v.DCTERMS.license)
    assert str(graph.value(terms, v.DCTERMS.description)) == "Own R&D only; no resale."
    assert (lab, v.DCTERMS.spatial, URIRef("https://synergy-hub.cn/ns/region/330000")) in graph
    assert (gpu, v.DCTERMS.spatial, v.EU_COUNTRY["CHN"]) in graph
    assert str(graph.value(gpu, v.SHUB.price)) == "12.00"
    contact = graph.value(lab, v.DCAT.contactPoint)
    assert graph.value(contact, v.VCARD.hasEmail) == URIRef("mailto:lab@example.org")
    assert (None, v.DCAT.dataset, dataset_iri(small_catalog.secret)) not in graph
    assert (None, v.DCAT.service, dataset_iri(small_catalog.secret)) not in graph
    assert validate(graph, shapes).conforms


@pytest.mark.django_db
def test_a_stored_odrl_policy_is_exported(small_catalog: SmallCatalog, shapes: Graph) -> None:
    weather = small_catalog.weather
    policy = no_redistribution(uid="urn:uuid:0d1f7c2e-5d1a-4e57-9f00-1a2b3c4d5e6f")
    Resource.objects.filter(pk=weather.pk).update(usage_policy=policy_to_jsonld(policy))
    graph = get_graph(Client(), f"/resources/{weather.pk}.ttl")
    distribution = graph.value(dataset_iri(weather), v.DCAT.distribution)
    node = graph.value(distribution, v.ODRL.hasPolicy)
    assert node == URIRef(policy.uid)
    assert graph.value(node, v.ODRL.prohibition) is not None
    assert validate(graph, shapes).conforms


# --- paging, filters, caching ---------------------------------------------------------------


@pytest.mark.django_db
def test_hydra_paging(small_catalog: SmallCatalog) -> None:
    client = Client()
    graph = get_graph(client, "/catalog.ttl?page=2&page_size=1")
    view = URIRef(f"{BASE}/catalog.ttl?page=2&page_size=1")
    assert (view, v.RDF.type, v.HYDRA.PartialCollectionView) in graph
    assert str(graph.value(view, v.HYDRA.first)).endswith("page=1&page_size=1")
    assert str(graph.value(view, v.HYDRA.previous)).endswith("page=1&page_size=1")
    assert str(graph.value(view, v.HYDRA.next)).endswith("page=3&page_size=1")
    assert str(graph.value(view, v.HYDRA.last)).endswith("page=3&page_size=1")
    assert graph.value(view, v.HYDRA.totalItems).toPython() == 3  # type: ignore[union-attr]
    seen = set()
    for number in (1, 2, 3):
        page = get_graph(client, f"/catalog.ttl?page={number}&page_size=1")
        seen |= set(page.objects(None, v.DCAT.dataset)) | set(page.objects(None, v.DCAT.service))
    assert len(seen) == 3
    assert client.get("/catalog.ttl?page=4&page_size=1").status_code == 404


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("page=0", "page"),
        ("page=x", "page"),
        ("page_size=5000", "page_size"),
        ("modified_since=yesterday", "modified_since"),
    ],
)
@pytest.mark.django_db
def test_bad_parameters_are_refused_naming_them(query: str, words: str) -> None:
    response = Client().get(f"/catalog.ttl?{query}")
    assert response.status_code == 400
    assert words in response.content.decode()


@pytest.mark.django_db
def test_modified_since(small_catalog: SmallCatalog) -> None:
    long_ago = timezone.now() - timedelta(days=100)
    Resource.objects.update(updated_at=long_ago)
    small_catalog.list_a.published_at = long_ago
    small_catalog.list_a.save()
    since = (timezone.now() - timedelta(days=1)).date().isoformat()
    graph = get_graph(Client(), f"/catalog.ttl?modified_since={since}")
    members = set(graph.objects(None, v.DCAT.service)) | set(graph.objects(None, v.DCAT.dataset))
    assert members == {dataset_iri(small_catalog.lab)}  # list C was published just now
    with_offset = Client().get(
        "/catalog.ttl", {"modified_since": (timezone.now() - timedelta(days=1)).isoformat()}
    )
    assert with_offset.status_code == 200


@pytest.mark.django_db
def test_conditional_requests(small_catalog: SmallCatalog) -> None:
    client = Client()
    first = client.get("/catalog.ttl")
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    assert "max-age" in first.headers["Cache-Control"]
    again = client.get("/catalog.ttl", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304
    since = client.get(
        "/catalog.ttl", headers={"If-Modified-Since": first.headers["Last-Modified"]}
    )
    assert since.status_code == 304
    # a new publication changes the validators
    small_catalog.list_c.published_at = timezone.now() + timedelta(seconds=5)
    small_catalog.list_c.save()
    changed = client.get("/catalog.ttl", headers={"If-None-Match": first.headers["ETag"]})
    assert changed.status_code == 200


@pytest.mark.parametrize(
    ("suffix", "media", "fmt"),
    [
        ("ttl", "text/turtle", "turtle"),
        ("jsonld", "application/ld+json", "json-ld"),
        ("rdf", "application/rdf+xml", "xml"),
    ],
)
@pytest.mark.django_db
def test_three_serialisations_carry_the_same_graph(
    small_catalog: SmallCatalog, suffix: str, media: str, fmt: str
) -> None:
    response = Client().get(f"/catalog.{suffix}")
    assert response.headers["Content-Type"].startswith(media)
    graph = Graph().parse(data=response.content, format=fmt)
    reference = get_graph(Client(), "/catalog.ttl")
    assert len(graph) == len(reference)


# --- per resource ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_per_resource_documents_follow_visibility(small_catalog: SmallCatalog) -> None:
    world = small_catalog.world
    anonymous = Client()
    assert anonymous.get(f"/resources/{small_catalog.gpu.pk}.jsonld").status_code == 200
    assert anonymous.get(f"/resources/{small_catalog.secret.pk}.ttl").status_code == 404
    outsider = Client()
    outsider.force_login(world.charlie)
    assert outsider.get(f"/resources/{small_catalog.secret.pk}.ttl").status_code == 404
    owner = Client()
    owner.force_login(world.alice)
    response = owner.get(f"/resources/{small_catalog.secret.pk}.ttl")
    assert response.status_code == 200
    assert "private" in response.headers["Cache-Control"]
    # the HTML page keeps its address
    assert anonymous.get(f"/resources/{small_catalog.gpu.pk}/").status_code == 200


@pytest.mark.django_db
def test_unpublished_resource_documents_are_hidden_from_other_organisations(
    small_catalog: SmallCatalog,
) -> None:
    world = small_catalog.world
    path = f"/resources/{small_catalog.secret.pk}.ttl"
    assert_page_refused(world, "GET", path, other_platform=404, provider=404, sme_a=404)
    for persona in ("platform_viewer", "officer"):
        assert client_for(world.persona(persona)).get(path).status_code == 200, persona


@pytest.mark.django_db
def test_dataset_iri_redirects_to_the_current_version(small_catalog: SmallCatalog) -> None:
    client = Client()
    lineage = small_catalog.gpu.lineage
    page = client.get(f"/id/resources/{lineage}/")
    assert page.status_code == 303
    assert page.headers["Location"] == f"/resources/{small_catalog.gpu.pk}/"
    rdf = client.get(f"/id/resources/{lineage}/", headers={"Accept": "text/turtle"})
    assert rdf.headers["Location"] == f"/resources/{small_catalog.gpu.pk}.ttl"
    assert client.get(f"/id/resources/{lineage}/policy/").status_code == 303
    assert client.get(f"/id/resources/{lineage}/nope/").status_code == 404
    assert client.get(f"/id/resources/{small_catalog.secret.lineage}/").status_code == 404
    assert client.get("/catalog").headers["Location"] == "/catalog.ttl"
