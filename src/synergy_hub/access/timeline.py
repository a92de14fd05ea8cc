"""A request's history as its parties read it: every step, who took it and when.

Read from the audit log (every state change of a request and of its agreement appends an
event in the same transaction), so the timeline cannot disagree with what happened.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from synergy_hub.access.models import AccessRequest, Agreement
from synergy_hub.accounts.models import User
from synergy_hub.audit.models import AuditEvent

#: action -> (what happened, tone: "positive", "negative" or "").
STEPS: dict[str, tuple[Promise, str]] = {
    "access.request.created": (_("Request sent"), ""),
    "access.request.offered": (_("Terms offered"), ""),
    "access.request.countered": (_("Counter-offer made"), ""),
    "access.request.accepted": (_("Offer accepted"), "positive"),
    "access.request.agreed": (_("Agreement confirmed"), "positive"),
    "access.request.allocated": (_("Capacity allocated in a round"), "positive"),
    "access.request.rejected": (_("Request rejected, with reasons"), "negative"),
    "access.request.withdrawn": (_("Request withdrawn"), "negative"),
    "access.agreement.created": (_("Agreement concluded"), "positive"),
    "access.agreement.active": (_("Agreement period started"), "positive"),
    "access.agreement.completed": (_("Agreement completed"), ""),
    "access.agreement.expired": (_("Agreement expired"), ""),
    "access.agreement.suspended": (_("Agreement suspended, with reasons"), "negative"),
    "access.agreement.resumed": (_("Agreement resumed"), "positive"),
    "access.agreement.restricted": (_("Use restricted, with reasons"), "negative"),
    "access.agreement.terminated": (_("Agreement terminated, with reasons"), "negative"),
    "access.agreement.termination_noticed": (
        _("Notice of termination given, with reasons"),
        "negative",
    ),
}


@dataclass(frozen=True)
class Step:
    """One line of the timeline."""

    at: datetime
    what: str
    tone: str
    who: str
    organisation: str
    terms: dict[str, Any]


def _terms(after: dict[str, Any] | None) -> dict[str, Any]:
    """The terms an offer or request named (quantity, period, price), for display."""
    if not after:
        return {}
    found: dict[str, Any] = {}
    for key in ("quantity", "price"):
        value = after.get(key)
        if value not in (None, ""):
            try:
                found[key] = Decimal(str(value))
            except (InvalidOperation, ValueError):
                continue
    if after.get("starts_on") and after.get("ends_on"):
        found["period"] = f"{after['starts_on']} – {after['ends_on']}"
    return found


def request_timeline(access_request: AccessRequest) -> list[Step]:
    """Every step of a request and of its agreement, oldest first (two queries and names)."""
    agreement = Agreement.objects.filter(access_request=access_request).only("pk").first()
    objects = [("access.accessrequest", str(access_request.pk))]
    if agreement is not None:
        objects.append(("access.agreement", str(agreement.pk)))
    events = list(
        AuditEvent.objects.filter(
            object_type__in=[t for t, _i in objects], object_id__in=[i for _t, i in objects]
        )
        .filter(action__in=STEPS)
        .order_by("seq")
    )
    events = [e for e in events if (e.object_type, e.object_id) in objects]
    names = dict(
        User.objects.filter(pk__in={e.actor_id for e in events if e.actor_id}).values_list(
            "pk", "full_name"
        )
    )
    parties = {
        access_request.provider_id: access_request.provider.name,
        access_request.consumer_id: access_request.consumer.name,
    }
    steps = []
    for event in events:
        what, tone = STEPS[event.action]
        # A person by name (not their e-mail address, which the other side need not see).
        who = (names.get(event.actor_id) or "") if event.actor_id else _("the system")
        steps.append(
            Step(
                at=event.occurred_at,
                what=str(what),
                tone=tone,
                who=str(who),
                organisation=parties.get(event.organisation_id or 0, ""),
                terms=_terms(event.after)
                if event.action.endswith(("created", "offered", "countered"))
                and event.object_type == "access.accessrequest"
                else {},
            )
        )
    return steps
