from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """Server-rendered pages: base templates, static assets and shared UI pieces."""

    name = "synergy_hub.web"
    verbose_name = _("Web pages")
