from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Organisations, users, memberships, API tokens and the identity reference data."""

    name = "synergy_hub.accounts"
    verbose_name = _("Organisations and users")

    def ready(self) -> None:
        from synergy_hub.accounts.middleware import start_session_clock
        from synergy_hub.accounts.reference import sync_reference_data

        post_migrate.connect(sync_reference_data, sender=self)
        user_logged_in.connect(start_session_clock, dispatch_uid="synergy_session_clock")
