"""Dataspace Protocol helpers: the shared DSP schemas and contexts, read locally, and a catalog.

The DSP JSON schemas refer to each other by their `$id` (`https://w3id.org/dspace/2025/1/…`);
they are registered under those ids in a `referencing.Registry` whose retrieval refuses
anything else, so no schema is ever fetched. The DSP JSON-LD context imports its ODRL
profile; the helper inlines the shared copy, so answers are read as RDF offline too.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft201909Validator
from rdflib import Graph, Namespace
from referencing import Registry, Resource
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import DRAFT201909

from synergy_hub.access.dsp.messages import DSP_CONTEXT
from synergy_hub.catalog.models import OpennessList
from synergy_hub.catalog.models import Resource as CatalogResource
from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.odrl.rdf import graph_from_jsonld
from tests import factories
from tests.conftest import World
from tests.shared_data import shared_data

SCHEMA_BASE = "https://w3id.org/dspace/2025/1/"
ODRL_PROFILE = "https://w3id.org/dspace/2025/1/odrl-profile.jsonld"
ODRL = Namespace("http://www.w3.org/ns/odrl/2/")
REQUEST = {"@context": [DSP_CONTEXT], "@type": "CatalogRequestMessage"}


def dsp_folder() -> Path:
    return shared_data("dataspace-protocol")


def _refuse(uri: str) -> Resource[Any]:
    raise NoSuchResource(ref=uri)


@cache
def _registry(folder: Path) -> Registry[Any]:
    """Every DSP schema under its `$id`; any other reference is unresolvable."""
    resources = []
    for path in sorted(folder.glob("*/*-schema.json")):
        contents = json.loads(path.read_text(encoding="utf-8"))
        resources.append(
            (contents["$id"], Resource.from_contents(contents, default_specification=DRAFT201909))
        )
    return Registry(retrieve=_refuse).with_resources(resources)


def schema_errors(instance: Any, schema: str) -> list[str]:
    """Messages of every violation of a DSP schema, e.g. `catalog/catalog-schema.json`, or a
    definition in one (`negotiation/contract-schema.json#/definitions/Offer`)."""
    registry = _registry(dsp_folder())
    validator = Draft201909Validator({"$ref": SCHEMA_BASE + schema}, registry=registry)
    return [
        f"{'/'.join(map(str, error.absolute_path))}: {error.message}"
        for error in validator.iter_errors(instance)
    ]


def assert_valid(instance: Any, schema: str) -> None:
    errors = schema_errors(instance, schema)
    assert not errors, errors[:10]


@cache
def _context(folder: Path) -> dict[str, Any]:
    """The DSP context with its `@import` of the ODRL profile inlined from the shared copy."""
    context = json.loads((folder / "context" / "dspace.jsonld").read_text(encoding="utf-8"))
    profile = json.loads((folder / "context" / "odrl.jsonld").read_text(encoding="utf-8"))
    for definition in context["@context"].values():
        scoped = definition.get("@context") if isinstance(definition, dict) else None
        if scoped and scoped.get("@import") == ODRL_PROFILE:
            del scoped["@import"]
            definition["@context"] = profile["@context"] | scoped
    return context  # type: ignore[no-any-return]


def dsp_graph(document: Any) -> Graph:
    """A DSP JSON-LD document as RDF, its context read from the shared copy."""
    return graph_from_jsonld(
        document, contexts={DSP_CONTEXT: copy.deepcopy(_context(dsp_folder()))}
    )


def with_implied_targets(graph: Graph) -> Graph:
    """Add what DSP leaves implicit: an offer in a dataset has that dataset as its target."""
    for dataset, offer in graph.subject_objects(ODRL.hasPolicy):
        graph.add((offer, ODRL.target, dataset))
    return graph


def example(name: str) -> Any:
    return json.loads((dsp_folder() / "catalog" / "example" / name).read_text(encoding="utf-8"))


@dataclass
class DspCatalog:
    world: World
    list_a: OpennessList
    list_c: OpennessList
    draft: OpennessList
    gpu: CatalogResource  # platform A, compute, paid
    weather: CatalogResource  # platform A, open dataset
    lab: CatalogResource  # platform C, laboratory on request
    secret: CatalogResource  # platform A, on a draft list


@pytest.fixture
def dsp_catalog(world: World) -> DspCatalog:
    list_a = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    list_c = factories.openness_list(
        world.platform_c, world.batch, world.charlie, state=ListState.PUBLISHED
    )
    draft = factories.openness_list(world.platform_a, world.batch, world.alice)
    gpu = factories.resource(list_a, keywords=["GPU", "算力"], usage_terms_en="No resale.")
    weather = factories.resource(
        list_a,
        resource_type="dataset",
        pillar="open",
        title_zh="开放气象数据",
        title_en="Open weather data",
        keywords=["weather"],
        access_mode="open",
        price=None,
        unit="download",
        capacity=None,
        capacity_period="",
    )
    lab = factories.resource(
        list_c,
        resource_type="laboratory",
        title_zh="材料检测实验室",
        title_en="Materials laboratory",
        access_mode="on_request",
        price=None,
        unit="lab_day",
        regions=["330000"],
        contact_email="lab@example.org",
    )
    secret = factories.resource(draft, resource_type="ai_model", title_en="Unpublished model")
    return DspCatalog(world, list_a, list_c, draft, gpu, weather, lab, secret)
