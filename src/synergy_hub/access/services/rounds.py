"""Allocation rounds: scarce capacity shared at once, by disclosed priorities, not by speed.

A provider's administrator opens a round on equivalent bookable resources for a period;
SMEs request units (with the least they accept and a window of days) while it is open;
the administrator closes it and the whole allocation happens in one durable transaction:
the exact solver (`synergy_hub.allocation`) places units slot by slot, every served
request becomes an agreement through the negotiation's inner form, each requester's
statement (units, weight, binding constraints) is stored, and one audit event records
the solver's method, status and time.

The priority weights are disclosed when the round opens and stored on it, so a later
change of the defaults never changes a round already announced.
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub import allocation
from synergy_hub.access import measures, slots
from synergy_hub.access.models import Agreement, AllocationRound, RoundRequest
from synergy_hub.access.notifications import notify
from synergy_hub.access.services import capacity
from synergy_hub.access.services.negotiation import conclude_allocation_in_transaction
from synergy_hub.access.services.terms import MAX_TEXT, _date
from synergy_hub.access.vocabulary import FairnessRule, JobStep, Purpose, RoundState
from synergy_hub.accounts.models import Organisation, OrganisationKind, Role, User
from synergy_hub.accounts.permissions import (
    PUBLISHER_KINDS,
    is_officer,
    require_member,
    require_officer,
)
from synergy_hub.audit.services import record
from synergy_hub.catalog.eligibility import eligibility_problems
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.validation import FieldErrors

#: The priority weights a new round discloses: 1 + size class + tier + first use.
DEFAULT_PRIORITIES: dict[str, Any] = {
    "base": 1,
    "size_class": {"micro": 3, "small": 2, "medium": 1, "large": 0},
    "tier": {"innovative": 1, "srdi": 1, "little_giant": 1, "single_champion": 0},
    "first_use": 1,
}
#: The most slots a round may cover (a round is solved at once; see decision 0021).
MAX_ROUND_SLOTS = 400
#: The most resources one round may pool.
MAX_ROUND_RESOURCES = 200
MAX_UNITS = 10**9
#: CP-SAT's time limit when minimums bind (the flow alone takes seconds; decision 0021).
SOLVER_SECONDS = 20.0
ADMINS = frozenset({Role.ADMIN})
#: A round with this many requests is closed in the background (decision 0031): its solve
#: takes seconds, too long to hold the database's write lock or a page request.
BACKGROUND_REQUESTS = 500


def _require_provider_admin(actor: User) -> Organisation:
    membership = require_member(actor, kinds=PUBLISHER_KINDS, roles=ADMINS)
    return membership.organisation


def _organiser(actor: User) -> tuple[Organisation, bool]:
    """Who may open and close rounds: a programme officer (a capacity pool across
    providers) or a provider's administrator (its own resources); else 403."""
    if is_officer(actor):
        return require_officer(actor).organisation, True
    return _require_provider_admin(actor), False


def _period_slots(period: str, starts_on: date, ends_on: date) -> list[date]:
    return slots.slots_between(starts_on, ends_on, period)


def open_round(actor: User, data: Mapping[str, Any]) -> AllocationRound:
    """A provider's administrator puts its resources' capacity for a period into a round;
    a programme officer may pool equivalent resources of several providers."""
    organisation, pool = _organiser(actor)
    errors = FieldErrors()
    title = errors.text("title", data.get("title"), max_length=200, required=True)
    starts_on = _date(errors, "starts_on", data.get("starts_on"))
    ends_on = _date(errors, "ends_on", data.get("ends_on"))
    fairness = str(data.get("fairness") or "").strip()
    if fairness not in FairnessRule.values:
        errors.add(
            "fairness",
            _("Choose one of: %(allowed)s.") % {"allowed": ", ".join(FairnessRule.values)},
            "invalid_choice",
        )
    resources = _round_resources(organisation, pool, data.get("resources"), errors)
    if starts_on is not None and starts_on < timezone.localdate():
        errors.add("starts_on", _("The period cannot start in the past."), "in_past")
    if starts_on is not None and ends_on is not None and resources:
        if ends_on < starts_on:
            errors.add("ends_on", _("The period must end on or after its start."), "before_start")
        else:
            try:
                count = len(_period_slots(resources[0].capacity_period, starts_on, ends_on))
            except ValueError:
                count = MAX_ROUND_SLOTS + 1
            if count > MAX_ROUND_SLOTS:
                errors.add(
                    "ends_on",
                    _("A round may cover at most %(max)d capacity slots.")
                    % {"max": MAX_ROUND_SLOTS},
                    "too_many_slots",
                )
    errors.raise_if_any()
    assert starts_on is not None and ends_on is not None
    now = timezone.now()
    with transaction.atomic(durable=True):
        the_round = AllocationRound.objects.create(
            provider=organisation,
            is_pool=pool,
            title=title,
            starts_on=starts_on,
            ends_on=ends_on,
            fairness=fairness,
            priorities=DEFAULT_PRIORITIES,
            opened_by=actor,
            opened_at=now,
        )
        the_round.resources.set(resources)
        record(
            actor=actor,
            action="access.round.opened",
            obj=the_round,
            organisation_id=organisation.pk,
            after={
                "title": title,
                "resources": [r.pk for r in resources],
                "starts_on": starts_on,
                "ends_on": ends_on,
                "fairness": fairness,
                "pool": pool,
                "priorities": DEFAULT_PRIORITIES,
            },
        )
    return the_round


def _round_resources(
    organisation: Organisation, pool: bool, value: Any, errors: FieldErrors
) -> list[Resource]:
    """The listed resources: published, bookable, equivalent, and the organisation's own
    (any provider's in a programme officer's pool)."""
    if isinstance(value, str | int):
        value = [value]
    try:
        ids = sorted({int(str(v)) for v in (value or [])})
    except ValueError:
        errors.add("resources", _("Give the resources by their numbers."), "invalid")
        return []
    if not ids:
        errors.add("resources", _("Choose at least one resource."), "required")
        return []
    if len(ids) > MAX_ROUND_RESOURCES:
        errors.add(
            "resources",
            _("A round may pool at most %(max)d resources.") % {"max": MAX_ROUND_RESOURCES},
            "too_many",
        )
        return []
    found_rows = Resource.objects.select_related("openness_list").filter(
        pk__in=ids, openness_list__state=ListState.PUBLISHED
    )
    if not pool:
        found_rows = found_rows.filter(openness_list__publisher=organisation)
    found = list(found_rows)
    if len(found) != len(ids):
        errors.add(
            "resources",
            _("Only resources on a published list can be pooled.")
            if pool
            else _("Only your own resources on a published list can be allocated in a round."),
            "not_yours",
        )
        return []
    if not all(capacity.is_bookable(r) for r in found):
        errors.add(
            "resources",
            _("Only resources with a declared capacity booked in slots can be allocated."),
            "not_bookable",
        )
        return []
    if len({(r.unit, r.capacity_period) for r in found}) > 1:
        errors.add(
            "resources",
            _("The resources of one round must share their unit and capacity period."),
            "not_equivalent",
        )
        return []
    return found


#: Who may request in a round: SMEs, and larger enterprises that use capacity too (they
#: compete under the same disclosed priorities, where size class counts against them).
REQUESTER_KINDS = frozenset(
    {OrganisationKind.SME, OrganisationKind.PLATFORM, OrganisationKind.PROVIDER}
)


def request_in_round(
    actor: User, the_round: AllocationRound, data: Mapping[str, Any]
) -> RoundRequest:
    """An enterprise asks, for its own organisation only, for units of a round's resources."""
    membership = require_member(actor, kinds=REQUESTER_KINDS)
    organisation = membership.organisation
    own = the_round.resources.filter(openness_list__publisher=organisation).exists()
    if organisation.pk == the_round.provider_id or own:
        raise PermissionDenied(_("A provider does not request in its own round."))
    errors = FieldErrors()
    clean = _clean_round_request(the_round, organisation, data, errors)
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        locked = AllocationRound.objects.select_for_update().get(pk=the_round.pk)
        _require_open(locked)
        if RoundRequest.objects.filter(allocation_round=locked, consumer=organisation).exists():
            raise ValidationError(
                {
                    "allocation_round": ValidationError(
                        _("Your organisation has already requested in this round."),
                        code="already_requested",
                    )
                }
            )
        round_request = RoundRequest.objects.create(
            allocation_round=locked,
            consumer=organisation,
            requested_by=actor,
            **clean,
        )
        record(
            actor=actor,
            action="access.round.requested",
            obj=round_request,
            organisation_id=organisation.pk,
            after={
                "round": locked.pk,
                "resource": clean["resource"].pk,
                "flexible": clean["flexible"],
                "quantity": clean["quantity"],
                "minimum": clean["minimum"],
                "window_starts_on": clean["window_starts_on"],
                "window_ends_on": clean["window_ends_on"],
            },
        )
    return round_request


def _require_open(the_round: AllocationRound) -> None:
    if the_round.state != RoundState.OPEN:
        raise ValidationError(
            {
                "state": ValidationError(
                    _("This round is closed: its capacity has been allocated."),
                    code="round_closed",
                )
            }
        )


def _clean_round_request(
    the_round: AllocationRound,
    organisation: Organisation,
    data: Mapping[str, Any],
    errors: FieldErrors,
) -> dict[str, Any]:
    resources = {r.pk: r for r in the_round.resources.select_related("openness_list")}
    resource = None
    with contextlib.suppress(ValueError):
        resource = resources.get(int(str(data.get("resource"))))
    if resource is None:
        errors.add("resource", _("Choose one of the round's resources."), "invalid_choice")
    quantity = errors.integer("quantity", data.get("quantity"), minimum=1, maximum=MAX_UNITS)
    if quantity is None and not errors.has("quantity"):
        errors.add("quantity", _("This field is required."), "required")
    minimum = errors.integer("minimum", data.get("minimum"), minimum=0, maximum=MAX_UNITS) or 0
    if quantity is not None and minimum > quantity and not errors.has("minimum"):
        errors.add("minimum", _("The minimum cannot be more than the quantity."), "above_quantity")
    first = _date(errors, "window_starts_on", data.get("window_starts_on") or the_round.starts_on)
    last = _date(errors, "window_ends_on", data.get("window_ends_on") or the_round.ends_on)
    if first is not None and not the_round.starts_on <= first <= the_round.ends_on:
        errors.add(
            "window_starts_on", _("The window must lie within the round's period."), "outside"
        )
    if last is not None and not the_round.starts_on <= last <= the_round.ends_on:
        errors.add("window_ends_on", _("The window must lie within the round's period."), "outside")
    window_ok = not errors.has("window_starts_on") and not errors.has("window_ends_on")
    if first is not None and last is not None and window_ok and last < first:
        errors.add(
            "window_ends_on", _("The window must end on or after its start."), "before_start"
        )
    purpose = errors.text("purpose", data.get("purpose"), max_length=MAX_TEXT, required=True)
    purpose_code = str(data.get("purpose_code") or "").strip()
    if purpose_code not in Purpose.values:
        errors.add(
            "purpose_code",
            _("Choose one of: %(allowed)s.") % {"allowed": ", ".join(Purpose.values)},
            "invalid_choice",
        )
    if resource is not None:
        for problem in eligibility_problems(resource, organisation):
            errors.add("resource", problem, "not_eligible")
        # P2B Art 4(1)/(2): a measure in force refuses new requests (`access.measures`).
        blocked = measures.blocking(resource, organisation.pk)
        if blocked is not None:
            errors.add("resource", measures.reason(blocked), f"relationship_{blocked.kind}")
    return {
        "resource": resource,
        "flexible": str(data.get("flexible") or "").lower() in {"1", "true", "on", "yes"},
        "quantity": quantity,
        "minimum": minimum,
        "window_starts_on": first,
        "window_ends_on": last,
        "purpose": purpose,
        "purpose_code": purpose_code,
    }


def priority_of(
    organisation: Organisation, priorities: Mapping[str, Any], first_use: bool
) -> tuple[int, list[dict[str, Any]]]:
    """The request's weight under the round's disclosed priorities, and its breakdown."""
    parts: list[dict[str, Any]] = [{"factor": "base", "points": int(priorities["base"])}]
    size = organisation.size_class or ""
    if size:
        parts.append(
            {
                "factor": "size_class",
                "value": size,
                "points": int(priorities["size_class"].get(size, 0)),
            }
        )
    if organisation.tier:
        parts.append(
            {
                "factor": "tier",
                "value": organisation.tier,
                "points": int(priorities["tier"].get(organisation.tier, 0)),
            }
        )
    if first_use:
        parts.append({"factor": "first_use", "points": int(priorities["first_use"])})
    return max(1, sum(p["points"] for p in parts)), parts


@dataclass
class _Built:
    """A round's allocation problem as read from the database, with what maps it back."""

    resources: dict[str, Resource]
    starts: list[date]
    requests: list[RoundRequest]
    capacity: dict[allocation.SlotKey, int]
    problem: allocation.Problem


def _build(the_round: AllocationRound) -> _Built:
    """Read the round's capacity and requests into the solver's problem (reads only)."""
    resources = {
        str(r.pk): r for r in the_round.resources.select_related("openness_list__publisher")
    }
    if not resources:
        raise ValidationError(
            {"resources": ValidationError(_("Choose at least one resource."), code="required")}
        )
    period = next(iter(resources.values())).capacity_period
    starts = [
        s
        for s in _period_slots(period, the_round.starts_on, the_round.ends_on)
        if slots.slot_end(s, period) >= timezone.localdate()
    ]
    index = {start: i for i, start in enumerate(starts)}
    problem_capacity: dict[allocation.SlotKey, int] = {}
    for key, resource in resources.items():
        for start, free in capacity.free_units(resource, starts).items():
            problem_capacity[(key, index[start])] = int(free)
    requests = list(
        the_round.requests.select_related("consumer", "requested_by", "resource").order_by(
            "created_at", "pk"
        )
    )
    providers = {r.openness_list.publisher_id for r in resources.values()}
    served_before = set(
        Agreement.objects.filter(
            provider__in=providers, consumer__in=[r.consumer_id for r in requests]
        ).values_list("consumer_id", flat=True)
    )
    asks = []
    for req in requests:
        req.weight, req.priority = priority_of(
            req.consumer, the_round.priorities, req.consumer_id not in served_before
        )
        window = _window(req, period, index)
        options = _eligible(req, resources)
        if window is None or not options:
            continue
        asks.append(
            allocation.Request(
                key=str(req.pk),
                quantity=req.quantity,
                minimum=req.minimum,
                first=window[0],
                last=window[1],
                resources=tuple(options),
                weight=req.weight,
            )
        )
    problem = allocation.Problem(problem_capacity, asks, allocation.Fairness(the_round.fairness))
    return _Built(resources, starts, requests, problem_capacity, problem)


def _commit(
    actor: User,
    locked: AllocationRound,
    built: _Built,
    result: allocation.Result,
    statements: dict[str, allocation.Statement],
    before_state: str,
) -> None:
    """Write a solved round inside the caller's transaction: statements, agreements,
    notifications, the solver's record and one audit event."""
    now = timezone.now()
    for req in built.requests:
        _conclude(actor, locked, req, result, statements, built.resources, built.starts, now)
        notify(
            verb="round.allocated",
            obj=req,
            url=reverse("access:round_request", args=[req.pk]),
            organisations=[req.consumer],
            params={
                "resource_zh": locked.title,
                "resource_en": locked.title,
                "party_zh": locked.provider.name_zh,
                "party_en": locked.provider.name_en or locked.provider.name_zh,
            },
        )
    locked.state = RoundState.ALLOCATED
    locked.closed_by = actor
    locked.closed_at = now
    locked.job_step = ""
    locked.job_error = ""
    locked.solver_method = str(result.method)
    locked.solver_status = result.status
    locked.solver_seconds = round(result.seconds, 4)
    locked.solver_details = {
        "variables": result.variables,
        "constraints": result.constraints,
        "objective": list(result.objective),
        "bound": list(result.bound) if result.bound else None,
        "relaxation_violations": result.relaxation_violations,
        "capacity": sum(built.capacity.values()),
        "demand": sum(r.quantity for r in built.requests),
    }
    locked.save()
    record(
        actor=actor,
        action="access.round.allocated",
        obj=locked,
        organisation_id=locked.provider_id,
        before={"state": before_state},
        after={
            "state": locked.state,
            "method": locked.solver_method,
            "status": locked.solver_status,
            "seconds": locked.solver_seconds,
            "details": locked.solver_details,
            "granted": {str(r.pk): r.granted for r in built.requests},
        },
    )


def close_round(
    actor: User, the_round: AllocationRound, *, background: bool | None = None
) -> AllocationRound:
    """Close the round and allocate it: at once, or, for a large round, in the background.

    A round of `BACKGROUND_REQUESTS` requests or more (or with `background=True`) is only
    marked closing and queued: `run_closing_jobs` (the `synergy access close-rounds`
    worker) solves it outside any write transaction and commits the result in one durable
    transaction. A smaller round is solved and written in one durable transaction here.
    """
    organisation, _pool = _organiser(actor)
    if organisation.pk != the_round.provider_id:
        raise PermissionDenied(_("Only the round's provider may close it."))
    if background is None:
        background = the_round.requests.count() >= BACKGROUND_REQUESTS
    with transaction.atomic(durable=True):
        locked = AllocationRound.objects.select_for_update().get(pk=the_round.pk)
        _require_open(locked)
        if background:
            locked.state = RoundState.CLOSING
            locked.closed_by = actor
            locked.job_step = JobStep.QUEUED
            locked.job_error = ""
            locked.save(update_fields=["state", "closed_by", "job_step", "job_error"])
            record(
                actor=actor,
                action="access.round.closing",
                obj=locked,
                organisation_id=locked.provider_id,
                before={"state": RoundState.OPEN},
                after={"state": locked.state, "job": locked.job_step},
            )
            return locked
        built = _build(locked)
        result = allocation.solve(built.problem, time_limit=SOLVER_SECONDS)
        statements = allocation.explain(built.problem, result)
        _commit(actor, locked, built, result, statements, RoundState.OPEN)
    return locked


def _step(round_pk: int, step: str, *, expect: str | None = None, error: str = "") -> bool:
    """Move a queued job to its next step (compare and set: False if another worker has it)."""
    rows = AllocationRound.objects.filter(pk=round_pk, state=RoundState.CLOSING)
    if expect is not None:
        rows = rows.filter(job_step=expect)
    return bool(rows.update(job_step=step, job_error=error[:1000]))


def _still_fits(built: _Built, result: allocation.Result) -> bool:
    """Whether the allocation still fits the capacity free now (bookings made meanwhile)."""
    used: dict[allocation.SlotKey, int] = defaultdict(int)
    for parts in result.placement.values():
        for slot, units in parts.items():
            used[slot] += units
    by_resource: dict[str, list[int]] = defaultdict(list)
    for key, t in used:
        by_resource[key].append(t)
    for key, times in by_resource.items():
        free = capacity.free_units(built.resources[key], [built.starts[t] for t in times])
        if any(used[(key, t)] > int(free[built.starts[t]]) for t in times):
            return False
    return True


def close_queued_round(round_pk: int) -> str:
    """Allocate one queued round: solve outside any write transaction, then write it all in
    one durable transaction; returns the job's step at the end.

    Claiming the job is a compare-and-set, so two workers never solve the same round. If
    capacity was booked elsewhere while the solver ran and the allocation no longer fits,
    nothing is written and the round is queued again (solved afresh on the next run). A
    failure leaves the round closing with the error shown on its page.
    """
    if not _step(round_pk, JobStep.SOLVING, expect=JobStep.QUEUED):
        return ""
    the_round = AllocationRound.objects.select_related("provider", "closed_by").get(pk=round_pk)
    try:
        built = _build(the_round)
        result = allocation.solve(built.problem, time_limit=SOLVER_SECONDS)
        statements = allocation.explain(built.problem, result)
    except Exception as exc:  # the job must record why it stopped, whatever it was
        _step(round_pk, JobStep.FAILED, error=f"{type(exc).__name__}: {exc}")
        return JobStep.FAILED
    _step(round_pk, JobStep.WRITING, expect=JobStep.SOLVING)
    try:
        with transaction.atomic(durable=True):
            locked = AllocationRound.objects.select_for_update().get(pk=round_pk)
            if locked.state != RoundState.CLOSING:
                return ""
            if not _still_fits(built, result):
                locked.job_step = JobStep.QUEUED
                locked.job_error = "capacity changed while solving: queued again"
                locked.save(update_fields=["job_step", "job_error"])
                return JobStep.QUEUED
            assert the_round.closed_by is not None
            _commit(the_round.closed_by, locked, built, result, statements, RoundState.CLOSING)
    except Exception as exc:  # rolled back as a whole; the page shows why
        _step(round_pk, JobStep.FAILED, error=f"{type(exc).__name__}: {exc}")
        return JobStep.FAILED
    return JobStep.DONE


def run_closing_jobs(limit: int | None = None) -> int:
    """Allocate the queued rounds, oldest first; returns how many were allocated."""
    queued = AllocationRound.objects.filter(
        state=RoundState.CLOSING, job_step=JobStep.QUEUED
    ).order_by("pk")
    done = 0
    for pk in list(queued.values_list("pk", flat=True)[:limit]):
        if close_queued_round(pk) == JobStep.DONE:
            done += 1
    return done


def _window(req: RoundRequest, period: str, index: dict[date, int]) -> tuple[int, int] | None:
    """The request's window as slot indices (None when its slots are all over)."""
    touched = [
        index[s]
        for s in slots.slots_between(req.window_starts_on, req.window_ends_on, period)
        if s in index
    ]
    return (min(touched), max(touched)) if touched else None


def _eligible(req: RoundRequest, resources: dict[str, Resource]) -> list[str]:
    """The resources the request may take: its own, or every eligible one when flexible.

    A resource a measure in force blocks for the SME (taken after it requested) is left
    out: P2B Art 4(1)/(2), no new booking while it runs (`access.measures`).
    """
    held = measures.in_force(req.consumer_id)
    if not req.flexible:
        chosen = resources.get(str(req.resource_id))
        if chosen is None or measures.blocking(chosen, req.consumer_id, measures=held):
            return []
        return [str(req.resource_id)]
    return [
        key
        for key, resource in resources.items()
        if (resource.pk == req.resource_id or not eligibility_problems(resource, req.consumer))
        and measures.blocking(resource, req.consumer_id, measures=held) is None
    ]


def _conclude(
    actor: User,
    the_round: AllocationRound,
    req: RoundRequest,
    result: allocation.Result,
    statements: dict[str, allocation.Statement],
    resources: dict[str, Resource],
    starts: list[date],
    now: Any,
) -> None:
    """Store one request's result and statement; make its agreements (one per resource)."""
    parts = result.placement.get(str(req.pk), {})
    by_resource: dict[str, dict[date, Decimal]] = defaultdict(dict)
    for (key, t), units in parts.items():
        by_resource[key][starts[t]] = Decimal(units)
    req.granted = sum(parts.values())
    req.placement = [
        {"resource": int(key), "starts_on": starts[t].isoformat(), "units": units}
        for (key, t), units in sorted(parts.items(), key=lambda p: (p[0][1], p[0][0]))
    ]
    statement = statements.get(str(req.pk))
    if statement is None:
        req.reasons = [{"code": "no_slot"}]
    else:
        req.reasons = [
            {
                "code": reason.code,
                "slots": [
                    {"resource": int(key), "starts_on": starts[t].isoformat()}
                    for key, t in reason.slots
                ],
                **reason.params,
            }
            for reason in statement.reasons
        ]
    req.save()
    made = [
        conclude_allocation_in_transaction(
            actor,
            resources[key],
            req.consumer,
            req.requested_by,
            req.purpose,
            req.purpose_code,
            units,
            now,
        )
        for key, units in sorted(by_resource.items())
    ]
    if made:
        req.agreements.set(made)
