"""Who calls the API: personal bearer tokens, or the browser session with its CSRF token.

A token authenticates its user within its scope: a read token is refused (403) on any
unsafe method, an expired one (401) with the date it expired. The token a request came with
is kept as `request.api_token` (None for sessions), so that what only a session may do,
such as managing tokens, can tell the two apart.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from synergy_hub.accounts.models import ApiToken
from synergy_hub.accounts.services import TokenExpired
from synergy_hub.accounts.throttling import authenticate_token_from

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def token_for(request: HttpRequest, secret: str) -> ApiToken | None:
    """The token with this secret, if it may make this request; refuses expired and
    out-of-scope tokens with the reason, returns None for an unknown or revoked one.
    """
    try:
        token = authenticate_token_from(request, secret)
    except TokenExpired as exc:
        raise HttpError(
            401,
            _("This API token expired on %(date)s; create a new one on the API tokens page.")
            % {"date": exc.token.expires_at.date().isoformat()},
        ) from exc
    if token is None:
        return None
    if request.method not in SAFE_METHODS and not token.can_write:
        raise HttpError(403, _("This API token may only read; writing needs a write token."))
    request.api_token = token  # type: ignore[attr-defined]
    request.user = token.user
    return token


def acting_token(request: HttpRequest) -> ApiToken | None:
    """The token that authenticated this request, or None for a session or anonymous call."""
    return getattr(request, "api_token", None)


class TokenAuth(HttpBearer):
    """`Authorization: Bearer shub_…` with a personal API token (created in the account page)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_for(request, token)
        return found.user if found is not None else None


def optional_auth(request: HttpRequest) -> bool:
    """For endpoints open to everyone: a valid token identifies the caller, a wrong one is
    refused (401); a logged-in browser session must carry its CSRF token on writes; anyone
    else proceeds anonymously.
    """
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        if token_for(request, header[7:].strip()) is None:
            raise HttpError(401, "invalid or revoked API token")
    elif (
        request.method not in SAFE_METHODS
        and request.user.is_authenticated
        and check_csrf(request) is not None
    ):
        raise HttpError(403, "CSRF check failed")
    return True


READ = [optional_auth]
WRITE = [TokenAuth(), SessionAuth(csrf=True)]
