"""Who may do what: role and organisation checks shared by services, API and pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from synergy_hub.accounts.models import (
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
    Role,
)

PUBLISHER_KINDS = frozenset({OrganisationKind.PLATFORM, OrganisationKind.PROVIDER})
WRITE_ROLES = frozenset({Role.ADMIN, Role.EDITOR})


def membership_of(user: Any) -> Membership | None:
    """Return the user's membership (cached on the user object), or None."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    cache: dict[str, Membership | None] = user.__dict__.setdefault("_synergy_cache", {})
    if "membership" in cache:
        return cache["membership"]
    membership = (
        Membership.objects.select_related("organisation", "organisation__region")
        .filter(user=user)
        .order_by("created_at", "pk")
        .first()
    )
    cache["membership"] = membership
    return membership


def organisation_of(user: Any) -> Organisation | None:
    """Return the organisation the user acts for, or None."""
    membership = membership_of(user)
    return membership.organisation if membership else None


def require_member(
    user: Any,
    *,
    kinds: frozenset[str] | None = None,
    roles: frozenset[str] = WRITE_ROLES,
    approved: bool = True,
) -> Membership:
    """Return the user's membership or refuse (403) with the reason."""
    membership = membership_of(user)
    if membership is None:
        raise PermissionDenied(_("You must belong to an organisation to do this."))
    organisation = membership.organisation
    if kinds is not None and organisation.kind not in kinds:
        raise PermissionDenied(_("Your organisation's kind may not do this."))
    if membership.role not in roles:
        raise PermissionDenied(_("Your role in the organisation does not allow this."))
    if approved and organisation.status != OrganisationStatus.APPROVED:
        raise PermissionDenied(_("Your organisation has not been approved yet."))
    return membership


def require_officer(user: Any) -> Membership:
    """Refuse (403) anyone who is not a programme officer."""
    return require_member(user, kinds=frozenset({OrganisationKind.AUTHORITY}))


def is_officer(user: Any) -> bool:
    """True for members of the approved programme office with a write role."""
    membership = membership_of(user)
    return bool(
        membership
        and membership.organisation.kind == OrganisationKind.AUTHORITY
        and membership.organisation.status == OrganisationStatus.APPROVED
        and membership.role in WRITE_ROLES
    )


def is_publisher(user: Any) -> bool:
    """True for editors of an approved platform or service provider."""
    membership = membership_of(user)
    return bool(
        membership
        and membership.organisation.kind in PUBLISHER_KINDS
        and membership.organisation.status == OrganisationStatus.APPROVED
        and membership.role in WRITE_ROLES
    )
