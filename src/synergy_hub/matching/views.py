"""Pages of matching: resource search, how ranking works, need matches, the exposure report.

Search and the disclosure are public; need matches are for SMEs, exposure for officers.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from synergy_hub.accounts.permissions import organisation_of, require_officer
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.catalog import selectors as catalog_selectors
from synergy_hub.catalog.eligibility import seeker_of
from synergy_hub.matching import services
from synergy_hub.matching.disclosure import ranking_disclosure
from synergy_hub.matching.forms import ResourceFilterForm
from synergy_hub.matching.reports import named_exposure_report

PAGE_SIZE = 20


def resources(request: HttpRequest) -> HttpResponse:
    """The catalog: filters narrow it; words rank it with the explained, fair ranking.

    Without words the newest published resources come first; with words every result shows
    why it ranks where it does. The results part updates in place with htmx.
    """
    form = ResourceFilterForm(request.GET or None)
    filters: dict[str, object] = {}
    words = ""
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        words = data["q"].strip()
        filters = {
            "resource_type": data["type"] or None,
            "batch": int(data["batch"]) if data["batch"] else None,
            "region": data["region"] or None,
            "industry": data["industry"] or None,
            "access_mode": data["access_mode"] or None,
        }
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, object] = {"form": form, "query": query.urlencode(), "words": words}
    if words:
        number = _page_number(request)
        outcome = services.search_resources(
            words,
            catalog_filters=filters,
            seeker=seeker_of(organisation_of(request.user)),
            limit=PAGE_SIZE,
            offset=(number - 1) * PAGE_SIZE,
        )
        pages = max(1, -(-outcome.total // PAGE_SIZE))
        context.update(
            outcome=outcome,
            pager={
                "number": number,
                "pages": pages,
                "previous": number - 1 if number > 1 else None,
                "next": number + 1 if number < pages else None,
            },
        )
    else:
        queryset = catalog_selectors.filter_resources(
            catalog_selectors.published_resources(),
            **filters,  # type: ignore[arg-type]
        )
        context["page"] = Paginator(
            queryset.prefetch_related("regions").order_by("-openness_list__published_at", "pk"),
            PAGE_SIZE,
        ).get_page(request.GET.get("page"))
    template = (
        "matching/_resource_results.html"
        if request.headers.get("HX-Request")
        else "matching/resources.html"
    )
    return render(request, template, context)


def _page_number(request: HttpRequest) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 1000))
    except ValueError:
        return 1


def how_ranking_works(request: HttpRequest) -> HttpResponse:
    """The public disclosure, generated from the configuration in force."""
    return render(request, "matching/how_ranking_works.html", {"disclosure": ranking_disclosure()})


@login_required
def need_matches(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The resources that best fit one of the organisation's needs, each explained."""
    need = catalog_selectors.need_for_owner(request.user, pk)
    outcome = services.match_need(need, limit=10)
    return render(request, "matching/need_matches.html", {"need": need, "outcome": outcome})


@login_required
def exposure(request: AuthenticatedRequest) -> HttpResponse:
    """Programme officers: is SME and small-provider supply seen in proportion to its merit?"""
    require_officer(request.user)
    return render(request, "matching/exposure.html", {"report": named_exposure_report()})
