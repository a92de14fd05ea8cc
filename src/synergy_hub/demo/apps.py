from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Deterministic, realistic bilingual demo data and the `synergy run` command."""

    name = "synergy_hub.demo"
    verbose_name = _("Demo data")
