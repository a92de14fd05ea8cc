from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from synergy_hub.config.api import api

admin.site.site_header = _("Synergy Hub back office")
admin.site.site_title = _("Synergy Hub")

urlpatterns = [
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("synergy_hub.catalog.interop.urls")),
    path("access/", include("synergy_hub.access.urls")),
    path("programmes/", include("synergy_hub.programmes.urls")),
    path("governance/", include("synergy_hub.governance.urls")),
    path("", include("synergy_hub.access.dsp.urls")),
    path("", include("synergy_hub.matching.urls")),
    path("", include("synergy_hub.tiers.urls")),
    path("", include("synergy_hub.assistant.urls")),
    path("", include("synergy_hub.catalog.urls")),
    path("", include("synergy_hub.accounts.urls")),
]
