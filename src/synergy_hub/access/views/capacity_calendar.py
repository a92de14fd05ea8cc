"""The capacity calendar of a resource: free capacity per slot for the next periods."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from synergy_hub.access.services import capacity
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
