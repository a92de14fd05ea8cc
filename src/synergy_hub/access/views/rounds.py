"""Pages of allocation rounds: open one, request in one, close it, read one's statement."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from synergy_hub.access import round_statements, selectors, services
from synergy_hub.access.forms import AllocationRoundForm, RoundRequestForm
from synergy_hub.access.models import AllocationRound
from synergy_hub.access.services import capacity
from synergy_hub.access.services.rounds import ADMINS, BACKGROUND_REQUESTS, REQUESTER_KINDS
from synergy_hub.access.views.button_actions import act
from synergy_hub.access.views.negotiation import require_any_member
from synergy_hub.access.vocabulary import RoundState
from synergy_hub.accounts.permissions import (
    PUBLISHER_KINDS,
    is_officer,
    membership_of,
    require_member,
)
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.web.form_errors import apply_service_errors

#: The most resources offered on the form that opens a round.
MAX_CHOICES = 500


def _is_provider_admin(request: AuthenticatedRequest) -> bool:
    membership = membership_of(request.user)
    return bool(
        membership
        and membership.organisation.kind in PUBLISHER_KINDS
        and membership.role in ADMINS
        and membership.organisation.is_approved
    )


@login_required
def round_list(request: AuthenticatedRequest) -> HttpResponse:
    """Open rounds, one's own rounds as provider and the rounds one requested in."""
    require_any_member(request.user)
    return render(
        request,
        "access/round_list.html",
        {
            "rounds": selectors.rounds_for(request.user)[:100],
            "may_open": _is_provider_admin(request) or is_officer(request.user),
        },
    )


@login_required
def round_new(request: AuthenticatedRequest) -> HttpResponse:
    """A provider's administrator opens a round on its bookable resources; a programme
    officer pools equivalent resources of several providers."""
    if is_officer(request.user):
        published = Resource.objects.filter(openness_list__state=ListState.PUBLISHED)
    else:
        membership = require_member(request.user, kinds=PUBLISHER_KINDS, roles=ADMINS)
        published = Resource.objects.filter(
            openness_list__publisher=membership.organisation,
            openness_list__state=ListState.PUBLISHED,
        )
    own = [
        r
        for r in published.select_related("openness_list__publisher").order_by("pk")[:MAX_CHOICES]
        if capacity.is_bookable(r)
    ]
    choices = [
        (
            r.pk,
            f"{r.title} — {r.openness_list.publisher.name} "
            f"({r.get_unit_display()}, {r.get_capacity_period_display()})",
        )
        for r in own
    ]
    form = AllocationRoundForm(request.POST or None, resources=choices)
    if request.method == "POST" and form.is_valid():
        try:
            created = services.open_round(request.user, form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("The round is open for requests."))
            return redirect("access:round", pk=created.pk)
    return render(request, "access/round_form.html", {"form": form, "has_resources": bool(own)})


def _request_form(
    request: AuthenticatedRequest, the_round: AllocationRound, resources: list[Resource]
) -> RoundRequestForm:
    return RoundRequestForm(
        request.POST or None,
        resources=[(r.pk, r.title) for r in resources],
        initial={
            "window_starts_on": the_round.starts_on,
            "window_ends_on": the_round.ends_on,
            "minimum": 0,
        },
    )


@login_required
def round_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """A round: its disclosure, the request form while open, the results once allocated."""
    the_round = selectors.round_for_viewer(request.user, pk)
    membership = membership_of(request.user)
    is_provider = bool(membership and membership.organisation_id == the_round.provider_id)
    resources = list(the_round.resources.select_related("openness_list__publisher"))
    requests = list(selectors.round_requests_for(request.user, the_round))
    publishes = bool(
        membership
        and any(r.openness_list.publisher_id == membership.organisation_id for r in resources)
    )
    may_request = bool(
        the_round.state == RoundState.OPEN
        and membership
        and not is_provider
        and not publishes
        and membership.organisation.kind in REQUESTER_KINDS
        and not requests
    )
    form = _request_form(request, the_round, resources) if may_request else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            created = services.request_in_round(request.user, the_round, form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, _("Your request is in the round."))
            return redirect("access:round_request", pk=created.pk)
    return render(
        request,
        "access/round_detail.html",
        {
            "round": the_round,
            "resources": resources,
            "requests": requests,
            "is_provider": is_provider,
            "is_officer": is_officer(request.user),
            "may_close": is_provider
            and (_is_provider_admin(request) or is_officer(request.user))
            and the_round.state == RoundState.OPEN,
            "form": form,
            "disclosure": round_statements.disclosed_priorities(the_round),
        },
    )


@login_required
@require_POST
def round_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The provider's administrator closes the round: it is allocated at once, or a large
    one in the background (its page shows the progress)."""
    the_round = selectors.round_for_viewer(request.user, pk)
    large = the_round.requests.count() >= BACKGROUND_REQUESTS
    return act(
        request,
        lambda: services.close_round(request.user, the_round, background=large),
        _("The round is closed; its allocation runs in the background.")
        if large
        else _("The round is allocated: each requester can read its statement."),
        "access:round",
        pk,
    )


@login_required
def round_request_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """One requester's statement: units allocated, the weight and why not more."""
    round_request = selectors.round_request_for(request.user, pk)
    names = {r.pk: r.title for r in round_request.allocation_round.resources.all()}
    return render(
        request,
        "access/round_request.html",
        {
            "req": round_request,
            "round": round_request.allocation_round,
            "statement": round_statements.statement(round_request),
            "priority": round_statements.describe_priority(round_request.priority),
            "placement": [
                {"resource": names.get(p["resource"], p["resource"])} | p
                for p in round_request.placement
            ],
            "agreements": list(round_request.agreements.all()),
        },
    )


@login_required
def round_report(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Demand against capacity and the allocation by size class and region (provider and
    programme office)."""
    the_round = selectors.round_for_report(request.user, pk)
    return render(
        request,
        "access/round_report.html",
        {"round": the_round, "report": round_statements.round_report(the_round)},
    )
