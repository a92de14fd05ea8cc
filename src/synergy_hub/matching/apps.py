from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    """Search and need-to-resource matching with disclosed, fair, explained rankings."""

    name = "synergy_hub.matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from synergy_hub.catalog.signals import list_published, list_publishing
        from synergy_hub.matching.generations import record_publication
        from synergy_hub.matching.index_updates import on_list_published

        list_publishing.connect(record_publication, dispatch_uid="matching-catalog-generation")
        list_published.connect(on_list_published, dispatch_uid="matching-index-update")
