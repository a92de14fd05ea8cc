"""Atom feeds of the catalog's public activity: the whole catalog, a list, a resource,
an organisation. They read the same public events as the pages (`catalog.activity`)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.http import HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from synergy_hub.accounts.models import Organisation
from synergy_hub.accounts.selectors import organisation_for_viewer
from synergy_hub.catalog import activity, selectors
from synergy_hub.catalog.models import OpennessList, Resource


class _ActivityFeed(Feed):
    """List-version events as Atom entries, newest first."""

    feed_type = Atom1Feed

    def item_title(self, item: activity.Activity) -> str:
        return activity.headline(item)

    def item_description(self, item: activity.Activity) -> str:
        lst = item.openness_list
        return f"{lst.publisher.name} · {lst.batch.name}"

    def item_link(self, item: activity.Activity) -> str:
        return reverse("catalog:list", args=[item.openness_list.pk])

    def item_guid(self, item: activity.Activity) -> str:
        return f"{self.item_link(item)}#event-{item.seq}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: activity.Activity) -> datetime:
        return item.occurred_at

    def item_updateddate(self, item: activity.Activity) -> datetime:
        return item.occurred_at


class RecentFeed(_ActivityFeed):
    """Every list version published or superseded in the catalog."""

    def title(self) -> str:
        return _("Synergy Hub: recently changed")

    def link(self) -> str:
        return reverse("catalog:home")

    def items(self) -> list[activity.Activity]:
        return activity.recent_activity()


class ListFeed(_ActivityFeed):
    """The versions of one openness list."""

    def get_object(self, request: HttpRequest, pk: int) -> OpennessList:
        return selectors.list_for_viewer(request.user, pk)

    def title(self, obj: OpennessList) -> str:
        return _("Activity of %(title)s") % {"title": obj.title}

    def link(self, obj: OpennessList) -> str:
        return reverse("catalog:list", args=[obj.pk])

    def items(self, obj: OpennessList) -> list[activity.Activity]:
        return activity.list_activity(obj)


class OrganisationFeed(_ActivityFeed):
    """The list versions of one publisher."""

    def get_object(self, request: HttpRequest, pk: int) -> Organisation:
        return organisation_for_viewer(request.user, pk)

    def title(self, obj: Organisation) -> str:
        return _("Activity of %(title)s") % {"title": obj.name}

    def link(self, obj: Organisation) -> str:
        return reverse("catalog:organisation", args=[obj.pk])

    def items(self, obj: Organisation) -> list[activity.Activity]:
        return activity.organisation_activity(obj)


class ResourceFeed(Feed):
    """The published versions that made one resource new, changed it or removed it."""

    feed_type = Atom1Feed
    item_guid_is_permalink = False

    def get_object(self, request: HttpRequest, pk: int) -> Resource:
        return selectors.resource_for_viewer(request.user, pk)

    def title(self, obj: Resource) -> str:
        return _("Activity of %(title)s") % {"title": obj.title}

    def link(self, obj: Resource) -> str:
        return reverse("catalog:resource", args=[obj.pk])

    def items(self, obj: Resource) -> list[activity.ResourceChange]:
        return activity.resource_activity(obj)

    def item_title(self, item: activity.ResourceChange) -> str:
        return activity.change_headline(item)

    def item_description(self, item: activity.ResourceChange) -> str:
        return item.resource.description[:500]

    def item_link(self, item: activity.ResourceChange) -> str:
        return reverse("catalog:resource", args=[item.resource.pk])

    def item_guid(self, item: activity.ResourceChange) -> str:
        return f"{self.item_link(item)}#event-{item.activity.seq}"

    def item_pubdate(self, item: activity.ResourceChange) -> datetime:
        return item.activity.occurred_at

    def item_updateddate(self, item: activity.ResourceChange) -> datetime:
        return item.activity.occurred_at
