"""The pilot projects in the catalog's DCAT export: each exported resource a selected
project rests on points to the project, described as a foaf:Project with its page.

Registered with the catalog's export in `apps.py`; the catalog does not import this app.
"""

from __future__ import annotations

from django.urls import reverse
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF

from synergy_hub.catalog.interop import facts
from synergy_hub.programmes.models import PilotProject


def add_pilot_projects(graph: Graph, nodes: dict[str, URIRef], links: facts.Links) -> None:
    """`<resource> dct:isReferencedBy <project>`; the project's type, title and page."""
    if not nodes:
        return
    projects = (
        PilotProject.objects.filter(application__resources__lineage__in=list(nodes))
        .select_related("application")
        .prefetch_related("application__resources")
        .distinct()
        .order_by("pk")
    )
    for project in projects:
        page = links.url(reverse("programmes:project", args=[project.pk]))
        node = URIRef(page)
        graph.add((node, RDF.type, FOAF.Project))
        graph.add((node, DCTERMS.title, Literal(project.application.title)))
        graph.add((node, FOAF.homepage, URIRef(page)))
        for resource in project.application.resources.all():
            exported = nodes.get(str(resource.lineage))
            if exported is not None:
                graph.add((exported, DCTERMS.isReferencedBy, node))
