"""Pages where programme officers review openness lists."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from synergy_hub.accounts.permissions import require_officer
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.catalog import selectors, services, workflow
from synergy_hub.catalog.forms import ReturnForm


@login_required
def queue(request: AuthenticatedRequest) -> HttpResponse:
    """Submitted lists, oldest first."""
    require_officer(request.user)
    return render(
        request, "catalog/review/queue.html", {"lists": selectors.review_queue(request.user)}
    )


@login_required
def review_list(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One list under review, with the actions the officer may take."""
    openness_list = selectors.list_for_officer(request.user, pk)
    return render(
        request,
        "catalog/review/review_list.html",
        {
            "list": openness_list,
            "resources": openness_list.resources.prefetch_related("regions", "industries").order_by(
                "position", "pk"
            ),
            "actions": workflow.allowed_transitions(openness_list.state, "officer"),
            "return_form": ReturnForm(),
            "history": selectors.list_history(openness_list, request.user),
        },
    )


@login_required
@require_POST
def decide_list(request: AuthenticatedRequest, pk: int, action: str) -> HttpResponse:
    """Start the review, publish, or return with reasons."""
    openness_list = selectors.list_for_officer(request.user, pk)
    try:
        if action == "start_review":
            services.start_review(request.user, openness_list)
            messages.success(request, _("Review started."))
        elif action == "publish":
            services.publish_list(request.user, openness_list)
            messages.success(request, _("The list is published."))
        elif action == "return":
            form = ReturnForm(request.POST)
            reasons = form.data.get("reasons", "")
            services.return_list(request.user, openness_list, str(reasons))
            messages.success(
                request, _("The list was returned to its publisher with your reasons.")
            )
        else:
            messages.error(request, _("Unknown action."))
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    return redirect("catalog:review_list", pk=pk)
