"""Which packages a caller sees, and the parsed search turned into database filters.

Public callers see resources of currently published lists. A caller with an API token
also sees (when asking for private packages) its own organisation's resources that are
not published yet, as CKAN shows private datasets to their organisation's members;
programme officers see every unpublished one, as CKAN's sysadmins do.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from functools import reduce
from operator import and_, or_
from typing import Any

from django.db import connection
from django.db.models import F, Q, QuerySet, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Greatest, Lower, NullIf
from django.utils import timezone, translation

from synergy_hub.accounts.models import Organisation, User
from synergy_hub.accounts.permissions import PUBLISHER_KINDS, is_officer, organisation_of
from synergy_hub.catalog.models import OPEN_LIST_STATES, Resource
from synergy_hub.catalog.vocabulary import AccessMode, ListState
from synergy_hub.validation import INTEGER_MAX

from .. import facts
from ..dcat_params import BadParameter, parse_moment
from .errors import SearchQueryError
from .search import And, MatchAll, Node, Not, Range, Term

NOTHING = Q(pk__in=[])
EVERYTHING = Q(pk__isnull=False)  # unlike Q(), it can be negated into NOTHING

OPEN_LICENCE = Q(
    access_mode=AccessMode.OPEN,
    resource_type__in=facts.INFORMATION_TYPES,
    usage_terms_zh="",
    usage_terms_en="",
)


def visible_packages(user: User | None, *, include_private: bool) -> QuerySet[Resource]:
    """Published resources, plus the caller's unpublished ones when it asks for private."""
    visible = Q(openness_list__state=ListState.PUBLISHED)
    if include_private and user is not None:
        private = Q(openness_list__state__in=OPEN_LIST_STATES)
        if not is_officer(user):
            organisation = organisation_of(user)
            private &= (
                Q(openness_list__publisher=organisation) if organisation is not None else NOTHING
            )
        published = Resource.objects.filter(openness_list__state=ListState.PUBLISHED)
        private &= ~Q(lineage__in=published.values("lineage"))
        visible |= private
    return Resource.objects.filter(visible).annotate(
        metadata_modified=Greatest(
            "updated_at", Coalesce("openness_list__published_at", "updated_at")
        )
    )


def with_relations(queryset: QuerySet[Resource]) -> QuerySet[Resource]:
    """Everything a package dict reads, fetched in a fixed number of queries."""
    return queryset.select_related(
        "openness_list__publisher", "openness_list__batch"
    ).prefetch_related("regions", "industries")


# --- keywords (a JSON list: PostgreSQL and SQLite need different SQL) ------------------------


def keyword_q(value: str, *, exact: bool) -> Q:
    """Resources with a keyword equal to (or, not exact, containing) the value."""
    if connection.vendor == "postgresql":
        return Q(keywords__contains=[value]) if exact else Q(keywords__icontains=value)
    # SQLite keeps JSON with \\u escapes, so text matching misses Chinese: read the elements.
    table = Resource._meta.db_table
    if exact:
        condition, param = "k.value = %s", value
    else:
        escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        condition, param = "LOWER(k.value) LIKE %s ESCAPE '\\'", f"%{escaped}%"
    sql = f'SELECT r."id" FROM "{table}" r, json_each(r."keywords") k WHERE {condition}'  # noqa: S608 - table name from the model, value passed as a parameter
    return Q(pk__in=RawSQL(sql, [param]))  # noqa: S611 - parameterised


# --- compiling the parsed query ------------------------------------------------------------


def _text(value: str) -> Q:
    return (
        Q(title_zh__icontains=value)
        | Q(title_en__icontains=value)
        | Q(description_zh__icontains=value)
        | Q(description_en__icontains=value)
        | keyword_q(value, exact=False)
    )


def _lineage(value: str) -> Q:
    lineage = facts.lineage_from_package_ref(value)
    return Q(lineage=lineage) if lineage is not None else NOTHING


def _publisher_key(value: str) -> Q:
    """Resources of the publisher with this id; nothing for a number no key can be."""
    if not _is_key(value):
        return NOTHING
    return Q(openness_list__publisher_id=int(value))


def _is_key(value: str) -> bool:
    """Digits that make a number a database key can hold (`isdigit` alone takes "²")."""
    return value.isascii() and value.isdigit() and int(value) <= INTEGER_MAX


def _organisation(value: str) -> Q:
    found = Q(openness_list__publisher__uscc__iexact=value)
    found |= _publisher_key(value)
    return found


def _through(model_field: str, value: str) -> Q:
    through = getattr(Resource, model_field).through
    column = "region_id" if model_field == "regions" else "industry_id"
    return Q(pk__in=through.objects.filter(**{column: value.upper()}).values("resource_id"))


def _term(term: Term) -> Q:
    value, field = term.value, term.field
    if field in (None, "text"):
        return _text(value)
    simple: dict[str, Any] = {
        "title": lambda: Q(title_zh__icontains=value) | Q(title_en__icontains=value),
        "notes": lambda: Q(description_zh__icontains=value) | Q(description_en__icontains=value),
        "tags": lambda: keyword_q(value, exact=True),
        "id": lambda: _lineage(value),
        "name": lambda: _lineage(value),
        "organization": lambda: _organisation(value),
        "owner_org": lambda: _publisher_key(value),
        "groups": lambda: Q(pillar=value),
        "pillar": lambda: Q(pillar=value),
        "resource_type": lambda: Q(resource_type=value),
        "access_mode": lambda: Q(access_mode=value),
        "unit": lambda: Q(unit=value),
        "batch": lambda: Q(openness_list__batch__number=int(value)) if _is_key(value) else NOTHING,
        "list_id": lambda: Q(openness_list_id=int(value)) if _is_key(value) else NOTHING,
        "region": lambda: _through("regions", value),
        "industry": lambda: _through("industries", value),
        "res_format": lambda: EVERYTHING if value.lower() in ("html", "text/html") else NOTHING,
        "license_id": lambda: {
            facts.CC_BY_4.id: OPEN_LICENCE,
            facts.PUBLISHER_TERMS.id: ~OPEN_LICENCE,
        }.get(value, NOTHING),
        "type": lambda: EVERYTHING if value == "dataset" else NOTHING,
        "dataset_type": lambda: EVERYTHING if value == "dataset" else NOTHING,
        "state": lambda: EVERYTHING if value == "active" else NOTHING,
        "private": lambda: {
            "true": ~Q(openness_list__state=ListState.PUBLISHED),
            "false": Q(openness_list__state=ListState.PUBLISHED),
        }.get(value.lower(), NOTHING),
    }
    if field in simple:
        return simple[field]()
    raise SearchQueryError(f"{field} needs a range: {field}:[from TO to]")


def _moment(value: str | None) -> datetime | None:
    if value is None:
        return None
    if value.upper() == "NOW":
        return timezone.now()
    try:
        return parse_moment(value)
    except BadParameter as exc:
        raise SearchQueryError(f"{value!r} is not an ISO 8601 date") from exc


def _range(node: Range) -> Q:
    column = "metadata_modified" if node.field == "metadata_modified" else "created_at"
    query = EVERYTHING
    low, high = _moment(node.low), _moment(node.high)
    if low is not None:
        query &= Q(**{f"{column}__{'gte' if node.include_low else 'gt'}": low})
    if high is not None:
        query &= Q(**{f"{column}__{'lte' if node.include_high else 'lt'}": high})
    return query


def compile_query(node: Node | None) -> Q:
    """Turn a parsed query into a filter on `visible_packages`."""
    if node is None or isinstance(node, MatchAll):
        return EVERYTHING
    if isinstance(node, Term):
        return _term(node)
    if isinstance(node, Range):
        return _range(node)
    if isinstance(node, Not):
        return ~compile_query(node.node)
    if isinstance(node, And):
        return reduce(and_, (compile_query(n) for n in node.nodes))
    return reduce(or_, (compile_query(n) for n in node.nodes))


def _title_expression() -> Any:
    """The title in the request's language, falling back to the other (as pages show it)."""
    first, second = ("title_zh", "title_en")
    if not (translation.get_language() or "zh-hans").startswith("zh"):
        first, second = second, first
    return Lower(Coalesce(NullIf(first, Value("")), second))


def order_by(sort: Iterable[tuple[str, bool]]) -> list[Any]:
    """Database ordering for parsed `sort` pairs; `score` has no meaning here and is skipped."""
    columns: dict[str, Any] = {
        "id": F("lineage"),
        "name": F("lineage"),
        "title_string": _title_expression(),
        "metadata_modified": F("metadata_modified"),
        "metadata_created": F("created_at"),
    }
    ordering: list[Any] = []
    for field, descending in sort:
        if field == "score":
            continue
        expression = columns[field]
        ordering.append(expression.desc() if descending else expression.asc())
    ordering.append(F("pk").desc())
    return ordering


# --- facets --------------------------------------------------------------------------------


def facet_counts(queryset: QuerySet[Resource], fields: list[str]) -> dict[str, Counter[str]]:
    """Count the matching packages per value of each facet field, in one pass."""
    counts: dict[str, Counter[str]] = {field: Counter() for field in fields}
    rows = queryset.values_list(
        "openness_list__publisher_id",
        "pillar",
        "keywords",
        "resource_type",
        "access_mode",
        "usage_terms_zh",
        "usage_terms_en",
        "openness_list__batch__number",
    )
    names: dict[int, str] = {}
    if "organization" in counts:
        publishers = Organisation.objects.filter(kind__in=PUBLISHER_KINDS)
        names = {pk: uscc.lower() for pk, uscc in publishers.values_list("pk", "uscc")}
    for publisher, pillar, keywords, kind, mode, terms_zh, terms_en, batch in rows.iterator():
        values: dict[str, Iterable[str]] = {
            "organization": [names.get(publisher, str(publisher))],
            "groups": [pillar],
            "tags": set(keywords or []),
            "res_format": ["HTML"],
            "resource_type": [kind],
            "access_mode": [mode],
            "batch": [str(batch)],
        }
        if "license_id" in counts:
            probe = Resource(
                access_mode=mode,
                resource_type=kind,
                usage_terms_zh=terms_zh,
                usage_terms_en=terms_en,
            )
            values["license_id"] = [facts.licence_for(probe).id]
        for field in fields:
            counts[field].update(values[field])
    return counts
