"""Pilot projects in the catalog's DCAT export: the datasets they rest on point to them."""

from __future__ import annotations

from typing import Any

from django.test import Client
from django.urls import reverse
from rdflib import Graph
from rdflib.namespace import DCTERMS, FOAF, RDF

from synergy_hub.programmes import services
from synergy_hub.programmes.models import PilotCall, PilotProject
from tests.conftest import World
from tests.programmes.conftest import draft


def test_the_catalog_links_a_projects_dataset_to_the_project(
    world: World, open_call: PilotCall, gpu: Any
) -> None:
    application = services.submit_application(world.sam, draft(world, open_call, gpu))
    project = PilotProject.objects.create(application=application)
    for path in (
        reverse("interop:catalog_document", kwargs={"fmt": "ttl"}),
        reverse("interop:resource_document", kwargs={"pk": gpu.pk, "fmt": "ttl"}),
    ):
        response = Client().get(path)
        assert response.status_code == 200, path
        graph = Graph().parse(data=response.content.decode(), format="turtle")
        projects = list(graph.subjects(RDF.type, FOAF.Project))
        assert [str(p) for p in projects] == [
            f"http://testserver/programmes/projects/{project.pk}/"
        ]
        referencing = list(graph.subjects(DCTERMS.isReferencedBy, projects[0]))
        assert len(referencing) == 1 and str(gpu.lineage) in str(referencing[0])
        assert (projects[0], DCTERMS.title, None) in graph
    # Only the project's own resources point to it.
    assert len(list(graph.subject_objects(DCTERMS.isReferencedBy))) == 1
