"""Adding, editing and removing the resources of a draft list version, and their policy."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any, NamedTuple

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub.accounts.models import (
    Industry,
    Region,
    SizeClass,
    Tier,
    User,
)
from synergy_hub.audit.services import record
from synergy_hub.catalog.models import OpennessList, Resource
from synergy_hub.catalog.policy_documents import read_policy
from synergy_hub.catalog.services.fields import (
    MAX_DESCRIPTION,
    MAX_KEYWORD_LENGTH,
    MAX_KEYWORDS,
    MAX_MONEY,
    MAX_TITLE,
    as_list,
    choice,
    code_rows,
    translations,
)
from synergy_hub.catalog.services.guards import (
    lock_list,
    require_editable,
    require_own_list,
    require_own_resource,
    require_transaction,
)
from synergy_hub.catalog.vocabulary import (
    AccessMode,
    Period,
    Pillar,
    ResourceType,
    Unit,
)
from synergy_hub.validation import FieldErrors


def copy_resource(resource: Resource, target: OpennessList) -> Resource:
    """Copy a resource, with its regions and industries, onto another version of its list.

    The copy keeps the resource's lineage; callers hold the transaction.
    """
    values = {
        field.attname: getattr(resource, field.attname)
        for field in Resource._meta.concrete_fields
        if field.attname not in ("id", "openness_list_id")
    }
    copy = Resource.objects.create(openness_list=target, **values)
    copy.regions.set(resource.regions.all())
    copy.industries.set(resource.industries.all())
    return copy


def resource_snapshot(resource: Resource) -> dict[str, Any]:
    """The fields of a resource recorded in the audit log."""
    return {
        "list": resource.openness_list_id,
        "lineage": resource.lineage,
        "type": resource.resource_type,
        "title_zh": resource.title_zh,
        "title_en": resource.title_en,
        "other_languages": sorted(resource.translations or {}),
        "access_mode": resource.access_mode,
        "price": resource.price,
        "sme_discount_percent": resource.sme_discount_percent,
        "unit": resource.unit,
        "capacity": resource.capacity,
        "capacity_period": resource.capacity_period,
    }


class CleanResource(NamedTuple):
    """A resource's validated field values, with its regions and industries."""

    values: dict[str, Any]
    regions: list[Region]
    industries: list[Industry]


def clean_resource_data(
    data: Mapping[str, Any], errors: FieldErrors, *, description_required: bool = True
) -> CleanResource:
    """Validate a resource's fields; returns clean values and its regions and industries.

    A title and a description are required in some language: Chinese, English or another
    (`translations`). A harvest passes `description_required=False` for records whose
    source has none; such a list cannot be submitted until each resource has one.
    """
    clean: dict[str, Any] = {
        "resource_type": choice(
            errors, "resource_type", data.get("resource_type"), ResourceType.values, required=True
        ),
        "pillar": choice(errors, "pillar", data.get("pillar"), Pillar.values, required=True),
        "access_mode": choice(
            errors, "access_mode", data.get("access_mode"), AccessMode.values, required=True
        ),
        "unit": choice(errors, "unit", data.get("unit"), Unit.values, required=True),
        "capacity_period": choice(
            errors, "capacity_period", data.get("capacity_period"), Period.values, required=False
        ),
        "title_zh": errors.text("title_zh", data.get("title_zh"), max_length=MAX_TITLE),
        "title_en": errors.text("title_en", data.get("title_en"), max_length=MAX_TITLE),
        "description_zh": errors.text(
            "description_zh", data.get("description_zh"), max_length=MAX_DESCRIPTION
        ),
        "description_en": errors.text(
            "description_en", data.get("description_en"), max_length=MAX_DESCRIPTION
        ),
        "usage_terms_zh": errors.text(
            "usage_terms_zh", data.get("usage_terms_zh"), max_length=MAX_DESCRIPTION
        ),
        "usage_terms_en": errors.text(
            "usage_terms_en", data.get("usage_terms_en"), max_length=MAX_DESCRIPTION
        ),
        "contact_name": errors.text("contact_name", data.get("contact_name"), max_length=120),
        "contact_phone": errors.text("contact_phone", data.get("contact_phone"), max_length=40),
        "contact_email": errors.text(
            "contact_email", data.get("contact_email"), max_length=254
        ).lower(),
        "price": errors.decimal("price", data.get("price"), maximum=MAX_MONEY),
        "sme_discount_percent": errors.integer(
            "sme_discount_percent", data.get("sme_discount_percent") or 0, maximum=100
        )
        or 0,
        "capacity": errors.decimal("capacity", data.get("capacity"), maximum=MAX_MONEY),
    }
    other = translations(errors, data.get("translations"))
    clean["translations"] = other
    if not any(texts.get("title") for texts in other.values()):
        errors.require_one(
            clean, ("title_zh", "title_en"), _("Give a title in Chinese or in English.")
        )
    if description_required and not any(texts.get("description") for texts in other.values()):
        errors.require_one(
            clean,
            ("description_zh", "description_en"),
            _("Describe what is opened, in Chinese or in English."),
        )
    if clean["contact_email"]:
        try:
            validate_email(clean["contact_email"])
        except ValidationError:
            errors.add("contact_email", _("Enter a valid e-mail address."), "invalid")
    if clean["access_mode"] == AccessMode.PAID and not errors.has("price") and not clean["price"]:
        errors.add("price", _("A paid resource needs a price above zero."), "required_for_paid")
    if clean["access_mode"] == AccessMode.OPEN and clean["price"]:
        errors.add("price", _("An open resource is free: leave the price empty."), "price_for_open")
    if (
        clean["capacity"] is not None
        and not clean["capacity_period"]
        and not errors.has("capacity_period")
    ):
        errors.add(
            "capacity_period",
            _("Say per which period the capacity is available."),
            "required_with_capacity",
        )

    keywords = as_list(data.get("keywords"))
    if len(keywords) > MAX_KEYWORDS:
        errors.add(
            "keywords",
            _("At most %(max)d keywords are allowed.") % {"max": MAX_KEYWORDS},
            "max_items",
        )
    elif any(len(k) > MAX_KEYWORD_LENGTH for k in keywords):
        errors.add(
            "keywords",
            _("Each keyword may have at most %(max)d characters.") % {"max": MAX_KEYWORD_LENGTH},
            "max_length",
        )
    clean["keywords"] = list(dict.fromkeys(keywords))
    clean["eligible_size_classes"] = [
        choice(errors, "eligible_size_classes", v, SizeClass.values, required=True)
        for v in as_list(data.get("eligible_size_classes"))
    ]
    clean["eligible_tiers"] = [
        choice(errors, "eligible_tiers", v, [t for t in Tier.values if t], required=True)
        for v in as_list(data.get("eligible_tiers"))
    ]
    regions = code_rows(errors, "regions", data.get("regions"), Region)
    industries = code_rows(errors, "industries", data.get("industries"), Industry)
    return CleanResource(clean, regions, industries)


def add_resource(actor: User, openness_list: OpennessList, data: Mapping[str, Any]) -> Resource:
    """Add a resource to a draft or returned list of the actor's organisation."""
    require_own_list(actor, openness_list)
    errors = FieldErrors()
    clean = clean_resource_data(data, errors)
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        return add_resource_in_transaction(actor, openness_list, clean)


def add_resource_in_transaction(
    actor: User,
    openness_list: OpennessList,
    clean: CleanResource,
    *,
    lineage: uuid.UUID | None = None,
) -> Resource:
    """`add_resource` inside the caller's transaction, for checked and validated input.

    `lineage` continues a resource that existed before (a harvested record added again).
    """
    require_transaction()
    locked = lock_list(openness_list)
    require_editable(locked)
    position = locked.resources.count()
    values = clean.values | ({"lineage": lineage} if lineage is not None else {})
    resource = Resource.objects.create(openness_list=locked, position=position, **values)
    resource.regions.set(clean.regions)
    resource.industries.set(clean.industries)
    locked.updated_at = timezone.now()
    locked.save(update_fields=["updated_at"])
    record(
        actor=actor,
        action="catalog.resource.added",
        obj=resource,
        organisation_id=locked.publisher_id,
        after=resource_snapshot(resource),
    )
    return resource


def editable_resource_values(resource: Resource) -> dict[str, Any]:
    """A resource's current values in the shape `clean_resource_data` accepts."""
    values: dict[str, Any] = {
        field: getattr(resource, field)
        for field in (
            "resource_type",
            "pillar",
            "access_mode",
            "unit",
            "capacity_period",
            "title_zh",
            "title_en",
            "description_zh",
            "description_en",
            "usage_terms_zh",
            "usage_terms_en",
            "contact_name",
            "contact_phone",
            "contact_email",
            "price",
            "sme_discount_percent",
            "capacity",
            "keywords",
            "translations",
            "eligible_size_classes",
            "eligible_tiers",
        )
    }
    values["regions"] = [r.pk for r in resource.regions.all()]
    values["industries"] = [i.pk for i in resource.industries.all()]
    return values


def update_resource(actor: User, resource: Resource, data: Mapping[str, Any]) -> Resource:
    """Change a resource on a draft or returned list (fields not given keep their value)."""
    require_own_list(actor, resource.openness_list)
    errors = FieldErrors()
    clean = clean_resource_data(editable_resource_values(resource) | dict(data), errors)
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        return update_resource_in_transaction(actor, resource, clean)


def update_resource_in_transaction(
    actor: User, resource: Resource, clean: CleanResource
) -> Resource:
    """`update_resource` inside the caller's transaction, for checked and validated input."""
    require_transaction()
    locked_list = lock_list(resource.openness_list)
    require_editable(locked_list)
    locked = Resource.objects.select_for_update().get(pk=resource.pk)
    before = resource_snapshot(locked)
    for field, value in clean.values.items():
        setattr(locked, field, value)
    locked.updated_at = timezone.now()
    locked.save()
    locked.regions.set(clean.regions)
    locked.industries.set(clean.industries)
    record(
        actor=actor,
        action="catalog.resource.updated",
        obj=locked,
        organisation_id=locked_list.publisher_id,
        before=before,
        after=resource_snapshot(locked),
    )
    return locked


def remove_resource(actor: User, resource: Resource) -> None:
    """Delete a resource from a draft or returned list."""
    require_own_list(actor, resource.openness_list)
    with transaction.atomic(durable=True):
        remove_resource_in_transaction(actor, resource)


def remove_resource_in_transaction(actor: User, resource: Resource) -> None:
    """`remove_resource` inside the caller's transaction, for a checked actor."""
    require_transaction()
    locked_list = lock_list(resource.openness_list)
    require_editable(locked_list)
    record(
        actor=actor,
        action="catalog.resource.removed",
        obj=resource,
        organisation_id=locked_list.publisher_id,
        before=resource_snapshot(resource),
    )
    resource.delete()


def set_usage_policy(
    actor: User, resource: Resource, document: Mapping[str, Any] | None
) -> Resource:
    """Store the default usage policy (ODRL JSON-LD) that offers for this resource start from.

    The caller builds the document and binds it to the resource (access owns policies);
    catalog owns who may change a resource and when: its publisher, while the list is
    editable. A published version never changes: a new version of the list carries a new
    policy. `None` removes the policy.
    """
    require_own_resource(actor, resource)
    if document is not None:
        check_usage_policy(document)
    with transaction.atomic(durable=True):
        return set_usage_policy_in_transaction(actor, resource, document)


def check_usage_policy(document: Any) -> None:
    """Refuse a document that is not a readable ODRL policy, naming the offending node."""
    errors = FieldErrors()
    read_policy(document, errors)
    errors.raise_if_any()


def set_usage_policy_in_transaction(
    actor: User, resource: Resource, document: Mapping[str, Any] | None
) -> Resource:
    """`set_usage_policy` inside the caller's transaction, for a checked actor and document."""
    require_transaction()
    locked_list = lock_list(resource.openness_list)
    require_editable(
        locked_list,
        _(
            "The policy of a resource on a %(state)s list cannot change; "
            "create a new version of the list to edit it."
        ),
    )
    locked = Resource.objects.select_for_update().get(pk=resource.pk)
    before = locked.usage_policy
    stored = dict(document) if document is not None else None
    locked.usage_policy = stored
    locked.updated_at = timezone.now()
    locked.save(update_fields=["usage_policy", "updated_at"])
    # The event keeps the name it had when the access app wrote the policy itself.
    record(
        actor=actor,
        action="access.resource_policy.set",
        obj=locked,
        organisation_id=locked_list.publisher_id,
        before={"usage_policy": before},
        after={"usage_policy": stored},
    )
    return locked
