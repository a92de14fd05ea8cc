"""Scoped reads: an organisation's own indicators and evaluations, 404 for the rest."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from synergy_hub.accounts.permissions import membership_of
from synergy_hub.tiers.engine.indicators import Value, parse_value
from synergy_hub.tiers.models import IndicatorYear, TierEvaluation


def _organisation_id(user: Any) -> int | None:
    membership = membership_of(user)
    return membership.organisation_id if membership else None


def stored_values(organisation_id: int) -> dict[int, dict[str, Value]]:
    """An organisation's entered indicators by year, in the engine's types."""
    found: dict[int, dict[str, Value]] = {}
    for row in IndicatorYear.objects.filter(organisation_id=organisation_id):
        found[row.year] = {code: parse_value(code, raw) for code, raw in row.values.items()}
    return found


def own_values(user: Any) -> dict[int, dict[str, Value]]:
    """The user's organisation's indicators by year (empty without an organisation)."""
    organisation_id = _organisation_id(user)
    return stored_values(organisation_id) if organisation_id else {}


def own_evaluations(user: Any) -> QuerySet[TierEvaluation]:
    """The evaluations the user's organisation kept, newest first."""
    organisation_id = _organisation_id(user)
    if organisation_id is None:
        return TierEvaluation.objects.none()
    return TierEvaluation.objects.filter(organisation_id=organisation_id)


def evaluation_for_owner(user: Any, pk: int) -> TierEvaluation:
    """One kept evaluation of the user's own organisation; 404 for missing or not yours."""
    found = own_evaluations(user).filter(pk=pk).first()
    if found is None:
        raise Http404("evaluation not found")
    return found
