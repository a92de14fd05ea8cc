"""Restriction, suspension and termination of a platform's whole relationship with an SME."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub.access import measures as access_measures
from synergy_hub.access import services as access_services
from synergy_hub.access.models import AccessRequest, Agreement, StatementOfReasons
from synergy_hub.access.notifications import notify
from synergy_hub.access.vocabulary import AgreementState, Party, ReasonKind
from synergy_hub.access.workflow import Actor
from synergy_hub.accounts.models import Organisation, OrganisationKind, User
from synergy_hub.accounts.permissions import PUBLISHER_KINDS, require_member
from synergy_hub.audit.services import record
from synergy_hub.catalog.models import Resource
from synergy_hub.governance import selectors
from synergy_hub.governance.services._common import (
    RUNNING_STATES,
    _error,
    _require_own_platform,
    _text,
)
from synergy_hub.validation import FieldErrors

MEASURE_KINDS = access_measures.MEASURE_KINDS
MEASURE_ACTIONS: dict[str, str] = {
    ReasonKind.RESTRICTION: "governance.relationship.restricted",
    ReasonKind.SUSPENSION: "governance.relationship.suspended",
    ReasonKind.TERMINATION: "governance.relationship.terminated",
}


def clean_measure(
    data: Mapping[str, Any], kind: str, platform: Organisation
) -> tuple[dict[str, Any], list[int]]:
    """The statement's fields (DSA Art 17(3): measure and scope, facts, ground, automated
    means, redress), every error at once; for a restriction, the platform's own resources.

    Writes nothing: the page's form also asks it in the same round as its own checks."""
    errors = FieldErrors()
    if kind not in MEASURE_KINDS:
        errors.add("kind", _("Choose restriction, suspension or termination."), "invalid_choice")
    clean: dict[str, Any] = dict(access_services.clean_statement(data, errors))
    clean["scope"] = errors.text("scope", data.get("scope"), max_length=2000, required=True)
    clean["automated"] = bool(data.get("automated"))
    clean["exception"] = access_services.clean_exception(data.get("exception"), errors)
    clean["effective_on"] = None
    raw_on = data.get("effective_on")
    if raw_on not in (None, ""):
        try:
            clean["effective_on"] = (
                raw_on if isinstance(raw_on, date) else date.fromisoformat(str(raw_on))
            )
        except ValueError:
            errors.add("effective_on", _("Enter a date as YYYY-MM-DD."), "invalid")
    resources: list[int] = []
    if kind == ReasonKind.RESTRICTION:
        raw = data.get("resources") or []
        try:
            resources = sorted({int(r) for r in raw})
        except (TypeError, ValueError):
            errors.add("resources", _("Enter resource ids."), "invalid")
        if not resources and not errors.has("resources"):
            errors.add("resources", _("A restriction names the resources it covers."), "required")
        elif resources:
            own = set(
                Resource.objects.filter(
                    pk__in=resources, openness_list__publisher=platform
                ).values_list("pk", flat=True)
            )
            if own != set(resources):
                errors.add("resources", _("Name only your own platform's resources."), "not_yours")
    errors.raise_if_any()
    return clean, resources


def relationship_agreements(platform_id: int, consumer_id: int) -> list[Agreement]:
    """The running agreements (agreed, active, suspended) between a platform and an SME."""
    return list(
        Agreement.objects.filter(
            provider_id=platform_id, consumer_id=consumer_id, state__in=RUNNING_STATES
        ).order_by("pk")
    )


def take_relationship_measure(
    user: User, consumer: Organisation, kind: str, data: Mapping[str, Any]
) -> StatementOfReasons:
    """A platform restricts, suspends or terminates its whole relationship with an SME.

    One statement of reasons (access's model) records the measure; the agreements it
    reaches are suspended or terminated through access's services, each with its own
    statement pointing to this one. The rules (`POLICY.md`):
    - restriction or suspension (P2B Art 4(1)): takes effect at once, the statement given
      when it does; a restriction suspends the agreements on the resources it names, a
      suspension every active agreement;
    - termination (P2B Art 4(2)): at least the rule set's termination notice (30 days)
      after the statement, unless an exception ground is recorded (P2B Art 4(4): a legal
      or regulatory obligation, an imperative reason, repeated infringement); every
      running agreement ends on that day;
    - the statement cites the facts and the ground (P2B Art 4(5)), says whether automated
      means decided and how to seek redress (DSA Art 17(3)); the SME may complain.
    """
    membership = require_member(user, kinds=PUBLISHER_KINDS)
    platform = membership.organisation
    if consumer.kind != OrganisationKind.SME or not (
        Agreement.objects.filter(provider=platform, consumer=consumer).exists()
        or AccessRequest.objects.filter(provider=platform, consumer=consumer).exists()
    ):
        raise _error(
            "consumer",
            _("Only an SME that has requested or agreed access with your platform."),
            "no_relationship",
        )
    clean, resources = clean_measure(data, kind, platform)
    now = timezone.now()
    # Time-driven steps first (an agreement due to start is active), each in its own
    # transaction as access runs them; the measure then sees the current states.
    access_services.advance_agreements(now, provider=platform, consumer=consumer)
    rule_set = selectors.rule_set_of(platform.pk)
    effective_at = now
    if kind == ReasonKind.TERMINATION:
        effective_at = _termination_effective_at(now, clean, rule_set)
    with transaction.atomic(durable=True):
        measure = StatementOfReasons.objects.create(
            kind=kind,
            provider=platform,
            consumer=consumer,
            author=user,
            party=Party.PROVIDER,
            facts=clean["facts"],
            ground=clean["ground"],
            redress=clean["redress"],
            scope=clean["scope"],
            automated=clean["automated"],
            exception=clean["exception"] if kind == ReasonKind.TERMINATION else "",
            effective_at=effective_at,
            # The restriction's recorded scope: what `access.measures` blocks new access to.
            resource_lineages=sorted(
                {
                    str(lineage)
                    for lineage in Resource.objects.filter(pk__in=resources).values_list(
                        "lineage", flat=True
                    )
                }
            ),
        )
        reasons = {k: clean[k] for k in ("facts", "ground", "redress")}
        touched: list[int] = []
        for agreement in relationship_agreements(platform.pk, consumer.pk):
            if kind == ReasonKind.TERMINATION:
                pending = agreement.termination_effective_at
                if pending is not None and (pending <= effective_at or not clean["exception"]):
                    continue  # its own notice runs (and ends it no later, or needs a ground)
                access_services.terminate_agreement_in_transaction(
                    user,
                    agreement,
                    Actor.PROVIDER,
                    reasons,
                    exception=clean["exception"],
                    effective_on=timezone.localdate(effective_at) if effective_at > now else None,
                    measure=measure,
                )
            elif agreement.state == AgreementState.ACTIVE and (
                kind == ReasonKind.SUSPENSION or agreement.resource_id in resources
            ):
                access_services.suspend_agreement_in_transaction(
                    user, agreement, Actor.PROVIDER, reasons, measure=measure
                )
            else:
                continue
            touched.append(agreement.pk)
        record(
            actor=user,
            action=MEASURE_ACTIONS[kind],
            obj=measure,
            organisation_id=platform.pk,
            after={
                "consumer": consumer.pk,
                "scope": clean["scope"],
                "automated": clean["automated"],
                "exception": measure.exception,
                "effective_at": effective_at.isoformat(),
                "resources": resources,
                "agreements": touched,
                "rule_set": rule_set.code,
            },
        )
    return measure


def _termination_effective_at(now: datetime, clean: Mapping[str, Any], rule_set: Any) -> datetime:
    """P2B Art 4(2): the rule set's notice (30 days) unless an Art 4(4) ground is recorded."""
    days = rule_set.termination_notice_days.value
    earliest = timezone.localdate(now) + timedelta(days=days)
    effective_on = clean["effective_on"]
    if clean["exception"]:
        if effective_on is None or effective_on <= timezone.localdate(now):
            return now
    else:
        effective_on = effective_on or earliest
        if effective_on < earliest:
            raise _error(
                "effective_on",
                _(
                    "Terminating the whole relationship takes effect at least %(days)d days "
                    "after the statement (%(source)s): the earliest day is %(earliest)s, "
                    "unless an exception ground is recorded (P2B Art. 4(4))."
                )
                % {
                    "days": days,
                    "source": rule_set.termination_notice_days.source,
                    "earliest": earliest.isoformat(),
                },
                "notice_too_short",
            )
    return timezone.make_aware(datetime.combine(effective_on, time.min))


# --- lifting a measure ------------------------------------------------------------------------

LIFT_ACTIONS: dict[str, str] = {
    ReasonKind.RESTRICTION: "governance.relationship.restriction_lifted",
    ReasonKind.SUSPENSION: "governance.relationship.suspension_lifted",
    ReasonKind.TERMINATION: "governance.relationship.termination_withdrawn",
}


def can_lift(measure: StatementOfReasons, now: datetime | None = None) -> bool:
    """Whether the measure's state allows lifting it (who may is checked apart): not lifted
    yet, and a termination only before it takes effect (P2B Art 4(2))."""
    if measure.lifted_at is not None:
        return False
    if measure.kind == ReasonKind.TERMINATION:
        now = now or timezone.now()
        return measure.effective_at is not None and measure.effective_at > now
    return True


def _require_liftable(measure: StatementOfReasons, now: datetime) -> None:
    if measure.lifted_at is not None:
        raise _error("state", _("This measure was already lifted."), "already_lifted")
    if not can_lift(measure, now):
        raise _error(
            "state",
            _(
                "This termination took effect on %(when)s: it can no longer be withdrawn "
                "(P2B Art. 4(2)); a new relationship starts with a new request."
            )
            % {
                "when": timezone.localdate(measure.effective_at).isoformat()
                if measure.effective_at
                else "—"
            },
            "already_effective",
        )


def lift_relationship_measure(
    user: User, measure: StatementOfReasons, data: Mapping[str, Any]
) -> StatementOfReasons:
    """The platform lifts its restriction or suspension, or withdraws its termination before
    it takes effect, giving its reason; the SME may request and book again.

    The rules (`POLICY.md`):
    - a restriction or suspension (P2B Art 4(1)) is lifted at any time: the agreements it
      suspended resume (unless another measure in force still reaches them, or they have
      ended meanwhile);
    - a termination (P2B Art 4(2)) is withdrawn only during its notice period: the notice it
      gave each agreement is withdrawn and they run on; once it has taken effect it stands;
    - the SME is told, the lift is audited, all in one transaction; lifting twice is refused.
    Who may: a write member (administrator or editor) of the platform that took it (403).
    """
    if measure.provider is None or measure.kind not in MEASURE_KINDS or measure.agreement_id:
        raise _error(
            "measure", _("Only a measure on a whole relationship is lifted here."), "invalid"
        )
    platform, consumer = measure.provider, measure.consumer
    _require_own_platform(user, platform)
    assert consumer is not None  # every measure names its SME
    reason = _text(data, "reason", required=True, limit=2000)
    now = timezone.now()
    _require_liftable(measure, now)
    # Time-driven steps first (as `take_relationship_measure`): an agreement that ended
    # meanwhile is not resumed.
    access_services.advance_agreements(
        now, provider_id=measure.provider_id, consumer_id=measure.consumer_id
    )
    with transaction.atomic(durable=True):
        locked = StatementOfReasons.objects.select_for_update().get(pk=measure.pk)
        now = timezone.now()
        _require_liftable(locked, now)
        locked.lifted_at = now
        locked.lifted_by = user
        locked.lift_reason = reason
        locked.save(update_fields=["lifted_at", "lifted_by", "lift_reason"])
        touched = _undo_on_agreements(user, locked, now)
        notify(
            verb=f"relationship.{locked.kind}_lifted",
            obj=locked,
            url=reverse("governance:measures"),
            organisations=[consumer],
            params={
                "party_zh": platform.name_zh or platform.name_en,
                "party_en": platform.name_en or platform.name_zh,
            },
        )
        record(
            actor=user,
            action=LIFT_ACTIONS[locked.kind],
            obj=locked,
            organisation_id=locked.provider_id,
            before={"lifted_at": None},
            after={
                "consumer": locked.consumer_id,
                "lifted_at": now.isoformat(),
                "reason": reason,
                "agreements": touched,
            },
        )
    return locked


def _undo_on_agreements(user: User, measure: StatementOfReasons, now: datetime) -> list[int]:
    """Resume the agreements the measure suspended, or withdraw the notices it gave."""
    touched: list[int] = []
    carried = (
        StatementOfReasons.objects.filter(measure=measure, agreement__isnull=False)
        .select_related("agreement__resource__openness_list")
        .order_by("agreement_id")
    )
    assert measure.consumer_id is not None and measure.provider_id is not None
    still = access_measures.in_force(measure.consumer_id, [measure.provider_id], now=now)
    for statement in carried:
        agreement = statement.agreement
        assert agreement is not None
        if measure.kind == ReasonKind.TERMINATION:
            pending = agreement.termination_effective_at
            if agreement.state not in RUNNING_STATES or pending is None or pending <= now:
                continue
            if pending != statement.effective_at:
                continue  # a notice of its own, given apart from this measure
            access_services.withdraw_termination_in_transaction(
                user, agreement, Actor.PROVIDER, measure=measure
            )
        else:
            if agreement.state != AgreementState.SUSPENDED:
                continue
            if access_measures.blocking(agreement.resource, measure.consumer_id, measures=still):
                continue  # another measure in force still reaches it
            access_services.resume_agreement_in_transaction(
                user, agreement, Actor.PROVIDER, measure=measure
            )
        touched.append(agreement.pk)
    return touched
