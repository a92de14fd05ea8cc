"""Session lifetime and the answer to throttled requests, for every page and the API."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from synergy_hub.accounts import throttling

LAST_SEEN = "synergy_last_seen"
LOGGED_IN_AT = "synergy_logged_in_at"
# The last-seen time is written at most this often, so reading pages rarely writes.
LAST_SEEN_RESOLUTION = 60
LOGIN_VIEWS = frozenset({"accounts:login", "accounts:login_code", "admin:login"})
# Our own password change counts only wrong current passwords (accounts/views.py).
ADMIN_PASSWORD_CHANGE = "admin:password_change"  # noqa: S105 - a view name


def session_expired(session: Any, now: float) -> bool:
    """Whether a logged-in session is past its idle timeout or its absolute lifetime."""
    last_seen = session.get(LAST_SEEN)
    logged_in_at = session.get(LOGGED_IN_AT)
    if last_seen is not None and now - float(last_seen) > settings.SESSION_IDLE_TIMEOUT:
        return True
    return logged_in_at is not None and now - float(logged_in_at) > settings.SESSION_COOKIE_AGE


def start_session_clock(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """Stamp the login time on the session as it is created (the `user_logged_in` signal),
    so the first page after logging in does not write the session again."""
    if request is None or not hasattr(request, "session"):
        return
    now = time.time()
    request.session[LOGGED_IN_AT] = now
    request.session[LAST_SEEN] = now


class SessionTimeoutMiddleware:
    """Log out a session idle for SESSION_IDLE_TIMEOUT seconds (sliding) or older than
    SESSION_COOKIE_AGE seconds since its login (absolute)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            session = request.session
            now = time.time()
            if session_expired(session, now):
                logout(request)
                messages.info(request, _("You were logged out after a period of inactivity."))
            else:
                session.setdefault(LOGGED_IN_AT, now)
                last_seen = session.get(LAST_SEEN)
                if last_seen is None or now - float(last_seen) >= LAST_SEEN_RESOLUTION:
                    session[LAST_SEEN] = now
        return self.get_response(request)


class ThrottledMiddleware:
    """Counts login attempts per address and the back office's password changes per user,
    and answers `Throttled` with 429 and Retry-After."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Any, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if request.method != "POST" or match is None:
            return None
        try:
            if match.view_name in LOGIN_VIEWS:
                throttling.hit(throttling.LOGIN, throttling.client_address(request))
            elif match.view_name == ADMIN_PASSWORD_CHANGE and request.user.is_authenticated:
                throttling.hit(throttling.PASSWORD_CHANGE, str(request.user.pk))
        except throttling.Throttled as exc:
            return throttling.throttled_response(request, exc.retry_after)
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, throttling.Throttled):
            return throttling.throttled_response(request, exception.retry_after)
        return None
