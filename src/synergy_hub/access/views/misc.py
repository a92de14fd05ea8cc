"""The capacity calendar of a resource and the user's notifications."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from synergy_hub.access import notifications, selectors, services
from synergy_hub.access.services import capacity
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.catalog import selectors as catalog_selectors

CALENDAR_SLOTS = 12


def calendar(request: HttpRequest, pk: int) -> HttpResponse:
    """Free capacity per slot for the next periods (anyone who may see the resource)."""
    resource = catalog_selectors.resource_for_viewer(request.user, pk)
    return render(
        request,
        "access/calendar.html",
        {
            "resource": resource,
            "bookable": capacity.is_bookable(resource),
            "slots": capacity.calendar(resource, timezone.localdate(), CALENDAR_SLOTS),
        },
    )


@login_required
def notification_list(request: AuthenticatedRequest) -> HttpResponse:
    items = list(selectors.notifications_for(request.user)[:100])
    return render(
        request,
        "access/notifications.html",
        {"items": [(n, notifications.message(n.verb, n.params)) for n in items]},
    )


@login_required
@require_POST
def mark_read(request: AuthenticatedRequest) -> HttpResponse:
    services.mark_notifications_read(request.user)
    return redirect("access:notifications")
