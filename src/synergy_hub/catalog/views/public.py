"""Public pages: the programme, published lists by batch, resources and publishers."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from synergy_hub.accounts.models import OrganisationKind
from synergy_hub.accounts.permissions import organisation_of
from synergy_hub.accounts.selectors import approved_organisations, organisation_for_viewer
from synergy_hub.catalog import activity, selectors
from synergy_hub.catalog.eligibility import reasons, verdict_for, what_would_qualify
from synergy_hub.catalog.interop.jsonld import embedded_jsonld
from synergy_hub.catalog.models import Batch, Programme
from synergy_hub.catalog.plan import PILLAR_DESCRIPTIONS, PLAN_TARGETS
from synergy_hub.catalog.vocabulary import ListState, Pillar, ResourceType


def _ckan(action: str, **params: object) -> str:
    """The address of a CKAN Action API call about an object of a page."""
    return reverse("interop:ckan_action_v3", args=[action]) + "?" + urlencode(params)


#: Public events the home page shows under "Recently changed".
RECENT_ON_HOME = 6
#: Organisations per page of the organisations index.
ORGANISATIONS_PER_PAGE = 30


def home(request: HttpRequest) -> HttpResponse:
    """The programme, its pillars and targets, published lists by batch, and counts."""
    lists = list(selectors.published_lists())
    batches = list(Batch.objects.order_by("number"))
    by_batch = {batch.pk: [lst for lst in lists if lst.batch_id == batch.pk] for batch in batches}
    organisations = approved_organisations().values("kind").annotate(n=Count("pk"))
    kind_counts = {row["kind"]: row["n"] for row in organisations}
    released = sum(1 for batch in batches if by_batch[batch.pk])
    type_counts = dict(
        selectors.published_resources()
        .values_list("resource_type")
        .annotate(n=Count("pk"))
        .values_list("resource_type", "n")
    )
    context = {
        "programme": Programme.objects.first(),
        "pillars": [(Pillar(p).label, PILLAR_DESCRIPTIONS[p]) for p in Pillar.values],
        "targets": PLAN_TARGETS,
        "batches_released": released,
        "batches": [(batch, by_batch[batch.pk]) for batch in batches],
        "counts": {
            "lists": len(lists),
            "resources": sum(type_counts.values()),
            "platforms": kind_counts.get(OrganisationKind.PLATFORM, 0)
            + kind_counts.get(OrganisationKind.PROVIDER, 0),
            "smes": kind_counts.get(OrganisationKind.SME, 0),
        },
        "type_counts": [
            (ResourceType(t).label, t, type_counts.get(t, 0)) for t in ResourceType.values
        ],
        "recently_changed": activity.recent_activity(limit=RECENT_ON_HOME),
    }
    return render(request, "catalog/home.html", context)


def lists(request: HttpRequest) -> HttpResponse:
    """Published openness lists, grouped by batch."""
    published = list(selectors.published_lists())
    batches = [
        (batch, [lst for lst in published if lst.batch_id == batch.pk])
        for batch in Batch.objects.order_by("number")
    ]
    return render(request, "catalog/lists.html", {"batches": batches})


def list_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One list version with its resources and the list's version history."""
    openness_list = selectors.list_for_viewer(request.user, pk)
    resources = openness_list.resources.all()
    return render(
        request,
        "catalog/list_detail.html",
        {
            "list": openness_list,
            "resources": resources,
            "history": selectors.list_history(openness_list, request.user),
            "is_public": openness_list.state in (ListState.PUBLISHED, ListState.SUPERSEDED),
            "activities": activity.list_activity(openness_list),
            "ckan_url": _ckan("package_search", fq=f"list_id:{openness_list.pk}", rows=1000),
        },
    )


def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """What is opened, to whom, how, price and SME discount, capacity, terms, publisher."""
    resource = selectors.resource_for_viewer(request.user, pk)
    public = resource.openness_list.state in (ListState.PUBLISHED, ListState.SUPERSEDED)
    organisation = organisation_of(request.user)
    found = verdict_for(resource, organisation) if organisation is not None else None
    return render(
        request,
        "catalog/resource_detail.html",
        {
            "resource": resource,
            "changes": activity.resource_activity(resource),
            "jsonld": embedded_jsonld(resource, request.build_absolute_uri("/")) if public else "",
            "ckan_url": _ckan("package_show", id=str(resource.lineage)),
            "not_eligible": bool(found and found.failed),
            "eligibility_reasons": reasons(found) if found else [],
            "eligibility_remedies": what_would_qualify(resource, found) if found else [],
        },
    )


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation's public profile, its published lists and their public activity."""
    organisation = organisation_for_viewer(request.user, pk)
    published = selectors.published_lists().filter(publisher=organisation)
    return render(
        request,
        "catalog/organisation_detail.html",
        {
            "organisation": organisation,
            "lists": published,
            "activities": activity.organisation_activity(organisation),
        },
    )


def initials(name: str) -> str:
    """Up to two letters standing for an organisation where a logo would be."""
    words = name.split()
    if len(words) > 1 and name.isascii():
        return (words[0][0] + words[1][0]).upper()
    return name[:1].upper()


def organisations(request: HttpRequest) -> HttpResponse:
    """The publishers (platforms and service providers), with what each has published."""
    page = Paginator(selectors.publishers_with_counts(), ORGANISATIONS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    cards = [(org, initials(org.name)) for org in page]
    return render(request, "catalog/organisations.html", {"page": page, "cards": cards})
