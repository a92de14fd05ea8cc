from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackupConfig(AppConfig):
    """Backup archives of the whole hub (database, search index, data files) and restores."""

    name = "synergy_hub.backup"
    verbose_name = _("Backup")
