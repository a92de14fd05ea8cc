"""The catalog's public activity, read from the audit log: list versions published and superseded.

Only the two events that make something public are read (`PUBLIC_ACTIONS`); drafts,
submissions, returns with their reasons, edits and removals before publication are
recorded in the same log but never reach an activity stream, a feed or the CKAN API. Nor
does the actor: the log keeps who did it, the public sees only that it happened.

A published version names what it changed for each resource, by lineage, against the
version it replaces: new, changed (its published facts differ) or removed. Every read is
a fixed number of queries, whatever the number of events: the events, their lists, the
resources of those lists and of the versions they replace.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final
from uuid import UUID

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from synergy_hub.accounts.models import Organisation
from synergy_hub.audit.models import AuditEvent
from synergy_hub.catalog.models import OpennessList, Resource
from synergy_hub.catalog.vocabulary import ListState

PUBLISHED: Final = "catalog.list.published"
SUPERSEDED: Final = "catalog.list.superseded"
PUBLIC_ACTIONS: Final = (PUBLISHED, SUPERSEDED)
LIST_OBJECT: Final = OpennessList._meta.label_lower
#: Events a page or feed shows at most; the CKAN API's own limit is `MAX_LIMIT`.
DEFAULT_LIMIT: Final = 20
MAX_LIMIT: Final = 100

#: The published facts whose difference makes a republished resource "changed".
COMPARED_FIELDS: Final = (
    "resource_type",
    "pillar",
    "title_zh",
    "title_en",
    "description_zh",
    "description_en",
    "keywords",
    "translations",
    "eligible_size_classes",
    "eligible_tiers",
    "access_mode",
    "price",
    "sme_discount_percent",
    "unit",
    "capacity",
    "capacity_period",
    "usage_terms_zh",
    "usage_terms_en",
    "usage_policy",
)


@dataclass(frozen=True)
class Activity:
    """One public event: a list version published (with what it changed) or superseded."""

    seq: int
    occurred_at: datetime
    action: str
    openness_list: OpennessList
    added: list[Resource] = field(default_factory=list)
    changed: list[Resource] = field(default_factory=list)
    removed: list[Resource] = field(default_factory=list)

    @property
    def published(self) -> bool:
        return self.action == PUBLISHED


def _facts(resource: Resource) -> tuple[Any, ...]:
    return tuple(getattr(resource, name) for name in COMPARED_FIELDS)


def _events(scope: QuerySet[AuditEvent], offset: int, limit: int) -> list[AuditEvent]:
    limit = max(1, min(limit, MAX_LIMIT))
    return list(
        scope.filter(action__in=PUBLIC_ACTIONS, object_type=LIST_OBJECT).order_by("-seq")[
            max(0, offset) : max(0, offset) + limit
        ]
    )


def _build(events: list[AuditEvent]) -> list[Activity]:
    """Events with their lists and what each published version changed (three queries)."""
    ids = {int(event.object_id) for event in events if event.object_id.isdigit()}
    lists = {
        lst.pk: lst
        for lst in OpennessList.objects.filter(
            pk__in=ids, state__in=(ListState.PUBLISHED, ListState.SUPERSEDED)
        ).select_related("publisher", "batch")
    }
    versions = set(lists) | {lst.previous_id for lst in lists.values() if lst.previous_id}
    resources: dict[int, list[Resource]] = defaultdict(list)
    if versions:
        for resource in Resource.objects.filter(openness_list_id__in=versions).order_by(
            "position", "pk"
        ):
            resources[resource.openness_list_id].append(resource)
    found = []
    for event in events:
        lst = lists.get(int(event.object_id)) if event.object_id.isdigit() else None
        if lst is None:  # not a public version (never expected: the actions make it public)
            continue
        for resource in resources[lst.pk]:
            resource.openness_list = lst
        activity = Activity(event.seq, event.occurred_at, event.action, lst)
        if event.action == PUBLISHED:
            before = {r.lineage: r for r in resources.get(lst.previous_id or 0, [])}
            now = {r.lineage for r in resources[lst.pk]}
            for resource in resources[lst.pk]:
                earlier = before.get(resource.lineage)
                if earlier is None:
                    activity.added.append(resource)
                elif _facts(earlier) != _facts(resource):
                    activity.changed.append(resource)
            activity.removed.extend(r for lineage, r in before.items() if lineage not in now)
        found.append(activity)
    return found


def _scope(list_ids: Iterable[int]) -> QuerySet[AuditEvent]:
    return AuditEvent.objects.filter(object_id__in=[str(pk) for pk in list_ids])


def organisation_scope(organisation: Organisation) -> QuerySet[AuditEvent]:
    """The events of an organisation's lists."""
    return AuditEvent.objects.filter(organisation_id=organisation.pk)


def list_scope(openness_list: OpennessList) -> QuerySet[AuditEvent]:
    """The events of every version of a list."""
    return _scope(
        OpennessList.objects.filter(series=openness_list.series).values_list("pk", flat=True)
    )


def lineage_scope(lineage: UUID) -> QuerySet[AuditEvent]:
    """The events of the versions that held a resource, and of the versions after them
    (a removal is recorded on the version after the last one that held it)."""
    holders = list(
        Resource.objects.filter(lineage=lineage).values_list("openness_list_id", flat=True)
    )
    following = OpennessList.objects.filter(previous_id__in=holders).values_list("pk", flat=True)
    return _scope({*holders, *following})


def recent_activity(*, offset: int = 0, limit: int = DEFAULT_LIMIT) -> list[Activity]:
    """The whole catalog's public events, newest first."""
    return _build(_events(AuditEvent.objects.all(), offset, limit))


def organisation_activity(
    organisation: Organisation, *, offset: int = 0, limit: int = DEFAULT_LIMIT
) -> list[Activity]:
    """The public events of an organisation's lists, newest first."""
    return _build(_events(organisation_scope(organisation), offset, limit))


def list_activity(
    openness_list: OpennessList, *, offset: int = 0, limit: int = DEFAULT_LIMIT
) -> list[Activity]:
    """The public events of every version of a list, newest first."""
    return _build(_events(list_scope(openness_list), offset, limit))


@dataclass(frozen=True)
class ResourceChange:
    """What one published version did to one resource: "new", "changed" or "removed"."""

    activity: Activity
    resource: Resource
    kind: str


def _changes(
    activity: Activity, lineage: UUID | None, kinds: frozenset[str] | None
) -> list[ResourceChange]:
    found = [
        ResourceChange(activity, resource, kind)
        for kind, resources in (
            ("new", activity.added),
            ("changed", activity.changed),
            ("removed", activity.removed),
        )
        for resource in resources
    ]
    if lineage is not None:
        found = [change for change in found if change.resource.lineage == lineage]
    if kinds is not None:
        found = [change for change in found if change.kind in kinds]
    return found


def resource_changes(
    scope: QuerySet[AuditEvent],
    *,
    offset: int = 0,
    limit: int = DEFAULT_LIMIT,
    lineage: UUID | None = None,
    kinds: frozenset[str] | None = None,
) -> list[ResourceChange]:
    """The resource changes of the published versions in scope, newest first, paged.

    Versions that republished a resource unchanged, and supersessions, change no resource
    and are left out; `kinds` keeps only "new", "changed" or "removed" ones. Events are read
    a hundred at a time until the page is full.
    """
    wanted = max(0, offset) + max(1, min(limit, MAX_LIMIT))
    found: list[ResourceChange] = []
    start = 0
    while len(found) < wanted:
        events = _events(scope.filter(action=PUBLISHED), start, MAX_LIMIT)
        for activity in _build(events):
            found.extend(_changes(activity, lineage, kinds))
        if len(events) < MAX_LIMIT:
            break
        start += MAX_LIMIT
    return found[max(0, offset) : wanted]


def resource_activity(resource: Resource, *, limit: int = DEFAULT_LIMIT) -> list[ResourceChange]:
    """The published versions that made the resource new, changed it or removed it."""
    return resource_changes(lineage_scope(resource.lineage), limit=limit, lineage=resource.lineage)


# --- in words ------------------------------------------------------------------------------


def headline(item: Activity) -> str:
    """One line saying what happened, in the active language."""
    lst = item.openness_list
    if not item.published:
        return _("%(title)s: version %(version)d superseded by a newer version") % {
            "title": lst.title,
            "version": lst.version,
        }
    if lst.version == 1:
        return ngettext(
            "%(title)s published with %(n)d resource",
            "%(title)s published with %(n)d resources",
            len(item.added),
        ) % {"title": lst.title, "n": len(item.added)}
    return _(
        "%(title)s: version %(version)d published (%(new)d new, %(changed)d changed, "
        "%(removed)d removed)"
    ) % {
        "title": lst.title,
        "version": lst.version,
        "new": len(item.added),
        "changed": len(item.changed),
        "removed": len(item.removed),
    }


def change_headline(change: ResourceChange) -> str:
    """One line saying what a published version did to a resource."""
    values = {
        "title": change.resource.title,
        "list": change.activity.openness_list.title,
        "version": change.activity.openness_list.version,
    }
    if change.kind == "new":
        return _("%(title)s published in %(list)s (version %(version)d)") % values
    if change.kind == "changed":
        return _("%(title)s changed in %(list)s (version %(version)d)") % values
    return _("%(title)s removed from %(list)s (version %(version)d)") % values
