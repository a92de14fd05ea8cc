from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    """Append-only, hash-chained log of every state change."""

    name = "synergy_hub.audit"
    verbose_name = _("Audit log")

    def ready(self) -> None:
        from synergy_hub.audit import checks  # noqa: F401 - registers the deploy checks
