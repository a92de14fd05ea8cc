"""The assistant's tools: each one is a read of the hub's own services, recorded as it runs.

Search goes through matching's search (the ranking, eligibility filter and explanations
every catalog page uses), eligibility through `catalog.eligibility` (the one module that
also decides whether a request may be made), fees through the resource's price and its
publisher's fee schedule in force (`governance.selectors`), capacity through the access
app's slot reads. The two drafting tools only prepare what would be sent: nothing here
writes. Every call appends a `{"tool", "input", "output"}` record to the `ToolLog`, which
the turn stores and the page and API show.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from synergy_hub.access import slots
from synergy_hub.access.services import capacity
from synergy_hub.access.services.negotiation import DATA_TYPES
from synergy_hub.access.vocabulary import Purpose
from synergy_hub.accounts.models import Organisation
from synergy_hub.assistant.understanding.need import UnderstoodNeed
from synergy_hub.assistant.understanding.search_terms import SearchTerms, search_terms
from synergy_hub.catalog.eligibility import reasons, seeker_of, verdict_for
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.query import MAX_WORDS_LENGTH
from synergy_hub.catalog.vocabulary import ResourceType, Unit
from synergy_hub.eligibility import Status
from synergy_hub.governance import selectors as governance
from synergy_hub.matching.services import RankedResource, search_resources

#: Results explained per turn.
SHOWN = 5
#: Days a drafted request lasts when the need names no time frame.
DEFAULT_PERIOD_DAYS = 30


@dataclass
class ToolLog:
    """The tool calls of one turn, in the order they ran."""

    calls: list[dict[str, Any]] = field(default_factory=list)

    def add(self, tool: str, given: dict[str, Any], output: str) -> None:
        self.calls.append({"tool": tool, "input": given, "output": output})


# --- search ----------------------------------------------------------------------------


def search_request(need: UnderstoodNeed, fallback_text: str) -> SearchTerms:
    """The catalog search for an understood need: the reading's one mapping
    (`understanding.search_terms`), with the user's words when the need has no query."""
    terms = search_terms(need)
    words = (terms.words or fallback_text)[:MAX_WORDS_LENGTH]
    types = tuple(t for t in terms.resource_types if t in ResourceType.values)
    return replace(terms, words=words, resource_types=types)


def _price_of(item: RankedResource) -> Decimal | None:
    price = item.resource.sme_price
    return price if isinstance(price, Decimal) else None


def search(log: ToolLog, terms: SearchTerms, organisation: Organisation) -> list[RankedResource]:
    """The best published resources for the terms, ranked for the organisation.

    The hub's ranking decides the order; results that fit the budget come before those
    that do not (cheapest first when the user asked for cheaper offers), so a budget never
    hides a result, it only orders them. When the wanted types find nothing, the search is
    run once more without them (and the log says so), so a type read wrongly does not hide
    every result.
    """
    seeker = seeker_of(organisation)

    def run(types: tuple[str, ...]) -> list[RankedResource]:
        narrowed = replace(terms, resource_types=types)
        outcome = search_resources(
            narrowed.words,
            catalog_filters=narrowed.catalog_filters(),
            engine_filters=narrowed.engine_filters(),
            seeker=seeker,
            limit=SHOWN * 2,
            record_exposure=False,
        )
        return list(outcome.items)

    given: dict[str, Any] = {
        "query": terms.words,
        "resource_types": list(terms.resource_types),
        "region": terms.region or "",
        "budget_max_yuan": str(terms.budget_max_yuan) if terms.budget_max_yuan else "",
        "prefer_lower_price": terms.prefer_lower_price,
    }
    items = run(terms.resource_types)
    if not items and terms.resource_types:
        items = run(())
        given["resource_types_dropped"] = True
    fits = [i for i in items if terms.affordable(_price_of(i), i.resource.unit)]
    if terms.prefer_lower_price:
        fits.sort(key=lambda i: _price_of(i) or Decimal(0))
    others = [i for i in items if i not in fits]
    items = (fits + others)[:SHOWN]
    titles = "; ".join(item.resource.title for item in items) or _("nothing found")
    log.add(
        "search",
        given,
        _("%(count)d results: %(titles)s") % {"count": len(items), "titles": titles},
    )
    return items


# --- eligibility -----------------------------------------------------------------------


@dataclass(frozen=True)
class Eligibility:
    status: str
    reasons: tuple[str, ...]


def eligibility(log: ToolLog, resource: Resource, organisation: Organisation) -> Eligibility:
    """Whether the organisation may request the resource (size class, tier, region, industry)."""
    found = verdict_for(resource, organisation)
    status = str(found.status)
    why = tuple(reasons(found))
    text = {
        Status.ELIGIBLE: _(
            "Eligible: your organisation is in the group this resource is opened to."
        ),
        Status.NOT_ELIGIBLE: _("Not eligible."),
        Status.UNKNOWN: _("Eligibility not settled yet."),
    }[found.status]
    log.add(
        "eligibility",
        {"resource": resource.pk, "organisation": organisation.pk},
        " ".join((text, *why)),
    )
    return Eligibility(status, why)


# --- fees ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fees:
    price: Decimal | None
    sme_price: Decimal | None
    discount_percent: int
    unit: str
    quantity: Decimal | None
    estimate: Decimal | None
    within_budget: bool | None
    schedule: tuple[str, ...]


def _fee_lines(publisher_id: int) -> tuple[str, ...]:
    schedule = governance.in_force(publisher_id, timezone.now())
    if schedule is None:
        return ()
    lines = []
    for item in schedule.items.all():
        rate = f"{item.rate.normalize():f}"
        line = f"{item.get_kind_display()}: {rate}"
        if item.basis == "percentage":
            line += "%"
        elif item.unit:
            line += f" / {item.unit}"
        if item.sme_discount_percent:
            line += " " + _("(SME discount %(percent)s%%)") % {
                "percent": f"{item.sme_discount_percent.normalize():f}"
            }
        lines.append(line)
    return tuple(lines)


def quantity_for(need: UnderstoodNeed, unit: str) -> Decimal | None:
    """The amount the need asks for in the resource's unit (None when it names none)."""
    for quantity in need.quantities:
        if quantity.unit == unit:
            return quantity.amount
    return None


def fees(log: ToolLog, resource: Resource, need: UnderstoodNeed) -> Fees:
    """The price, the SME discount, an estimate for the quantity wanted, the fee schedule."""
    sme_price = resource.sme_price if isinstance(resource.sme_price, Decimal) else None
    quantity = quantity_for(need, resource.unit)
    estimate = sme_price * quantity if sme_price is not None and quantity is not None else None
    terms = search_terms(need)
    limited = terms.budget_max_yuan is not None or terms.unit_price_max_yuan is not None
    within = terms.affordable(sme_price, resource.unit) if limited else None
    schedule = _fee_lines(resource.openness_list.publisher_id)
    found = Fees(
        price=resource.price,
        sme_price=sme_price,
        discount_percent=resource.sme_discount_percent,
        unit=resource.unit,
        quantity=quantity,
        estimate=estimate,
        within_budget=within,
        schedule=schedule,
    )
    log.add(
        "fee_lookup",
        {"resource": resource.pk, "quantity": str(quantity) if quantity is not None else ""},
        _clauses([price_text(found), *schedule]),
    )
    return found


def _clauses(parts: list[str]) -> str:
    return pgettext("clause separator", "; ").join(part for part in parts if part)


def unit_label(unit: str) -> str:
    return str(dict(Unit.choices).get(unit, unit))


def price_text(found: Fees) -> str:
    """The price in one line: free, or the list price, the SME discount and the estimate."""
    if found.price is None or found.price == 0:
        return _("Free of charge.")
    text = _("%(price)s yuan per %(unit)s") % {
        "price": f"{found.price:,.2f}",
        "unit": unit_label(found.unit),
    }
    if found.discount_percent and found.sme_price is not None:
        text += pgettext("clause separator", "; ") + _(
            "SME price %(price)s yuan after a %(percent)d%% discount"
        ) % {
            "price": f"{found.sme_price:,.2f}",
            "percent": found.discount_percent,
        }
    if found.estimate is not None and found.quantity is not None:
        text += pgettext("clause separator", "; ") + _("about %(total)s yuan for %(quantity)s") % {
            "total": f"{found.estimate:,.2f}",
            "quantity": f"{found.quantity.normalize():f}",
        }
    return text + pgettext("sentence end", ".")


# --- capacity --------------------------------------------------------------------------


@dataclass(frozen=True)
class Capacity:
    bookable: bool
    starts_on: date
    ends_on: date
    free: Decimal | None
    fits: bool | None
    text: str


def wanted_period(need: UnderstoodNeed, today: date) -> tuple[date, date]:
    """The period the need asks for, never starting in the past (30 days when none)."""
    starts = max(need.wanted_from or today, today)
    ends = need.wanted_until or need.deadline or starts + timedelta(days=DEFAULT_PERIOD_DAYS)
    return starts, max(ends, starts)


def capacity_in_period(
    log: ToolLog, resource: Resource, need: UnderstoodNeed, today: date
) -> Capacity:
    """What is still free of the resource's declared capacity in the wanted period."""
    starts, ends = wanted_period(need, today)
    wanted = quantity_for(need, resource.unit)
    free: Decimal | None = None
    fits: bool | None = None
    if capacity.is_bookable(resource):
        try:
            starts_list = capacity.slot_starts(resource, starts, ends)
        except ValueError:
            starts_list = slots.upcoming_slots(starts, resource.capacity_period, 12)
        free = min(capacity.free_units(resource, starts_list).values(), default=Decimal(0))
        fits = None if wanted is None else wanted <= free * len(starts_list)
        text = _(
            "At least %(free)s %(unit)s free in each period between %(start)s and %(end)s."
        ) % {
            "free": f"{free.normalize():f}",
            "unit": unit_label(resource.unit),
            "start": starts.isoformat(),
            "end": ends.isoformat(),
        }
    elif resource.capacity:
        text = _("Declared capacity %(capacity)s %(unit)s %(period)s (not booked in slots).") % {
            "capacity": f"{resource.capacity.normalize():f}",
            "unit": unit_label(resource.unit),
            "period": resource.get_capacity_period_display(),
        }
    else:
        text = _("No capacity limit declared.")
    log.add(
        "capacity",
        {"resource": resource.pk, "from": starts.isoformat(), "until": ends.isoformat()},
        text,
    )
    return Capacity(capacity.is_bookable(resource), starts, ends, free, fits, text)


# --- drafts ----------------------------------------------------------------------------


def draft_request(
    log: ToolLog, resource: Resource, need: UnderstoodNeed, problem: str, today: date
) -> dict[str, Any]:
    """The access request that would be sent for the resource; nothing is written."""
    starts, ends = wanted_period(need, today)
    quantity = quantity_for(need, resource.unit) or Decimal(1)
    payload: dict[str, Any] = {
        "quantity": f"{quantity.normalize():f}",
        "starts_on": starts.isoformat(),
        "ends_on": ends.isoformat(),
        "purpose": problem[:1000],
        "purpose_code": Purpose.COMMERCIAL.value,
        "intended_use": problem[:1000] if resource.resource_type in DATA_TYPES else "",
        "note": "",
    }
    log.add(
        "draft_access_request",
        {"resource": resource.pk},
        _("Drafted a request for %(quantity)s %(unit)s from %(start)s to %(end)s (not sent).")
        % {
            "quantity": payload["quantity"],
            "unit": unit_label(resource.unit),
            "start": payload["starts_on"],
            "end": payload["ends_on"],
        },
    )
    return payload


def draft_need(log: ToolLog, need: UnderstoodNeed, problem: str) -> dict[str, Any]:
    """The need record that would be saved for the organisation; nothing is written."""
    title = " ".join(problem.split())[:80] or _("Need")
    payload: dict[str, Any] = {
        "title": title,
        "description": problem[:4000],
        "resource_types": [t for t in need.resource_types if t in ResourceType.values],
        "region": need.region_codes[0] if need.region_codes else "",
        "budget": str(need.budget_max_yuan) if need.budget_max_yuan is not None else None,
        "wanted_from": need.wanted_from.isoformat() if need.wanted_from else None,
        "wanted_until": need.wanted_until.isoformat() if need.wanted_until else None,
    }
    log.add("draft_need", {"title": title}, _("Drafted a need record (not saved)."))
    return payload
