"""The one-click buttons of the access pages: run the service call, report, go back."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


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
