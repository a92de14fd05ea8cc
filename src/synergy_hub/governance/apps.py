from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    """Fair-ecosystem duties as checked records: fees, ranking disclosures, complaints."""

    name = "synergy_hub.governance"
    verbose_name = _("Governance")

    def ready(self) -> None:
        from synergy_hub.governance.selectors import (
            attention_items,
            deadline_reminders,
            is_non_personalised,
        )
        from synergy_hub.matching.ordering import register_preference
        from synergy_hub.web import attention, reminders

        register_preference(is_non_personalised)
        attention.register(attention_items)
        reminders.register(deadline_reminders)
