"""`Idempotency-Key` on every POST of the API, so a client can safely retry a write.

Semantics (see docs/access.md):

* The first POST with a key runs and its answer (status and body) is stored under
  (caller, key) with the method, path and SHA-256 of the body. The caller is the user
  (token or session), or ``anon:<address>`` for anonymous calls such as sign-up.
* The same key with the same method, path and body replays the stored answer, marked with
  the header ``Idempotent-Replayed: true``; nothing runs a second time.
* The same key with another body (or another path) is refused with 422 naming the header.
* A duplicate arriving while the first is still running waits for it (up to
  ``WAIT_SECONDS``) and replays its answer, or gets 409. The unique constraint on
  (caller, key) guarantees that two duplicates never both run.
* The key is claimed only once authentication and input validation have passed, so a
  request refused before running (401, a malformed body) leaves the key unused; answers
  of 5xx are not kept either, so the retry runs. Keys are kept for ``TTL``.

It is installed on the whole `NinjaAPI` with `install(api)`: a "view" decorator around
each operation's `run` (it sees the final response, errors included) and an "operation"
decorator around the handler (it runs after authentication, so it knows the caller).
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.http.request import RawPostDataException
from django.http.response import HttpResponseBase
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema

from synergy_hub.api.models import IdempotencyRecord
from synergy_hub.api.schemas import ErrorOut

HEADER = "Idempotency-Key"
REPLAY_HEADER = "Idempotent-Replayed"
TTL = timedelta(hours=24)
#: How long a duplicate waits for the first request to finish before answering 409.
WAIT_SECONDS = 5.0
POLL_SECONDS = 0.05
_KEY = re.compile(r"^[\x21-\x7e]{1,255}$")
_ATTR = "_synergy_idempotency"
_INSTALLED = "_synergy_idempotency_installed"


@dataclass
class _Pending:
    """The key of the current request and, once claimed, the row that holds its answer."""

    key: str
    api: NinjaAPI
    record_id: int | None = None


def install(api: NinjaAPI) -> None:
    """Make every POST of `api` accept `Idempotency-Key` (call before the URLs are built)."""
    if getattr(api, _INSTALLED, False):
        return
    api.add_decorator(_around_run, mode="view")
    api.add_decorator(_before_handler, mode="operation")
    setattr(api, _INSTALLED, True)


def _error(api: NinjaAPI, request: HttpRequest, status: int, detail: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


def _header_error(api: NinjaAPI, request: HttpRequest, message: str, code: str) -> HttpResponse:
    item = {"loc": ["header", HEADER], "msg": message, "type": code}
    return _error(api, request, 422, [item])


def _document(operation: Any) -> None:
    """Add the header parameter and the 409 answer to a POST operation's OpenAPI entry."""
    extra = dict(operation.openapi_extra or {})
    parameter = {
        "name": HEADER,
        "in": "header",
        "required": False,
        "schema": {"type": "string", "maxLength": 255},
        "description": (
            "Makes the POST safe to retry: the same key and body replay the first answer "
            f"(with `{REPLAY_HEADER}: true`); the same key with another body is a 422."
        ),
    }
    extra["parameters"] = [*extra.get("parameters", []), parameter]
    operation.openapi_extra = extra
    if 409 not in operation.response_models:
        # The same wrapping ninja applies to each documented response (`response=`).
        operation.response_models[409] = type(
            "NinjaResponseSchema", (Schema,), {"__annotations__": {"response": ErrorOut}}
        )


def _around_run(run: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    operation = getattr(run, "__self__", None)
    if operation is None or "POST" not in operation.methods:
        return run
    _document(operation)
    api: NinjaAPI = operation.api

    @wraps(run)
    def wrapper(request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
        key = request.headers.get(HEADER)
        if request.method != "POST" or key is None:
            return run(request, **kwargs)
        if not _KEY.match(key):
            return _header_error(
                api,
                request,
                _("The Idempotency-Key must be 1 to 255 visible ASCII characters."),
                "invalid",
            )
        pending = _Pending(key=key, api=api)
        setattr(request, _ATTR, pending)
        try:
            response = run(request, **kwargs)
        except BaseException:
            _forget(pending)
            raise
        _store(pending, response)
        return response

    return wrapper


def _before_handler(view_func: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view_func)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        pending: _Pending | None = getattr(request, _ATTR, None)
        if pending is None:
            return view_func(request, *args, **kwargs)
        answer = _claim(request, pending)
        if answer is not None:
            return answer
        return view_func(request, *args, **kwargs)

    return wrapper


def _scope(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and getattr(user, "is_authenticated", False):
        return f"user:{user.pk}"
    return f"anon:{request.META.get('REMOTE_ADDR', '')}"[:80]


def _body_digest(request: HttpRequest) -> str:
    """SHA-256 of the body; for a multipart body already parsed, of its fields and files."""
    try:
        return hashlib.sha256(request.body).hexdigest()
    except RawPostDataException:
        parts = sorted((k, v) for k in request.POST for v in request.POST.getlist(k))
        files = sorted(
            (k, f.name or "", f.size or 0) for k in request.FILES for f in request.FILES.getlist(k)
        )
        return hashlib.sha256(repr((parts, files)).encode()).hexdigest()


def _claim(request: HttpRequest, pending: _Pending) -> HttpResponseBase | None:
    """Claim the key for this request (None: go ahead) or answer for the earlier one."""
    scope = _scope(request)
    fingerprint = {
        "method": request.method or "POST",
        "path": request.get_full_path()[:500],
        "body_sha256": _body_digest(request),
    }
    for _attempt in range(2):
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    scope=scope, key=pending.key, **fingerprint
                )
        except IntegrityError:
            existing = IdempotencyRecord.objects.filter(scope=scope, key=pending.key).first()
            if existing is None:
                continue  # the holder gave it up meanwhile: try again
            if existing.created_at < timezone.now() - TTL:
                IdempotencyRecord.objects.filter(pk=existing.pk).delete()
                continue
            return _answer_for(request, pending, existing, fingerprint)
        pending.record_id = record.pk
        return None
    return _busy(request, pending)


def _answer_for(
    request: HttpRequest,
    pending: _Pending,
    existing: IdempotencyRecord,
    fingerprint: dict[str, str],
) -> HttpResponseBase:
    same = (existing.method, existing.path, existing.body_sha256) == (
        fingerprint["method"],
        fingerprint["path"],
        fingerprint["body_sha256"],
    )
    if not same:
        return _header_error(
            pending.api,
            request,
            _(
                "This Idempotency-Key was already used for a different request; "
                "use a new key for a new request."
            ),
            "idempotency_key_reused",
        )
    deadline = time.monotonic() + WAIT_SECONDS
    while existing.status is None and time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        refreshed = IdempotencyRecord.objects.filter(pk=existing.pk).first()
        if refreshed is None:
            break
        existing = refreshed
    if existing.status is None:
        return _busy(request, pending)
    response = HttpResponse(
        bytes(existing.body), status=existing.status, content_type=existing.content_type
    )
    response[REPLAY_HEADER] = "true"
    return response


def _busy(request: HttpRequest, pending: _Pending) -> HttpResponse:
    return _error(
        pending.api,
        request,
        409,
        _("A request with this Idempotency-Key is still being processed; retry shortly."),
    )


def _store(pending: _Pending, response: HttpResponseBase) -> None:
    """Keep the answer of a request that ran; forget the key when it failed on our side."""
    if pending.record_id is None:
        return
    if response.status_code >= 500 or not isinstance(response, HttpResponse):
        _forget(pending)
        return
    IdempotencyRecord.objects.filter(pk=pending.record_id).update(
        status=response.status_code,
        content_type=response.get("Content-Type", "application/json")[:100],
        body=response.content,
        completed_at=timezone.now(),
    )


def _forget(pending: _Pending) -> None:
    if pending.record_id is not None:
        IdempotencyRecord.objects.filter(pk=pending.record_id).delete()
        pending.record_id = None
