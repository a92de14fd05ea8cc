"""The Dataspace Protocol catalog endpoints (HTTPS binding of DSP 2025-1).

`POST /dsp/catalog/request` answers a CatalogRequestMessage with the catalog, paged with
`Link` headers; `GET /dsp/catalog/datasets/{id}` answers one dataset;
`GET /.well-known/dspace-version` says which protocol version lives where.

The catalog is public: it holds only resources of currently published lists, the same for
everyone, so neither an `Authorization` header nor a session changes the answer (drafts
and private resources are never in it). Nothing is written, so the POST needs no CSRF
token. Every refusal is a `CatalogError` with the HTTP status that fits.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from synergy_hub.catalog.interop import dcat_export, facts
from synergy_hub.catalog.interop.dcat_params import BadParameter, parse_catalog_params

from . import catalog, messages
from .messages import DSP_CONTEXT, MessageError

PROTOCOL_VERSION = "2025-1"


def _json(payload: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(
        payload,
        status=status,
        json_dumps_params={"ensure_ascii": False},
        content_type="application/json",
    )


def catalog_error(status: int, code: str, reasons: list[str]) -> JsonResponse:
    """A DSP CatalogError with the given HTTP status."""
    error = {"@context": [DSP_CONTEXT], "@type": "CatalogError", "code": code, "reason": reasons}
    return _json(error, status=status)


def _method_not_allowed(allowed: str) -> JsonResponse:
    response = catalog_error(
        405, "method_not_allowed", [_("Use %(method)s here.") % {"method": allowed}]
    )
    response.headers["Allow"] = allowed
    return response


def site_links(request: HttpRequest) -> facts.Links:
    """Addresses under the host the client used (checked against ALLOWED_HOSTS)."""
    return facts.Links(request.build_absolute_uri("/").rstrip("/"))


def _page_links(links: facts.Links, page: dcat_export.CatalogPage) -> str:
    """RFC 8288 `Link` header: where the previous and next pages are."""

    def url(number: int) -> str:
        query = urlencode({"page": number, "page_size": page.size})
        return links.url(reverse("dsp:catalog_request")) + "?" + query

    found = []
    if page.number > 1:
        found.append(f'<{url(page.number - 1)}>; rel="previous"')
    if page.number < page.last:
        found.append(f'<{url(page.number + 1)}>; rel="next"')
    return ", ".join(found)


@csrf_exempt
def catalog_request(request: HttpRequest) -> HttpResponse:
    """`POST /dsp/catalog/request?page=N&page_size=M` with a CatalogRequestMessage."""
    if request.method != "POST":
        return _method_not_allowed("POST")
    try:
        query = messages.read_catalog_request(request.body)
        params = parse_catalog_params(
            {name: request.GET[name] for name in ("page", "page_size") if name in request.GET}
        )
    except RequestDataTooBig:
        return catalog_error(
            400,
            "invalid_message",
            [_("The message is larger than %(max)d bytes.") % {"max": messages.MAX_MESSAGE_BYTES}],
        )
    except MessageError as exc:
        return catalog_error(exc.status, exc.code, exc.reasons)
    except BadParameter as exc:
        return catalog_error(400, "invalid_page", [str(exc)])
    links = site_links(request)
    try:
        page = catalog.catalog_page(query, params.page, params.page_size)
    except dcat_export.PageNotFound:
        return catalog_error(
            404,
            "page_not_found",
            [_("There is no page %(page)d of the catalog.") % {"page": params.page}],
        )
    response = _json(catalog.catalog_document(page, links))
    header = _page_links(links, page)
    if header:
        response.headers["Link"] = header
    return response


def dataset(request: HttpRequest, dataset_id: str) -> HttpResponse:
    """`GET /dsp/catalog/datasets/{id}`: one published resource with its offer, else 404."""
    if request.method not in ("GET", "HEAD"):
        return _method_not_allowed("GET")
    lineage = messages.dataset_lineage(dataset_id)
    resource = catalog.published_resource(lineage) if lineage is not None else None
    document = None
    if resource is not None:
        document = catalog.dataset_document(resource, site_links(request))
    if document is None:
        return catalog_error(
            404,
            "not_found",
            [_("No published dataset has the id “%(id)s”.") % {"id": dataset_id[:120]}],
        )
    return _json(document)


def versions(request: HttpRequest) -> HttpResponse:
    """`GET /.well-known/dspace-version`: the protocol version this hub speaks, and where."""
    if request.method not in ("GET", "HEAD"):
        return _method_not_allowed("GET")
    base = reverse("dsp:catalog_request").removesuffix("/catalog/request")
    return _json(
        {"protocolVersions": [{"version": PROTOCOL_VERSION, "path": base, "binding": "HTTPS"}]}
    )
