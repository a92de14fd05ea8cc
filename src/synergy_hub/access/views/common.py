"""Small helpers the access pages share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from synergy_hub.accounts.models import Role
from synergy_hub.accounts.permissions import require_member

ANY_ROLE = frozenset(Role.values)


def require_any_member(user: Any) -> None:
    """Pages of the access workflow need an organisation (any role may read)."""
    require_member(user, roles=ANY_ROLE, approved=False)


def act(
    request: HttpRequest, step: Callable[[], Any], success: str, target: str, pk: int
) -> HttpResponse:
    """Run a button's service call; show its refusal as a message and go back to the page."""
    try:
        step()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect(target, pk=pk)
