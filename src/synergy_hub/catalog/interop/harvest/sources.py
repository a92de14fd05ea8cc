"""Recognise a source's format and read its records, following Hydra pages of a URL.

JSON-LD is parsed only with inline contexts: a remote `@context` would make rdflib fetch
it from the network, so such a document is refused (data.json, whose `@context` is a
URL, is read by its own parser instead).
"""

from __future__ import annotations

import json
import logging
import re
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
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
from .turtle_statements import split_statements

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
    if isinstance(document, dict) and "$schema" in document:
        raise SourceError(_("This is a JSON Schema, not a catalog."))
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


#: How Turtle and N-Triples documents start (after comments): a directive, an IRI, a node.
_TURTLE_START = re.compile(rb"^(?:@prefix|@base|prefix\s|base\s|<|_:|\[)", re.IGNORECASE)


def _rdf_format(source: FetchedSource, head: bytes) -> str:
    if source.content_type in _RDF_BY_TYPE:
        return _RDF_BY_TYPE[source.content_type]
    for suffix, name in _RDF_BY_SUFFIX.items():
        if (source.url or source.location).split("?")[0].lower().endswith(suffix):
            return name
    if head.startswith(b"<") and not head.startswith(b"<http"):
        return "xml"
    body = re.sub(rb"^(?:\s*#[^\n]*\n)*\s*", b"", head)
    if not body or _TURTLE_START.match(body):
        return "turtle"
    raise SourceError(
        _("This is not a catalog: neither JSON nor RDF (Turtle, RDF/XML, N-Triples, JSON-LD).")
    )


@dataclass
class ParsedGraph:
    """A parsed RDF graph with what parsing it noticed: tags it replaced, rdflib's warnings."""

    graph: Graph
    bad_tags: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


class _Collect(logging.Handler):
    """Keeps rdflib's log records (it logs a traceback for each literal it cannot read)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.WARNING:
            self.messages.append(record.getMessage())


@contextmanager
def _quiet_rdflib() -> Iterator[_Collect]:
    """Silence rdflib's warnings and log output while parsing; collect them instead."""
    logger = logging.getLogger("rdflib")
    handler = _Collect()
    propagate, level = logger.propagate, logger.level
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate, logger.level = propagate, level


_RDF_LANG = re.compile(rb"""(xml:lang\s*=\s*)(["'])([^"']*)\2""")
_RDFLIB_TAG = re.compile(r"^[a-zA-Z]+(?:-[a-zA-Z0-9]+)*$")  # what rdflib accepts


def _placeholder(tag: str, bad_tags: dict[str, str]) -> str:
    """A tag rdflib accepts for one it would refuse (the whole document with it): `de_CH`
    becomes `de-CH`; anything else a private-use tag the record's notes name as written."""
    if not tag or _RDFLIB_TAG.match(tag):
        return tag
    if _RDFLIB_TAG.match(tag.replace("_", "-")):
        return tag.replace("_", "-")
    placeholder = f"x-invalid-{len(bad_tags)}"
    bad_tags[placeholder] = tag
    return placeholder


def _repair_tags(content: bytes, rdf_format: str, bad_tags: dict[str, str]) -> bytes:
    """Replace the language tags rdflib refuses in RDF/XML and JSON-LD (see `_placeholder`)."""
    if rdf_format == "xml":

        def replace(match: re.Match[bytes]) -> bytes:
            tag = match.group(3).decode("utf-8", "replace")
            fixed = _placeholder(tag, bad_tags).encode()
            return match.group(1) + match.group(2) + fixed + match.group(2)

        return _RDF_LANG.sub(replace, content)
    if rdf_format == "json-ld" and b'"@language"' in content:
        document = json.loads(content.decode("utf-8-sig"))

        def walk(value: Any) -> Any:
            if isinstance(value, dict):
                return {
                    k: _placeholder(v, bad_tags)
                    if k == "@language" and isinstance(v, str)
                    else walk(v)
                    for k, v in value.items()
                }
            if isinstance(value, list):
                return [walk(item) for item in value]
            return value

        return json.dumps(walk(document)).encode()
    return content


def _log_notes(messages: list[str]) -> list[str]:
    """rdflib's warnings worth telling (malformed literals are noted per record instead)."""
    notes: list[str] = []
    for message in messages:
        if message.startswith("Failed to convert Literal"):
            continue
        text = message.split(", trying to serialize", 1)[0]
        if text not in notes:
            notes.append(text[:200])
    return notes[:20]


def _reason(exc: Exception, where: bool = True) -> str:
    """rdflib's message in one line: where (its first line) and what (the second);
    `where` False drops rdflib's line number (of a statement read on its own)."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    text = " ".join(lines[:2])[:240] if lines else type(exc).__name__
    return text if where else _WHERE.sub("", text).removesuffix(" at ^ in:")


_WHERE = re.compile(r"^at line \d+ of <[^>]*>:\s*")


def parse_graph(
    content: bytes, rdf_format: str, base: str, bad_tags: dict[str, str] | None = None
) -> ParsedGraph:
    """Parse RDF, refusing XML entity declarations (no entity expansion at all).

    `bad_tags` carries the replaced language tags over the pages of one catalog.
    """
    if rdf_format == "xml" and b"<!ENTITY" in content:
        raise SourceError(_("XML entity declarations are not accepted."))
    parsed = ParsedGraph(Graph(), bad_tags if bad_tags is not None else {})
    skipped: list[str] = []
    try:
        with _quiet_rdflib() as log:
            content = _repair_tags(content, rdf_format, parsed.bad_tags)
            try:
                parsed.graph.parse(data=content, format=rdf_format, publicID=base or None)
            except Exception:
                if rdf_format != "turtle":
                    raise
                parsed.graph = Graph()
                recovered = _parse_turtle_statements(parsed.graph, content, base)
                if recovered is None:  # nothing but directives readable: the file's error
                    raise
                skipped = recovered
    except Exception as exc:  # rdflib's parsers raise many kinds; all mean "unreadable"
        raise SourceError(
            _("The %(format)s could not be parsed: %(reason)s")
            % {"format": rdf_format, "reason": _reason(exc)}
        ) from exc
    parsed.notes = skipped + _log_notes(log.messages)
    return parsed


def _parse_turtle_statements(graph: Graph, content: bytes, base: str) -> list[str] | None:
    """Read the statements of a Turtle document that parse, one broken statement costing
    only itself (turtle_statements); returns a note for each statement left out, or None
    when no statement could be read.
    """
    text = content.decode("utf-8-sig", "replace")
    statements = split_statements(text)
    directives = "\n".join(s.text for s in statements if s.is_directive)
    kept: list[str] = []
    notes: list[str] = []
    for statement in statements:
        if statement.is_directive:
            continue
        try:
            Graph().parse(
                data=f"{directives}\n{statement.text}\n", format="turtle", publicID=base or None
            )
        except Exception as exc:  # any parser error means "this one is unreadable"
            notes.append(
                _("The statement at line %(line)d could not be parsed and was left out: %(reason)s")
                % {"line": statement.line, "reason": _reason(exc, where=False)}
            )
            continue
        kept.append(statement.text)
    if not kept:
        return None
    graph.parse(
        data=directives + "\n" + "\n".join(kept) + "\n", format="turtle", publicID=base or None
    )
    return notes


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
    first = parse_graph(source.content, rdf_format or _rdf_format(source, head), source.url)
    graph, bad_tags, notes = first.graph, first.bad_tags, first.notes
    name = "dcat-rdf" if rdf_format != "json-ld" else "dcat-jsonld"
    pages = 1
    following = next_page(graph) if source.url else None
    seen = {source.url}
    while following and following not in seen and pages < MAX_PAGES:
        seen.add(following)
        page = fetch_url(following)
        page_graph = parse_graph(
            page.content, _rdf_format(page, page.content.lstrip()[:200]), page.url, bad_tags
        )
        following = next_page(page_graph.graph)
        graph += page_graph.graph
        notes += [note for note in page_graph.notes if note not in notes]
        pages += 1
    with _quiet_rdflib():
        parsed = records_from_graph(graph, name, bad_tags)
    parsed.notes = notes
    return parsed
