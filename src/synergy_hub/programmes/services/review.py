"""Review: conflict-checked reviewer assignments, scores kept from other reviewers,
outlier flags."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub.access.models import Agreement
from synergy_hub.accounts.models import (
    Organisation,
    User,
)
from synergy_hub.accounts.permissions import membership_of, require_officer
from synergy_hub.audit.services import record
from synergy_hub.programmes import rules
from synergy_hub.programmes.models import (
    Application,
    ParentOrganisation,
    PilotCall,
    ReviewAssignment,
)
from synergy_hub.programmes.services.common import (
    LIVE_AGREEMENT_STATES,
    lock_row,
    refuse_state,
)
from synergy_hub.programmes.vocabulary import (
    ApplicationState,
    CallState,
)
from synergy_hub.validation import FieldErrors


def conflicts_of(reviewer_org: Organisation, application: Application) -> list[str]:
    """The conflicts of interest (codes of `programmes.rules`) of a reviewer's organisation."""
    parties = [application.lead_id, *application.partners.values_list("pk", flat=True)]
    orgs = {reviewer_org.pk, *parties}
    parents = dict(
        ParentOrganisation.objects.filter(organisation_id__in=orgs).values_list(
            "organisation_id", "parent_id"
        )
    )
    pairs = Agreement.objects.filter(
        Q(provider_id=reviewer_org.pk, consumer_id__in=parties)
        | Q(consumer_id=reviewer_org.pk, provider_id__in=parties),
        state__in=LIVE_AGREEMENT_STATES,
    ).values_list("provider_id", "consumer_id")
    return rules.conflicts(reviewer_org.pk, parties, parents, list(pairs))


def conflict_messages() -> dict[str, str]:
    return {
        rules.CONFLICT_PARTY: _("The reviewer's organisation leads or joins this application."),
        rules.CONFLICT_GROUP: _(
            "The reviewer's organisation shares a parent organisation with a party."
        ),
        rules.CONFLICT_AGREEMENT: _(
            "The reviewer's organisation has an active agreement with a party."
        ),
    }


def assign_reviewer(actor: User, application: Application, reviewer: User) -> ReviewAssignment:
    """Assign a reviewer to a submitted application; a conflict of interest is refused."""
    require_officer(actor)
    membership = membership_of(reviewer)
    if membership is None or not reviewer.is_active:
        raise ValidationError(
            {
                "reviewer": [
                    ValidationError(
                        _("The reviewer must be an active member of an organisation."),
                        code="invalid",
                    )
                ]
            }
        )
    found = conflicts_of(membership.organisation, application)
    if found:
        messages = conflict_messages()
        raise ValidationError({"reviewer": [ValidationError(messages[c], code=c) for c in found]})
    with transaction.atomic(durable=True):
        locked = lock_row(Application, application.pk)
        if locked.state != ApplicationState.SUBMITTED:
            raise refuse_state(_("Only submitted applications are reviewed."))
        if locked.call.state == CallState.DECIDED:
            raise refuse_state(_("The call has been decided."))
        if ReviewAssignment.objects.filter(application=locked, reviewer=reviewer).exists():
            raise ValidationError(
                {
                    "reviewer": [
                        ValidationError(
                            _("This reviewer is already assigned to the application."),
                            code="unique",
                        )
                    ]
                }
            )
        assignment = ReviewAssignment.objects.create(
            application=locked,
            reviewer=reviewer,
            reviewer_organisation=membership.organisation,
            assigned_by=actor,
        )
        record(
            actor=actor,
            action="programmes.review.assigned",
            obj=assignment,
            after={"application": locked.pk, "reviewer": reviewer.pk},
        )
    return assignment


def _rubric(call: PilotCall) -> list[rules.Criterion]:
    return [rules.Criterion(c["key"], float(c["weight"])) for c in call.rubric]


def submit_scores(
    actor: User, assignment: ReviewAssignment, scores: Mapping[str, Any]
) -> ReviewAssignment:
    """Record a reviewer's scores once; outlying scores among the application's are flagged."""
    if assignment.reviewer_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Only the assigned reviewer may score."))
    call = assignment.application.call
    errors = FieldErrors()
    clean: dict[str, int] = {}
    for criterion in call.rubric:
        value = errors.integer(
            f"scores.{criterion['key']}",
            scores.get(criterion["key"]),
            minimum=0,
            maximum=call.scale_max,
            required=True,
        )
        if value is not None:
            clean[criterion["key"]] = value
    unknown = set(scores) - {c["key"] for c in call.rubric}
    if unknown:
        errors.add(
            "scores",
            _("Unknown criteria: %(keys)s.") % {"keys": ", ".join(sorted(unknown))[:200]},
            "invalid",
        )
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        locked = lock_row(ReviewAssignment, assignment.pk)
        if locked.submitted_at is not None:
            raise refuse_state(_("These scores were already submitted."))
        if locked.application.state != ApplicationState.SUBMITTED:
            raise refuse_state(_("Only submitted applications are reviewed."))
        if locked.application.call.state == CallState.DECIDED:
            raise refuse_state(_("The call has been decided."))
        locked.scores = clean
        locked.total = Decimal(
            str(round(rules.weighted_score(_rubric(call), clean, call.scale_max), 4))
        )
        locked.submitted_at = timezone.now()
        locked.save(update_fields=["scores", "total", "submitted_at"])
        _rescore(locked.application)
        record(
            actor=actor,
            action="programmes.review.scored",
            obj=locked,
            after={"scores": clean, "total": locked.total},
        )
    return locked


def _rescore(application: Application) -> None:
    """Refresh the outlier flags and the application's mean score (inside the transaction)."""
    reviews = list(
        ReviewAssignment.objects.select_for_update()
        .filter(application=application, submitted_at__isnull=False)
        .order_by("pk")
    )
    totals = [float(r.total or 0) for r in reviews]
    for review, flagged in zip(reviews, rules.outliers(totals), strict=True):
        if review.outlier != flagged:
            review.outlier = flagged
            review.save(update_fields=["outlier"])
    score = Decimal(str(round(sum(totals) / len(totals), 4))) if totals else None
    Application.objects.filter(pk=application.pk).update(score=score)
