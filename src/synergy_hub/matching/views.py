"""Pages of matching: how ranking works (public), need matches (SMEs), exposure (officers)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from synergy_hub.accounts.permissions import require_officer
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.catalog.selectors import need_for_owner
from synergy_hub.matching import services
from synergy_hub.matching.disclosure import ranking_disclosure
from synergy_hub.matching.reports import named_exposure_report


def how_ranking_works(request: HttpRequest) -> HttpResponse:
    """The public disclosure, generated from the configuration in force."""
    return render(request, "matching/how_ranking_works.html", {"disclosure": ranking_disclosure()})


@login_required
def need_matches(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The resources that best fit one of the organisation's needs, each explained."""
    need = need_for_owner(request.user, pk)
    outcome = services.match_need(need, limit=10)
    return render(request, "matching/need_matches.html", {"need": need, "outcome": outcome})


@login_required
def exposure(request: AuthenticatedRequest) -> HttpResponse:
    """Programme officers: is SME and small-provider supply seen in proportion to its merit?"""
    require_officer(request.user)
    return render(request, "matching/exposure.html", {"report": named_exposure_report()})
