"""The supported CKAN actions, one function each: `(context, data_dict) -> result`.

Parameters arrive as CKAN clients send them (strings from a query string, JSON values
from a POST body); each action reads what it needs and ignores the rest, as CKAN does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet

from synergy_hub.accounts.models import Organisation, OrganisationStatus, User
from synergy_hub.accounts.permissions import PUBLISHER_KINDS
from synergy_hub.audit.models import AuditEvent
from synergy_hub.catalog import activity
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.vocabulary import ListState, Pillar
from synergy_hub.validation import INTEGER_MAX, OFFSET_MAX

from .. import facts
from . import packages, querysets
from .errors import NotFound, SearchQueryError, ValidationFailed
from .search import QuerySyntaxError, parse_facet_fields, parse_query, parse_sort

ROWS_DEFAULT = 10
ROWS_MAX = 1000  # CKAN's ckan.search.rows_max
FACET_LIMIT_DEFAULT = 50
ORGANIZATION_DATASETS_MAX = 100
DEFAULT_SORT = "score desc, metadata_modified desc"


@dataclass(frozen=True)
class ActionContext:
    """Who calls (None for anonymous) and the site's addresses."""

    user: User | None
    links: facts.Links


Data = Mapping[str, Any]
Action = Callable[[ActionContext, Data], Any]


# --- reading parameters -------------------------------------------------------------------


def _int(
    data: Data, name: str, default: int, *, minimum: int = 0, maximum: int = OFFSET_MAX
) -> int:
    """A whole number in `[minimum, maximum]`: no parameter reaches a query unbounded."""
    raw = data.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ValidationFailed({name: ["Invalid integer"]}) from None
    if value < minimum:
        raise ValidationFailed({name: ["Must be a natural number"]})
    if value > maximum:
        raise ValidationFailed({name: [f"Must be at most {maximum}"]})
    return value


def _bool(data: Data, name: str, default: bool) -> bool:
    raw = data.get(name)
    if raw is None or raw == "":
        return default
    if isinstance(raw, bool):
        return raw
    return str(raw).strip().lower() in ("true", "1", "yes", "on")


def _required(data: Data, name: str) -> str:
    value = data.get(name)
    if value is None or str(value).strip() == "":
        raise ValidationFailed({name: ["Missing value"]})
    return str(value).strip()


def _strings(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


# --- packages -------------------------------------------------------------------------------


def _package(context: ActionContext, reference: str) -> Resource:
    """The visible package with this id or name: its published version, else the caller's."""
    lineage = facts.lineage_from_package_ref(reference)
    if lineage is None:
        raise NotFound("Dataset not found")
    candidates = querysets.with_relations(
        querysets.visible_packages(context.user, include_private=True).filter(lineage=lineage)
    ).order_by("-openness_list__version")
    found = list(candidates)
    published = [r for r in found if r.openness_list.state == ListState.PUBLISHED]
    if not found:
        raise NotFound("Dataset not found")
    return (published or found)[0]


def package_show(context: ActionContext, data: Data) -> dict[str, Any]:
    """One package by `id` (the lineage UUID) or name (`shub-<hex>`)."""
    return packages.package_dict(_package(context, _required(data, "id")), context.links)


def package_list(context: ActionContext, data: Data) -> list[str]:
    """Names of every published package (`limit`, `offset`), as CKAN lists public datasets."""
    limit = _int(data, "limit", 0)
    offset = _int(data, "offset", 0)
    names = (
        querysets.visible_packages(None, include_private=False)
        .order_by("lineage")
        .values_list("lineage", flat=True)
    )
    sliced = names[offset : offset + limit] if limit else names[offset:]
    return [facts.package_name(lineage) for lineage in sliced]


def _search_facets(
    counts: dict[str, Any], limit: int, mincount: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    titles: dict[str, dict[str, str]] = {"organization": {}, "groups": {}}
    if "organization" in counts:
        for org in Organisation.objects.filter(kind__in=PUBLISHER_KINDS):
            titles["organization"][packages.organization_name(org)] = org.name
    if "groups" in counts:
        titles["groups"] = {p.value: str(p.label) for p in Pillar}
    facets: dict[str, Any] = {}
    search_facets: dict[str, Any] = {}
    for field, counter in counts.items():
        items = sorted(
            ((name, n) for name, n in counter.items() if n >= mincount),
            key=lambda item: (-item[1], item[0]),
        )
        if limit >= 0:
            items = items[:limit]
        facets[field] = dict(items)
        search_facets[field] = {
            "title": field,
            "items": [
                {"name": name, "display_name": titles.get(field, {}).get(name, name), "count": n}
                for name, n in items
            ],
        }
    return facets, search_facets


def package_search(context: ActionContext, data: Data) -> dict[str, Any]:
    """Search packages with `q`, `fq`, `sort`, `rows`, `start`, `facet.field`, `include_private`."""
    rows = min(_int(data, "rows", ROWS_DEFAULT), ROWS_MAX)
    start = _int(data, "start", 0)
    sort = str(data.get("sort") or DEFAULT_SORT)
    facet_limit = _int(data, "facet.limit", FACET_LIMIT_DEFAULT, minimum=-1)
    facet_mincount = _int(data, "facet.mincount", 1)
    queryset: QuerySet[Resource] = querysets.visible_packages(
        context.user, include_private=_bool(data, "include_private", False)
    )
    try:
        facet_fields = parse_facet_fields(data.get("facet.field"))
        order = querysets.order_by(parse_sort(sort))
        for text in [data.get("q"), data.get("fq"), *_strings(data.get("fq_list"))]:
            queryset = queryset.filter(querysets.compile_query(parse_query(str(text or ""))))
    except QuerySyntaxError as exc:
        raise SearchQueryError(str(exc)) from exc
    count = queryset.count()
    page = list(querysets.with_relations(queryset.order_by(*order))[start : start + rows])
    facets: dict[str, Any] = {}
    search_facets: dict[str, Any] = {}
    if facet_fields and _bool(data, "facet", True):
        counts = querysets.facet_counts(queryset, facet_fields)
        facets, search_facets = _search_facets(counts, facet_limit, facet_mincount)
    return {
        "count": count,
        "sort": sort,
        "facets": facets,
        "results": [packages.package_dict(r, context.links) for r in page],
        "search_facets": search_facets,
    }


def resource_show(context: ActionContext, data: Data) -> dict[str, Any]:
    """The one CKAN resource of a package, by its id (`<lineage>-access`)."""
    lineage = facts.lineage_from_access_id(_required(data, "id"))
    if lineage is None:
        raise NotFound("Resource was not found.")
    try:
        resource = _package(context, str(lineage))
    except NotFound:
        raise NotFound("Resource was not found.") from None
    return packages.resource_dict(resource, context.links)


# --- organizations, groups, tags, licences ------------------------------------------------


def _publishers() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind__in=PUBLISHER_KINDS, status=OrganisationStatus.APPROVED)


def _published_counts(field: str) -> dict[Any, int]:
    rows = (
        querysets.visible_packages(None, include_private=False)
        .values(field)
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row[field]: row["n"] for row in rows}


def _listing(data: Data, items: list[dict[str, Any]], default_sort: str) -> list[Any]:
    """CKAN's list options: `sort`, `limit`, `offset`, `all_fields` (else names)."""
    sort = str(data.get("sort") or default_sort).split()
    key = sort[0] if sort and sort[0] in ("name", "title", "package_count") else "name"
    reverse = len(sort) > 1 and sort[1].lower() == "desc"

    def sort_key(item: dict[str, Any]) -> Any:
        return item.get(key) or 0 if key == "package_count" else str(item.get(key, ""))

    items.sort(key=sort_key, reverse=reverse)
    offset = _int(data, "offset", 0)
    limit = _int(data, "limit", 0)
    items = items[offset : offset + limit] if limit else items[offset:]
    if _bool(data, "all_fields", False):
        return items
    return [item["name"] for item in items]


def organization_list(context: ActionContext, data: Data) -> list[Any]:
    """Approved platforms and service providers, as CKAN organizations."""
    counts = _published_counts("openness_list__publisher_id")
    wanted = set(_strings(data.get("organizations")))
    items = [
        packages.organization_dict(org, package_count=counts.get(org.pk, 0))
        for org in _publishers()
    ]
    if wanted:
        items = [item for item in items if item["name"] in wanted or item["id"] in wanted]
    return _listing(data, items, "name asc")


def _organisation(reference: str) -> Organisation:
    publishers = _publishers()
    found = publishers.filter(uscc__iexact=reference).first()
    if found is None and reference.isascii() and reference.isdigit():
        key = int(reference)
        found = publishers.filter(pk=key).first() if key <= INTEGER_MAX else None
    if found is None:
        raise NotFound("Organization was not found.")
    return found


def organization_show(context: ActionContext, data: Data) -> dict[str, Any]:
    """One organization by id or name; `include_datasets` adds its first published packages."""
    organisation = _organisation(_required(data, "id"))
    published = querysets.visible_packages(None, include_private=False).filter(
        openness_list__publisher=organisation
    )
    result = packages.organization_dict(organisation, package_count=published.count())
    if _bool(data, "include_datasets", False):
        rows = querysets.with_relations(published.order_by("pk"))[:ORGANIZATION_DATASETS_MAX]
        result["packages"] = [packages.package_dict(r, context.links) for r in rows]
    return result


def group_list(context: ActionContext, data: Data) -> list[Any]:
    """The three pillars, as CKAN groups."""
    counts = _published_counts("pillar")
    items = [packages.group_dict(p.value, package_count=counts.get(p.value, 0)) for p in Pillar]
    return _listing(data, items, "name asc")


def group_show(context: ActionContext, data: Data) -> dict[str, Any]:
    """One pillar by name."""
    name = _required(data, "id")
    if name not in Pillar.values:
        raise NotFound("Group was not found.")
    return packages.group_dict(name, package_count=_published_counts("pillar").get(name, 0))


def tag_list(context: ActionContext, data: Data) -> list[Any]:
    """Keywords of published packages (`query` filters by substring; `all_fields`)."""
    if data.get("vocabulary_id"):
        return []  # no tag vocabularies here
    query = str(data.get("query") or data.get("q") or "").lower()
    names: set[str] = set()
    published = querysets.visible_packages(None, include_private=False)
    for keywords in published.values_list("keywords", flat=True).iterator():
        names.update(keywords or [])
    found = sorted(name for name in names if query in name.lower())
    if _bool(data, "all_fields", False):
        return [packages.tag_dict(name) for name in found]
    return found


def license_list(context: ActionContext, data: Data) -> list[dict[str, Any]]:
    """The licences packages state (see docs/interop.md, "Licences")."""
    return [packages.licence_dict(licence) for licence in facts.LICENCES]


def status_show(context: ActionContext, data: Data) -> dict[str, Any]:
    """What the site is and which CKAN API level it follows."""
    return {
        "site_title": "Synergy Hub",
        "site_description": "Openness lists of platform enterprises for SMEs",
        "site_url": context.links.base,
        "ckan_version": packages.CKAN_API_LEVEL,
        "error_emails_to": None,
        "locale_default": "zh_Hans",
        "extensions": ["synergy_hub_ckan_api", "synergy_hub_dcat"],
    }


def help_show(context: ActionContext, data: Data) -> str:
    """The documentation of an action, by `name`."""
    name = _required(data, "name")
    action = ACTIONS.get(name)
    if action is None:
        raise NotFound(f"Action function not found: {name}")
    return (action.__doc__ or "").strip()


# --- activity streams ------------------------------------------------------------------------

ACTIVITY_LIMIT_DEFAULT = 31  # CKAN's ckan.activity_list_limit
ACTIVITY_LIMIT_MAX = activity.MAX_LIMIT  # CKAN's ckan.activity_list_limit_max
ACTIVITY_OFFSET_MAX = 1000
_KIND_OF_TYPE = {value: key for key, value in packages.ACTIVITY_TYPES.items()}


def _activity_kinds(data: Data) -> frozenset[str] | None:
    """`activity_types` / `exclude_activity_types` as change kinds (None: every kind)."""

    def types(name: str) -> list[str]:
        values = _strings(data.get(name))
        return [t.strip() for value in values for t in value.split(",") if t.strip()]

    wanted, unwanted = types("activity_types"), types("exclude_activity_types")
    if wanted and unwanted:
        raise ValidationFailed(
            {"activity_types": ["Cannot be used together with exclude_activity_types"]}
        )
    if wanted:
        return frozenset(_KIND_OF_TYPE[t] for t in wanted if t in _KIND_OF_TYPE)
    if unwanted:
        return frozenset(_KIND_OF_TYPE) - {_KIND_OF_TYPE[t] for t in unwanted if t in _KIND_OF_TYPE}
    return None


def _activities(
    context: ActionContext, data: Data, scope: Any, lineage: Any = None
) -> list[dict[str, Any]]:
    """A page of package activities, as CKAN's `*_activity_list` actions answer."""
    changes = activity.resource_changes(
        scope,
        offset=_int(data, "offset", 0, maximum=ACTIVITY_OFFSET_MAX),
        limit=_int(data, "limit", ACTIVITY_LIMIT_DEFAULT, minimum=1, maximum=ACTIVITY_LIMIT_MAX),
        lineage=lineage,
        kinds=_activity_kinds(data),
    )
    rows = {
        row.pk: row
        for row in querysets.with_relations(
            Resource.objects.filter(pk__in=[change.resource.pk for change in changes])
        )
    }
    return [
        packages.activity_dict(change, rows[change.resource.pk], context.links)
        for change in changes
    ]


def recently_changed_packages_activity_list(
    context: ActionContext, data: Data
) -> list[dict[str, Any]]:
    """Packages published, changed or removed by a list version, newest first (`offset`,
    `limit`, `activity_types`, `exclude_activity_types`)."""
    return _activities(context, data, AuditEvent.objects.all())


def package_activity_list(context: ActionContext, data: Data) -> list[dict[str, Any]]:
    """The public activity of one package (`id`), newest first (`offset`, `limit`)."""
    resource = _package(context, _required(data, "id"))
    return _activities(
        context, data, activity.lineage_scope(resource.lineage), lineage=resource.lineage
    )


def organization_activity_list(context: ActionContext, data: Data) -> list[dict[str, Any]]:
    """The public activity of one organization's packages (`id`), newest first."""
    organisation = _organisation(_required(data, "id"))
    return _activities(context, data, activity.organisation_scope(organisation))


ACTIONS: dict[str, Action] = {
    "package_search": package_search,
    "package_show": package_show,
    "package_list": package_list,
    "resource_show": resource_show,
    "organization_list": organization_list,
    "organization_show": organization_show,
    "group_list": group_list,
    "group_show": group_show,
    "tag_list": tag_list,
    "license_list": license_list,
    "status_show": status_show,
    "help_show": help_show,
    "recently_changed_packages_activity_list": recently_changed_packages_activity_list,
    "package_activity_list": package_activity_list,
    "organization_activity_list": organization_activity_list,
}
