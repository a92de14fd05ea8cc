"""The workspace: the start page after logging in, with what this user can do next."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from synergy_hub.accounts.permissions import membership_of
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.catalog import selectors


@login_required
def workspace(request: AuthenticatedRequest) -> HttpResponse:
    """The start page after logging in: what this user can do next."""
    membership = membership_of(request.user)
    context = {
        "membership": membership,
        "my_lists": selectors.lists_of_publisher(request.user)[:10],
        "review_queue": selectors.review_queue(request.user)[:10],
        "needs": selectors.needs_of_organisation(request.user)[:10],
    }
    return render(request, "catalog/workspace.html", context)
