"""Openness lists: drafting, review, publication and new versions."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub.accounts.models import Organisation, User
from synergy_hub.accounts.permissions import require_officer
from synergy_hub.audit.services import record
from synergy_hub.catalog import workflow
from synergy_hub.catalog.models import Batch, OpennessList, Resource
from synergy_hub.catalog.services.fields import (
    MAX_DESCRIPTION,
    MAX_TITLE,
)
from synergy_hub.catalog.services.guards import (
    lock_list,
    require_editable,
    require_own_list,
    require_publisher,
    require_transaction,
)
from synergy_hub.catalog.services.resources import copy_resource
from synergy_hub.catalog.signals import list_published, list_publishing
from synergy_hub.catalog.vocabulary import (
    ListState,
)
from synergy_hub.languages import clean_translations
from synergy_hub.validation import FieldErrors


def list_snapshot(openness_list: OpennessList) -> dict[str, Any]:
    """The fields of a list version recorded in the audit log."""
    return {
        "series": openness_list.series,
        "version": openness_list.version,
        "batch": openness_list.batch.number,
        "title_zh": openness_list.title_zh,
        "title_en": openness_list.title_en,
        "other_languages": sorted(openness_list.translations or {}),
        "state": openness_list.state,
    }


#: The texts a list keeps per other language (decision 0013), with their length limits.
LIST_TEXTS = {"title": MAX_TITLE, "summary": MAX_DESCRIPTION}
_LIST_FIELDS = ("title_zh", "title_en", "summary_zh", "summary_en", "translations")


def clean_list_data(data: Mapping[str, Any], errors: FieldErrors) -> dict[str, Any]:
    """Validate a list's title and summary (in any language) and return clean values."""
    clean: dict[str, Any] = {
        "title_zh": errors.text("title_zh", data.get("title_zh"), max_length=MAX_TITLE),
        "title_en": errors.text("title_en", data.get("title_en"), max_length=MAX_TITLE),
        "summary_zh": errors.text("summary_zh", data.get("summary_zh"), max_length=MAX_DESCRIPTION),
        "summary_en": errors.text("summary_en", data.get("summary_en"), max_length=MAX_DESCRIPTION),
    }
    clean["translations"] = clean_translations(errors, data.get("translations"), LIST_TEXTS)
    if not any(texts.get("title") for texts in clean["translations"].values()):
        errors.require_one(
            clean, ("title_zh", "title_en"), _("Give a title in Chinese or in English.")
        )
    return clean


def create_list(actor: User, batch: Batch, data: Mapping[str, Any]) -> OpennessList:
    """Draft a new openness list for the actor's platform or provider in an open batch."""
    membership = require_publisher(actor)
    errors = FieldErrors()
    clean = clean_list_data(data, errors)
    if not batch.is_open():
        errors.add(
            "batch",
            _("Batch %(number)d is not open for submissions (open %(opens)s to %(closes)s).")
            % {"number": batch.number, "opens": batch.opens_on, "closes": batch.closes_on},
            "batch_closed",
        )
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        return create_list_in_transaction(actor, membership.organisation, batch, clean)


def create_list_in_transaction(
    actor: User, publisher: Organisation, batch: Batch, clean: Mapping[str, Any]
) -> OpennessList:
    """`create_list` inside the caller's transaction, for checked and validated input."""
    require_transaction()
    openness_list = OpennessList.objects.create(
        publisher=publisher, batch=batch, created_by=actor, **clean
    )
    record(
        actor=actor,
        action="catalog.list.created",
        obj=openness_list,
        organisation_id=publisher.pk,
        after=list_snapshot(openness_list),
    )
    return openness_list


def update_list(actor: User, openness_list: OpennessList, data: Mapping[str, Any]) -> OpennessList:
    """Change a draft or returned list's title and summary."""
    require_own_list(actor, openness_list)
    errors = FieldErrors()
    current = {f: getattr(openness_list, f) for f in _LIST_FIELDS}
    clean = clean_list_data(current | dict(data), errors)
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        return update_list_in_transaction(actor, openness_list, clean)


def update_list_in_transaction(
    actor: User, openness_list: OpennessList, clean: Mapping[str, Any]
) -> OpennessList:
    """`update_list` inside the caller's transaction, for checked and validated input."""
    require_transaction()
    locked = lock_list(openness_list)
    require_editable(locked)
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


def _transition(
    actor: User,
    openness_list: OpennessList,
    transition: workflow.Transition,
    *,
    action: str,
    extra: Mapping[str, Any] | None = None,
) -> OpennessList:
    """Apply one state-machine transition to a locked list and audit it."""
    locked = lock_list(openness_list)
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
    require_own_list(actor, openness_list)
    with transaction.atomic(durable=True):
        return submit_list_in_transaction(actor, openness_list)


def submit_list_in_transaction(actor: User, openness_list: OpennessList) -> OpennessList:
    """`submit_list` inside the caller's transaction, for a checked actor."""
    require_transaction()
    if not Resource.objects.filter(openness_list=openness_list).exists():
        raise ValidationError(
            {
                "resources": ValidationError(
                    _("Add at least one resource before submitting the list."),
                    code="empty_list",
                )
            }
        )
    undescribed = [r for r in openness_list.resources.all() if not r.description]
    if undescribed:
        raise ValidationError(
            {
                "resources": ValidationError(
                    _(
                        "Describe every resource before submitting the list; without a "
                        "description: %(titles)s."
                    )
                    % {"titles": "; ".join(r.title[:60] for r in undescribed[:5])},
                    code="resource_without_description",
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
        return start_review_in_transaction(officer, openness_list)


def start_review_in_transaction(officer: User, openness_list: OpennessList) -> OpennessList:
    """`start_review` inside the caller's transaction, for a checked officer."""
    require_transaction()
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
        return return_list_in_transaction(officer, openness_list, reasons)


def return_list_in_transaction(
    officer: User, openness_list: OpennessList, reasons: str
) -> OpennessList:
    """`return_list` inside the caller's transaction, for a checked officer and reasons."""
    require_transaction()
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
    with transaction.atomic(durable=True):
        return publish_list_in_transaction(officer, openness_list)


def publish_list_in_transaction(officer: User, openness_list: OpennessList) -> OpennessList:
    """`publish_list` inside the caller's transaction, for a checked officer.

    Those told of the publication hear of it once the caller's transaction commits.
    """
    require_transaction()
    now = timezone.now()
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
    list_publishing.send(sender=OpennessList, openness_list=published, superseded=previous)
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
    require_own_list(actor, openness_list)
    with transaction.atomic(durable=True):
        return create_new_version_in_transaction(actor, openness_list)


def create_new_version_in_transaction(actor: User, openness_list: OpennessList) -> OpennessList:
    """`create_new_version` inside the caller's transaction, for a checked actor."""
    require_transaction()
    source = lock_list(openness_list)
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
    return _draft_next_version(actor, source)


def _draft_next_version(actor: User, published: OpennessList) -> OpennessList:
    """Copy a published version and its resources into the next draft version, audited."""
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
        translations=published.translations,
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
