"""The disclosed ranking and fair-exposure settings in force, and how officers change them.

Every ranking reads `active_configuration`; the public page "How ranking works" and the
API's disclosure are generated from it, so what is disclosed is what ranks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub.accounts.models import User
from synergy_hub.accounts.permissions import require_officer
from synergy_hub.audit.services import record
from synergy_hub.matching.engine import fair, ranking
from synergy_hub.matching.models import RankingConfiguration


@dataclass(frozen=True)
class ActiveConfiguration:
    """The ranking and fair-exposure settings in force, with when they took effect."""

    ranking: ranking.RankingConfig
    fairness: fair.FairConfig
    activated_at: datetime | None


def active_configuration() -> ActiveConfiguration:
    """The configuration activated last, or the shipped default."""
    row = (
        RankingConfiguration.objects.filter(activated_at__isnull=False)
        .order_by("-activated_at")
        .first()
    )
    if row is None:
        return ActiveConfiguration(ranking.DEFAULT_CONFIG, fair.FairConfig(), None)
    return ActiveConfiguration(
        ranking.RankingConfig.from_dict(row.ranking),
        fair.FairConfig.from_dict(row.fairness),
        row.activated_at,
    )


def publish_configuration(
    officer: User,
    *,
    version: str,
    weights: Mapping[str, float],
    fairness: Mapping[str, Any] | None = None,
    note: str = "",
) -> RankingConfiguration:
    """Activate a new version of the disclosed ranking (programme officers only)."""
    require_officer(officer)
    if RankingConfiguration.objects.filter(version=version).exists():
        raise ValidationError(
            {"version": ValidationError(_("This version already exists."), code="unique")}
        )
    try:
        config = ranking.RankingConfig(
            version=version, weights=dict(weights), rationale=ranking.DEFAULT_RATIONALE
        )
    except ValueError as exc:
        raise ValidationError({"weights": ValidationError(str(exc), code="invalid")}) from exc
    try:
        fairness_config = fair.FairConfig.from_dict(dict(fairness or {}))
    except ValueError as exc:
        raise ValidationError({"fairness": ValidationError(str(exc), code="invalid")}) from exc
    with transaction.atomic(durable=True):
        row = RankingConfiguration.objects.create(
            version=version,
            ranking=config.to_dict(),
            fairness=fairness_config.to_dict(),
            note=note,
            created_by=officer,
            activated_at=timezone.now(),
        )
        record(
            actor=officer,
            action="matching.ranking.activated",
            obj=row,
            after={"version": version, "weights": dict(config.weights), "fairness": row.fairness},
        )
    return row
