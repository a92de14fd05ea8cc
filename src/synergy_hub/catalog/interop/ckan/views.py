"""The Action API endpoint: CKAN's envelope, GET parameters or a JSON POST body, API keys.

Only API keys identify a caller here (never the session cookie), so a JSON POST needs no
CSRF token and nothing a browser sends on its own can act for its user.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from synergy_hub.accounts.models import User
from synergy_hub.accounts.services import TokenExpired
from synergy_hub.accounts.throttling import authenticate_token_from

from ..dcat_views import site_links
from .actions import ACTIONS, ActionContext
from .errors import ActionError, NotAuthorized, ValidationFailed

MAX_BODY = 1_000_000
#: The longest text one parameter may carry: a search, a filter list, an id.
MAX_PARAMETER_LENGTH = 10_000


def _json(payload: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(
        payload,
        status=status,
        safe=False,
        json_dumps_params={"ensure_ascii": False},
        content_type="application/json;charset=utf-8",
    )


def _bad_request(message: str) -> JsonResponse:
    """CKAN answers a malformed call with a bare JSON string and status 400."""
    return _json(f"Bad request - {message}", status=400)


def api_key(request: HttpRequest) -> str:
    """The key from `Authorization` (raw, as CKAN, or `Bearer …`) or `X-CKAN-API-Key`."""
    header = request.headers.get("Authorization", "").strip()
    if header.lower().startswith("bearer "):
        header = header[7:].strip()
    return header or request.headers.get("X-CKAN-API-Key", "").strip()


def caller(request: HttpRequest) -> User | None:
    """The key's owner, None without a key; a wrong or revoked key is refused."""
    key = api_key(request)
    if not key:
        return None
    try:
        token = authenticate_token_from(request, key)
    except TokenExpired as exc:
        raise NotAuthorized(
            f"API key expired on {exc.token.expires_at.date().isoformat()}"
        ) from exc
    if token is None:
        raise NotAuthorized("invalid or revoked API key")
    return token.user


def request_data(request: HttpRequest) -> dict[str, Any]:
    """Query parameters for GET; a JSON object (or form fields) for POST."""
    if request.method == "GET":
        return {
            key: values[0] if len(values) == 1 else values for key, values in request.GET.lists()
        }
    if len(request.body) > MAX_BODY:
        raise ValueError("request body too large")
    if request.content_type == "application/x-www-form-urlencoded" and request.POST:
        return {
            key: values[0] if len(values) == 1 else values for key, values in request.POST.lists()
        }
    if not request.body.strip():
        return {}
    data = json.loads(request.body)
    if not isinstance(data, dict):
        raise ValueError(
            f"Request data JSON decoded to {type(data).__name__} but it needs to be a dictionary."
        )
    return data


def _check_lengths(data: dict[str, Any]) -> None:
    """Refuse a parameter whose text (or any text of its list) is longer than any needs."""
    for name, value in data.items():
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(text, str) and len(text) > MAX_PARAMETER_LENGTH for text in texts):
            raise ValidationFailed({name: [f"At most {MAX_PARAMETER_LENGTH} characters"]})


@csrf_exempt
def action(request: HttpRequest, verb: str) -> HttpResponse:
    """`/api/3/action/<verb>` and `/api/action/<verb>`."""
    if request.method not in ("GET", "POST"):
        # CKAN's own answer is an HTML page; every error under /api/ is JSON here.
        response = _json(f"Bad request - Method not allowed: {request.method}", status=405)
        response["Allow"] = "GET, POST"
        return response
    function = ACTIONS.get(verb)
    if function is None:
        return _bad_request(f"Action name not known: {verb}")
    links = site_links(request)
    help_url = links.url(reverse("interop:ckan_action_v3", args=["help_show"])) + f"?name={verb}"
    try:
        data = request_data(request)
    except (ValueError, UnicodeDecodeError) as exc:
        return _bad_request(f"JSON Error: {exc}")
    try:
        _check_lengths(data)
        result = function(ActionContext(caller(request), links), data)
    except ActionError as exc:
        error = {"help": help_url, "success": False, "error": exc.error_body()}
        return _json(error, status=exc.status)
    return _json({"help": help_url, "success": True, "result": result})
