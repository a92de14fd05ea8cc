"""Texts that the pages and the API both show, so that they say the same thing."""

from __future__ import annotations

from django.utils.translation import gettext as _


def sign_up_accepted_message() -> str:
    """The one answer to every accepted anonymous sign-up, new address or not."""
    return _(
        "Thank you. We have sent you an e-mail about your registration. Log in with your "
        "e-mail address and password to follow it."
    )
