from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    """Programme targets, pilot calls and projects, service platforms, scenarios and KPI."""

    name = "synergy_hub.programmes"
    verbose_name = _("Programmes")

    def ready(self) -> None:
        from synergy_hub.catalog.interop.dcat_export import register_extension
        from synergy_hub.programmes.dcat import add_pilot_projects
        from synergy_hub.programmes.selectors import attention_items, milestone_reminders
        from synergy_hub.web import attention, reminders

        register_extension(add_pilot_projects)
        attention.register(attention_items)
        reminders.register(milestone_reminders)
