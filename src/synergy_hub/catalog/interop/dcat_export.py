"""Select and page the published catalog and turn a page into a DCAT-AP 3.0.1 graph."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Max, OuterRef, Q, QuerySet, Subquery
from rdflib import Graph, URIRef

from synergy_hub.catalog.models import OpennessList, Resource
from synergy_hub.catalog.vocabulary import ListState

from . import facts
from .dcat_graph import GraphBuilder, catalog_publisher

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 1000

#: Apps above the catalog add what they know about exported resources (programmes: the pilot
#: projects that rest on a dataset) without the catalog importing them. An extension gets
#: the graph, the exported resources' nodes by lineage and the site links.
Extension = Callable[[Graph, dict[str, URIRef], facts.Links], None]
_extensions: list[Extension] = []


def register_extension(extension: Extension) -> None:
    """Add an app's additions to every DCAT document (registering twice keeps one)."""
    if extension not in _extensions:
        _extensions.append(extension)


def _extend(graph: Graph, nodes: dict[str, URIRef], links: facts.Links) -> None:
    for extension in _extensions:
        extension(graph, nodes, links)


# --- selecting and paging ---------------------------------------------------------------


def export_queryset(modified_since: datetime | None = None) -> QuerySet[Resource]:
    """Resources of currently published lists, with everything the graph needs prefetched."""
    first_published = (
        Resource.objects.filter(
            lineage=OuterRef("lineage"), openness_list__published_at__isnull=False
        )
        .order_by("openness_list__published_at")
        .values("openness_list__published_at")[:1]
    )
    queryset = (
        Resource.objects.filter(openness_list__state=ListState.PUBLISHED)
        .select_related("openness_list__publisher", "openness_list__batch__programme")
        .prefetch_related("regions", "industries")
        .annotate(first_published=Subquery(first_published))
        .order_by("pk")
    )
    if modified_since is not None:
        queryset = queryset.filter(
            Q(updated_at__gte=modified_since) | Q(openness_list__published_at__gte=modified_since)
        )
    return queryset


def list_resources(openness_list_id: int) -> list[Resource]:
    """The resources of one list version, prefetched as `export_queryset` prefetches them."""
    return list(
        Resource.objects.filter(openness_list_id=openness_list_id)
        .select_related("openness_list__publisher", "openness_list__batch__programme")
        .prefetch_related("regions", "industries")
        .order_by("position", "pk")
    )


def latest_publication() -> datetime | None:
    """When the public catalog last changed: the latest publication or supersession."""
    found = OpennessList.objects.aggregate(
        published=Max("published_at"), superseded=Max("superseded_at")
    )
    moments = [m for m in found.values() if m is not None]
    return max(moments) if moments else None


class PageNotFound(LookupError):
    """A page number beyond the last page."""


@dataclass(frozen=True)
class CatalogPage:
    """One page of the catalog: its resources and where it sits among all pages."""

    resources: list[Resource]
    number: int
    size: int
    total: int

    @property
    def last(self) -> int:
        return max(1, math.ceil(self.total / self.size))


def catalog_page(
    page: int = 1, page_size: int = DEFAULT_PAGE_SIZE, modified_since: datetime | None = None
) -> CatalogPage:
    """Select one page of published resources (pk order, so pages never overlap)."""
    queryset = export_queryset(modified_since)
    total = queryset.count()
    result = CatalogPage([], page, page_size, total)
    if page > result.last:
        raise PageNotFound(page)
    offset = (page - 1) * page_size
    return CatalogPage(list(queryset[offset : offset + page_size]), page, page_size, total)


def catalog_graph(
    page: CatalogPage, links: facts.Links, page_url: Callable[[int], str] | None = None
) -> Graph:
    """The catalog with the page's resources (and Hydra paging when `page_url` is given)."""
    builder = GraphBuilder(links)
    nodes = [builder.resource(resource) for resource in page.resources]
    _extend(
        builder.g,
        {str(r.lineage): node for r, node in zip(page.resources, nodes, strict=True)},
        links,
    )
    catalog = builder.catalog(
        nodes, publisher=catalog_publisher(builder), modified=latest_publication()
    )
    if page_url is not None:
        builder.paging(
            catalog,
            number=page.number,
            last=page.last,
            size=page.size,
            total=page.total,
            page_url=page_url,
        )
    return builder.g


def resource_graph(resource: Resource, links: facts.Links) -> Graph:
    """One resource with the nodes it refers to, for the per-resource documents."""
    builder = GraphBuilder(links)
    node = builder.resource(resource)
    _extend(builder.g, {str(resource.lineage): node}, links)
    return builder.g
