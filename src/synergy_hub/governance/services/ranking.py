"""Ranking disclosures and the non-personalised ordering a user may choose."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub.accounts.models import Organisation, User
from synergy_hub.accounts.permissions import PUBLISHER_KINDS, require_member
from synergy_hub.audit.services import record
from synergy_hub.governance import rules
from synergy_hub.governance.models import (
    RankingDisclosure,
    RankingPreference,
)
from synergy_hub.governance.services._common import (
    _error,
    _text,
)


def publish_ranking_disclosure(user: User, data: Mapping[str, Any]) -> RankingDisclosure:
    """A platform files a new version of its ranking disclosure (P2B Art 5 and 7)."""
    membership = require_member(user, kinds=PUBLISHER_KINDS)
    platform = membership.organisation
    parameters = data.get("parameters") or []
    try:
        rules.check_parameters(parameters)
    except ValueError as exc:
        raise _error("parameters", str(exc), "invalid") from None
    texts = {
        field: _text(data, field, required=True, limit=2000 if field.endswith("zh") else 4000)
        for field in ("paid_influence_zh", "paid_influence_en", "own_offers_zh", "own_offers_en")
    }
    with transaction.atomic(durable=True):
        Organisation.objects.select_for_update().filter(pk=platform.pk).first()  # the lock
        last = RankingDisclosure.objects.filter(platform=platform).order_by("-version").first()
        disclosure = RankingDisclosure.objects.create(
            platform=platform,
            version=(last.version + 1) if last else 1,
            parameters=[dict(item) for item in parameters],
            published_by=user,
            **texts,
        )
        record(
            actor=user,
            action="governance.ranking_disclosure.published",
            obj=disclosure,
            organisation_id=platform.pk,
            after={"version": disclosure.version, "parameters": disclosure.parameters},
        )
    return disclosure


def set_ranking_preference(user: User, *, non_personalised: bool) -> RankingPreference:
    """Switch the user's searches to or from the non-personalised ordering, at once.

    Algorithm Recommendation Provisions Art 17 and E-Commerce Law Art 18: an option not
    targeted at personal characteristics, honoured immediately.
    """
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Log in to keep a choice for your account."))
    with transaction.atomic(durable=True):
        preference, _created = RankingPreference.objects.select_for_update().get_or_create(
            user=user
        )
        before = {"non_personalised": preference.non_personalised}
        preference.non_personalised = non_personalised
        preference.changed_at = timezone.now()
        preference.save(update_fields=["non_personalised", "changed_at"])
        record(
            actor=user,
            action="governance.ranking_preference.changed",
            obj=preference,
            before=before,
            after={"non_personalised": non_personalised},
        )
    return preference
