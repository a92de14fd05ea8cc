"""Fee schedules, the notices of a change and leaving without penalty before it applies."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from synergy_hub.access import services as access_services
from synergy_hub.access.models import AccessRequest, Agreement
from synergy_hub.access.vocabulary import ExceptionGround
from synergy_hub.access.workflow import Actor
from synergy_hub.accounts.models import Organisation, OrganisationKind, User
from synergy_hub.accounts.permissions import PUBLISHER_KINDS, require_member
from synergy_hub.audit.services import record
from synergy_hub.governance import rules
from synergy_hub.governance.models import (
    FeeItem,
    FeeNotice,
    FeeSchedule,
)
from synergy_hub.governance.notifications import mail_fee_change
from synergy_hub.governance.services._common import (
    SME_KINDS,
    _collect,
    _decimal,
    _error,
    _require_own_platform,
    _text,
)
from synergy_hub.governance.services.relationships import relationship_agreements
from synergy_hub.governance.vocabulary import (
    FeeBasis,
    FeeKind,
    Jurisdiction,
    NoticeResponse,
    ScheduleState,
)
from synergy_hub.validation import FieldErrors


def _items(items: Sequence[Mapping[str, Any]]) -> list[FeeItem]:
    """Check the fee items of a schedule (at least one; known kinds and bases)."""
    if not items:
        raise _error("items", _("List at least one fee."), "required")
    checked = []
    for n, item in enumerate(items):
        kind, basis = item.get("kind"), item.get("basis")
        if kind not in FeeKind.values:
            raise _error(f"items.{n}.kind", _("Choose a known fee."), "invalid_choice")
        if basis not in FeeBasis.values:
            raise _error(f"items.{n}.basis", _("Choose a known basis."), "invalid_choice")
        rate = _decimal(item.get("rate"), f"items.{n}.rate")
        if basis == FeeBasis.PERCENTAGE and rate > 100:
            raise _error(f"items.{n}.rate", _("A percentage is at most 100."), "max_value")
        cap = item.get("cap")
        discount = _decimal(item.get("sme_discount_percent") or 0, f"items.{n}.sme_discount")
        if discount > 100:
            raise _error(
                f"items.{n}.sme_discount_percent", _("A percentage is at most 100."), "max_value"
            )
        tiers = item.get("tiers") or []
        if basis == FeeBasis.TIERED and not tiers:
            raise _error(f"items.{n}.tiers", _("A tiered fee lists its tiers."), "required")
        checked.append(
            FeeItem(
                kind=kind,
                basis=basis,
                rate=rate,
                unit=str(item.get("unit") or "")[:40],
                tiers=list(tiers),
                cap=None if cap in (None, "") else _decimal(cap, f"items.{n}.cap"),
                sme_discount_percent=discount,
                applies_to=str(item.get("applies_to") or "")[:300],
            )
        )
    return checked


def clean_fee_schedule(data: Mapping[str, Any], errors: FieldErrors) -> dict[str, Any]:
    """Check a fee schedule draft; every field's error at once (the page asks in one round)."""
    jurisdiction = data.get("jurisdiction") or rules.DEFAULT_RULE_SET
    if jurisdiction not in Jurisdiction.values:
        errors.add("jurisdiction", _("Choose a known rule set."), "invalid_choice")
    return {
        "jurisdiction": jurisdiction,
        "summary_zh": _collect(errors, _text, data, "summary_zh", required=True, limit=2000),
        "summary_en": _collect(errors, _text, data, "summary_en", required=False, limit=4000),
        "items": _collect(errors, _items, data.get("items") or []),
    }


def draft_fee_schedule(user: User, data: Mapping[str, Any]) -> FeeSchedule:
    """A platform drafts the next version of its fee schedule (not public until published)."""
    membership = require_member(user, kinds=PUBLISHER_KINDS)
    platform = membership.organisation
    errors = FieldErrors()
    clean = clean_fee_schedule(data, errors)
    errors.raise_if_any()
    jurisdiction, summary_zh, summary_en, items = (
        clean["jurisdiction"],
        clean["summary_zh"],
        clean["summary_en"],
        clean["items"],
    )
    with transaction.atomic(durable=True):
        # The platform's row is the lock: two drafts at once get versions n and n + 1.
        Organisation.objects.select_for_update().filter(pk=platform.pk).first()
        last = FeeSchedule.objects.filter(platform=platform).order_by("-version").first()
        schedule = FeeSchedule.objects.create(
            platform=platform,
            version=(last.version + 1) if last else 1,
            jurisdiction=jurisdiction,
            summary_zh=summary_zh,
            summary_en=summary_en,
            created_by=user,
        )
        for item in items:
            item.schedule = schedule
        FeeItem.objects.bulk_create(items)
        record(
            actor=user,
            action="governance.fee_schedule.drafted",
            obj=schedule,
            organisation_id=platform.pk,
            after={"version": schedule.version, "items": len(items)},
        )
    return schedule


def affected_smes(platform: Organisation) -> list[int]:
    """SMEs with a request or an agreement with the platform: they are told of fee changes."""
    ids = set(
        AccessRequest.objects.filter(
            provider=platform, consumer__kind=OrganisationKind.SME
        ).values_list("consumer_id", flat=True)
    )
    ids |= set(
        Agreement.objects.filter(
            provider=platform, consumer__kind=OrganisationKind.SME
        ).values_list("consumer_id", flat=True)
    )
    return sorted(ids)


def publish_fee_schedule(
    user: User, schedule: FeeSchedule, effective_from: datetime, *, now: datetime | None = None
) -> FeeSchedule:
    """Publish a drafted schedule to apply from `effective_from`, and notify affected SMEs.

    The effective date must leave the notice period of the schedule's rule set (PRC: E-Commerce
    Law Art 34, 7 days; EU: P2B Art 3(2), 15 days); an earlier one is refused naming the rule.
    """
    _require_own_platform(user, schedule.platform)
    if schedule.state != ScheduleState.DRAFT:
        raise _error("state", _("Only a draft can be published."), "invalid_state")
    if timezone.is_naive(effective_from):
        raise _error("effective_from", _("Give the time zone."), "naive")
    now = now or timezone.now()
    rule_set = rules.rule_set(schedule.jurisdiction)
    try:
        rules.check_notice(now, effective_from, rule_set)
    except rules.NoticeTooShort as exc:
        raise _error(
            "effective_from",
            _(
                "A fee change applies at least %(days)d days after publication "
                "(%(source)s); the earliest date is %(earliest)s"
            )
            % {
                "days": rule_set.fee_notice_days.value,
                "source": rule_set.fee_notice_days.source,
                "earliest": formats.date_format(
                    timezone.localtime(exc.earliest), "DATETIME_FORMAT"
                ),
            },
            "notice_period",
        ) from None
    with transaction.atomic(durable=True):
        locked = FeeSchedule.objects.select_for_update().get(pk=schedule.pk)
        if locked.state != ScheduleState.DRAFT:
            raise _error("state", _("Only a draft can be published."), "invalid_state")
        locked.state = ScheduleState.PUBLISHED
        locked.published_at = now
        locked.effective_from = effective_from
        locked.save(update_fields=["state", "published_at", "effective_from"])
        smes = affected_smes(locked.platform)
        FeeNotice.objects.bulk_create(
            FeeNotice(schedule=locked, organisation_id=sme, created_at=now) for sme in smes
        )
        mail_fee_change(locked, smes)
        record(
            actor=user,
            action="governance.fee_schedule.published",
            obj=locked,
            organisation_id=locked.platform_id,
            after={
                "version": locked.version,
                "effective_from": effective_from.isoformat(),
                "rule_set": rule_set.code,
                "notified": smes,
            },
        )
    return locked


def answer_fee_notice(
    user: User, notice: FeeNotice, response: str, text: str = "", *, now: datetime | None = None
) -> FeeNotice:
    """An SME objects to a fee change, or says it leaves without penalty, before it applies.

    E-Commerce Law Art 34 and P2B Art 3(2): a business that does not accept a change may
    leave before it applies.
    """
    membership = require_member(user, kinds=SME_KINDS)
    if membership.organisation_id != notice.organisation_id:
        raise PermissionDenied(_("Only the notified SME may answer."))
    if response not in (NoticeResponse.OBJECTED, NoticeResponse.LEAVING):
        raise _error("response", _("Choose to object or to leave."), "invalid_choice")
    text = _text({"text": text}, "text", required=response == NoticeResponse.OBJECTED, limit=4000)
    now = now or timezone.now()
    effective_from = notice.schedule.effective_from
    if effective_from is not None and now >= effective_from:
        raise _error(
            "response", _("The change already applies; file a complaint instead."), "too_late"
        )
    with transaction.atomic(durable=True):
        locked = FeeNotice.objects.select_for_update().get(pk=notice.pk)
        before = {"response": locked.response}
        locked.response = response
        locked.response_text = text
        locked.responded_at = now
        locked.responded_by = user
        locked.save(update_fields=["response", "response_text", "responded_at", "responded_by"])
        ended = []
        if response == NoticeResponse.LEAVING and before["response"] != NoticeResponse.LEAVING:
            ended = _leave_without_penalty(user, locked)
        record(
            actor=user,
            action="governance.fee_notice.answered",
            obj=locked,
            organisation_id=locked.organisation_id,
            before=before,
            after={"response": response, "agreements_ended": ended, "penalty": None},
        )
    return locked


def _leave_without_penalty(user: User, notice: FeeNotice) -> list[int]:
    """End the SME's running agreements with the platform at once, before the change applies.

    E-Commerce Law Art 34 and P2B Art 3(2): a business that does not accept a change may
    leave. Each agreement ends through access's termination (its own statement of reasons,
    audit event and notification) with the ground `fee_change_refused`, which skips the
    30-day notice; no fee or penalty is charged for leaving (there is none to record).
    """
    schedule = notice.schedule
    reasons = {
        "facts": _(
            "Fee schedule version %(version)d of the provider, published on %(published)s, "
            "applies from %(effective)s; the SME does not accept it."
        )
        % {
            "version": schedule.version,
            "published": timezone.localdate(schedule.published_at).isoformat()
            if schedule.published_at
            else "—",
            "effective": timezone.localdate(schedule.effective_from).isoformat()
            if schedule.effective_from
            else "—",
        },
        "ground": _(
            "E-Commerce Law Art. 34 and Regulation (EU) 2019/1150 Art. 3(2): a business that "
            "does not accept a change of terms may leave before it applies, without penalty."
        ),
        "redress": _(
            "Either side may file a complaint with the hub's programme office about this end."
        ),
    }
    ended = []
    for agreement in relationship_agreements(schedule.platform_id, notice.organisation_id):
        access_services.terminate_agreement_in_transaction(
            user,
            agreement,
            Actor.CONSUMER,
            reasons,
            exception=ExceptionGround.FEE_CHANGE_REFUSED,
            effective_on=None,
            extra={"fee_schedule": schedule.pk, "penalty": None},
        )
        ended.append(agreement.pk)
    return ended
