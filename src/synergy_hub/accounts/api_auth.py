"""Who calls the API: personal bearer tokens, or the browser session with its CSRF token."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.utils import check_csrf

from synergy_hub.accounts.throttling import authenticate_token_from

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenAuth(HttpBearer):
    """`Authorization: Bearer shub_…` with a personal API token (created in the account page)."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = authenticate_token_from(request, token)
        if user is not None:
            request.user = user
        return user


def optional_auth(request: HttpRequest) -> bool:
    """For endpoints open to everyone: a valid token identifies the caller, a wrong one is
    refused (401); a logged-in browser session must carry its CSRF token on writes; anyone
    else proceeds anonymously.
    """
    header = request.headers.get("Authorization", "")
    if header.lower().startswith("bearer "):
        user = authenticate_token_from(request, header[7:].strip())
        if user is None:
            raise HttpError(401, "invalid or revoked API token")
        request.user = user
    elif (
        request.method not in SAFE_METHODS
        and request.user.is_authenticated
        and check_csrf(request) is not None
    ):
        raise HttpError(403, "CSRF check failed")
    return True


READ = [optional_auth]
WRITE = [TokenAuth(), SessionAuth(csrf=True)]
