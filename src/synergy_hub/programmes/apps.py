from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    """Programme targets, pilot calls and projects, service platforms, scenarios and KPI."""

    name = "synergy_hub.programmes"
    verbose_name = _("Programmes")
