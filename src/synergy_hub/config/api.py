"""The JSON API under /api/v1/, assembled from each app's router."""

from __future__ import annotations

from ninja import NinjaAPI

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

api = NinjaAPI(
    title="Synergy Hub API",
    version="1",
    description=(
        "Openness lists, resources, needs and the publishing workflow of Synergy Hub. "
        "Authenticate with a personal token (`Authorization: Bearer …`) or the browser "
        "session with its CSRF token."
    ),
    urls_namespace="api",
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
