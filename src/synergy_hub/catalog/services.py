"""Every change to openness lists, resources and needs goes through here.

Each function checks permission, validates, writes and appends to the audit log in one
transaction; the state machine itself lives in `catalog.workflow`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from synergy_hub.accounts.models import (
    Industry,
    OrganisationKind,
    Region,
    SizeClass,
    Tier,
    User,
)
from synergy_hub.accounts.permissions import PUBLISHER_KINDS, require_member, require_officer
from synergy_hub.audit.services import record
from synergy_hub.catalog import workflow
from synergy_hub.catalog.models import Batch, Need, OpennessList, Resource
from synergy_hub.catalog.signals import list_published
from synergy_hub.catalog.vocabulary import (
    AccessMode,
    ListState,
    NeedStatus,
    Period,
    Pillar,
    ResourceType,
    Unit,
)
from synergy_hub.validation import FieldErrors

MAX_TITLE = 200
MAX_DESCRIPTION = 5000
MAX_KEYWORDS = 20
MAX_KEYWORD_LENGTH = 40
MAX_CODES = 50
MAX_MONEY = Decimal("9999999999")


# --- openness lists ----------------------------------------------------------------------


def list_snapshot(openness_list: OpennessList) -> dict[str, Any]:
    """The fields of a list version recorded in the audit log."""
    return {
        "series": openness_list.series,
        "version": openness_list.version,
        "batch": openness_list.batch.number,
        "title_zh": openness_list.title_zh,
        "title_en": openness_list.title_en,
        "state": openness_list.state,
    }


def _clean_list_fields(data: Mapping[str, Any], errors: FieldErrors) -> dict[str, str]:
    clean = {
        "title_zh": errors.text("title_zh", data.get("title_zh"), max_length=MAX_TITLE),
        "title_en": errors.text("title_en", data.get("title_en"), max_length=MAX_TITLE),
        "summary_zh": errors.text("summary_zh", data.get("summary_zh"), max_length=MAX_DESCRIPTION),
        "summary_en": errors.text("summary_en", data.get("summary_en"), max_length=MAX_DESCRIPTION),
    }
    errors.require_one(clean, ("title_zh", "title_en"), _("Give a title in Chinese or in English."))
    return clean


def _require_publisher(actor: User) -> Any:
    return require_member(actor, kinds=PUBLISHER_KINDS)


def _require_own_list(actor: User, openness_list: OpennessList) -> None:
    membership = _require_publisher(actor)
    if openness_list.publisher_id != membership.organisation_id:
        raise PermissionDenied(_("This list belongs to another organisation."))


def _require_editable(openness_list: OpennessList) -> None:
    if not workflow.is_editable(openness_list.state):
        raise ValidationError(
            {
                "state": ValidationError(
                    _(
                        "A %(state)s list cannot be changed; create a new version to edit "
                        "a published list."
                    )
                    % {"state": openness_list.get_state_display()},
                    code="not_editable",
                )
            }
        )


def create_list(actor: User, batch: Batch, data: Mapping[str, Any]) -> OpennessList:
    """Draft a new openness list for the actor's platform or provider in an open batch."""
    membership = _require_publisher(actor)
    errors = FieldErrors()
    clean = _clean_list_fields(data, errors)
    if not batch.is_open():
        errors.add(
            "batch",
            _("Batch %(number)d is not open for submissions (open %(opens)s to %(closes)s).")
            % {"number": batch.number, "opens": batch.opens_on, "closes": batch.closes_on},
            "batch_closed",
        )
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        openness_list = OpennessList.objects.create(
            publisher=membership.organisation, batch=batch, created_by=actor, **clean
        )
        record(
            actor=actor,
            action="catalog.list.created",
            obj=openness_list,
            organisation_id=membership.organisation_id,
            after=list_snapshot(openness_list),
        )
    return openness_list


def update_list(actor: User, openness_list: OpennessList, data: Mapping[str, Any]) -> OpennessList:
    """Change a draft or returned list's title and summary."""
    _require_own_list(actor, openness_list)
    errors = FieldErrors()
    current = {
        f: getattr(openness_list, f) for f in ("title_zh", "title_en", "summary_zh", "summary_en")
    }
    clean = _clean_list_fields(current | dict(data), errors)
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        locked = _lock_list(openness_list)
        _require_editable(locked)
        before = list_snapshot(locked)
        for field, value in clean.items():
            setattr(locked, field, value)
        locked.updated_at = timezone.now()
        locked.save()
        record(
            actor=actor,
            action="catalog.list.updated",
            obj=locked,
            organisation_id=locked.publisher_id,
            before=before,
            after=list_snapshot(locked),
        )
    return locked


def _lock_list(openness_list: OpennessList) -> OpennessList:
    return OpennessList.objects.select_for_update().select_related("batch").get(pk=openness_list.pk)


def _transition(
    actor: User,
    openness_list: OpennessList,
    transition: workflow.Transition,
    *,
    action: str,
    extra: Mapping[str, Any] | None = None,
) -> OpennessList:
    """Apply one state-machine transition to a locked list and audit it."""
    locked = _lock_list(openness_list)
    try:
        target = workflow.next_state(locked.state, transition)
    except workflow.IllegalTransition as exc:
        raise ValidationError(
            {
                "state": ValidationError(
                    _("This action is not possible while the list is %(state)s.")
                    % {"state": locked.get_state_display()},
                    code="illegal_transition",
                )
            }
        ) from exc
    before = list_snapshot(locked)
    locked.state = target
    for field, value in (extra or {}).items():
        setattr(locked, field, value)
    locked.updated_at = timezone.now()
    locked.save()
    record(
        actor=actor,
        action=action,
        obj=locked,
        organisation_id=locked.publisher_id,
        before=before,
        after=list_snapshot(locked)
        | {k: v for k, v in (extra or {}).items() if k == "return_reasons"},
    )
    return locked


def submit_list(actor: User, openness_list: OpennessList) -> OpennessList:
    """Send a draft (or returned) list with at least one resource to the programme office."""
    _require_own_list(actor, openness_list)
    with transaction.atomic(durable=True):
        if not Resource.objects.filter(openness_list=openness_list).exists():
            raise ValidationError(
                {
                    "resources": ValidationError(
                        _("Add at least one resource before submitting the list."),
                        code="empty_list",
                    )
                }
            )
        return _transition(
            actor,
            openness_list,
            workflow.Transition.SUBMIT,
            action="catalog.list.submitted",
            extra={"submitted_at": timezone.now()},
        )


def start_review(officer: User, openness_list: OpennessList) -> OpennessList:
    """A programme officer takes a submitted list into review."""
    require_officer(officer)
    with transaction.atomic(durable=True):
        return _transition(
            officer,
            openness_list,
            workflow.Transition.START_REVIEW,
            action="catalog.list.review_started",
            extra={"reviewed_by": officer},
        )


def return_list(officer: User, openness_list: OpennessList, reasons: str) -> OpennessList:
    """Return a list to its publisher with written reasons."""
    require_officer(officer)
    errors = FieldErrors()
    reasons = errors.text("reasons", reasons, max_length=MAX_DESCRIPTION, required=True)
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        return _transition(
            officer,
            openness_list,
            workflow.Transition.RETURN,
            action="catalog.list.returned",
            extra={"return_reasons": reasons, "reviewed_by": officer},
        )


def publish_list(officer: User, openness_list: OpennessList) -> OpennessList:
    """Publish a reviewed list; the previously published version of it is superseded."""
    require_officer(officer)
    now = timezone.now()
    with transaction.atomic(durable=True):
        previous = (
            OpennessList.objects.select_for_update()
            .filter(series=openness_list.series, state=ListState.PUBLISHED)
            .exclude(pk=openness_list.pk)
            .first()
        )
        if previous is not None:
            _transition(
                officer,
                previous,
                workflow.Transition.SUPERSEDE,
                action="catalog.list.superseded",
                extra={"superseded_at": now},
            )
        published = _transition(
            officer,
            openness_list,
            workflow.Transition.PUBLISH,
            action="catalog.list.published",
            extra={"published_at": now, "reviewed_by": officer, "return_reasons": ""},
        )
        transaction.on_commit(
            lambda: list_published.send(
                sender=OpennessList, openness_list=published, superseded=previous
            )
        )
        return published


def create_new_version(actor: User, openness_list: OpennessList) -> OpennessList:
    """Start editing a published list: copy it and its resources into the next draft version.

    If a newer version is already open, that one is returned instead of a second copy.
    """
    _require_own_list(actor, openness_list)
    with transaction.atomic(durable=True):
        source = _lock_list(openness_list)
        open_version = OpennessList.objects.filter(
            series=source.series, state__in=workflow.EDITABLE_STATES | workflow.REVIEW_QUEUE_STATES
        ).first()
        if open_version is not None:
            return open_version
        if source.state != ListState.PUBLISHED:
            raise ValidationError(
                {
                    "state": ValidationError(
                        _("Only the published version can be the basis of a new version."),
                        code="not_published",
                    )
                }
            )
        return draft_next_version(actor, source)


def draft_next_version(actor: User, published: OpennessList) -> OpennessList:
    """Copy a published version and its resources into the next draft version, audited.

    Runs inside the caller's transaction (the list workflow and harvesting both use it);
    the caller has checked permission and that no other version is open.
    """
    latest = OpennessList.objects.filter(series=published.series).order_by("-version").first()
    assert latest is not None
    draft = OpennessList.objects.create(
        series=published.series,
        version=latest.version + 1,
        previous=published,
        publisher=published.publisher,
        batch=published.batch,
        title_zh=published.title_zh,
        title_en=published.title_en,
        summary_zh=published.summary_zh,
        summary_en=published.summary_en,
        created_by=actor,
    )
    for resource in published.resources.order_by("position", "pk"):
        copy_resource(resource, draft)
    record(
        actor=actor,
        action="catalog.list.version_created",
        obj=draft,
        organisation_id=draft.publisher_id,
        before={"from_version": published.version},
        after=list_snapshot(draft),
    )
    return draft


# --- resources ------------------------------------------------------------------------------


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
        "access_mode": resource.access_mode,
        "price": resource.price,
        "sme_discount_percent": resource.sme_discount_percent,
        "unit": resource.unit,
        "capacity": resource.capacity,
        "capacity_period": resource.capacity_period,
    }


def _choice(
    errors: FieldErrors, field: str, value: Any, choices: Iterable[str], *, required: bool
) -> str:
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            errors.add(field, _("This field is required."), "required")
        return ""
    if text not in set(choices):
        errors.add(
            field,
            _("“%(value)s” is not one of the allowed values: %(allowed)s.")
            % {"value": text[:40], "allowed": ", ".join(choices)},
            "invalid_choice",
        )
        return ""
    return text


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.replace("，", ",").split(",") if part.strip()]
    return [str(part).strip() for part in value if str(part).strip()]


def _codes(
    errors: FieldErrors, field: str, value: Any, model: type[Region] | type[Industry]
) -> list[Any]:
    codes = _as_list(value)
    if len(codes) > MAX_CODES:
        errors.add(field, _("At most %(max)d codes are allowed.") % {"max": MAX_CODES}, "max_items")
        return []
    found = {obj.pk: obj for obj in model.objects.filter(pk__in=[c.upper() for c in codes])}
    unknown = [c for c in codes if c.upper() not in found]
    if unknown:
        errors.add(
            field,
            _("Unknown code(s): %(codes)s.") % {"codes": ", ".join(unknown[:5])},
            "invalid_choice",
        )
    return list(found.values())


def clean_resource_data(
    data: Mapping[str, Any], errors: FieldErrors
) -> tuple[dict[str, Any], list[Region], list[Industry]]:
    """Validate a resource's fields; returns clean values and its regions and industries."""
    clean: dict[str, Any] = {
        "resource_type": _choice(
            errors, "resource_type", data.get("resource_type"), ResourceType.values, required=True
        ),
        "pillar": _choice(errors, "pillar", data.get("pillar"), Pillar.values, required=True),
        "access_mode": _choice(
            errors, "access_mode", data.get("access_mode"), AccessMode.values, required=True
        ),
        "unit": _choice(errors, "unit", data.get("unit"), Unit.values, required=True),
        "capacity_period": _choice(
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
    errors.require_one(clean, ("title_zh", "title_en"), _("Give a title in Chinese or in English."))
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

    keywords = _as_list(data.get("keywords"))
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
        _choice(errors, "eligible_size_classes", v, SizeClass.values, required=True)
        for v in _as_list(data.get("eligible_size_classes"))
    ]
    clean["eligible_tiers"] = [
        _choice(errors, "eligible_tiers", v, [t for t in Tier.values if t], required=True)
        for v in _as_list(data.get("eligible_tiers"))
    ]
    regions = _codes(errors, "regions", data.get("regions"), Region)
    industries = _codes(errors, "industries", data.get("industries"), Industry)
    return clean, regions, industries


def add_resource(actor: User, openness_list: OpennessList, data: Mapping[str, Any]) -> Resource:
    """Add a resource to a draft or returned list of the actor's organisation."""
    _require_own_list(actor, openness_list)
    errors = FieldErrors()
    clean, regions, industries = clean_resource_data(data, errors)
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        locked = _lock_list(openness_list)
        _require_editable(locked)
        position = locked.resources.count()
        resource = Resource.objects.create(openness_list=locked, position=position, **clean)
        resource.regions.set(regions)
        resource.industries.set(industries)
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
            "eligible_size_classes",
            "eligible_tiers",
        )
    }
    values["regions"] = [r.pk for r in resource.regions.all()]
    values["industries"] = [i.pk for i in resource.industries.all()]
    return values


def update_resource(actor: User, resource: Resource, data: Mapping[str, Any]) -> Resource:
    """Change a resource on a draft or returned list (fields not given keep their value)."""
    _require_own_list(actor, resource.openness_list)
    errors = FieldErrors()
    clean, regions, industries = clean_resource_data(
        editable_resource_values(resource) | dict(data), errors
    )
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        locked_list = _lock_list(resource.openness_list)
        _require_editable(locked_list)
        locked = Resource.objects.select_for_update().get(pk=resource.pk)
        before = resource_snapshot(locked)
        for field, value in clean.items():
            setattr(locked, field, value)
        locked.updated_at = timezone.now()
        locked.save()
        locked.regions.set(regions)
        locked.industries.set(industries)
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
    _require_own_list(actor, resource.openness_list)
    with transaction.atomic(durable=True):
        locked_list = _lock_list(resource.openness_list)
        _require_editable(locked_list)
        record(
            actor=actor,
            action="catalog.resource.removed",
            obj=resource,
            organisation_id=locked_list.publisher_id,
            before=resource_snapshot(resource),
        )
        resource.delete()


# --- needs ------------------------------------------------------------------------------------


def need_snapshot(need: Need) -> dict[str, Any]:
    """The fields of a need recorded in the audit log."""
    return {
        "title": need.title,
        "resource_types": need.resource_types,
        "region": need.region_id,
        "budget": need.budget,
        "wanted_from": need.wanted_from,
        "wanted_until": need.wanted_until,
        "status": need.status,
    }


def _date(errors: FieldErrors, field: str, value: Any) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    try:
        parsed = parse_date(str(value))
    except ValueError:
        parsed = None
    if parsed is None:
        errors.add(field, _("Enter a date as YYYY-MM-DD."), "invalid")
    return parsed


def clean_need_data(data: Mapping[str, Any], errors: FieldErrors) -> dict[str, Any]:
    """Validate a need's fields and return clean values."""
    clean: dict[str, Any] = {
        "title": errors.text("title", data.get("title"), max_length=MAX_TITLE, required=True),
        "description": errors.text(
            "description", data.get("description"), max_length=MAX_DESCRIPTION, required=True
        ),
        "budget": errors.decimal("budget", data.get("budget"), maximum=MAX_MONEY),
        "wanted_from": _date(errors, "wanted_from", data.get("wanted_from")),
        "wanted_until": _date(errors, "wanted_until", data.get("wanted_until")),
    }
    types = _as_list(data.get("resource_types"))
    clean["resource_types"] = [
        _choice(errors, "resource_types", t, ResourceType.values, required=True) for t in types
    ]
    region_code = str(data.get("region") or "").strip()
    clean["region"] = Region.objects.filter(pk=region_code).first() if region_code else None
    if region_code and clean["region"] is None:
        errors.add(
            "region",
            _("Choose a valid administrative division code (GB/T 2260)."),
            "invalid_choice",
        )
    if (
        clean["wanted_from"]
        and clean["wanted_until"]
        and clean["wanted_until"] < clean["wanted_from"]
    ):
        errors.add(
            "wanted_until",
            _("The end of the time frame must not be before its start."),
            "before_start",
        )
    return clean


def create_need(actor: User, data: Mapping[str, Any]) -> Need:
    """Record an SME's need for its organisation."""
    membership = require_member(actor, kinds=frozenset({OrganisationKind.SME}))
    errors = FieldErrors()
    clean = clean_need_data(data, errors)
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        need = Need.objects.create(organisation=membership.organisation, created_by=actor, **clean)
        record(
            actor=actor,
            action="catalog.need.created",
            obj=need,
            organisation_id=membership.organisation_id,
            after=need_snapshot(need),
        )
    return need


def update_need(actor: User, need: Need, data: Mapping[str, Any]) -> Need:
    """Change a need of the actor's own organisation (status open, fulfilled or closed)."""
    membership = require_member(actor, kinds=frozenset({OrganisationKind.SME}))
    if need.organisation_id != membership.organisation_id:
        raise PermissionDenied(_("This need belongs to another organisation."))
    errors = FieldErrors()
    current = need_snapshot(need) | {"description": need.description}
    clean = clean_need_data(current | dict(data), errors)
    status = _choice(
        errors, "status", data.get("status", need.status), NeedStatus.values, required=True
    )
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        locked = Need.objects.select_for_update().get(pk=need.pk)
        before = need_snapshot(locked)
        for field, value in clean.items():
            setattr(locked, field, value)
        locked.status = status
        locked.updated_at = timezone.now()
        locked.save()
        record(
            actor=actor,
            action="catalog.need.updated",
            obj=locked,
            organisation_id=locked.organisation_id,
            before=before,
            after=need_snapshot(locked),
        )
    return locked
