"""Booking declared capacity in calendar slots, race-free on SQLite and PostgreSQL.

Each slot of a resource lineage is one `CapacitySlot` row. A booking first makes sure the
rows exist (`INSERT … ON CONFLICT DO NOTHING`, so concurrent first bookings do not
collide), locks them in date order (`SELECT … FOR UPDATE`; SQLite's IMMEDIATE
transactions already serialise writers), checks the free capacity on the locked rows and
adds its units. The check constraint `booked <= capacity` is the last guard. Two requests
can therefore never book the same capacity: the second one sees the first one's units and
is refused, naming the slot and what is still free.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from synergy_hub.access import slots
from synergy_hub.access.models import AccessRequest, Booking, CapacitySlot
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.vocabulary import ResourceType

#: Resource types whose declared capacity is booked in slots (the rest is only metered).
BOOKABLE_TYPES = frozenset(
    {
        ResourceType.COMPUTE,
        ResourceType.EQUIPMENT,
        ResourceType.LABORATORY,
        ResourceType.TESTING_CERTIFICATION,
    }
)


def is_bookable(resource: Resource) -> bool:
    """Whether requests for this resource book capacity slots."""
    return (
        resource.resource_type in BOOKABLE_TYPES
        and resource.capacity is not None
        and resource.capacity > 0
        and resource.capacity_period in slots.PERIODS
    )


def slot_starts(resource: Resource, starts_on: date, ends_on: date) -> list[date]:
    """The slots a period touches; ValueError when the period has too many of them."""
    return slots.slots_between(starts_on, ends_on, resource.capacity_period)


def book(
    access_request: AccessRequest,
    resource: Resource,
    quantity: Decimal,
    starts_on: date,
    ends_on: date,
    now: datetime,
) -> list[Booking]:
    """Hold `quantity` spread over the period's slots; the caller holds the transaction.

    Refuses (ValidationError on `quantity`, code `capacity_exhausted`) when any slot has
    too little free capacity; nothing is then kept, as the caller's transaction rolls back.
    """
    if not is_bookable(resource):
        return []
    parts = slots.allocate(quantity, slot_starts(resource, starts_on, ends_on))
    return book_parts(access_request, resource, parts, now)


def book_parts(
    access_request: AccessRequest,
    resource: Resource,
    parts: dict[date, Decimal],
    now: datetime,
) -> list[Booking]:
    """Hold the given units in each slot (by its start); the caller holds the transaction.

    `book` spreads a quantity evenly; an allocation round places units slot by slot and
    books exactly those. Same refusal as `book` when a slot has too little free capacity.
    """
    if not is_bookable(resource):
        return []
    assert resource.capacity is not None
    declared = resource.capacity
    period = resource.capacity_period
    CapacitySlot.objects.bulk_create(
        [
            CapacitySlot(
                resource_lineage=resource.lineage, period=period, starts_on=start, capacity=declared
            )
            for start in parts
        ],
        ignore_conflicts=True,
    )
    locked = {
        slot.starts_on: slot
        for slot in CapacitySlot.objects.select_for_update()
        .filter(resource_lineage=resource.lineage, period=period, starts_on__in=list(parts))
        .order_by("starts_on")
    }
    bookings = []
    for start in sorted(parts):
        units = parts[start]
        slot = locked[start]
        if slot.booked + units > declared:
            raise ValidationError(
                {
                    "quantity": ValidationError(
                        _(
                            "Not enough capacity left in the slot from %(start)s to %(end)s: "
                            "%(units)s needed, %(free)s free."
                        )
                        % {
                            "start": start,
                            "end": slots.slot_end(start, period),
                            "units": units,
                            "free": max(declared - slot.booked, Decimal(0)),
                        },
                        code="capacity_exhausted",
                    )
                }
            )
        # Exact decimal arithmetic on the locked row (a float sum in SQLite could drift).
        slot.booked += units
        slot.capacity = declared
        slot.save(update_fields=["booked", "capacity"])
        bookings.append(
            Booking.objects.create(
                slot=slot, access_request=access_request, units=units, created_at=now
            )
        )
    return bookings


def free_units(resource: Resource, starts: list[date]) -> dict[date, Decimal]:
    """Declared capacity minus what is booked, per slot start (0 when not bookable)."""
    if not is_bookable(resource):
        return dict.fromkeys(starts, Decimal(0))
    assert resource.capacity is not None
    booked = dict(
        CapacitySlot.objects.filter(
            resource_lineage=resource.lineage,
            period=resource.capacity_period,
            starts_on__in=starts,
        ).values_list("starts_on", "booked")
    )
    return {
        start: max(resource.capacity - booked.get(start, Decimal(0)), Decimal(0))
        for start in starts
    }


def free_now(resources: Iterable[Resource], today: date) -> dict[int, Decimal]:
    """Free units in today's slot of each bookable resource, by resource id (one query)."""
    bookable = [r for r in resources if is_bookable(r)]
    if not bookable:
        return {}
    current = {r.pk: slots.slot_start(today, r.capacity_period) for r in bookable}
    condition = Q(pk__in=[])
    for r in bookable:
        condition |= Q(
            resource_lineage=r.lineage, period=r.capacity_period, starts_on=current[r.pk]
        )
    booked = {
        (lineage, period, start): units
        for lineage, period, start, units in CapacitySlot.objects.filter(condition).values_list(
            "resource_lineage", "period", "starts_on", "booked"
        )
    }
    found = {}
    for r in bookable:
        assert r.capacity is not None
        taken = booked.get((r.lineage, r.capacity_period, current[r.pk]), Decimal(0))
        found[r.pk] = max(r.capacity - taken, Decimal(0))
    return found


def release(access_request: AccessRequest, now: datetime, *, from_day: date | None = None) -> int:
    """Give back the request's held units (only slots starting on or after `from_day`)."""
    held = Booking.objects.filter(access_request=access_request, released_at__isnull=True)
    if from_day is not None:
        held = held.filter(slot__starts_on__gte=from_day)
    bookings = list(held.order_by("slot__starts_on"))
    locked = {
        slot.pk: slot
        for slot in CapacitySlot.objects.select_for_update()
        .filter(pk__in=[b.slot_id for b in bookings])
        .order_by("starts_on")
    }
    for booking in bookings:
        slot = locked[booking.slot_id]
        slot.booked = max(slot.booked - booking.units, Decimal(0))
        slot.save(update_fields=["booked"])
        booking.released_at = now
        booking.save(update_fields=["released_at"])
    return len(bookings)


@dataclass(frozen=True)
class SlotView:
    """One slot of the calendar: its dates, the declared capacity, what is booked and free."""

    starts_on: date
    ends_on: date
    capacity: Decimal
    booked: Decimal

    @property
    def free(self) -> Decimal:
        return max(self.capacity - self.booked, Decimal(0))

    @property
    def booked_percent(self) -> int:
        return int(min(self.booked, self.capacity) * 100 / self.capacity) if self.capacity else 0


def calendar(resource: Resource, today: date, count: int = 12) -> list[SlotView]:
    """The next `count` slots from today with their free capacity (empty if not bookable)."""
    if not is_bookable(resource):
        return []
    assert resource.capacity is not None
    period = resource.capacity_period
    starts = slots.upcoming_slots(today, period, count)
    booked = dict(
        CapacitySlot.objects.filter(
            resource_lineage=resource.lineage, period=period, starts_on__in=starts
        ).values_list("starts_on", "booked")
    )
    return [
        SlotView(
            starts_on=start,
            ends_on=slots.slot_end(start, period),
            capacity=resource.capacity,
            booked=booked.get(start, Decimal(0)),
        )
        for start in starts
    ]
