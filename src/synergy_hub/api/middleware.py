"""Every error answered under /api/ has the API's JSON body, whoever produced it."""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils.translation import gettext as _

#: Every JSON endpoint lives below this path: /api/v1 (ninja) and the CKAN Action API.
API_PATH_PREFIX = "/api/"
#: Headers an error answer carries that the JSON replacement must keep.
KEPT_HEADERS = ("Allow", "Retry-After", "WWW-Authenticate", "Vary")


def is_api_request(request: HttpRequest) -> bool:
    """Tell whether the address is one of the JSON APIs' (whose errors are JSON too)."""
    return request.path_info.startswith(API_PATH_PREFIX)


def _message(status: int) -> str:
    if status == 404:
        return _("Not found.")
    if status == 405:
        return _("This address does not take that method.")
    if status >= 500:
        return _("Server error: it has been logged; please try again later.")
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return _("Bad request.")


class ApiErrorBodyMiddleware:
    """Give a JSON `{"detail": …}` body to any error under /api/ that lacks one.

    ninja and the CKAN view answer JSON themselves; what reaches a client otherwise is
    Django's: the HTML 404 page for an address no view takes, the HTML 500 page for an
    exception no view caught (in production, after Django has logged it), an empty 405.
    Pages keep their HTML error pages.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if (
            response.status_code < 400
            or not is_api_request(request)
            or "json" in response.get("Content-Type", "")
        ):
            return response
        replacement: HttpResponse = JsonResponse(
            {"detail": _message(response.status_code)},
            status=response.status_code,
            json_dumps_params={"ensure_ascii": False},
        )
        for header in KEPT_HEADERS:
            if header in response:
                replacement[header] = response[header]
        return replacement
