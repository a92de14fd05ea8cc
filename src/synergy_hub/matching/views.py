"""Pages of matching: resource search, how ranking works, need matches, the exposure report,
the SME's matches from batch runs and the officer's batch progress.

Search and the disclosure are public; need matches and "matches for you" are for SMEs,
exposure and batch runs for officers.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import F, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from synergy_hub.accounts.models import OrganisationKind, Role
from synergy_hub.accounts.permissions import organisation_of, require_member, require_officer
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.catalog import selectors as catalog_selectors
from synergy_hub.catalog.eligibility import reasons as eligibility_reasons
from synergy_hub.catalog.eligibility import seeker_of, verdict_for, what_would_qualify
from synergy_hub.catalog.facets import FacetValue, facet_counts
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.query import (
    MAX_RANKED_RESULTS,
    WEB_PAGE_SIZE,
    ResourceQuery,
    parse_resource_query,
    web_page_offset,
)
from synergy_hub.eligibility import Status
from synergy_hub.matching import services
from synergy_hub.matching.disclosure import ranking_disclosure
from synergy_hub.matching.forms import MatchingPreferenceForm, ResourceFilterForm
from synergy_hub.matching.models import MatchRun
from synergy_hub.matching.ordering import personalised_for
from synergy_hub.matching.reports import exposure_chart, named_exposure_report
from synergy_hub.web.form_errors import apply_service_errors

#: Database orderings of the catalog page's sorts other than relevance.
SORTS: dict[str, tuple[Any, ...]] = {
    "price": (F("price").asc(nulls_first=True), "pk"),
    "newest": (F("openness_list__published_at").desc(nulls_last=True), "-pk"),
    "capacity": (F("capacity").desc(nulls_last=True), "pk"),
}


def _query(request: HttpRequest, form: ResourceFilterForm) -> tuple[ResourceQuery, bool]:
    """The page's checked query, and whether its page number was beyond a ranked search's end.

    An invalid form (an unknown choice, words too long) shows its errors over the whole
    catalog, as an empty form does.
    """
    if not (form.is_bound and form.is_valid()):
        return ResourceQuery(), False
    words = form.cleaned_data["q"].strip()
    ranked = bool(words) and not form.cleaned_data.get("sort")
    offset, clamped = web_page_offset(request.GET.get("page", "1"), ranked=ranked)
    params = {**form.cleaned_data, "limit": WEB_PAGE_SIZE, "offset": offset if ranked else 0}
    try:
        return parse_resource_query(params), clamped
    except ValidationError as exc:
        apply_service_errors(form, exc)
        return ResourceQuery(), False


def _cards(resources: list[Any], organisation: Any) -> list[dict[str, Any]]:
    """Each listed resource with the seeker's eligibility and, if not eligible, why not."""
    cards = []
    for resource in resources:
        found = verdict_for(resource, organisation)
        cards.append(
            {
                "resource": resource,
                "eligibility": found,
                "reasons": eligibility_reasons(found),
                "remedies": what_would_qualify(resource, found),
            }
        )
    return cards


def resources(request: HttpRequest) -> HttpResponse:
    """The catalog: filters narrow it; words rank it with the explained, fair ranking.

    Without words the newest published resources come first; with words every result shows
    why it ranks where it does. Another sort orders the matches (the close ones, if any) by
    price, date or capacity instead. Facets count the results per filter value. A search
    ranks only what the seeker's organisation may use unless "show all" is ticked; then
    the others are ranked too, each saying why it is not open to the organisation. The
    results part updates in place with htmx.
    """
    form = ResourceFilterForm(request.GET or None)
    query, beyond_ranked_end = _query(request, form)
    cleaned = form.cleaned_data if form.is_bound and form.is_valid() else {}
    sort = cleaned.get("sort") or ""
    organisation = organisation_of(request.user)
    show_all = bool(cleaned.get("show_all")) and organisation is not None
    params = request.GET.copy()
    params.pop("page", None)
    context: dict[str, object] = {
        "form": form,
        "query": params.urlencode(),
        "words": query.words,
        "sort": sort,
        "show_all": show_all,
        "beyond_ranked_end": beyond_ranked_end,
        "max_ranked_results": MAX_RANKED_RESULTS,
        "personalised": personalised_for(request.user),
    }
    listed: QuerySet[Resource]
    if query.ranked:
        outcome = services.search_catalog(
            query,
            seeker_of(organisation),
            personalised=context["personalised"] is True,
            include_ineligible=show_all,
            record_exposure=not show_all and not sort,
        )
        context.update(
            outcome=outcome,
            facets=facet_counts(outcome.ranked_ids),
            eligibility_facet=_eligibility_facet(outcome, organisation),
        )
        if not sort:
            number = query.offset // WEB_PAGE_SIZE + 1
            reachable = min(outcome.total, MAX_RANKED_RESULTS)
            pages = max(1, -(-reachable // WEB_PAGE_SIZE))
            context["pager"] = {
                "number": number,
                "pages": pages,
                "previous": number - 1 if number > 1 else None,
                "next": number + 1 if number < pages else None,
            }
            return _render(request, context)
        # Sorted otherwise: the close matches (all matches when none is close), by the sort.
        wanted = outcome.ranked_ids[: outcome.close_count] or outcome.ranked_ids
        listed = Resource.objects.filter(pk__in=wanted)
    else:
        listed = catalog_selectors.filter_resources(
            catalog_selectors.published_resources(), **query.filters()
        )
        context["facets"] = facet_counts(listed)
    ordering = SORTS.get(sort, ("-openness_list__published_at", "pk"))
    page = Paginator(
        listed.select_related("openness_list__publisher", "openness_list__batch")
        .prefetch_related("regions", "industries")
        .order_by(*ordering),
        WEB_PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    context["page"] = page
    context["listing"] = True
    context["cards"] = _cards(list(page), organisation)
    return _render(request, context)


def _eligibility_facet(outcome: services.SearchOutcome, organisation: Any) -> list[FacetValue]:
    """How many candidates the organisation may use, may not, or cannot tell yet."""
    if organisation is None:
        return []
    labels = {
        Status.ELIGIBLE: _("Open to my organisation"),
        Status.NOT_ELIGIBLE: _("Not open to my organisation"),
        Status.UNKNOWN: _("Not known yet"),
    }
    return [
        FacetValue(str(status), str(label), outcome.eligibility_counts[str(status)])
        for status, label in labels.items()
        if outcome.eligibility_counts[str(status)]
    ]


def _render(request: HttpRequest, context: dict[str, object]) -> HttpResponse:
    template = (
        "matching/_resource_results.html"
        if request.headers.get("HX-Request")
        else "matching/resources.html"
    )
    return render(request, template, context)


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
    report = named_exposure_report()
    return render(
        request,
        "matching/exposure.html",
        {"report": report, "chart": exposure_chart(report["groups"])},
    )


@login_required
def matches_for_you(request: AuthenticatedRequest) -> HttpResponse:
    """SMEs: the resources the last batch run found for each open need, and the choices."""
    membership = require_member(
        request.user, kinds=frozenset({OrganisationKind.SME}), roles=frozenset(Role.values)
    )
    preference = services.matching_preference(membership.organisation)
    form = MatchingPreferenceForm(
        initial={"digest": preference.digest, "outreach": preference.outreach}
    )
    return render(
        request,
        "matching/matches_for_you.html",
        {"matches": services.matches_for(membership.organisation), "form": form},
    )


@login_required
@require_POST
def matching_preferences(request: AuthenticatedRequest) -> HttpResponse:
    """SMEs: choose the digest of new matches and whether providers see us as a candidate."""
    form = MatchingPreferenceForm(request.POST)
    if form.is_valid():
        services.set_matching_preference(
            request.user,
            digest=form.cleaned_data["digest"],
            outreach=form.cleaned_data["outreach"],
        )
        messages.success(request, _("Your matching choices are saved."))
    return redirect("matching:for_you")


@login_required
def match_runs(request: AuthenticatedRequest) -> HttpResponse:
    """Programme officers: batch-matching runs and their progress (refreshed in place)."""
    require_officer(request.user)
    runs = list(MatchRun.objects.order_by("-pk")[:20])
    template = (
        "matching/_match_runs.html"
        if request.headers.get("HX-Request")
        else "matching/match_runs.html"
    )
    return render(request, template, {"runs": runs})
