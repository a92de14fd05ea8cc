"""Recognise a source's format and read its records, following Hydra pages of a URL.

JSON-LD is parsed only with inline contexts: a remote `@context` would make rdflib fetch
it from the network, so such a document is refused (data.json, whose `@context` is a
URL, is read by its own parser instead).
"""

from __future__ import annotations

import json
import warnings
from typing import Any

from django.utils.translation import gettext as _
from rdflib import Graph

from .fetch import FetchedSource, SourceError, fetch_url
from .parse_json import (
    is_ckan_package,
    records_from_ckan,
    records_from_dcat_json,
    records_from_dcat_json_datasets,
)
from .parse_rdf import next_page, records_from_graph
from .records import ParsedCatalog

MAX_PAGES = 200
_RDF_BY_TYPE = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "application/rdf+xml": "xml",
    "application/n-triples": "nt",
    "application/ld+json": "json-ld",
}
_RDF_BY_SUFFIX = {
    ".ttl": "turtle",
    ".rdf": "xml",
    ".xml": "xml",
    ".owl": "xml",
    ".nt": "nt",
    ".n3": "n3",
    ".jsonld": "json-ld",
}


def _has_remote_context(value: Any) -> bool:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "@context" and (
                isinstance(item, str)
                or (isinstance(item, list) and any(isinstance(i, str) for i in item))
            ):
                return True
            if _has_remote_context(item):
                return True
    elif isinstance(value, list):
        return any(_has_remote_context(item) for item in value)
    return False


def _from_json(document: Any, text: str) -> tuple[ParsedCatalog | None, str | None]:
    """A parsed JSON catalog, or the RDF format to parse the text with (JSON-LD)."""
    if isinstance(document, dict) and isinstance(document.get("dataset"), list):
        if not _has_remote_context({k: v for k, v in document.items() if k != "@context"}) and (
            isinstance(document.get("@context"), dict | list)
        ):
            return None, "json-ld"
        conforms = str(document.get("conformsTo", "")) + str(document.get("@context", ""))
        return records_from_dcat_json(
            document, "dcat-us" if "project-open-data" in conforms else "dcat-json"
        ), None
    if isinstance(document, dict) and ("@graph" in document or "@context" in document):
        if _has_remote_context(document):
            raise SourceError(
                _("JSON-LD with a remote @context is not fetched; inline the context.")
            )
        return None, "json-ld"
    if isinstance(document, dict) and "result" in document and "success" in document:
        result = document["result"]
        if isinstance(result, dict) and isinstance(result.get("results"), list):
            return records_from_ckan(result["results"]), None
        return records_from_ckan(result if isinstance(result, list) else [result]), None
    items = document if isinstance(document, list) else [document]
    if items and all(is_ckan_package(item) for item in items):
        return records_from_ckan(items), None
    if items and all(isinstance(item, dict) and "title" in item for item in items):
        return records_from_dcat_json_datasets(items), None
    raise SourceError(_("This JSON is neither DCAT (data.json, JSON-LD) nor CKAN."))


def _rdf_format(source: FetchedSource, head: bytes) -> str:
    if source.content_type in _RDF_BY_TYPE:
        return _RDF_BY_TYPE[source.content_type]
    for suffix, name in _RDF_BY_SUFFIX.items():
        if (source.url or source.location).split("?")[0].lower().endswith(suffix):
            return name
    return "xml" if head.startswith(b"<") and not head.startswith(b"<http") else "turtle"


def parse_graph(content: bytes, rdf_format: str, base: str) -> Graph:
    """Parse RDF, refusing XML entity declarations (no entity expansion at all)."""
    if rdf_format == "xml" and b"<!ENTITY" in content:
        raise SourceError(_("XML entity declarations are not accepted."))
    graph = Graph()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            graph.parse(data=content, format=rdf_format, publicID=base or None)
    except Exception as exc:  # rdflib's parsers raise many kinds; all mean "unreadable"
        raise SourceError(
            _("The %(format)s could not be parsed: %(reason)s")
            % {
                "format": rdf_format,
                "reason": str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__,
            }
        ) from exc
    return graph


def read_catalog(source: FetchedSource) -> ParsedCatalog:
    """The records of a source, whatever its format; Hydra pages are followed for URLs."""
    head = source.content.lstrip()[:200]
    rdf_format: str | None = None
    if head[:1] in (b"{", b"["):
        try:
            text = source.content.decode("utf-8-sig")
            document = json.loads(text)
        except (UnicodeDecodeError, ValueError) as exc:
            raise SourceError(
                _("The JSON could not be parsed: %(reason)s") % {"reason": str(exc)[:200]}
            ) from exc
        parsed, rdf_format = _from_json(document, text)
        if parsed is not None:
            return parsed
    graph = parse_graph(source.content, rdf_format or _rdf_format(source, head), source.url)
    name = "dcat-rdf" if rdf_format != "json-ld" else "dcat-jsonld"
    pages = 1
    following = next_page(graph) if source.url else None
    seen = {source.url}
    while following and following not in seen and pages < MAX_PAGES:
        seen.add(following)
        page = fetch_url(following)
        page_graph = parse_graph(
            page.content, _rdf_format(page, page.content.lstrip()[:200]), page.url
        )
        following = next_page(page_graph)
        graph += page_graph
        pages += 1
    return records_from_graph(graph, name)
