"""The JSON API under /api/v1/, assembled from each app's router."""

from __future__ import annotations

import json
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Swagger
from ninja.openapi.docs import _csrf_needed

from synergy_hub.access.api import router as access_router
from synergy_hub.accounts.api import router as accounts_router
from synergy_hub.accounts.throttling import Throttled, throttled_response
from synergy_hub.api import bounds, idempotency
from synergy_hub.api.errors import install_error_handlers
from synergy_hub.assistant.api import router as assistant_router
from synergy_hub.catalog.api import router as catalog_router
from synergy_hub.governance.api import router as governance_router
from synergy_hub.matching.api import router as matching_router
from synergy_hub.programmes.api import router as programmes_router
from synergy_hub.tiers.api import router as tiers_router


class SiteLanguageSwagger(Swagger):
    """Swagger UI in a page that follows the site's language: the page's language, title,
    introduction and the API's description. Swagger UI's own controls have no translations,
    so they stay in English."""

    template = "web/api_docs.html"

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        self.settings["url"] = self.get_openapi_url(api, kwargs)
        context = {
            "swagger_settings": json.dumps(self.settings, indent=1),
            "openapi_url": self.settings["url"],
            "api": api,
            "add_csrf": _csrf_needed(api),
        }
        return render(request, self.template, context)


api = NinjaAPI(
    title="Synergy Hub API",
    version="1",
    # Translated when the schema is written, so /api/v1/openapi.json follows the request.
    description=_(  # type: ignore[arg-type]
        "Openness lists, resources, needs and the publishing workflow of Synergy Hub. "
        "Authenticate with a personal token (`Authorization: Bearer …`) or the browser "
        "session with its CSRF token."
    ),
    urls_namespace="api",
    docs=SiteLanguageSwagger(),
)
install_error_handlers(api)
api.add_exception_handler(
    Throttled, lambda request, exc: throttled_response(request, exc.retry_after)
)
idempotency.install(api)
bounds.install(api)
api.add_router("", accounts_router)
api.add_router("", catalog_router)
api.add_router("", access_router)
api.add_router("", matching_router)
api.add_router("", governance_router)
api.add_router("", tiers_router)
api.add_router("", programmes_router)
api.add_router("", assistant_router)
