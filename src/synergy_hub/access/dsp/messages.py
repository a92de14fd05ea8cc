"""Read a `CatalogRequestMessage` and its filter; refuse what the catalog cannot answer.

The message is DSP 2025-1 compact JSON-LD: `@context` holds the DSP context, `@type` is
`CatalogRequestMessage` (or the same IRI as `dspace:CatalogRequestMessage` or in full).
The protocol leaves `filter` to the implementation; ours is a list of criteria, all of
which a dataset must meet:

    {"operandLeft": "dct:type", "operator": "in", "operandRight": ["dataset", "api"]}

| operandLeft | operators | operandRight |
|---|---|---|
| `@id` | `=`, `in` | dataset id `urn:synergy-hub:resource:<lineage>` (or the bare lineage) |
| `dct:type` | `=`, `in` | resource type code (`dataset`, `compute`, …) or its concept IRI |
| `dct:publisher` | `=`, `in` | `urn:synergy-hub:organisation:<id>` (the assigner) or page IRI |
| `dct:modified` | `>=` | ISO 8601 date or date-time: edited or (re)published since then |

Anything else is refused with a reason naming the criterion (`filter[1].operator`), as the
binding asks ("If a filter expression is not supported … HTTP 400").
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from django.db.models import Q
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

from synergy_hub.access import usage_policy
from synergy_hub.catalog.interop.dcat_params import BadParameter, parse_moment
from synergy_hub.catalog.interop.dcat_vocab import code_from_iri
from synergy_hub.catalog.vocabulary import ResourceType

#: The DSP 2025-1 JSON-LD context every message and answer names.
DSP_CONTEXT = "https://w3id.org/dspace/2025/1/context.jsonld"
DSPACE = "https://w3id.org/dspace/2025/1/"
#: The largest message read (a catalog request is a few hundred bytes).
MAX_MESSAGE_BYTES = 64 * 1024
#: The most criteria and values one filter may hold.
MAX_CRITERIA = 20
MAX_VALUES = 200

_RESOURCE_PREFIX = usage_policy.resource_iri("")
_ORGANISATION_PREFIX = usage_policy.organisation_iri(0).removesuffix("0")


class MessageError(ValueError):
    """A message the catalog refuses: the CatalogError `code`, its reasons and HTTP status."""

    def __init__(self, code: str, reasons: list[str], status: int = 400) -> None:
        super().__init__("; ".join(reasons))
        self.code = code
        self.reasons = reasons
        self.status = status


@dataclass(frozen=True)
class CatalogQuery:
    """What a request asks for: conditions on resources, and "modified since"."""

    conditions: tuple[Q, ...] = ()
    modified_since: datetime | None = None


def read_json(body: bytes) -> dict[str, Any]:
    """The message as a JSON object, or `MessageError`."""
    if len(body) > MAX_MESSAGE_BYTES:
        raise MessageError(
            "invalid_message",
            [_("The message is larger than %(max)d bytes.") % {"max": MAX_MESSAGE_BYTES}],
        )
    try:
        data = json.loads(body)
    except json.JSONDecodeError as exc:
        # The place of the error, not the parser's English description of it.
        raise MessageError(
            "invalid_message",
            [
                _("The body is not valid JSON (line %(line)d, column %(column)d).")
                % {"line": exc.lineno, "column": exc.colno}
            ],
        ) from None
    except (UnicodeDecodeError, ValueError):
        raise MessageError("invalid_message", [_("The body is not valid JSON.")]) from None
    if not isinstance(data, dict):
        raise MessageError("invalid_message", [_("The message must be a JSON object.")])
    return data


def read_catalog_request(body: bytes) -> CatalogQuery:
    """Check a CatalogRequestMessage and turn its filter into a query."""
    message = read_json(body)
    _check_envelope(message, "CatalogRequestMessage")
    raw = _first_of(message, "filter")
    if raw is None:
        return CatalogQuery()
    criteria = raw if isinstance(raw, list) else [raw]
    if len(criteria) > MAX_CRITERIA:
        raise MessageError(
            "unsupported_filter",
            [_("filter: at most %(max)d criteria are allowed.") % {"max": MAX_CRITERIA}],
        )
    conditions: list[Q] = []
    moments: list[datetime] = []
    reasons: list[str] = []
    for index, criterion in enumerate(criteria):
        try:
            found = _criterion(criterion, f"filter[{index}]")
        except MessageError as exc:
            reasons.extend(exc.reasons)
            continue
        if isinstance(found, datetime):
            moments.append(found)
        else:
            conditions.append(found)
    if reasons:
        raise MessageError("unsupported_filter", reasons)
    return CatalogQuery(tuple(conditions), max(moments) if moments else None)


def _first_of(message: Mapping[str, Any], term: str) -> Any:
    """A DSP property under its term, `dspace:` compact IRI or full IRI."""
    for key in (term, f"dspace:{term}", f"{DSPACE}{term}"):
        if key in message:
            return message[key]
    return None


def _check_envelope(message: Mapping[str, Any], message_type: str) -> None:
    reasons: list[str] = []
    context = message.get("@context")
    contexts = context if isinstance(context, list) else [context]
    if context is None:
        reasons.append(_("@context: required; it must name %(url)s.") % {"url": DSP_CONTEXT})
    elif DSP_CONTEXT not in contexts:
        raise MessageError(
            "unsupported_context",
            [
                _(
                    "@context: this catalog speaks Dataspace Protocol 2025-1; "
                    "the context must include %(url)s."
                )
                % {"url": DSP_CONTEXT}
            ],
        )
    kind = message.get("@type")
    if kind not in (message_type, f"dspace:{message_type}", f"{DSPACE}{message_type}"):
        reasons.append(_("@type: must be %(type)s.") % {"type": message_type})
    if reasons:
        raise MessageError("invalid_message", reasons)


_CRITERION_KEYS = frozenset({"operandLeft", "operator", "operandRight", "@type"})


def _criterion(item: Any, path: str) -> Q | datetime:
    if not isinstance(item, Mapping):
        raise MessageError(
            "unsupported_filter",
            [
                _("%(path)s: a criterion is an object with operandLeft, operator and operandRight.")
                % {"path": path}
            ],
        )
    unknown = sorted(set(item) - _CRITERION_KEYS)
    missing = [key for key in ("operandLeft", "operator", "operandRight") if key not in item]
    if unknown or missing:
        raise MessageError(
            "unsupported_filter",
            [
                _("%(path)s: a criterion has exactly operandLeft, operator and operandRight.")
                % {"path": path}
            ],
        )
    left = item["operandLeft"]
    reader = _PROPERTIES.get(left) if isinstance(left, str) else None
    if reader is None:
        raise MessageError(
            "unsupported_filter",
            [
                _("%(path)s.operandLeft: “%(value)s” cannot be filtered on; use one of %(names)s.")
                % {"path": path, "value": str(left)[:60], "names": ", ".join(_NAMES)}
            ],
        )
    return reader(item["operator"], item["operandRight"], path)


def _values(operator: Any, value: Any, path: str) -> list[str]:
    """The values of an `=` (one string) or `in` (a list of strings) criterion."""
    if operator == "=" and isinstance(value, str):
        return [value]
    if operator == "in" and isinstance(value, list) and value:
        if len(value) > MAX_VALUES or not all(isinstance(v, str) for v in value):
            raise MessageError(
                "unsupported_filter",
                [
                    _("%(path)s.operandRight: “in” takes a list of at most %(max)d strings.")
                    % {"path": path, "max": MAX_VALUES}
                ],
            )
        return list(value)
    if operator not in ("=", "in"):
        message = _("%(path)s.operator: only “=” and “in” are supported here.")
    elif operator == "=":
        message = _("%(path)s.operandRight: “=” takes one string.")
    else:
        message = _("%(path)s.operandRight: “in” takes a non-empty list of strings.")
    raise MessageError("unsupported_filter", [message % {"path": path}])


def _refuse_value(path: str, value: str, expected: str) -> MessageError:
    return MessageError(
        "unsupported_filter",
        [
            _("%(path)s.operandRight: “%(value)s” is not %(expected)s.")
            % {"path": path, "value": value[:80], "expected": expected}
        ],
    )


def _by_id(operator: Any, value: Any, path: str) -> Q:
    lineages = []
    for text in _values(operator, value, path):
        lineage = dataset_lineage(text)
        if lineage is None:
            raise _refuse_value(path, text, _("a dataset id of this catalog"))
        lineages.append(lineage)
    return Q(lineage__in=lineages)


def _by_type(operator: Any, value: Any, path: str) -> Q:
    codes = []
    for text in _values(operator, value, path):
        code = code_from_iri("resource-type", text) or text
        if code not in ResourceType.values:
            raise _refuse_value(path, text, _("a resource type"))
        codes.append(code)
    return Q(resource_type__in=codes)


def _organisation_id(text: str) -> int | None:
    """The organisation named by its party IRI or its page's address."""
    if text.startswith(_ORGANISATION_PREFIX):
        number = text[len(_ORGANISATION_PREFIX) :]
        return int(number) if number.isdigit() else None
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https"):
        return None
    try:
        match = resolve(parts.path)
    except Resolver404:
        return None
    return int(match.kwargs["pk"]) if match.view_name == "catalog:organisation" else None


def _by_publisher(operator: Any, value: Any, path: str) -> Q:
    ids = []
    for text in _values(operator, value, path):
        pk = _organisation_id(text)
        if pk is None:
            raise _refuse_value(path, text, _("an organisation of this hub"))
        ids.append(pk)
    return Q(openness_list__publisher_id__in=ids)


def _by_modified(operator: Any, value: Any, path: str) -> datetime:
    if operator != ">=":
        raise MessageError(
            "unsupported_filter",
            [_("%(path)s.operator: only “>=” is supported for dct:modified.") % {"path": path}],
        )
    if not isinstance(value, str):
        raise _refuse_value(path, str(value), _("an ISO 8601 date or date-time"))
    try:
        return parse_moment(value)
    except BadParameter:
        raise _refuse_value(path, value, _("an ISO 8601 date or date-time")) from None


_Reader = Callable[[Any, Any, str], "Q | datetime"]
_PROPERTIES: dict[str, _Reader] = {
    "@id": _by_id,
    "dct:type": _by_type,
    "http://purl.org/dc/terms/type": _by_type,
    "dct:publisher": _by_publisher,
    "http://purl.org/dc/terms/publisher": _by_publisher,
    "dct:modified": _by_modified,
    "http://purl.org/dc/terms/modified": _by_modified,
}
_NAMES = ("@id", "dct:type", "dct:publisher", "dct:modified")


def dataset_lineage(dataset_id: str) -> uuid.UUID | None:
    """The lineage a dataset id names (`urn:synergy-hub:resource:<lineage>` or the bare UUID)."""
    raw = dataset_id.removeprefix(_RESOURCE_PREFIX)
    try:
        return uuid.UUID(raw)
    except ValueError:
        return None
