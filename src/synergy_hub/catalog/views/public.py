"""Public pages: the programme, published lists by batch, resources and publishers."""

from __future__ import annotations

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from synergy_hub.accounts.models import OrganisationKind
from synergy_hub.accounts.selectors import approved_organisations, organisation_for_viewer
from synergy_hub.catalog import selectors
from synergy_hub.catalog.models import Batch, Programme
from synergy_hub.catalog.plan import PILLAR_DESCRIPTIONS, PLAN_TARGETS
from synergy_hub.catalog.vocabulary import ListState, Pillar, ResourceType


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
        },
    )


def resource_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """What is opened, to whom, how, price and SME discount, capacity, terms, publisher."""
    resource = selectors.resource_for_viewer(request.user, pk)
    return render(request, "catalog/resource_detail.html", {"resource": resource})


def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """An organisation's public profile and its published lists."""
    organisation = organisation_for_viewer(request.user, pk)
    published = selectors.published_lists().filter(publisher=organisation)
    return render(
        request,
        "catalog/organisation_detail.html",
        {"organisation": organisation, "lists": published},
    )
