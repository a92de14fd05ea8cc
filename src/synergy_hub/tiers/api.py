"""JSON API of gradient cultivation: evaluate without storing; one's own kept evaluations."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Status
from ninja.files import UploadedFile

from synergy_hub.accounts.api_auth import READ, WRITE
from synergy_hub.accounts.requests import AuthenticatedRequest
from synergy_hub.accounts.schemas import EligibilityChangeOut
from synergy_hub.accounts.selectors import eligibility_change_for_viewer
from synergy_hub.api.bounds import ObjectId
from synergy_hub.api.schemas import responses
from synergy_hub.tiers import evaluation, selectors, services
from synergy_hub.tiers.engine.indicators import Value
from synergy_hub.tiers.schemas import (
    EvaluateIn,
    EvaluationOut,
    KeptEvaluationOut,
    VerificationIn,
)
from synergy_hub.validation import FieldErrors

router = Router(tags=["tiers"])


@router.post("/tiers/evaluate", response=responses(200, EvaluationOut), auth=READ)
def evaluate(request: HttpRequest, payload: EvaluateIn) -> Any:
    """The tier an enterprise qualifies for, the breakdown and the path: nothing is stored.

    Indicators are given by year; growth rates and R&D intensity are computed from them
    (the year before the evaluated one gives the growth). A missing indicator makes the
    answer "unknown" with the list of what to enter, never a silent fail.
    """
    errors = FieldErrors()
    code = evaluation.check_rule_set(errors, payload.rule_set)
    by_year: dict[int, dict[str, Value]] = {}
    for n, year in enumerate(payload.years):
        if year.year in by_year:
            errors.add(f"years.{n}.year", _("Each year may be given once."), "duplicate_year")
        by_year[year.year] = evaluation.clean_year_values(errors, f"years.{n}.", year.values())
    errors.raise_if_any()
    if payload.year not in by_year:
        raise ValidationError(
            {"year": ValidationError(_("Give the indicators of this year."), code="missing_year")}
        )
    return evaluation.evaluation_out(evaluation.run(code, by_year, payload.year))


@router.get("/tiers/evaluations", response=responses(200, list[KeptEvaluationOut]), auth=WRITE)
def list_evaluations(request: AuthenticatedRequest) -> Any:
    """The evaluations the caller's organisation kept, newest first."""
    return selectors.own_evaluations(request.user)[:100]


@router.get(
    "/tiers/evaluations/{evaluation_id}", response=responses(200, KeptEvaluationOut), auth=WRITE
)
def get_evaluation(request: AuthenticatedRequest, evaluation_id: ObjectId) -> Any:
    """One kept evaluation of the caller's organisation (404 for another's)."""
    return selectors.evaluation_for_owner(request.user, evaluation_id)


@router.post(
    "/tiers/evaluations/{evaluation_id}/verification",
    response=responses(201, EligibilityChangeOut),
    auth=WRITE,
)
def request_verification(
    request: AuthenticatedRequest,
    evaluation_id: ObjectId,
    payload: Form[VerificationIn],
    evidence: File[UploadedFile],
) -> Any:
    """Ask the programme office to verify the tier a kept evaluation computed (the SME's
    administrators; multipart with the evidence, a PDF, PNG or JPEG of at most 2 MB). The
    answer is the change request an officer decides (`/eligibility-changes`); the tier
    counts for eligibility only once approved."""
    change = services.request_verification(
        request.user, evaluation_id, evidence, payload.explanation
    )
    return Status(201, eligibility_change_for_viewer(request.user, change.pk))
