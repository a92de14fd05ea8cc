"""Rate limits on the paths that cost a password hash or guess a secret (decision 0014).

A limit counts requests per key (a client address, an account) in fixed windows, in the
"throttle" cache: the database by default, Redis when `REDIS_URL` is set, so that every
process of the hub shares one count. Over the limit, `Throttled` carries the seconds until
the window ends; the middleware answers it with 429 and `Retry-After`.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import ngettext

from synergy_hub.accounts.models import ApiToken
from synergy_hub.accounts.services import authenticate_token

# The settings naming each limit: (requests, window in seconds).
LOGIN = "SYNERGY_THROTTLE_LOGIN"
TOKEN_FAILURES = "SYNERGY_THROTTLE_TOKEN_FAILURES"  # noqa: S105 - a setting name
SIGN_UP = "SYNERGY_THROTTLE_SIGN_UP"
RESET_ADDRESS = "SYNERGY_THROTTLE_RESET_ADDRESS"
RESET_ACCOUNT = "SYNERGY_THROTTLE_RESET_ACCOUNT"
PASSWORD_CHANGE = "SYNERGY_THROTTLE_PASSWORD_CHANGE"  # noqa: S105 - a setting name
SECOND_FACTOR = "SYNERGY_THROTTLE_SECOND_FACTOR"


class Throttled(Exception):
    """Too many requests for one key; retry after `retry_after` seconds."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many requests; retry after {retry_after} seconds")
        self.retry_after = retry_after


def client_address(request: HttpRequest) -> str:
    """The caller's address: REMOTE_ADDR, or behind our TLS proxy the address it appended."""
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded.strip():
            return forwarded.split(",")[-1].strip()
    return str(request.META.get("REMOTE_ADDR", ""))


def login_username(request: HttpRequest, credentials: Mapping[str, Any] | None) -> str:
    """The account a login names, as stored (e-mail addresses are kept in lower case)."""
    raw = (credentials or {}).get("username") or request.POST.get("username", "")
    return str(raw).strip().lower()


def _limit(setting: str) -> tuple[int, int]:
    requests, window = getattr(settings, setting)
    return int(requests), int(window)


def _key(setting: str, subject: str, window: int, now: float) -> tuple[str, int]:
    bucket = int(now // window)
    digest = hashlib.sha256(subject.encode("utf-8")).hexdigest()[:32]
    retry_after = max(1, math.ceil((bucket + 1) * window - now))
    return f"throttle:{setting}:{bucket}:{digest}", retry_after


def hit(setting: str, subject: str) -> None:
    """Count one request for `subject`; raise Throttled once it is over the limit."""
    requests, window = _limit(setting)
    key, retry_after = _key(setting, subject, window, time.time())
    cache = caches["throttle"]
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count > requests:
        raise Throttled(retry_after)


def check(setting: str, subject: str) -> None:
    """Raise Throttled when `subject` is already over the limit, without counting."""
    requests, window = _limit(setting)
    key, retry_after = _key(setting, subject, window, time.time())
    if int(caches["throttle"].get(key, 0)) >= requests:
        raise Throttled(retry_after)


def authenticate_token_from(request: HttpRequest, secret: str) -> ApiToken | None:
    """`authenticate_token`, refused (Throttled) for an address that guessed too often.

    Only failures count: a client using its valid token is never slowed down, and an
    expired token (`TokenExpired`, a real secret, not a guess) is not counted either.
    """
    address = client_address(request)
    check(TOKEN_FAILURES, address)
    token = authenticate_token(secret)
    if token is None:
        hit(TOKEN_FAILURES, address)
    return token


def throttled_response(request: HttpRequest, retry_after: int) -> HttpResponse:
    """429 with Retry-After: JSON `{"detail": …}` under /api/, a translated page elsewhere."""
    minutes = max(1, math.ceil(retry_after / 60))
    message = ngettext(
        "Too many attempts. Please try again in %(minutes)d minute.",
        "Too many attempts. Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    response: HttpResponse
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message}, status=429)
    else:
        response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """django-axes' answer to a locked-out login: ours, with the cool-off as Retry-After."""
    cool_off = settings.AXES_COOLOFF_TIME
    seconds = (
        cool_off.total_seconds() if isinstance(cool_off, timedelta) else float(cool_off) * 3600
    )
    return throttled_response(request, math.ceil(seconds))
