"""The user's notifications: the list and marking them read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from synergy_hub.access import notifications, selectors, services
from synergy_hub.accounts.requests import AuthenticatedRequest


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
