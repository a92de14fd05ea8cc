"""Scoped reads of organisations: what a viewer may see, 404 for the rest."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from synergy_hub.accounts.models import (
    EligibilityChange,
    EligibilityChangeStatus,
    Organisation,
    OrganisationStatus,
    Role,
)
from synergy_hub.accounts.permissions import is_officer, membership_of


def approved_organisations() -> QuerySet[Organisation]:
    """Organisations visible to the public."""
    return Organisation.objects.filter(status=OrganisationStatus.APPROVED).select_related(
        "region", "industry"
    )


def organisations_visible_to(user: Any) -> QuerySet[Organisation]:
    """Approved organisations, the viewer's own, or all for programme officers.

    The one rule for organisations, used by the API, the pages and the back office
    (decision 0016).
    """
    queryset = Organisation.objects.select_related("region", "industry")
    if is_officer(user):
        return queryset
    own = membership_of(user)
    visible = Q(status=OrganisationStatus.APPROVED)
    if own is not None:
        visible |= Q(pk=own.organisation_id)
    return queryset.filter(visible)


def organisation_for_viewer(user: Any, pk: int) -> Organisation:
    """An approved organisation, the viewer's own, or any for officers; else 404."""
    found = organisations_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404("organisation not found")
    return found


def pending_organisations(user: Any) -> QuerySet[Organisation]:
    """Sign-ups awaiting an officer's decision."""
    if not is_officer(user):
        return Organisation.objects.none()
    return (
        Organisation.objects.filter(status=OrganisationStatus.PENDING)
        .select_related("region", "industry")
        .order_by("created_at")
    )


def eligibility_changes_visible_to(user: Any) -> QuerySet[EligibilityChange]:
    """Size class and tier change requests: all for officers, their organisation's for its
    administrators, none for anyone else (the evidence is the organisation's business).
    """
    queryset = EligibilityChange.objects.select_related(
        "organisation", "industry", "requested_by", "decided_by"
    ).defer("evidence")
    if is_officer(user):
        return queryset
    own = membership_of(user)
    if own is None or own.role != Role.ADMIN:
        return EligibilityChange.objects.none()
    return queryset.filter(organisation_id=own.organisation_id)


def eligibility_change_for_viewer(user: Any, pk: int) -> EligibilityChange:
    """One change request the viewer may read, else 404."""
    found = eligibility_changes_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404("change request not found")
    return found


def pending_eligibility_changes(user: Any) -> QuerySet[EligibilityChange]:
    """Change requests waiting for an officer's decision, oldest first."""
    if not is_officer(user):
        return EligibilityChange.objects.none()
    return eligibility_changes_visible_to(user).filter(status=EligibilityChangeStatus.PENDING)
