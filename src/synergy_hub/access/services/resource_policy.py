"""The default usage policy of a resource: built here, stored by catalog's service.

Access owns policies: reading the editor's JSON-LD or template choice and binding the
policy to the resource and its publisher. Catalog owns the resource: who may change it
and when (its publisher, while the list is editable; a published version never changes,
so a new policy goes on a new version of the list), the write and its audit event.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from synergy_hub.access import usage_policy
from synergy_hub.accounts.models import User
from synergy_hub.catalog import services as catalog_services
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.policy_documents import read_policy
from synergy_hub.validation import FieldErrors


def clean_policy(
    resource: Resource, data: Mapping[str, Any], errors: FieldErrors
) -> dict[str, Any] | None:
    """The policy from JSON-LD (`policy`) or the template choice, bound to the resource."""
    document = data.get("policy")
    if document:
        policy = read_policy(document, errors)
    else:
        try:
            policy = usage_policy.build_from_templates(data)
        except ValueError as exc:
            errors.add("policy", str(exc), "invalid_template")
            return None
    if policy is None:
        return None
    bound = usage_policy.bind_to_offer(policy, resource, resource.openness_list.publisher, errors)
    return usage_policy.to_jsonld(bound)


def set_resource_policy(actor: User, resource: Resource, data: Mapping[str, Any]) -> Resource:
    """Store the default usage policy that offers for this resource start from."""
    # Refuse an outsider before reading what they sent; catalog's service checks again.
    catalog_services.require_own_resource(actor, resource)
    errors = FieldErrors()
    document = clean_policy(resource, data, errors)
    errors.raise_if_any()
    return catalog_services.set_usage_policy(actor, resource, document)
