from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """Cross-cutting API machinery: authentication, error shapes, idempotent POSTs."""

    name = "synergy_hub.api"
    label = "synergy_api"
    verbose_name = _("API")
