"""Request types for views and API handlers that only run for a logged-in user."""

from django.http import HttpRequest

from synergy_hub.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    """A request whose `user` is a real account (behind login_required or API auth)."""

    user: User
