"""Capacity booking: slots hold what agreements need, never more than declared, also under races."""

from __future__ import annotations

import threading
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from synergy_hub.access import services
from synergy_hub.access.models import AccessRequest, Booking, CapacitySlot
from synergy_hub.access.services import capacity
from synergy_hub.access.vocabulary import RequestState
from synergy_hub.accounts.models import User
from synergy_hub.catalog.models import OpennessList, Resource
from tests.access.conftest import REASONS_EXAMPLE, offered, requested, today
from tests.conftest import World


@pytest.fixture
def lab(published: OpennessList) -> Resource:
    """A laboratory with three benches: 3 lab days per day."""
    from tests import factories

    return factories.resource(
        published,
        resource_type="laboratory",
        title_en="Materials lab",
        title_zh="材料实验室",
        unit="lab_day",
        capacity=Decimal(3),
        capacity_period="day",
    )


def _day(offset: int = 3) -> dict[str, Any]:
    day = today() + timedelta(days=offset)
    return {"starts_on": day, "ends_on": day}


def test_accepting_books_the_slots_of_the_period(world: World, gpu: Resource) -> None:
    access_request = offered(world, gpu, quantity="10")
    services.accept_offer(world.sam, access_request)
    bookings = list(Booking.objects.filter(access_request=access_request))
    assert sum(b.units for b in bookings) == Decimal(10)
    assert {b.slot.period for b in bookings} == {"month"}
    slot = CapacitySlot.objects.get(pk=bookings[0].slot_id)
    assert slot.capacity == Decimal(1000) and slot.booked == bookings[0].units


def test_a_full_slot_refuses_and_a_withdrawal_frees_it(world: World, lab: Resource) -> None:
    first = offered(world, lab, quantity="3", **_day())
    second = offered(world, lab, quantity="1", **_day())
    services.accept_offer(world.sam, first)
    with pytest.raises(ValidationError) as exc:
        services.accept_offer(world.sam, second)
    error = exc.value.error_dict["quantity"][0]
    assert error.code == "capacity_exhausted" and "0 free" in str(error.message)
    second.refresh_from_db()
    assert second.state == RequestState.OFFERED  # nothing half-written
    services.withdraw_request(world.sam, first)
    services.accept_offer(world.sam, second)
    assert CapacitySlot.objects.get().booked == Decimal(1)


def test_rejection_releases_held_capacity(world: World, lab: Resource) -> None:
    access_request = offered(world, lab, quantity="2", **_day())
    services.accept_offer(world.sam, access_request)
    services.reject_request(world.alice, access_request, REASONS_EXAMPLE)
    assert CapacitySlot.objects.get().booked == 0
    assert Booking.objects.get().released_at is not None


def test_agreeing_to_the_request_books_too(world: World, lab: Resource) -> None:
    access_request = requested(world, lab, quantity="2", **_day())
    services.agree(world.alice, access_request)
    assert CapacitySlot.objects.get().booked == Decimal(2)


def test_more_than_declared_is_refused(world: World, lab: Resource) -> None:
    access_request = offered(world, lab, quantity="4", **_day())
    with pytest.raises(ValidationError) as exc:
        services.accept_offer(world.sam, access_request)
    assert exc.value.error_dict["quantity"][0].code == "capacity_exhausted"
    assert not Booking.objects.exists()


def test_calendar_shows_what_is_free(world: World, lab: Resource) -> None:
    access_request = offered(world, lab, quantity="2", **_day(0))
    services.accept_offer(world.sam, access_request)
    slots = capacity.calendar(lab, today(), 3)
    assert [(s.booked, s.free) for s in slots] == [
        (Decimal(2), Decimal(1)),
        (Decimal(0), Decimal(3)),
        (Decimal(0), Decimal(3)),
    ]


def test_metered_resources_have_no_calendar(world: World, dataset: Resource) -> None:
    assert not capacity.is_bookable(dataset)
    assert capacity.calendar(dataset, today()) == []


# --- races --------------------------------------------------------------------------------

RACERS = 8


def _race_for_the_last_unit(world: World, lab: Resource) -> tuple[list[str], Decimal]:
    """Hold 2 of 3 units, then let RACERS requests accept the last one at the same moment."""
    holder = offered(world, lab, quantity="2", **_day())
    services.accept_offer(world.sam, holder)
    contenders = [offered(world, lab, quantity="1", **_day()).pk for _ in range(RACERS)]
    barrier = threading.Barrier(RACERS)
    outcomes: list[str] = []
    lock = threading.Lock()

    def accept(pk: int) -> None:
        try:
            sam = User.objects.get(pk=world.sam.pk)
            access_request = AccessRequest.objects.get(pk=pk)
            barrier.wait(timeout=30)
            try:
                services.accept_offer(sam, access_request)
                result = "won"
            except ValidationError as exc:
                result = exc.error_dict["quantity"][0].code or "refused"
            with lock:
                outcomes.append(result)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(pk,)) for pk in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes, CapacitySlot.objects.get().booked


def _assert_exactly_one_wins(
    outcomes: list[str], booked: Decimal, capsys: pytest.CaptureFixture[str]
) -> None:
    with capsys.disabled():
        print(
            f"\nparallel bookings of the last unit on {connection.vendor}: "
            f"{outcomes.count('won')} won, {outcomes.count('capacity_exhausted')} refused "
            f"(capacity_exhausted) of {RACERS}; booked {booked} of 3"
        )
    assert len(outcomes) == RACERS
    assert outcomes.count("won") == 1, outcomes
    assert outcomes.count("capacity_exhausted") == RACERS - 1, outcomes
    assert booked == Decimal(3)
    assert AccessRequest.objects.filter(state=RequestState.ACCEPTED).count() == 2


@pytest.mark.postgres_only
def test_parallel_bookings_of_the_last_unit_on_postgresql(
    transactional_db: None, world: World, lab: Resource, capsys: pytest.CaptureFixture[str]
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks under concurrency are tested on PostgreSQL (set DATABASE_URL)")
    _assert_exactly_one_wins(*_race_for_the_last_unit(world, lab), capsys)


def test_parallel_bookings_of_the_last_unit_on_sqlite(
    transactional_db: None, world: World, lab: Resource, capsys: pytest.CaptureFixture[str]
) -> None:
    if connection.vendor != "sqlite" or connection.is_in_memory_db():
        pytest.skip("needs a file SQLite database that several connections share")
    _assert_exactly_one_wins(*_race_for_the_last_unit(world, lab), capsys)
