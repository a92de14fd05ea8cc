"""Values every page needs: the user's organisation and role, for the navigation."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from synergy_hub.accounts.models import OrganisationKind
from synergy_hub.accounts.permissions import is_officer, is_publisher, membership_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    """Expose the current membership and what the navigation should offer."""
    user = getattr(request, "user", None)
    membership = membership_of(user)
    organisation = membership.organisation if membership else None
    return {
        "current_membership": membership,
        "current_organisation": organisation,
        "nav_is_officer": is_officer(user),
        "nav_is_publisher": is_publisher(user),
        "nav_is_sme": bool(organisation and organisation.kind == OrganisationKind.SME),
    }
