from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssistantConfig(AppConfig):
    """The SME assistant: a problem in plain words to a need, matched resources and a draft."""

    name = "synergy_hub.assistant"
    verbose_name = _("SME assistant")
