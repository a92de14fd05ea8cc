"""Personal API tokens: issued and revoked from a logged-in session, checked on each request."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub.accounts.models import (
    TOKEN_DEFAULT_DAYS,
    TOKEN_MAX_DAYS,
    ApiToken,
    TokenScope,
    User,
)
from synergy_hub.audit.services import record
from synergy_hub.validation import FieldErrors

TOKEN_PREFIX = "shub_"  # noqa: S105 - a public prefix that marks our tokens, not a secret


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


class TokenExpired(Exception):
    """The secret names a token that has expired: refused, with the date it expired."""

    def __init__(self, token: ApiToken) -> None:
        super().__init__(f"API token expired at {token.expires_at.isoformat()}")
        self.token = token


def _refuse_token_credential(acting_token: ApiToken | None) -> None:
    """Tokens are managed only from a logged-in session, never with another token.

    Otherwise a leaked token could mint successors that outlive its own revocation.
    """
    if acting_token is not None:
        raise PermissionDenied(
            _("API tokens can be created and revoked only when logged in, not with a token.")
        )


def create_api_token(
    user: User,
    name: str,
    *,
    scope: str = TokenScope.WRITE,
    expires_in_days: Any = TOKEN_DEFAULT_DAYS,
    acting_token: ApiToken | None = None,
) -> tuple[ApiToken, str]:
    """Issue a personal API token; returns the row and the secret, which is shown only once.

    `acting_token` is the token the request was authenticated with, if any: such requests
    are refused.
    """
    _refuse_token_credential(acting_token)
    errors = FieldErrors()
    name = errors.text("name", name, max_length=80, required=True)
    if scope not in TokenScope.values:
        errors.add("scope", _("Choose read or write."), "invalid_choice")
    days = errors.integer(
        "expires_in_days", expires_in_days, minimum=1, maximum=TOKEN_MAX_DAYS, required=True
    )
    errors.raise_if_any()
    assert days is not None
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    with transaction.atomic(durable=True):
        token = ApiToken.objects.create(
            user=user,
            name=name,
            prefix=secret[: len(TOKEN_PREFIX) + 6],
            digest=_digest(secret),
            scope=scope,
            created_at=now,
            expires_at=now + timedelta(days=days),
        )
        record(
            actor=user,
            action="accounts.token.created",
            obj=token,
            after={"name": name, "scope": scope, "expires_at": token.expires_at},
        )
    return token, secret


def revoke_api_token(
    user: User, token: ApiToken, *, acting_token: ApiToken | None = None
) -> ApiToken:
    """Revoke one of the user's own tokens; a revoked token no longer authenticates."""
    _refuse_token_credential(acting_token)
    if token.user_id != user.pk:
        raise PermissionDenied(_("You may only revoke your own tokens."))
    with transaction.atomic(durable=True):
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is None:
            locked.revoked_at = timezone.now()
            locked.save(update_fields=["revoked_at"])
            record(
                actor=user, action="accounts.token.revoked", obj=locked, after={"name": locked.name}
            )
    return locked


def authenticate_token(secret: str) -> ApiToken | None:
    """Return the unrevoked token with this secret of an active user, or None.

    An expired token raises `TokenExpired`, so that its holder is told why it stopped
    working rather than only that it is wrong.
    """
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(secret), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.expires_at <= now:
        raise TokenExpired(token)
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
