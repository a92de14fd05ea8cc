"""Every change of the tiers app: entering indicators, keeping an evaluation."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from synergy_hub.accounts import services as accounts_services
from synergy_hub.accounts.models import EligibilityChange, OrganisationKind, Tier, User
from synergy_hub.accounts.permissions import require_member
from synergy_hub.audit.services import record
from synergy_hub.tiers import evaluation, selectors
from synergy_hub.tiers.models import IndicatorYear, TierEvaluation
from synergy_hub.validation import FieldErrors

SME_ONLY = frozenset({OrganisationKind.SME})
#: The engine's tier codes and the organisation's (`accounts.Tier`, what eligibility reads).
ORGANISATION_TIER = {
    "innovative_sme": Tier.INNOVATIVE,
    "srdi_sme": Tier.SRDI,
    "little_giant": Tier.LITTLE_GIANT,
    "single_champion": Tier.SINGLE_CHAMPION,
}


def _stored(value: Any) -> Any:
    return str(value) if isinstance(value, Decimal) else value


def save_indicators(actor: User, year: int, values: Mapping[str, object]) -> IndicatorYear:
    """Set one year's indicators of the actor's own SME (only its members may enter them).

    Values left out or None are cleared: the form always sends the whole year, so what is
    stored is what the SME sees.
    """
    membership = require_member(actor, kinds=SME_ONLY)
    errors = FieldErrors()
    checked_year = evaluation.check_year(errors, "year", year)
    clean = evaluation.clean_year_values(errors, "", values)
    errors.raise_if_any()
    assert checked_year is not None
    stored = {code: _stored(value) for code, value in sorted(clean.items())}
    with transaction.atomic(durable=True):
        row = (
            IndicatorYear.objects.select_for_update()
            .filter(organisation_id=membership.organisation_id, year=checked_year)
            .first()
        )
        before = dict(row.values) if row else None
        if row is None:
            row = IndicatorYear(organisation_id=membership.organisation_id, year=checked_year)
        row.values = stored
        row.updated_by = actor
        row.save()
        record(
            actor=actor,
            action="tiers.indicators.saved",
            obj=row,
            organisation_id=membership.organisation_id,
            before={"year": checked_year, "values": before} if before is not None else None,
            after={"year": checked_year, "values": stored},
        )
    return row


def keep_evaluation(actor: User, year: int, rule_set: str | None = None) -> TierEvaluation:
    """Evaluate the actor's own SME from its stored indicators and keep the result."""
    membership = require_member(actor, kinds=SME_ONLY)
    errors = FieldErrors()
    checked_year = evaluation.check_year(errors, "year", year)
    code = evaluation.check_rule_set(errors, rule_set)
    errors.raise_if_any()
    assert checked_year is not None
    with transaction.atomic(durable=True):
        values = selectors.stored_values(membership.organisation_id)
        result = evaluation.run(code, values, checked_year)
        kept = TierEvaluation.objects.create(
            organisation_id=membership.organisation_id,
            rule_set=code,
            year=checked_year,
            tier=result.tier or "",
            status=result.status,
            breakdown=evaluation.evaluation_out(result),
            created_by=actor,
        )
        record(
            actor=actor,
            action="tiers.evaluation.kept",
            obj=kept,
            organisation_id=membership.organisation_id,
            after={
                "rule_set": code,
                "year": checked_year,
                "tier": kept.tier,
                "status": kept.status,
            },
        )
    return kept


def request_verification(
    actor: User, evaluation_pk: int, evidence: Any, explanation: str = ""
) -> EligibilityChange:
    """Ask the programme office to verify the tier a kept evaluation computed.

    The computed tier counts for eligibility only once an officer has checked it against
    the evidence (decision 0017): this files the organisation's change request with the
    tier and the evaluation it rests on, which the officer sees beside the evidence. Only
    the SME's administrators ask; another organisation's evaluation is 404.
    """
    kept = selectors.evaluation_for_owner(actor, evaluation_pk)
    if not kept.tier:
        raise ValidationError(
            {
                "evaluation": ValidationError(
                    _("This evaluation reached no tier: there is nothing to verify."),
                    code="no_tier",
                )
            }
        )
    basis = {
        "source": "tier_evaluation",
        "evaluation": kept.pk,
        "rule_set": kept.rule_set,
        "year": kept.year,
        "computed_tier": kept.tier,
        "status": kept.status,
        "provisional": bool(kept.breakdown.get("provisional", False)),
    }
    return accounts_services.request_eligibility_change(
        actor,
        kept.organisation,
        {"tier": ORGANISATION_TIER[kept.tier], "explanation": explanation},
        evidence,
        basis=basis,
    )
