"""JSON API of search and matching: ranked results with explanations, the disclosure."""

from datetime import date
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router

from synergy_hub.accounts.api_auth import READ, WRITE
from synergy_hub.accounts.permissions import organisation_of, require_officer
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.api.bounds import Integer, ObjectId
from synergy_hub.api.schemas import responses
from synergy_hub.catalog.eligibility import seeker_of
from synergy_hub.catalog.query import MAX_RANKED_PAGE, WEB_PAGE_SIZE
from synergy_hub.catalog.schemas import PagedResourceOut, PageIn, ResourceFilters
from synergy_hub.catalog.selectors import filter_resources, need_for_owner, published_resources
from synergy_hub.matching import configuration, services
from synergy_hub.matching.disclosure import ranking_disclosure
from synergy_hub.matching.ordering import personalised_for
from synergy_hub.matching.reports import named_exposure_report
from synergy_hub.matching.schemas import (
    ExposureReportOut,
    RankingConfigIn,
    RankingDisclosureOut,
    SearchOut,
)

router = Router(tags=["matching"])


def _search_out(outcome: services.SearchOutcome) -> dict[str, Any]:
    return {
        "query": outcome.query,
        "match_quality": outcome.match_quality,
        "count": outcome.total,
        "close_count": outcome.close_count,
        "excluded": outcome.excluded,
        "excluded_reasons": dict(outcome.excluded_reasons),
        "config_version": outcome.config_version,
        "items": [
            {
                "position": item.position,
                "match_quality": item.match_quality,
                "resource": item.resource,
                "explanation": item.explanation(),
                "eligibility": {
                    "status": item.eligibility.status.value,
                    "unknown": list(item.eligibility.unknown),
                },
            }
            for item in outcome.items
        ],
    }


@router.get(
    "/resources",
    response=responses(200, PagedResourceOut),
    auth=READ,
    tags=["catalog"],
    # The id it had when the catalog app served it, kept for generated clients.
    operation_id="synergy_hub_catalog_api_list_resources",
)
def list_resources(
    request: HttpRequest, filters: Query[ResourceFilters], page: Query[PageIn]
) -> Any:
    """Published resources, filtered by type, batch, region, industry and access mode.

    With `q` the words rank the results by the disclosed ranking (see /api/v1/search for
    each result's explanation); without it the newest come first. A ranked page reaches
    at most the first 1,000 results (docs/api.md, Limits).
    """
    query = filters.query(limit=page.limit, offset=page.offset, default_limit=page.limit)
    if query.ranked:
        outcome = services.search_catalog(
            query,
            seeker_of(organisation_of(request.user)),
            personalised=personalised_for(request.user),
        )
        return {"items": [item.resource for item in outcome.items], "count": outcome.total}
    queryset = filter_resources(published_resources(), **query.filters())
    ordered = queryset.select_related(
        "openness_list__publisher", "openness_list__batch"
    ).prefetch_related("regions", "industries")
    ordered = ordered.order_by("-openness_list__published_at", "pk")
    return {
        "items": list(ordered[query.offset : query.offset + query.limit]),
        "count": queryset.count(),
    }


@router.get("/search", response=responses(200, SearchOut), auth=READ)
def search(
    request: HttpRequest,
    filters: Query[ResourceFilters],
    limit: Integer = 20,
    offset: Integer = 0,
    ordering: Literal["personalised", "non_personalised"] | None = None,
) -> Any:
    """Rank published resources for `q` (Chinese or English) and explain each result.

    Each result is a close match or a weaker one (`match_quality`, judged by the relevance
    floor); close matches come first. The answer's `match_quality` is "none" when nothing
    is a close match: the results, if any, are weaker ones (docs/matching.md).

    The caller's organisation (when logged in) is the seeker: its size class, tier, region
    and industry decide eligibility and the fit parameters. A page holds at most 100
    results and reaches at most the first 1,000 (docs/api.md, Limits).

    `ordering=non_personalised` (or the account's stored choice, see
    /api/v1/me/ranking-preference) ranks by relevance, price and freshness only, with
    nothing about the caller (docs/governance.md).
    """
    query = filters.query(limit=limit, offset=offset, default_limit=WEB_PAGE_SIZE)
    outcome = services.search_catalog(
        query,
        seeker_of(organisation_of(request.user)),
        personalised=personalised_for(request.user, ordering),
    )
    return _search_out(outcome)


@router.get("/needs/{need_id}/matches", response=responses(200, SearchOut), auth=WRITE)
def need_matches(
    request: AuthenticatedRequest,
    need_id: ObjectId,
    limit: Annotated[int, Field(ge=1, le=MAX_RANKED_PAGE)] = 10,
) -> Any:
    """The best resources for one of the caller's organisation's needs, explained."""
    need = need_for_owner(request.user, need_id)
    return _search_out(services.match_need(need, limit=max(1, min(limit, MAX_RANKED_PAGE))))


@router.get("/ranking", response=responses(200, RankingDisclosureOut), auth=READ)
def ranking(request: HttpRequest) -> Any:
    """How ranking works: the live parameters, their weights and the fair-exposure rule."""
    return ranking_disclosure()


@router.post("/ranking", response=responses(201, RankingDisclosureOut), auth=WRITE)
def activate_ranking(request: AuthenticatedRequest, payload: RankingConfigIn) -> Any:
    """Activate a new version of the ranking weights (programme officers)."""
    from ninja import Status

    configuration.publish_configuration(
        request.user,
        version=payload.version,
        weights=payload.weights,
        fairness=payload.fairness,
        note=payload.note,
    )
    return Status(201, ranking_disclosure())


@router.get("/exposure-report", response=responses(200, ExposureReportOut), auth=WRITE)
def exposure(
    request: AuthenticatedRequest, since: date | None = None, until: date | None = None
) -> Any:
    """Exposure against relevance per provider size class and provider (programme officers)."""
    require_officer(request.user)
    return named_exposure_report(since, until)
