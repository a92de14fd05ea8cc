from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogConfig(AppConfig):
    """Programme, batches, openness lists with their resources, and SME needs."""

    name = "synergy_hub.catalog"
    verbose_name = _("Catalog")
