"""Metered use: each use is checked against the agreement and its ODRL policy, then logged.

The order of the checks: the agreement must be active and the use inside its period;
then the usage policy decides (naming the deciding rule, e.g.
`permission[0].constraint[1]`); then the remaining quantity. A denied use is kept as a
usage record too, so that both sides see what was refused and why.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub import odrl
from synergy_hub.access import usage_policy, workflow
from synergy_hub.access.models import Agreement, UsageRecord
from synergy_hub.access.notifications import notify, params_for
from synergy_hub.access.services.agreements import advance_locked, agreement_url, complete_locked
from synergy_hub.access.services.steps import lock_agreement, party_of
from synergy_hub.access.services.terms import MAX_QUANTITY, local_date
from synergy_hub.access.vocabulary import AgreementState, Purpose
from synergy_hub.accounts.models import User
from synergy_hub.audit.services import record
from synergy_hub.validation import FieldErrors

#: How far in the future a metering system's clock may run ahead of ours.
CLOCK_SKEW = timedelta(minutes=5)


def _clean(data: Mapping[str, Any], errors: FieldErrors, now: datetime) -> dict[str, Any]:
    action = errors.text("action", data.get("action") or "use", max_length=40)
    if action and action not in odrl.ODRL_ACTIONS:
        errors.add(
            "action", _("“%(action)s” is not an ODRL action.") % {"action": action}, "invalid"
        )
    quantity = errors.decimal("quantity", data.get("quantity"), required=True, maximum=MAX_QUANTITY)
    if quantity is not None and not errors.has("quantity"):
        if quantity <= 0:
            errors.add("quantity", _("The quantity must be more than zero."), "min_value")
        elif quantity != quantity.quantize(Decimal("0.01")):
            errors.add("quantity", _("Use at most two decimal places."), "decimal_places")
    purpose = errors.text("purpose", data.get("purpose"), max_length=40)
    if purpose and purpose not in Purpose.values:
        errors.add(
            "purpose",
            _("Choose one of: %(allowed)s.") % {"allowed": ", ".join(Purpose.values)},
            "invalid_choice",
        )
    region = errors.text("region", data.get("region"), max_length=6)
    if region and not (len(region) == 6 and region.isdigit()):
        errors.add("region", _("Enter a six-digit GB/T 2260 region code."), "invalid")
    occurred_at = data.get("occurred_at") or now
    if not isinstance(occurred_at, datetime) or timezone.is_naive(occurred_at):
        errors.add("occurred_at", _("Give the time of use with its time zone."), "invalid")
        occurred_at = now
    elif occurred_at > now + CLOCK_SKEW:
        errors.add("occurred_at", _("The time of use cannot be in the future."), "in_future")
    return {
        "action": action,
        "quantity": quantity,
        "purpose": purpose,
        "region": region,
        "recipient": errors.text("recipient", data.get("recipient"), max_length=200),
        "occurred_at": occurred_at,
        "note": errors.text("note", data.get("note"), max_length=300),
    }


def _context(locked: Agreement, clean: Mapping[str, Any], prior_uses: int) -> odrl.Context:
    """The facts the policy is checked against: time, purpose, region, industry, uses.

    And the state of the world about the two nodes of the request: the collections the
    SME and the resource are part of, from the organisation and resource records (see
    `usage_policy.organisation_collections`), and the SME's registered region and industry
    for the refinements of a party collection.
    """
    consumer = locked.consumer
    party = usage_policy.organisation_iri(consumer)
    asset = usage_policy.resource_iri(locked.resource_lineage)
    return odrl.Context(
        now=clean["occurred_at"],
        agreement_start=locked.starts_at,
        prior_uses=prior_uses,
        purpose=clean["purpose"] or locked.access_request.purpose_code or None,
        spatial=clean["region"] or consumer.region_id,
        industry=consumer.industry_id,
        recipient=clean["recipient"] or None,
        part_of={
            party: usage_policy.organisation_collections(consumer),
            asset: usage_policy.resource_collections(locked.resource),
        },
        attributes={party: usage_policy.organisation_attributes(consumer)},
    )


def _decide(
    locked: Agreement, clean: Mapping[str, Any]
) -> tuple[bool, str, dict[str, str], str, str, list[str]]:
    """Permit or deny with (code, params, deciding path, rule path, duties due)."""
    when = clean["occurred_at"]
    if locked.state != AgreementState.ACTIVE:
        return False, "agreement_not_active", {"state": locked.state}, "agreement.state", "", []
    if not locked.starts_at <= when < locked.ends_at:
        params = {
            "actual": timezone.localtime(when).isoformat(timespec="minutes"),
            "start": str(local_date(locked.starts_at)),
            "end": str(local_date(locked.ends_at - timedelta(microseconds=1))),
        }
        return False, "outside_agreement_period", params, "agreement.period", "", []
    counts = locked.usage.filter(permitted=True).aggregate(n=Count("pk"))
    decision = odrl.evaluate(
        usage_policy.from_stored(locked.policy),
        odrl.UsageRequest(
            clean["action"],
            usage_policy.resource_iri(locked.resource_lineage),
            usage_policy.organisation_iri(locked.consumer_id),
            _context(locked, clean, counts["n"]),
        ),
        usage_policy.evaluator(),
    )
    params = {k: str(v) for k, v in decision.params.items()}
    if not decision.permitted:
        return False, decision.code, params, decision.path or "", decision.rule_path or "", []
    quantity: Decimal = clean["quantity"]
    if quantity > locked.remaining_quantity:
        params = {
            "requested": str(quantity),
            "remaining": str(locked.remaining_quantity),
            "quantity": str(locked.quantity),
        }
        return False, "quantity_exceeded", params, "agreement.quantity", "", []
    duties = [duty.action for duty in decision.duties]
    return True, decision.code, params, decision.path or "", decision.rule_path or "", duties


def record_use(actor: User, agreement: Agreement, data: Mapping[str, Any]) -> UsageRecord:
    """Meter one use (the provider's metering): permitted or denied, logged either way.

    `data` holds `action` (an ODRL action, default `use`), `quantity` in the agreement's
    unit, and optionally `purpose`, `region` (where the use happens; default the SME's
    region), `recipient`, `occurred_at` and a `note`.
    """
    side = party_of(actor, agreement.provider_id, agreement.consumer_id)
    if side is not workflow.Actor.PROVIDER:
        raise PermissionDenied(_("Uses are metered by the provider."))
    now = timezone.now()
    errors = FieldErrors()
    clean = _clean(data, errors, now)
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        locked = advance_locked(lock_agreement(agreement), now)
        permitted, code, params, path, rule_path, duties = _decide(locked, clean)
        usage = UsageRecord.objects.create(
            agreement=locked,
            action=clean["action"],
            quantity=clean["quantity"],
            occurred_at=clean["occurred_at"],
            permitted=permitted,
            code=code,
            params=params,
            path=path,
            rule_path=rule_path,
            duties=duties,
            purpose=clean["purpose"],
            region=clean["region"],
            note=clean["note"],
            recorded_by=actor,
            created_at=now,
        )
        record(
            actor=actor,
            action="access.usage.permitted" if permitted else "access.usage.denied",
            obj=usage,
            organisation_id=locked.provider_id,
            after={
                "agreement": locked.uid,
                "action": usage.action,
                "quantity": usage.quantity,
                "code": code,
                "path": path,
            },
        )
        if permitted:
            locked.used_quantity += usage.quantity
            locked.updated_at = now
            locked.save(update_fields=["used_quantity", "updated_at"])
            if locked.used_quantity >= locked.quantity:
                complete_locked(locked, now)
        else:
            notify(
                verb="usage.denied",
                obj=locked,
                url=agreement_url(locked),
                organisations=[locked.consumer],
                params=params_for(locked.resource, locked.provider),
            )
    return usage
