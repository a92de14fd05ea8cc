"""Scoped reads of the catalog: every lookup goes through the viewer.

An object the viewer may not see answers 404 exactly like a missing one.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from synergy_hub.accounts.models import Organisation, OrganisationStatus
from synergy_hub.accounts.permissions import PUBLISHER_KINDS, is_officer, organisation_of
from synergy_hub.catalog.facets import PRICE_BANDS
from synergy_hub.catalog.models import Batch, Need, OpennessList, Resource
from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.eligibility import industries as industry_codes
from synergy_hub.eligibility import regions as region_codes

PUBLIC_LIST_STATES = (ListState.PUBLISHED, ListState.SUPERSEDED)


def current_batch() -> Batch | None:
    """The batch open for submissions today, else the latest that has opened."""
    from django.utils import timezone

    today = timezone.localdate()
    batches = list(Batch.objects.order_by("number"))
    for batch in batches:
        if batch.is_open(today):
            return batch
    opened = [b for b in batches if b.opens_on <= today]
    return opened[-1] if opened else None


def published_lists() -> QuerySet[OpennessList]:
    """Lists whose current version is published, with publisher and batch."""
    return (
        OpennessList.objects.filter(state=ListState.PUBLISHED)
        .select_related("publisher", "batch")
        .annotate(resource_count=Count("resources"))
        .order_by("batch__number", "publisher__name_zh", "pk")
    )


def published_resources() -> QuerySet[Resource]:
    """Resources on currently published list versions."""
    return Resource.objects.filter(openness_list__state=ListState.PUBLISHED).select_related(
        "openness_list__publisher", "openness_list__batch"
    )


def _count_per_publisher(queryset: QuerySet[Any], publisher: str) -> Subquery:
    """The rows of `queryset` per organisation, as a subquery on the organisation's pk."""
    counted = (
        queryset.filter(**{publisher: OuterRef("pk")})
        .order_by()
        .values(publisher)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Subquery(counted, output_field=IntegerField())


def publishers_with_counts() -> QuerySet[Organisation]:
    """Approved platforms and service providers with their published lists and resources,
    counted in the one query that reads them; the most resources first."""
    lists = OpennessList.objects.filter(state=ListState.PUBLISHED)
    resources = Resource.objects.filter(openness_list__state=ListState.PUBLISHED)
    return (
        Organisation.objects.filter(status=OrganisationStatus.APPROVED, kind__in=PUBLISHER_KINDS)
        .select_related("region")
        .annotate(
            list_count=Coalesce(_count_per_publisher(lists, "publisher"), 0),
            resource_count=Coalesce(_count_per_publisher(resources, "openness_list__publisher"), 0),
        )
        .order_by("-resource_count", "name_zh", "pk")
    )


def filter_resources(
    queryset: QuerySet[Resource],
    *,
    resource_type: str | None = None,
    batch: int | None = None,
    region: str | None = None,
    industry: str | None = None,
    access_mode: str | None = None,
    publisher: int | None = None,
    price_band: str | None = None,
) -> QuerySet[Resource]:
    """Apply the catalog's hard filters; a region or industry matches every area it meets.

    Words are not a filter: they rank, through the matching app's search.

    Region and industry keep a resource whose served areas overlap the wanted one (the
    same rule as search, `synergy_hub.eligibility`): one serving Guangdong is kept for
    Shenzhen and one serving Shenzhen for Guangdong; one without regions serves the whole
    country; an industry section meets its divisions.
    """
    if resource_type:
        queryset = queryset.filter(resource_type=resource_type)
    if batch:
        queryset = queryset.filter(openness_list__batch__number=batch)
    if access_mode:
        queryset = queryset.filter(access_mode=access_mode)
    if publisher:
        queryset = queryset.filter(openness_list__publisher_id=publisher)
    if price_band:
        queryset = queryset.filter(PRICE_BANDS[price_band][1])
    if region:
        queryset = queryset.filter(_serves(region, industry=False))
    if industry:
        queryset = queryset.filter(_serves(industry, industry=True))
    if region or industry:
        queryset = queryset.distinct()
    return queryset


def _serves(code: str, *, industry: bool) -> Q:
    """Resources whose regions (or industries) overlap the code, or that name none."""
    if industry:
        related = "industries"
        codes = industry_codes.industry_ancestors(code) + industry_codes.industry_descendants(code)
        below = Q()
    else:
        related = "regions"
        codes = region_codes.region_ancestors(code)
        below = Q(regions__code__startswith=region_codes.region_descendant_prefix(code))
    return Q(**{f"{related}__code__in": codes}) | below | Q(**{f"{related}__isnull": True})


def lists_visible_to(user: Any) -> QuerySet[OpennessList]:
    """Lists the viewer may read: public versions, its own, or all for programme officers.

    The one rule for lists, used by the API, the pages and the back office (decision 0016).
    """
    visible = Q(state__in=PUBLIC_LIST_STATES)
    if is_officer(user):
        return OpennessList.objects.all()
    organisation = organisation_of(user)
    if organisation is not None:
        visible |= Q(publisher=organisation)
    return OpennessList.objects.filter(visible)


def list_for_viewer(user: Any, pk: int) -> OpennessList:
    """A list the viewer may read: public versions, or its own, or any for officers."""
    found = (
        lists_visible_to(user)
        .select_related("publisher", "batch", "previous")
        .prefetch_related(
            Prefetch(
                "resources", queryset=Resource.objects.prefetch_related("regions", "industries")
            )
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("openness list not found")
    return found


def list_for_publisher(user: Any, pk: int) -> OpennessList:
    """A list of the user's own organisation (for editing), else 404."""
    organisation = organisation_of(user)
    found = (
        OpennessList.objects.filter(pk=pk, publisher=organisation)
        .select_related("batch", "publisher")
        .first()
        if organisation is not None
        else None
    )
    if found is None:
        raise Http404("openness list not found")
    return found


def list_for_officer(user: Any, pk: int) -> OpennessList:
    """Any list, for a programme officer; 404 for everyone else."""
    if not is_officer(user):
        raise Http404("openness list not found")
    found = OpennessList.objects.filter(pk=pk).select_related("batch", "publisher").first()
    if found is None:
        raise Http404("openness list not found")
    return found


def list_history(openness_list: OpennessList, user: Any) -> list[OpennessList]:
    """All versions of the list the viewer may see, newest first."""
    return list(
        lists_visible_to(user)
        .filter(series=openness_list.series)
        .select_related("publisher", "batch")
        .annotate(resource_count=Count("resources"))
        .order_by("-version")
    )


def resources_visible_to(user: Any) -> QuerySet[Resource]:
    """Resources on the lists the viewer may read."""
    return Resource.objects.filter(openness_list__in=lists_visible_to(user))


def resource_for_viewer(user: Any, pk: int) -> Resource:
    """A resource on a list the viewer may read, else 404."""
    found = (
        resources_visible_to(user)
        .filter(pk=pk)
        .select_related("openness_list__publisher", "openness_list__batch")
        .prefetch_related("regions", "industries")
        .first()
    )
    if found is None:
        raise Http404("resource not found")
    return found


def public_resource(pk: int) -> Resource:
    """A resource on a public list version (published or superseded), for any reader, else 404.

    What anyone may read about a resource before asking for it, its default usage policy
    included; drafts and lists under review stay their publisher's.
    """
    found = (
        Resource.objects.filter(pk=pk, openness_list__state__in=PUBLIC_LIST_STATES)
        .select_related("openness_list__publisher", "openness_list__batch")
        .first()
    )
    if found is None:
        raise Http404("resource not found")
    return found


def resource_for_publisher(user: Any, pk: int) -> Resource:
    """A resource of the user's own organisation, else 404."""
    organisation = organisation_of(user)
    found = (
        Resource.objects.filter(pk=pk, openness_list__publisher=organisation)
        .select_related("openness_list__batch", "openness_list__publisher")
        .prefetch_related("regions", "industries")
        .first()
        if organisation is not None
        else None
    )
    if found is None:
        raise Http404("resource not found")
    return found


def lists_of_publisher(user: Any) -> QuerySet[OpennessList]:
    """Every version of every list of the user's organisation."""
    organisation = organisation_of(user)
    if organisation is None:
        return OpennessList.objects.none()
    return (
        OpennessList.objects.filter(publisher=organisation)
        .select_related("batch")
        .annotate(resource_count=Count("resources"))
        .order_by("batch__number", "series", "-version")
    )


def review_queue(user: Any) -> QuerySet[OpennessList]:
    """Lists waiting for a programme officer, oldest submission first."""
    if not is_officer(user):
        return OpennessList.objects.none()
    return (
        OpennessList.objects.filter(state__in=[ListState.SUBMITTED, ListState.UNDER_REVIEW])
        .select_related("publisher", "batch")
        .annotate(resource_count=Count("resources"))
        .order_by("submitted_at", "pk")
    )


def needs_of_organisation(user: Any) -> QuerySet[Need]:
    """The needs of the user's own organisation: the only needs anyone reads, programme
    officers included (decision 0016).
    """
    organisation = organisation_of(user)
    if organisation is None:
        return Need.objects.none()
    return Need.objects.filter(organisation=organisation).select_related("region")


def need_for_owner(user: Any, pk: int) -> Need:
    """A need of the user's own organisation, else 404."""
    found = needs_of_organisation(user).filter(pk=pk).first()
    if found is None:
        raise Http404("need not found")
    return found
