"""What the engine sees of the catalog: a resource's indexed text and its ranking facts.

The index is keyed by resource *lineage*, so a new version of a list replaces the text of
the same resource instead of adding a second document; facts are read for the resource
row that is currently published.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from decimal import Decimal
from functools import cache

from django.db.models import QuerySet
from django.utils import translation

from synergy_hub.accounts.models import Industry, OrganisationKind, Region
from synergy_hub.catalog.models import OpennessList, Resource
from synergy_hub.catalog.vocabulary import ListState, ResourceType
from synergy_hub.matching.engine.candidates import ResourceFacts


@cache
def _type_labels() -> dict[str, dict[str, str]]:
    """Each resource type's name by language ("zh", "en"), indexed with the resource."""
    labels: dict[str, dict[str, str]] = {value: {} for value in ResourceType.values}
    for key, language in (("zh", "zh-hans"), ("en", "en")):
        with translation.override(language):
            for value, label in ResourceType.choices:
                labels[value][key] = str(label)
    return labels


def document_text(resource: Resource) -> str:
    """The text indexed for a resource: titles, descriptions, keywords and type, all languages.

    Chinese and English come first, then the other languages in tag order, titles before
    descriptions, so the first line is the title the retriever weighs in; the encoder reads
    German or French too, so a resource harvested in one of them can still be found.
    """
    others = [texts for _tag, texts in sorted((resource.translations or {}).items())]

    def other(part: str) -> list[str]:
        return [t[part] for t in others if isinstance(t.get(part), str) and t[part]]

    keywords = list(resource.keywords or [])
    for texts in others:
        keywords += [k for k in texts.get("keywords") or [] if isinstance(k, str)]
    # The type's name in the languages the resource is written in (English for one written
    # in neither), so that the label never changes what language the text is in.
    chinese = bool(resource.title_zh or resource.description_zh)
    english = bool(resource.title_en or resource.description_en) or not chinese
    names = _type_labels().get(resource.resource_type, {})
    label = " ".join(
        names[key] for key, wanted in (("zh", chinese), ("en", english)) if wanted and key in names
    )
    parts = [
        resource.title_zh,
        resource.title_en,
        *other("title"),
        resource.description_zh,
        resource.description_en,
        *other("description"),
        " ".join(keywords),
        label,
    ]
    return "\n".join(part for part in parts if part)


def doc_id(resource: Resource) -> str:
    """The index key of a resource: its lineage, stable across list versions."""
    return resource.lineage.hex


def published_documents(chunk_size: int = 2000) -> Iterator[tuple[str, str]]:
    """(doc_id, text) for every currently published resource, streamed in chunks."""
    queryset = (
        Resource.objects.filter(openness_list__state="published")
        .only(
            "lineage",
            "title_zh",
            "title_en",
            "description_zh",
            "description_en",
            "keywords",
            "translations",
            "resource_type",
        )
        .order_by("pk")
    )
    for resource in queryset.iterator(chunk_size=chunk_size):
        yield doc_id(resource), document_text(resource)


def published_count() -> int:
    """How many resources are published (the size of a full index)."""
    return Resource.objects.filter(openness_list__state="published").count()


def resources_for(doc_ids: Iterable[str]) -> dict[str, Resource]:
    """The published resource row for each lineage key, with what facts and pages need."""
    import uuid

    lineages = [uuid.UUID(hex=d) for d in doc_ids]
    rows = with_fact_relations(Resource.objects.filter(lineage__in=lineages).order_by())
    # The list state is checked here, not in SQL: see `facts_for`.
    return {
        doc_id(resource): resource
        for resource in rows
        if resource.openness_list.state == ListState.PUBLISHED
    }


def resources_by_pk(pks: Iterable[int]) -> dict[int, Resource]:
    """The published resource rows with these primary keys, with what a result page shows.

    Like `with_fact_relations`, but regions and industries come from their link tables
    and the code tables kept in memory (`_reference_rows`), not as fresh model rows per
    search: half the time of a result page's rows. The list state is checked here, not in
    SQL: see `facts_for`.
    """
    rows = [
        row
        for row in Resource.objects.filter(pk__in=list(pks))
        .order_by()
        .select_related("openness_list__publisher", "openness_list__batch")
        if row.openness_list.state == ListState.PUBLISHED
    ]
    _attach_codes(rows, "regions", Region)
    _attach_codes(rows, "industries", Industry)
    return {row.pk: row for row in rows}


@cache
def _reference_rows(model: type[Region] | type[Industry]) -> dict[str, Region | Industry]:
    """Every row of a code table by code (shipped reference data, fixed once migrated)."""
    return {row.pk: row for row in model.objects.all()}


def _attach_codes(rows: list[Resource], name: str, model: type[Region] | type[Industry]) -> None:
    """Fill each row's many-to-many `name` as a prefetch would, from the link table."""
    if not rows:
        return
    through = getattr(Resource, name).through
    column = f"{model._meta.model_name}_id"
    linked: dict[int, list[str]] = {}
    for resource_id, code in (
        through.objects.filter(resource_id__in=[row.pk for row in rows])
        .order_by()
        .values_list("resource_id", column)
    ):
        linked.setdefault(resource_id, []).append(code)
    known = _reference_rows(model)
    if any(code not in known for codes in linked.values() for code in codes):
        _reference_rows.cache_clear()  # a code table was reloaded since
        known = _reference_rows(model)
    for row in rows:
        queryset = getattr(row, name).all()
        queryset._result_cache = [known[code] for code in sorted(linked.get(row.pk, ()))]
        queryset._prefetch_done = True
        row.__dict__.setdefault("_prefetched_objects_cache", {})[name] = queryset


_FACT_FIELDS = (
    "pk",
    "lineage",
    "resource_type",
    "access_mode",
    "price",
    "sme_discount_percent",
    "eligible_size_classes",
    "eligible_tiers",
    "capacity",
    "created_at",
    "openness_list_id",
)


def facts_for(doc_ids: Iterable[str], *, scope: str | None = None) -> dict[str, ResourceFacts]:
    """The engine's view (as `facts_of` gives it) of each published resource, by lineage key.

    A search ranks a few hundred candidates but shows one page, so the candidates' facts
    are read as plain values in four small queries, never as model instances with
    related managers (1 ms a candidate); only the page shown loads full rows.

    Every query looks rows up by lineage or primary key, and the list state is checked in
    Python: with `openness_list__state` in the SQL, SQLite's planner (no statistics)
    starts from the lists by state and reads every resource of every published list,
    160 ms at 100,000 resources instead of a few.

    With a `scope` (the index generation the candidates came from), facts are kept in a
    per-process cache until the scope changes or `FACTS_CACHE_SECONDS` pass: a published
    row never changes (an edit makes a new list version, and its publication a new index
    generation), so only the publisher's kind and size class can go stale, for minutes.
    """
    keys = list(doc_ids)
    if scope is None:
        return _read_facts(keys)
    found, missing = _facts_cache.get_many(scope, keys)
    if missing:
        fresh = _read_facts(missing)
        _facts_cache.put_many(scope, fresh)
        found.update(fresh)
    return found


FACTS_CACHE_SECONDS = 300.0
FACTS_CACHE_ITEMS = 200_000


class _FactsCache:
    """Facts by lineage key for one scope at a time; emptied on a new scope, on age or size."""

    def __init__(self, max_items: int = FACTS_CACHE_ITEMS) -> None:
        self.max_items = max_items
        self.lock = threading.Lock()
        self.scope: str | None = None
        self.since = 0.0
        self.items: dict[str, ResourceFacts] = {}

    def _current(self, scope: str) -> dict[str, ResourceFacts]:
        now = time.monotonic()
        if scope != self.scope or now - self.since > FACTS_CACHE_SECONDS:
            self.scope, self.since, self.items = scope, now, {}
        return self.items

    def get_many(self, scope: str, keys: list[str]) -> tuple[dict[str, ResourceFacts], list[str]]:
        with self.lock:
            items = self._current(scope)
            found = {key: items[key] for key in keys if key in items}
        return found, [key for key in keys if key not in found]

    def put_many(self, scope: str, facts: dict[str, ResourceFacts]) -> None:
        with self.lock:
            items = self._current(scope)
            if len(items) + len(facts) > self.max_items:
                items.clear()
            items.update(facts)

    def clear(self) -> None:
        with self.lock:
            self.scope, self.items = None, {}


_facts_cache = _FactsCache()


def forget_facts() -> None:
    """Empty this process's cache of candidates' facts (the next searches read them again)."""
    _facts_cache.clear()


def _read_facts(doc_ids: list[str]) -> dict[str, ResourceFacts]:
    """Read the facts of these lineage keys from the database (see `facts_for`)."""
    import uuid

    lineages = [uuid.UUID(hex=d) for d in doc_ids]
    if not lineages:
        return {}
    rows = list(Resource.objects.filter(lineage__in=lineages).order_by().values_list(*_FACT_FIELDS))
    lists = {
        pk: rest
        for pk, state, *rest in OpennessList.objects.filter(pk__in={row[-1] for row in rows})
        .order_by()
        .values_list(
            "pk",
            "state",
            "published_at",
            "publisher_id",
            "publisher__kind",
            "publisher__size_class",
        )
        if state == ListState.PUBLISHED
    }
    rows = [row for row in rows if row[-1] in lists]
    pks = [row[0] for row in rows]
    regions: dict[int, set[str]] = {}
    for resource_id, region_id in (
        Resource.regions.through.objects.filter(resource_id__in=pks)
        .order_by()
        .values_list("resource_id", "region_id")
    ):
        regions.setdefault(resource_id, set()).add(region_id)
    industries: dict[int, set[str]] = {}
    for resource_id, industry_id in (
        Resource.industries.through.objects.filter(resource_id__in=pks)
        .order_by()
        .values_list("resource_id", "industry_id")
    ):
        industries.setdefault(resource_id, set()).add(industry_id)
    facts: dict[str, ResourceFacts] = {}
    for (
        pk,
        lineage,
        resource_type,
        access_mode,
        price,
        discount,
        size_classes,
        tiers,
        capacity,
        created_at,
        list_id,
    ) in rows:
        published_at, publisher_id, kind, size_class = lists[list_id]
        facts[lineage.hex] = ResourceFacts(
            resource_id=pk,
            resource_type=resource_type,
            provider_id=publisher_id,  # type: ignore[arg-type]
            provider_size_class=size_class or "large",  # type: ignore[arg-type]
            provider_kind=kind if kind != OrganisationKind.AUTHORITY else "provider",  # type: ignore[arg-type]
            access_mode=access_mode,
            published_at=published_at or created_at,  # type: ignore[arg-type]
            price=price,
            sme_discount_percent=discount,
            eligible_size_classes=_shared(size_classes or ()),
            eligible_tiers=_shared(tiers or ()),
            regions=_shared(regions.get(pk, ())),
            industries=_shared(industries.get(pk, ())),
            capacity_total=capacity,
            capacity_free=capacity,
            provider_track_record=None,
        )
    return facts


_SHARED_SETS: dict[frozenset[str], frozenset[str]] = {}
_SHARED_SETS_MAX = 50_000


def _shared(values: Iterable[str]) -> frozenset[str]:
    """One frozenset object per distinct set of codes, shared by every cached fact.

    Resources repeat a few combinations of regions, industries, size classes and tiers;
    sharing them keeps the facts cache from adding four objects per resource for the
    garbage collector to scan on every full collection (docs/benchmarks.md, Speed).
    """
    key = frozenset(values)
    shared = _SHARED_SETS.get(key)
    if shared is None:
        if len(_SHARED_SETS) >= _SHARED_SETS_MAX:
            _SHARED_SETS.clear()
        shared = _SHARED_SETS[key] = key
    return shared


def with_fact_relations(queryset: QuerySet[Resource]) -> QuerySet[Resource]:
    """Load the relations that `facts_of` reads, in a fixed number of queries."""
    return queryset.select_related(
        "openness_list__publisher", "openness_list__batch"
    ).prefetch_related("regions", "industries")


def facts_of(
    resource: Resource,
    *,
    capacity_free: Decimal | None = None,
    track_record: float | None = None,
) -> ResourceFacts:
    """The engine's view of a resource (what eligibility and the disclosed ranking may read)."""
    publisher = resource.openness_list.publisher
    kind = publisher.kind if publisher.kind != OrganisationKind.AUTHORITY else "provider"
    free = resource.capacity if capacity_free is None else capacity_free
    return ResourceFacts(
        resource_id=resource.pk,
        resource_type=resource.resource_type,
        provider_id=publisher.pk,
        provider_size_class=publisher.size_class or "large",  # type: ignore[arg-type]
        provider_kind=kind,  # type: ignore[arg-type]
        access_mode=resource.access_mode,  # type: ignore[arg-type]
        published_at=resource.openness_list.published_at or resource.created_at,
        price=resource.price,
        sme_discount_percent=resource.sme_discount_percent,
        eligible_size_classes=frozenset(resource.eligible_size_classes or ()),
        eligible_tiers=frozenset(resource.eligible_tiers or ()),
        regions=frozenset(region.pk for region in resource.regions.all()),
        industries=frozenset(industry.pk for industry in resource.industries.all()),
        capacity_total=resource.capacity,
        capacity_free=free,
        provider_track_record=track_record,
    )
