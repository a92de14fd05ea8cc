from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TiersConfig(AppConfig):
    """Gradient cultivation: an SME's indicators, its computed tier and the path onwards."""

    name = "synergy_hub.tiers"
    verbose_name = _("Gradient cultivation")
