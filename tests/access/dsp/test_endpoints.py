"""The DSP catalog endpoints: answers valid against the DSP schemas, visibility, filters, paging,
errors as CatalogError, and the offer in the catalog being the one negotiation starts from."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from django.test import Client
from rdflib import URIRef

from synergy_hub import odrl
from synergy_hub.access import services, usage_policy
from synergy_hub.access.dsp.catalog import dataset_id
from synergy_hub.access.dsp.messages import DSP_CONTEXT
from synergy_hub.access.dsp.offers import offer_policy
from synergy_hub.access.services.resource_policy import clean_policy
from synergy_hub.access.vocabulary import Party
from synergy_hub.catalog.interop import dcat_vocab as v
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.demo.loader import load_demo_data
from synergy_hub.odrl.rdf import normalise, policy_from_graph
from synergy_hub.validation import FieldErrors
from tests import factories
from tests.access.conftest import offer_terms, terms
from tests.access.dsp.conftest import (
    ODRL,
    REQUEST,
    DspCatalog,
    assert_valid,
    dsp_graph,
    example,
    schema_errors,
    with_implied_targets,
)
from tests.conftest import World

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:rdflib.*")

CATALOG = "/dsp/catalog/request"
CATALOG_SCHEMA = "catalog/catalog-schema.json"
DATASET_SCHEMA = "catalog/dataset-schema.json"
ERROR_SCHEMA = "catalog/catalog-error-schema.json"


def post(message: Any, query: str = "", client: Client | None = None, **environ: str) -> Any:
    body = message if isinstance(message, str | bytes) else json.dumps(message)
    return (client or Client()).post(
        CATALOG + query, data=body, content_type="application/json", **environ
    )


def catalog(query: str = "", criteria: list[Any] | None = None, **environ: str) -> Any:
    message = dict(REQUEST, filter=criteria) if criteria is not None else REQUEST
    response = post(message, query, **environ)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert_valid(body, CATALOG_SCHEMA)
    return body


def ids(body: dict[str, Any]) -> set[str]:
    return {dataset["@id"] for dataset in body.get("dataset", [])}


def assert_catalog_error(response: Any, status: int, code: str, *words: str) -> list[str]:
    assert response.status_code == status, response.content[:500]
    body = response.json()
    assert_valid(body, ERROR_SCHEMA)
    assert body["@type"] == "CatalogError" and body["code"] == code
    text = " ".join(body["reason"])
    for word in words:
        assert word in text, text
    return body["reason"]  # type: ignore[no-any-return]


# --- the catalog --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_catalog_lists_every_published_resource_with_its_offer(
    dsp_catalog: DspCatalog,
) -> None:
    # The protocol's own example message is answered.
    response = post(example("catalog-request-message.json"))
    assert response.status_code == 200
    body = response.json()
    assert_valid(body, CATALOG_SCHEMA)
    published = [dsp_catalog.gpu, dsp_catalog.weather, dsp_catalog.lab]
    assert ids(body) == {dataset_id(r) for r in published}
    assert body["@context"] == [DSP_CONTEXT]
    assert body["participantId"] == "http://testserver/"
    (service,) = body["service"]
    assert service["endpointURL"] == "http://testserver/api/v1/"
    assert service["endpointDescription"] == "http://testserver/api/v1/openapi.json"
    by_id = {dataset["@id"]: dataset for dataset in body["dataset"]}
    weather = by_id[dataset_id(dsp_catalog.weather)]
    (offer,) = weather["hasPolicy"]
    assert offer["assigner"] == usage_policy.organisation_iri(dsp_catalog.world.platform_a)
    assert offer["permission"] == [{"action": "use"}]
    (distribution,) = weather["distribution"]
    assert distribution["format"].endswith("/file-type/HTML")
    assert distribution["accessService"]["@id"] == service["@id"]
    assert distribution["dcat:accessURL"] == {
        "@id": f"http://testserver/resources/{dsp_catalog.weather.pk}/"
    }
    # The DCAT-AP description comes along: both languages, keywords, publisher, licence.
    assert {"@value": "开放气象数据", "@language": "zh"} in weather["dct:title"]
    assert weather["dct:identifier"] == str(dsp_catalog.weather.lineage)
    assert weather["dct:publisher"]["@id"] == (
        f"http://testserver/organisations/{dsp_catalog.world.platform_a.pk}/"
    )
    assert distribution["dct:license"]["@id"].endswith("/CC_BY_4_0")
    # A service (a laboratory) is offered the same way, its request page as access URL.
    lab = by_id[dataset_id(dsp_catalog.lab)]
    assert lab["distribution"][0]["dcat:accessURL"] == {
        "@id": f"http://testserver/resources/{dsp_catalog.lab.pk}/"
    }
    assert lab["hasPolicy"][0]["assigner"] == usage_policy.organisation_iri(
        dsp_catalog.world.platform_c
    )
    assert lab["dct:spatial"] == {"@id": "https://synergy-hub.cn/ns/region/330000"}


@pytest.mark.django_db
def test_the_catalog_means_in_rdf_what_the_dcat_export_and_the_offers_say(
    dsp_catalog: DspCatalog,
) -> None:
    """Read as JSON-LD with the DSP context, every dataset has its offer, targeting it."""
    gpu = dsp_catalog.gpu
    errors = FieldErrors()
    stored = clean_policy(
        gpu,
        {
            "policy": usage_policy.to_jsonld(
                odrl.combine(odrl.research_only(), odrl.count_limited(9))
            )
        },
        errors,
    )
    Resource.objects.filter(pk=gpu.pk).update(usage_policy=stored)
    body = catalog()
    graph = with_implied_targets(dsp_graph(body))
    root = URIRef(body["@id"])
    assert (root, v.RDF.type, v.DCAT.Catalog) in graph
    for dataset in body["dataset"]:
        node = URIRef(dataset["@id"])
        assert (root, v.DCAT.dataset, node) in graph
        assert (node, v.RDF.type, v.DCAT.Dataset) in graph
        offer = graph.value(node, ODRL.hasPolicy)
        policy = policy_from_graph(graph, offer)
        assert policy.target == dataset["@id"]
    gpu.refresh_from_db()
    offered = policy_from_graph(graph, URIRef(stored["uid"]))  # type: ignore[index]
    assert normalise(offered) == normalise(usage_policy.from_stored(gpu.usage_policy))
    assert (URIRef(dataset_id(gpu)), v.DCAT.keyword, None) in graph


@pytest.mark.django_db
def test_the_offer_in_the_catalog_is_the_one_negotiation_starts_from(
    world: World, dsp_catalog: DspCatalog
) -> None:
    """A provider who offers terms without choosing a policy offers the catalog's offer."""
    gpu = dsp_catalog.gpu
    errors = FieldErrors()
    stored = clean_policy(gpu, {"policy": usage_policy.to_jsonld(odrl.count_limited(50))}, errors)
    Resource.objects.filter(pk=gpu.pk).update(usage_policy=stored)
    gpu.refresh_from_db()
    (dataset,) = catalog(criteria=[_id_is(dataset_id(gpu))])["dataset"]
    access_request = services.request_access(world.sam, gpu, terms())
    services.make_offer(world.alice, access_request, offer_terms())
    made = access_request.offers.get(party=Party.PROVIDER)
    assert dataset["hasPolicy"][0]["@id"] == made.policy["uid"]
    listed = policy_from_graph(
        with_implied_targets(dsp_graph(catalog(criteria=[_id_is(dataset_id(gpu))]))),
        URIRef(made.policy["uid"]),
    )
    assert normalise(listed) == normalise(usage_policy.from_stored(made.policy))


@pytest.mark.django_db
def test_drafts_are_never_in_the_catalog_whoever_asks(dsp_catalog: DspCatalog) -> None:
    secret = dataset_id(dsp_catalog.secret)
    assert secret not in ids(catalog())
    assert secret not in ids(catalog(HTTP_AUTHORIZATION="Bearer shub_anything"))
    publisher = Client()
    publisher.force_login(dsp_catalog.world.alice)  # the draft's own publisher
    response = post(REQUEST, client=publisher)
    assert response.status_code == 200  # a session needs no CSRF token here: nothing is written
    assert secret not in ids(response.json())
    assert publisher.get(f"/dsp/catalog/datasets/{secret}").status_code == 404
    # A superseded version gives way to the current one; a withdrawn resource leaves.
    dsp_catalog.list_c.state = ListState.SUPERSEDED
    dsp_catalog.list_c.save()
    assert dataset_id(dsp_catalog.lab) not in ids(catalog())


@pytest.mark.django_db
def test_csrf_is_not_asked_for(dsp_catalog: DspCatalog) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(dsp_catalog.world.sam)
    assert post(REQUEST, client=client).status_code == 200


@pytest.mark.django_db
def test_an_empty_catalog_is_still_a_valid_catalog(world: World) -> None:
    body = catalog()
    assert "dataset" not in body and body["service"]


@pytest.mark.django_db
def test_a_resource_whose_offer_cannot_be_stated_is_left_out(dsp_catalog: DspCatalog) -> None:
    refined = odrl.Policy(
        uid="urn:uuid:5b7f1e44-3a8c-4e7a-9c1d-2f6e8a9b0c1d",
        type=odrl.PolicyType.OFFER,
        permissions=(
            odrl.Permission(odrl.Action("use", refinements=(odrl.Constraint("count", "lteq", 5),))),
        ),
        target=usage_policy.resource_iri(dsp_catalog.gpu.lineage),
        assigner=usage_policy.organisation_iri(dsp_catalog.world.platform_a),
    )
    Resource.objects.filter(pk=dsp_catalog.gpu.pk).update(
        usage_policy=odrl.policy_to_jsonld(refined)
    )
    assert dataset_id(dsp_catalog.gpu) not in ids(catalog())
    assert Client().get(f"/dsp/catalog/datasets/{dataset_id(dsp_catalog.gpu)}").status_code == 404


# --- filters ------------------------------------------------------------------------------


def _id_is(value: str) -> dict[str, Any]:
    return {"operandLeft": "@id", "operator": "=", "operandRight": value}


@pytest.mark.django_db
def test_filters(dsp_catalog: DspCatalog) -> None:
    gpu, weather, lab = (
        dataset_id(r) for r in (dsp_catalog.gpu, dsp_catalog.weather, dsp_catalog.lab)
    )
    platform_a = dsp_catalog.world.platform_a
    assert ids(catalog(criteria=[])) == {gpu, weather, lab}
    assert ids(catalog(criteria=[_id_is(weather)])) == {weather}
    assert ids(catalog(criteria=[_id_is(str(dsp_catalog.lab.lineage))])) == {lab}
    by_type = {
        "operandLeft": "dct:type",
        "operator": "in",
        "operandRight": ["dataset", "laboratory"],
    }
    assert ids(catalog(criteria=[by_type])) == {weather, lab}
    concept = {
        "operandLeft": "http://purl.org/dc/terms/type",
        "operator": "=",
        "operandRight": "https://synergy-hub.cn/ns/resource-type/compute",
    }
    assert ids(catalog(criteria=[concept])) == {gpu}
    assigner = usage_policy.organisation_iri(platform_a)
    page = f"http://testserver/organisations/{platform_a.pk}/"
    for publisher in (assigner, page):
        criterion = {"operandLeft": "dct:publisher", "operator": "=", "operandRight": publisher}
        assert ids(catalog(criteria=[criterion])) == {gpu, weather}
        # criteria are all met: publisher A and a laboratory is nothing
        assert ids(catalog(criteria=[criterion, by_type])) == {weather}
    since = {"operandLeft": "dct:modified", "operator": ">=", "operandRight": "2999-01-01"}
    assert ids(catalog(criteria=[since])) == set()
    since["operandRight"] = "2000-01-01T00:00:00+08:00"
    assert ids(catalog(criteria=[since])) == {gpu, weather, lab}
    # JSON-LD lets a one-value set be written without the array
    assert ids(catalog(criteria=_id_is(gpu))) == {gpu}  # type: ignore[arg-type]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("criteria", "words"),
    [
        ("dct:type = dataset", ["filter[0]", "operandLeft, operator and operandRight"]),
        (
            [{"operandLeft": "dct:title", "operator": "=", "operandRight": "x"}],
            ["filter[0].operandLeft", "dct:title", "dct:type"],
        ),
        (
            [{"operandLeft": "dct:type", "operator": "like", "operandRight": "data%"}],
            ["filter[0].operator"],
        ),
        (
            [{"operandLeft": "dct:type", "operator": "=", "operandRight": "spaceship"}],
            ["filter[0].operandRight", "spaceship"],
        ),
        (
            [{"operandLeft": "dct:type", "operator": "in", "operandRight": []}],
            ["filter[0].operandRight"],
        ),
        (
            [
                {
                    "operandLeft": "dct:publisher",
                    "operator": "=",
                    "operandRight": "https://example.org/x",
                }
            ],
            ["organisation"],
        ),
        ([{"operandLeft": "@id", "operator": "=", "operandRight": "urn:other:1"}], ["urn:other:1"]),
        ([{"operandLeft": "dct:modified", "operator": "<", "operandRight": "2026-01-01"}], [">="]),
        (
            [{"operandLeft": "dct:modified", "operator": ">=", "operandRight": "soon"}],
            ["soon", "ISO 8601"],
        ),
        ([{"@type": "QuerySpec", "offset": 0, "limit": 50}], ["filter[0]"]),
        (
            [_id_is("x"), {"operandLeft": "x", "operator": "=", "operandRight": "y"}],
            ["filter[0]", "filter[1]"],
        ),
    ],
)
def test_unsupported_filters_are_refused_naming_the_criterion(
    criteria: Any, words: list[str]
) -> None:
    response = post(dict(REQUEST, filter=criteria), HTTP_ACCEPT_LANGUAGE="en")
    assert_catalog_error(response, 400, "unsupported_filter", *words)


# --- paging -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_pages_are_linked_with_link_headers(dsp_catalog: DspCatalog) -> None:
    seen: set[str] = set()
    url = f"{CATALOG}?page=1&page_size=2"
    first = post(REQUEST, "?page_size=2")
    assert first["Link"] == f'<http://testserver{url.replace("page=1", "page=2")}>; rel="next"'
    second = post(REQUEST, "?page=2&page_size=2")
    assert second["Link"] == f'<http://testserver{url}>; rel="previous"'
    for response in (first, second):
        assert_valid(response.json(), CATALOG_SCHEMA)
        page = ids(response.json())
        assert not page & seen
        seen |= page
    assert len(seen) == 3
    assert "Link" not in post(REQUEST).headers  # one page: no links
    assert_catalog_error(post(REQUEST, "?page=3&page_size=2"), 404, "page_not_found")
    assert_catalog_error(
        post(REQUEST, "?page_size=5000", HTTP_ACCEPT_LANGUAGE="en"),
        400,
        "invalid_page",
        "page_size",
    )


# --- bad messages -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("message", "code", "words"),
    [
        ("{not json", "invalid_message", ["JSON"]),
        ("[]", "invalid_message", ["object"]),
        ({"@type": "CatalogRequestMessage"}, "invalid_message", ["@context"]),
        (
            {"@context": [DSP_CONTEXT], "@type": "DatasetRequestMessage"},
            "invalid_message",
            ["@type"],
        ),
        (
            {
                "@context": "https://w3id.org/dspace/2024/1/context.json",
                "@type": "dspace:CatalogRequestMessage",
            },
            "unsupported_context",
            ["2025-1"],
        ),
        ({**REQUEST, "filter": "x" * 70_000}, "invalid_message", ["bytes"]),
    ],
)
def test_bad_messages_get_a_catalog_error(message: Any, code: str, words: list[str]) -> None:
    assert_catalog_error(post(message, HTTP_ACCEPT_LANGUAGE="en"), 400, code, *words)


@pytest.mark.django_db
def test_the_message_type_may_be_written_as_an_iri(dsp_catalog: DspCatalog) -> None:
    for kind in (
        "dspace:CatalogRequestMessage",
        "https://w3id.org/dspace/2025/1/CatalogRequestMessage",
    ):
        message = {
            "@context": DSP_CONTEXT,
            "@type": kind,
            "dspace:filter": [_id_is(dataset_id(dsp_catalog.gpu))],
        }
        response = post(message)
        assert response.status_code == 200
        assert ids(response.json()) == {dataset_id(dsp_catalog.gpu)}


@pytest.mark.django_db
def test_reasons_follow_the_language_of_the_request() -> None:
    (reason,) = assert_catalog_error(
        post("[]", HTTP_ACCEPT_LANGUAGE="zh-hans"), 400, "invalid_message"
    )
    assert "JSON" in reason and any("\u4e00" <= ch <= "\u9fff" for ch in reason)


@pytest.mark.django_db
def test_wrong_methods_get_a_catalog_error() -> None:
    response = Client().get(CATALOG)
    assert_catalog_error(response, 405, "method_not_allowed")
    assert response["Allow"] == "POST"
    response = Client().post("/dsp/catalog/datasets/x", data="{}", content_type="application/json")
    assert_catalog_error(response, 405, "method_not_allowed")


# --- one dataset --------------------------------------------------------------------------


@pytest.mark.django_db
def test_one_dataset_by_its_id(dsp_catalog: DspCatalog) -> None:
    gpu = dsp_catalog.gpu
    for reference in (dataset_id(gpu), str(gpu.lineage), dataset_id(gpu).replace(":", "%3A")):
        response = Client().get(f"/dsp/catalog/datasets/{reference}")
        assert response.status_code == 200, reference
        body = response.json()
        assert_valid(body, DATASET_SCHEMA)
        assert body["@context"] == [DSP_CONTEXT]
        assert body["@id"] == dataset_id(gpu)
    listed = next(d for d in catalog()["dataset"] if d["@id"] == dataset_id(gpu))
    assert {k: v for k, v in body.items() if k != "@context"} == listed
    # the data service is described where it is used
    service = body["distribution"][0]["accessService"]
    assert service["@type"] == "DataService" and service["endpointURL"]


@pytest.mark.django_db
@pytest.mark.parametrize("which", ["draft", "unknown", "nonsense"])
def test_a_dataset_that_is_not_published_is_not_found(dsp_catalog: DspCatalog, which: str) -> None:
    reference = {
        "draft": dataset_id(dsp_catalog.secret),
        "unknown": "urn:synergy-hub:resource:00000000-0000-4000-8000-000000000000",
        "nonsense": "no-such-thing",
    }[which]
    response = Client().get(f"/dsp/catalog/datasets/{reference}", HTTP_ACCEPT_LANGUAGE="en")
    assert_catalog_error(response, 404, "not_found", reference)


# --- the version document and the schemas ------------------------------------------------


@pytest.mark.django_db
def test_the_protocol_version_is_announced() -> None:
    body = Client().get("/.well-known/dspace-version").json()
    assert_valid(body, "common/protocol-version-schema.json")
    assert body["protocolVersions"] == [{"version": "2025-1", "path": "/dsp", "binding": "HTTPS"}]


def test_the_schema_check_resolves_references_and_catches_violations() -> None:
    """The shared examples pass; a dataset without an offer, or an offer with a target, fails."""
    assert_valid(example("catalog.json"), CATALOG_SCHEMA)
    assert_valid(example("dataset.json"), DATASET_SCHEMA)
    assert_valid(example("catalog-error.json"), ERROR_SCHEMA)
    dataset = example("dataset.json")
    offer = dataset["hasPolicy"][0]
    without_offer = {k: v for k, v in dataset.items() if k != "hasPolicy"}
    assert any("hasPolicy" in e for e in schema_errors(without_offer, DATASET_SCHEMA))
    dataset["hasPolicy"] = [dict(offer, target="urn:x")]
    assert schema_errors(dataset, DATASET_SCHEMA)
    dataset["hasPolicy"] = [
        dict(
            offer,
            permission=[
                {
                    "action": "use",
                    "constraint": [{"leftOperand": "count", "operator": "eq", "rightOperand": 5}],
                }
            ],
        )
    ]
    assert schema_errors(dataset, DATASET_SCHEMA)  # a JSON number is no right operand


# --- query count and the demo catalog ----------------------------------------------------


@pytest.mark.django_db
def test_a_page_costs_a_fixed_number_of_queries(
    dsp_catalog: DspCatalog, django_assert_max_num_queries: Any
) -> None:
    with django_assert_max_num_queries(8) as few:
        catalog()
    for n in range(6):
        factories.resource(dsp_catalog.list_a, title_en=f"More {n}", regions=["330000"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(catalog()["dataset"]) == 9


@pytest.mark.django_db
def test_the_demo_catalog_is_a_valid_dsp_catalog_with_every_offer() -> None:
    load_demo_data(resources=120, smes=10, needs=5, today=date(2026, 11, 22))
    published = Resource.objects.filter(openness_list__state=ListState.PUBLISHED)
    # The demo states no policies: give every third resource one from the editor's templates.
    choices = [
        {"templates": ["research_only", "count_limited"], "count": 500},
        {"templates": ["no_redistribution", "region_limited"], "regions": ["330000", "440000"]},
        {"templates": ["time_limited"], "start": date(2026, 1, 1), "end": date(2027, 12, 31)},
    ]
    for index, resource in enumerate(published.select_related("openness_list__publisher")[::3]):
        errors = FieldErrors()
        document = clean_policy(resource, choices[index % 3], errors)
        assert document is not None and not errors.errors
        Resource.objects.filter(pk=resource.pk).update(usage_policy=document)
    body = catalog("?page_size=1000")
    assert ids(body) == {dataset_id(r) for r in published}
    graph = with_implied_targets(dsp_graph(body))
    by_lineage = {str(r.lineage): r for r in published.select_related("openness_list__publisher")}
    stated = 0
    for dataset in body["dataset"]:
        (offer,) = dataset["hasPolicy"]
        resource = by_lineage[dataset["dct:identifier"]]
        read = policy_from_graph(graph, URIRef(offer["@id"]))
        assert normalise(read) == normalise(offer_policy(resource))
        stated += bool(resource.usage_policy)
    assert stated == len(published[::3])
