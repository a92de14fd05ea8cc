"""WSGI entry point for production servers (forwarding headers only from trusted proxies)."""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application

from synergy_hub.config.proxy import TrustedProxies, parse_proxies

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "synergy_hub.config.settings")
application = TrustedProxies(
    get_wsgi_application(), parse_proxies(settings.SYNERGY_TRUSTED_PROXIES)
)
