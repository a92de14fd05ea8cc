"""The bounds of every number and text the API takes, in one place.

A number wider than a database column is an overflow inside the query (a server error on
SQLite, on PostgreSQL an error the driver raises), so every integer a request can carry
is bounded at the edge: path ids, filters, paging, body fields. The types below carry the
bounds into the OpenAPI schema, where a test (tests/api/test_bounds.py) checks that no
operation takes an unbounded integer or query text; `install` makes every write refuse a
body that is not an object, or holds an integer beyond a column or a text beyond
`TEXT_MAX`, whatever its schema says, so a field added tomorrow is bounded too.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Annotated, Any, Final

from django.http import HttpRequest, HttpResponseBase
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Schema
from ninja.pagination import LimitOffsetPagination

from synergy_hub.validation import INTEGER_MAX, INTEGER_MIN, OFFSET_MAX, PAGE_MAX, TEXT_MAX

#: Any number a database column holds: the field's own rule (a range, a choice) is checked
#: by its service, which names the rule; this bound only keeps the number out of overflow.
Integer = Annotated[int, Field(ge=INTEGER_MIN, le=INTEGER_MAX)]
#: An object's id in a path or a filter: a positive database key.
ObjectId = Annotated[int, Field(ge=1, le=INTEGER_MAX)]
#: A page of a listing and how deep it starts.
Limit = Annotated[int, Field(ge=1, le=PAGE_MAX)]
Offset = Annotated[int, Field(ge=0, le=OFFSET_MAX)]
#: A short word chosen from a vocabulary (a kind, a role, a code) in a query parameter.
Word = Annotated[str, Field(max_length=100)]
#: Nesting a JSON body may have; ours are at most a few levels deep.
MAX_DEPTH: Final = 20

DEFAULT_PAGE: Final = 100


class BoundedPagination(LimitOffsetPagination):
    """ninja's limit/offset paging with both numbers bounded (ninja bounds neither)."""

    class Input(Schema):
        limit: Limit = DEFAULT_PAGE
        offset: Offset = 0


def _problems(value: Any, loc: tuple[str | int, ...], depth: int = 0) -> Iterator[dict[str, Any]]:
    """Every integer, text or nesting in a decoded body that no field may take."""
    if depth > MAX_DEPTH:
        yield {
            "loc": list(loc),
            "msg": _("The body is nested more than %(max)d levels deep.") % {"max": MAX_DEPTH},
            "type": "max_depth",
        }
    elif isinstance(value, dict):
        for key, item in value.items():
            if "\x00" in str(key):
                yield _null_character((*loc, str(key)))
            yield from _problems(item, (*loc, str(key)), depth + 1)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _problems(item, (*loc, index), depth + 1)
    elif isinstance(value, bool):
        return
    elif isinstance(value, int) and not INTEGER_MIN <= value <= INTEGER_MAX:
        yield {
            "loc": list(loc),
            "msg": _("Must be between %(min)d and %(max)d.")
            % {"min": INTEGER_MIN, "max": INTEGER_MAX},
            "type": "integer_range",
        }
    elif isinstance(value, str) and len(value) > TEXT_MAX:
        yield {
            "loc": list(loc),
            "msg": _("At most %(max)d characters are allowed (%(count)d given).")
            % {"max": TEXT_MAX, "count": len(value)},
            "type": "max_length",
        }
    elif isinstance(value, str) and "\x00" in value:
        yield _null_character(loc)


def _null_character(loc: tuple[str | int, ...]) -> dict[str, Any]:
    """A NUL character: no text field takes one (PostgreSQL cannot store it; Django's form
    fields refuse it too)."""
    return {
        "loc": list(loc),
        "msg": _("Null characters are not allowed."),
        "type": "null_character",
    }


def body_problems(request: HttpRequest) -> list[dict[str, Any]]:
    """What is wrong with a write's JSON body as a whole, before any schema reads it.

    ninja's schemas read a non-object body (`[null, null]`) as an object with no fields, so
    an operation whose fields are all optional would accept it; and a number or text the
    schema leaves unbounded would reach the service or the query.
    """
    if request.method not in ("POST", "PUT", "PATCH") or not request.body:
        return []
    if (request.content_type or "").startswith(("multipart/", "application/x-www-form")):
        return []  # form fields, not JSON: ninja reads them as such
    try:
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return [{"loc": ["body"], "msg": _("The body is not valid JSON."), "type": "json_invalid"}]
    if not isinstance(data, dict):
        return [
            {
                "loc": ["body"],
                "msg": _("The body must be a JSON object."),
                "type": "model_attributes_type",
            }
        ]
    return list(_problems(data, ("body",)))[:20]


def install(api: NinjaAPI) -> None:
    """Check every write's body against the bounds before its operation parses it."""

    def check_body(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(run)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            problems = body_problems(request)
            if problems:
                return api.create_response(request, {"detail": problems}, status=422)
            return run(request, *args, **kwargs)

        return wrapper

    api.add_decorator(check_body, mode="view")
