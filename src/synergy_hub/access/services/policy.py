"""The default usage policy of a resource, set by its publisher while the list is editable.

A published list version never changes: to change the policy of a published resource the
publisher opens a new version of the list, sets the policy there and submits it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub.access import policies
from synergy_hub.accounts.models import User
from synergy_hub.accounts.permissions import PUBLISHER_KINDS, require_member
from synergy_hub.audit.services import record
from synergy_hub.catalog import workflow as list_workflow
from synergy_hub.catalog.models import OpennessList, Resource
from synergy_hub.validation import FieldErrors


def clean_policy(
    resource: Resource, data: Mapping[str, Any], errors: FieldErrors
) -> dict[str, Any] | None:
    """The policy from JSON-LD (`policy`) or the template choice, bound to the resource."""
    document = data.get("policy")
    if document:
        policy = policies.parse_policy(document, errors)
    else:
        try:
            policy = policies.build_from_templates(data)
        except ValueError as exc:
            errors.add("policy", str(exc), "invalid_template")
            return None
    if policy is None:
        return None
    bound = policies.bind_to_offer(policy, resource, resource.openness_list.publisher, errors)
    return policies.to_jsonld(bound)


def set_resource_policy(actor: User, resource: Resource, data: Mapping[str, Any]) -> Resource:
    """Store the default usage policy that offers for this resource start from."""
    membership = require_member(actor, kinds=PUBLISHER_KINDS)
    if resource.openness_list.publisher_id != membership.organisation_id:
        raise PermissionDenied(_("This resource belongs to another organisation."))
    errors = FieldErrors()
    document = clean_policy(resource, data, errors)
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        openness_list = OpennessList.objects.select_for_update().get(pk=resource.openness_list_id)
        if not list_workflow.is_editable(openness_list.state):
            raise ValidationError(
                {
                    "state": ValidationError(
                        _(
                            "The policy of a resource on a %(state)s list cannot change; "
                            "create a new version of the list to edit it."
                        )
                        % {"state": openness_list.get_state_display()},
                        code="not_editable",
                    )
                }
            )
        locked = Resource.objects.select_for_update().get(pk=resource.pk)
        before = locked.usage_policy
        locked.usage_policy = document
        locked.updated_at = timezone.now()
        locked.save(update_fields=["usage_policy", "updated_at"])
        record(
            actor=actor,
            action="access.resource_policy.set",
            obj=locked,
            organisation_id=membership.organisation_id,
            before={"usage_policy": before},
            after={"usage_policy": document},
        )
    return locked
