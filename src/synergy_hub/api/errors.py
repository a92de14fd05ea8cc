"""One error shape for the whole API: `{"detail": [{"loc", "msg", "type"}]}` or a message.

Errors Django answers itself under /api/ get the same shape in `api.middleware`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from synergy_hub.validation import error_list


def install_error_handlers(api: NinjaAPI) -> None:
    """Map service exceptions to 4xx responses naming the field and the rule."""

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        # Reads take their input from the query string, writes from the body.
        where = "query" if request.method in ("GET", "HEAD") else "body"
        detail = [
            {"loc": [where, item["field"]], "msg": item["message"], "type": item["code"]}
            for item in error_list(exc)
        ]
        return api.create_response(request, {"detail": detail}, status=422)

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return api.create_response(request, {"detail": str(exc) or "permission denied"}, status=403)

    @api.exception_handler(SuspiciousOperation)
    def suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
        return api.create_response(request, {"detail": "bad request"}, status=400)
