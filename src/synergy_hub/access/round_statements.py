"""A round's result in words: the disclosed priorities and each requester's statement.

The stored facts are codes and numbers (`RoundRequest.reasons`, `.priority`), so that the
statement reads in the reader's language and the words can improve without rewriting
history. Shared by the pages and the API.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from synergy_hub.access.models import AllocationRound, RoundRequest
from synergy_hub.access.vocabulary import FairnessRule
from synergy_hub.accounts.models import SizeClass, Tier
from synergy_hub.catalog.models import Resource


def _slot_list(reason: Mapping[str, Any], names: Mapping[int, str]) -> str:
    slots = [
        f"{names.get(s['resource'], '#' + str(s['resource']))} {s['starts_on']}"
        for s in reason.get("slots", [])
    ]
    more = int(reason.get("count", len(slots))) - len(slots)
    text = ", ".join(slots)
    if more > 0:
        text += " " + _("and %(count)d more") % {"count": more}
    return text


def describe_reason(reason: Mapping[str, Any], names: Mapping[int, str]) -> str:
    """One binding constraint as a sentence."""
    code = reason.get("code")
    if code == "full":
        return _("You were allocated the whole quantity you asked for.")
    if code == "capacity":
        return _("Capacity bound: every slot you could use was fully allocated (%(slots)s).") % {
            "slots": _slot_list(reason, names)
        }
    if code == "priority":
        return _(
            "Priority bound: part of that capacity went to requests of higher priority "
            "(weight up to %(top)d, yours %(weight)d)."
        ) % {"top": reason.get("top_weight", 0), "weight": reason.get("weight", 0)}
    if code == "fairness":
        return _(
            "Fairness rule: requests of the same priority shared the capacity by the "
            "round's rule (%(rule)s)."
        ) % {"rule": FairnessRule(reason.get("rule", "proportional")).label}
    if code == "minimum":
        return _(
            "Minimum bound: %(free)s units stayed free in your window, fewer than your "
            "minimum of %(minimum)s (or reaching it would have displaced requests of more "
            "value), so you received nothing rather than less than your minimum."
        ) % {"free": reason.get("free", 0), "minimum": reason.get("minimum", 0)}
    if code == "window":
        return _(
            "Window bound: %(free)s units of your resources stayed free outside your window."
        ) % {"free": reason.get("free", 0)}
    if code == "no_slot":
        return _("No slot of your window or resources was still open when the round closed.")
    return str(code)


def statement(round_request: RoundRequest) -> list[str]:
    """The request's reasons, worded (empty before the round is allocated)."""
    if round_request.granted is None:
        return []
    ids = {int(s["resource"]) for r in round_request.reasons for s in r.get("slots", [])}
    names = {r.pk: r.title for r in Resource.objects.filter(pk__in=ids)}
    return [describe_reason(reason, names) for reason in round_request.reasons]


def describe_priority(parts: list[Mapping[str, Any]]) -> list[str]:
    """The weight's breakdown: one line per factor with its points."""
    lines = []
    for part in parts:
        factor = part.get("factor")
        points = part.get("points", 0)
        if factor == "base":
            lines.append(_("Every request: %(points)d") % {"points": points})
        elif factor == "size_class":
            lines.append(
                _("Size class %(value)s: +%(points)d")
                % {"value": SizeClass(part["value"]).label, "points": points}
            )
        elif factor == "tier":
            lines.append(
                _("Tier %(value)s: +%(points)d")
                % {"value": Tier(part["value"]).label, "points": points}
            )
        elif factor == "first_use":
            lines.append(
                _("First use of this provider's resources: +%(points)d") % {"points": points}
            )
    return lines


def disclosed_priorities(the_round: AllocationRound) -> list[str]:
    """The round's priority weights, as disclosed when it opened."""
    p = the_round.priorities
    lines = [_("Every request starts with %(points)d point.") % {"points": p.get("base", 1)}]
    sizes = ", ".join(f"{SizeClass(k).label} +{v}" for k, v in p.get("size_class", {}).items())
    lines.append(_("Size class: %(values)s.") % {"values": sizes})
    tiers = ", ".join(f"{Tier(k).label} +{v}" for k, v in p.get("tier", {}).items())
    lines.append(_("Tier: %(values)s.") % {"values": tiers})
    lines.append(
        _("First use of this provider's resources: +%(points)d.")
        % {"points": p.get("first_use", 0)}
    )
    lines.append(
        _(
            "The allocation maximises the units allocated, each weighted by its request's "
            "points; among allocations of equal value, the fairness rule decides: %(rule)s."
        )
        % {"rule": the_round.get_fairness_display()}
    )
    return lines


@dataclass(frozen=True)
class ReportRow:
    """One group of a round's report: requests, units asked and units allocated."""

    label: str
    requests: int
    served: int
    demand: int
    granted: int

    @property
    def granted_percent(self) -> int:
        """Share of the group's demand that was allocated, for the bar."""
        return int(self.granted * 100 / self.demand) if self.demand else 0


def _rows(groups: dict[str, list[RoundRequest]]) -> list[ReportRow]:
    return [
        ReportRow(
            label=label,
            requests=len(items),
            served=sum(1 for r in items if r.granted),
            demand=sum(r.quantity for r in items),
            granted=sum(r.granted or 0 for r in items),
        )
        for label, items in sorted(groups.items())
    ]


def round_report(the_round: AllocationRound) -> dict[str, Any]:
    """Demand against capacity, and the allocation by size class and by region."""
    requests = list(the_round.requests.select_related("consumer__region__parent__parent"))
    by_size: dict[str, list[RoundRequest]] = defaultdict(list)
    by_region: dict[str, list[RoundRequest]] = defaultdict(list)
    for r in requests:
        size = r.consumer.size_class
        by_size[str(SizeClass(size).label) if size else "—"].append(r)
        region = r.consumer.region
        province = region
        while province is not None and province.parent is not None:
            province = province.parent
        by_region[province.name if province is not None else "—"].append(r)
    details = the_round.solver_details or {}
    return {
        "capacity": details.get("capacity"),
        "demand": sum(r.quantity for r in requests),
        "granted": sum(r.granted or 0 for r in requests),
        "total": _rows({_("All requests"): requests})[0] if requests else None,
        "by_size": _rows(by_size),
        "by_region": _rows(by_region),
    }
