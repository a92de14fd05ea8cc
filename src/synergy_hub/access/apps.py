from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    """Access requests, agreements with ODRL usage policies, capacity booking, metered use."""

    name = "synergy_hub.access"
    verbose_name = _("Access and agreements")
