"""Who may change a list, and whether it can still be changed; the list row lock."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from synergy_hub.accounts.models import User
from synergy_hub.accounts.permissions import PUBLISHER_KINDS, require_member
from synergy_hub.catalog import workflow
from synergy_hub.catalog.models import OpennessList, Resource


def require_publisher(actor: User) -> Any:
    """The actor's membership of a publishing organisation, or PermissionDenied."""
    return require_member(actor, kinds=PUBLISHER_KINDS)


def require_own_list(actor: User, openness_list: OpennessList) -> None:
    """Refuse anyone but a member of the list's publisher."""
    membership = require_publisher(actor)
    if openness_list.publisher_id != membership.organisation_id:
        raise PermissionDenied(_("This list belongs to another organisation."))


def require_own_resource(actor: User, resource: Resource) -> None:
    """Refuse anyone but a member of the publisher of the resource's list."""
    membership = require_publisher(actor)
    if resource.openness_list.publisher_id != membership.organisation_id:
        raise PermissionDenied(_("This resource belongs to another organisation."))


def require_editable(openness_list: OpennessList, refusal: str | None = None) -> None:
    """Refuse changes to a list version whose state no longer allows them.

    `refusal` replaces the general message; it may name the list's state as `%(state)s`.
    """
    if not workflow.is_editable(openness_list.state):
        message = refusal or _(
            "A %(state)s list cannot be changed; create a new version to edit a published list."
        )
        raise ValidationError(
            {
                "state": ValidationError(
                    message % {"state": openness_list.get_state_display()},
                    code="not_editable",
                )
            }
        )


def lock_list(openness_list: OpennessList) -> OpennessList:
    """Re-read the list row under a row lock, for the caller's transaction."""
    return OpennessList.objects.select_for_update().select_related("batch").get(pk=openness_list.pk)


def require_transaction() -> None:
    """Inner forms write inside their caller's transaction: refuse to run outside one."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "an inner catalog service (…_in_transaction) must run inside the caller's transaction"
        )
