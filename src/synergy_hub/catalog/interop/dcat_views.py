"""The DCAT documents: the paged catalog and each resource, in Turtle, JSON-LD and RDF/XML.

Views only read parameters, pick rows through the selectors and serialise the graph that
`dcat_export` builds; conditional requests are answered from the latest publication.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from urllib.parse import urlencode

from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseRedirect,
)
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from rdflib import Graph

from synergy_hub.catalog import selectors
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.vocabulary import ListState

from . import dcat_export, dcat_graph, facts
from .dcat_params import BadParameter, parse_catalog_params

#: Serialisation per file extension: rdflib format name and media type.
FORMATS = {
    "ttl": ("turtle", "text/turtle"),
    "jsonld": ("json-ld", "application/ld+json"),
    "rdf": ("xml", "application/rdf+xml"),
}
CATALOG_MAX_AGE = 300


def site_links(request: HttpRequest) -> facts.Links:
    """Addresses under the host the client used (checked against ALLOWED_HOSTS)."""
    return facts.Links(request.build_absolute_uri("/").rstrip("/"))


def serialise(graph: Graph, fmt: str) -> bytes:
    """The graph in one of the three formats, compact JSON-LD with our prefixes."""
    name, _media = FORMATS[fmt]
    if name == "json-ld":
        context = {prefix: str(ns) for prefix, ns in dcat_graph.PREFIXES.items()}
        return graph.serialize(format=name, context=context, auto_compact=True, encoding="utf-8")
    return graph.serialize(format=name, encoding="utf-8")


def _document(graph: Graph, fmt: str, *, etag: str, last_modified: datetime | None) -> HttpResponse:
    response = HttpResponse(serialise(graph, fmt), content_type=f"{FORMATS[fmt][1]}; charset=utf-8")
    response.headers["ETag"] = etag
    if last_modified is not None:
        response.headers["Last-Modified"] = http_date(last_modified.timestamp())
    return response


def _etag(*parts: object) -> str:
    digest = hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32]
    return f'"{digest}"'


def _preferred_format(request: HttpRequest) -> str | None:
    """The RDF format an Accept header asks for, or None for a browser."""
    accept = request.headers.get("Accept", "")
    for fmt, (_name, media) in FORMATS.items():
        if media in accept:
            return fmt
    return None


@require_safe
def catalog_document(request: HttpRequest, fmt: str) -> HttpResponse:
    """`/catalog.ttl|jsonld|rdf?page=N&page_size=M&modified_since=ISO` (Hydra-paged)."""
    try:
        params = parse_catalog_params(request.GET)
    except BadParameter as exc:
        return HttpResponseBadRequest(str(exc), content_type="text/plain; charset=utf-8")
    links = site_links(request)
    latest = dcat_export.latest_publication()
    etag = _etag(latest, links.base, request.get_full_path(), fmt)
    last_modified = int(latest.timestamp()) if latest else None
    cached = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if cached is not None:
        return cached
    try:
        page = dcat_export.catalog_page(params.page, params.page_size, params.modified_since)
    except dcat_export.PageNotFound:
        return HttpResponse(
            _("There is no page %(page)d of the catalog.") % {"page": params.page},
            status=404,
            content_type="text/plain; charset=utf-8",
        )

    def page_url(number: int) -> str:
        query = {"page": number, "page_size": params.page_size}
        if params.modified_since is not None:
            query["modified_since"] = params.modified_since.isoformat()  # type: ignore[assignment]
        path = reverse("interop:catalog_document", kwargs={"fmt": fmt})
        return links.url(path) + "?" + urlencode(query)

    graph = dcat_export.catalog_graph(page, links, page_url)
    response = _document(graph, fmt, etag=etag, last_modified=latest)
    patch_cache_control(response, public=True, max_age=CATALOG_MAX_AGE)
    return response


@require_safe
def resource_document(request: HttpRequest, pk: str, fmt: str) -> HttpResponse:
    """`/resources/<pk>.ttl|jsonld|rdf`: one resource the viewer may read, else 404."""
    resource = selectors.resource_for_viewer(request.user, int(pk))
    # Published rows come with the first publication date; other versions as they are.
    resource = dcat_export.export_queryset().filter(pk=resource.pk).first() or resource
    modified = facts.modified_at(resource)
    links = site_links(request)
    etag = _etag(modified, resource.openness_list.state, links.base, fmt)
    cached = get_conditional_response(request, etag=etag, last_modified=int(modified.timestamp()))
    if cached is not None:
        return cached
    graph = dcat_export.resource_graph(resource, links)
    response = _document(graph, fmt, etag=etag, last_modified=modified)
    if resource.openness_list.state in (ListState.PUBLISHED, ListState.SUPERSEDED):
        patch_cache_control(response, public=True, max_age=CATALOG_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    return response


@require_safe
def list_document(request: HttpRequest, pk: str, fmt: str) -> HttpResponse:
    """`/lists/<pk>.ttl|jsonld|rdf`: one list version the viewer may read, as a catalog of
    its resources, else 404."""
    openness_list = selectors.list_for_viewer(request.user, int(pk))
    resources = dcat_export.list_resources(openness_list.pk)
    page = dcat_export.CatalogPage(resources, 1, max(1, len(resources)), len(resources))
    graph = dcat_export.catalog_graph(page, site_links(request))
    public = openness_list.state in (ListState.PUBLISHED, ListState.SUPERSEDED)
    moment = openness_list.published_at if public else openness_list.updated_at
    response = _document(
        graph,
        fmt,
        etag=_etag(openness_list.pk, openness_list.state, moment, site_links(request).base, fmt),
        last_modified=moment,
    )
    if public:
        patch_cache_control(response, public=True, max_age=CATALOG_MAX_AGE)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    return response


@require_safe
def resource_id(request: HttpRequest, lineage: str, part: str = "") -> HttpResponse:
    """The dataset IRI (or one of its parts): 303 to the current version's page or RDF."""
    if part and part not in facts.IRI_PARTS:
        raise Http404("unknown part")
    current = (
        Resource.objects.filter(lineage=lineage, openness_list__state=ListState.PUBLISHED)
        .only("pk")
        .first()
    )
    if current is None:
        raise Http404("resource not found")
    fmt = _preferred_format(request)
    if fmt is None:
        target = reverse("catalog:resource", args=[current.pk])
    else:
        target = reverse("interop:resource_document", kwargs={"pk": current.pk, "fmt": fmt})
    response = HttpResponseRedirect(target)
    response.status_code = 303
    return response


@require_safe
def catalog_redirect(request: HttpRequest) -> HttpResponse:
    """The catalog IRI: 303 to the catalog document in the format asked for (Turtle)."""
    fmt = _preferred_format(request) or "ttl"
    response = HttpResponseRedirect(reverse("interop:catalog_document", kwargs={"fmt": fmt}))
    response.status_code = 303
    return response
