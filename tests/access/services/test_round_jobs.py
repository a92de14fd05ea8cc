"""A large round is closed in the background: queued, solved outside any write transaction,
written in one durable transaction, its progress on the round's page (decision 0031)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction

from synergy_hub import allocation
from synergy_hub.access import services
from synergy_hub.access.models import AllocationRound, CapacitySlot, RoundRequest
from synergy_hub.access.services import rounds
from synergy_hub.access.vocabulary import JobStep, RoundState
from synergy_hub.accounts.models import User
from synergy_hub.audit.models import AuditEvent
from synergy_hub.catalog.models import Resource
from tests.access.services import test_rounds
from tests.access.services.test_rounds import _ask, _round
from tests.conftest import World
from tests.pages import client_for
from tests.permissions import assert_refused

admin_a = pytest.fixture(test_rounds.admin_a.__wrapped__)  # type: ignore[attr-defined]
micro = pytest.fixture(test_rounds.micro.__wrapped__)  # type: ignore[attr-defined]
lab = pytest.fixture(test_rounds.lab.__wrapped__)  # type: ignore[attr-defined]


def _reload(the_round: AllocationRound) -> AllocationRound:
    return AllocationRound.objects.get(pk=the_round.pk)


def test_closing_in_the_background_queues_then_the_worker_allocates(
    world: World, admin_a: User, micro: User, lab: Resource, monkeypatch: pytest.MonkeyPatch
) -> None:
    the_round = _round(admin_a, lab)
    _ask(micro, the_round, lab)
    _ask(world.charlie, the_round, lab)
    queued = services.close_round(admin_a, the_round, background=True)
    assert queued.state == RoundState.CLOSING and queued.job_step == JobStep.QUEUED
    assert not RoundRequest.objects.filter(granted__isnull=False).exists()
    assert AuditEvent.objects.filter(action="access.round.closing").count() == 1
    with pytest.raises(ValidationError):  # closed to requests while it is allocated
        _ask(world.sam, the_round, lab)
    page = client_for(admin_a, "en").get(f"/access/rounds/{the_round.pk}/").content.decode()
    assert 'data-testid="round-job"' in page and "Queued" in page

    depth: list[int] = []
    real_solve = allocation.solve

    def watched(problem: allocation.Problem, **kwargs: Any) -> allocation.Result:
        depth.append(len(transaction.get_connection().atomic_blocks))
        return real_solve(problem, **kwargs)

    monkeypatch.setattr(rounds.allocation, "solve", watched)
    outside = len(transaction.get_connection().atomic_blocks)  # the test's own wrapping
    assert services.run_closing_jobs() == 1
    assert depth == [outside]  # the solve ran in no transaction of ours: no write lock
    done = _reload(the_round)
    assert done.state == RoundState.ALLOCATED and done.job_step == ""
    assert done.solver_status == "OPTIMAL" and done.closed_by == admin_a
    granted = {r.consumer.name_en: r.granted for r in RoundRequest.objects.all()}
    assert granted == {"Micro Co": 8, "Platform C": 2}
    assert CapacitySlot.objects.get(resource_lineage=lab.lineage).booked == Decimal(10)
    event = AuditEvent.objects.get(action="access.round.allocated")
    assert event.before == {"state": "closing"} and event.actor_id == admin_a.pk
    assert services.run_closing_jobs() == 0  # nothing queued: running again does nothing
    zh = client_for(admin_a, "zh-hans").get(f"/access/rounds/{the_round.pk}/")
    assert zh.status_code == 200 and 'data-testid="solver"' in zh.content.decode()


def test_capacity_booked_during_the_solve_sends_the_round_back_to_the_queue(
    world: World, admin_a: User, micro: User, lab: Resource, monkeypatch: pytest.MonkeyPatch
) -> None:
    the_round = _round(admin_a, lab)
    _ask(micro, the_round, lab)
    _ask(world.charlie, the_round, lab)
    services.close_round(admin_a, the_round, background=True)
    real_solve = allocation.solve
    day = the_round.starts_on

    def solve_while_someone_books(problem: allocation.Problem, **kwargs: Any):
        result = real_solve(problem, **kwargs)
        CapacitySlot.objects.update_or_create(
            resource_lineage=lab.lineage,
            period=lab.capacity_period,
            starts_on=day,
            defaults={"booked": Decimal(3), "capacity": lab.capacity},
        )
        return result

    monkeypatch.setattr(rounds.allocation, "solve", solve_while_someone_books)
    assert services.run_closing_jobs() == 0
    again = _reload(the_round)
    assert again.state == RoundState.CLOSING and again.job_step == JobStep.QUEUED
    assert "capacity changed" in again.job_error
    assert not RoundRequest.objects.filter(granted__isnull=False).exists()
    assert not AuditEvent.objects.filter(action="access.round.allocated").exists()
    monkeypatch.setattr(rounds.allocation, "solve", real_solve)
    call_command("access", "close-rounds")  # the worker's command, run once
    done = _reload(the_round)
    assert done.state == RoundState.ALLOCATED
    assert sum(r.granted for r in RoundRequest.objects.all()) == 7  # 10 less the 3 booked


def test_a_failed_solve_is_shown_and_writes_nothing(
    world: World, admin_a: User, micro: User, lab: Resource, monkeypatch: pytest.MonkeyPatch
) -> None:
    the_round = _round(admin_a, lab)
    _ask(micro, the_round, lab)
    services.close_round(admin_a, the_round, background=True)

    def broken(problem: allocation.Problem, **kwargs: Any) -> allocation.Result:
        raise MemoryError("solver ran out of memory")

    monkeypatch.setattr(rounds.allocation, "solve", broken)
    assert services.run_closing_jobs() == 0
    failed = _reload(the_round)
    assert failed.state == RoundState.CLOSING and failed.job_step == JobStep.FAILED
    assert "out of memory" in failed.job_error
    assert not RoundRequest.objects.filter(granted__isnull=False).exists()
    page = client_for(admin_a, "en").get(f"/access/rounds/{the_round.pk}/").content.decode()
    assert "Failed" in page and "out of memory" in page


def test_a_claimed_job_is_not_solved_twice(
    world: World, admin_a: User, micro: User, lab: Resource
) -> None:
    the_round = _round(admin_a, lab)
    _ask(micro, the_round, lab)
    services.close_round(admin_a, the_round, background=True)
    AllocationRound.objects.filter(pk=the_round.pk).update(job_step=JobStep.SOLVING)
    assert rounds.close_queued_round(the_round.pk) == ""  # another worker holds it
    assert _reload(the_round).state == RoundState.CLOSING


def test_only_the_rounds_provider_closes_it_in_the_background(
    world: World, admin_a: User, micro: User, lab: Resource
) -> None:
    the_round = _round(admin_a, lab)
    _ask(micro, the_round, lab)
    assert_refused(
        world,
        lambda actor: services.close_round(actor, the_round, background=True),
        "sme_a",
        "other_platform",
        "platform_viewer",
    )
    assert _reload(the_round).state == RoundState.OPEN


def test_a_round_of_many_requests_goes_to_the_background_by_itself(
    world: World, admin_a: User, micro: User, lab: Resource, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rounds, "BACKGROUND_REQUESTS", 2)
    the_round = _round(admin_a, lab)
    _ask(micro, the_round, lab)
    assert services.close_round(admin_a, _round(admin_a, lab)).state == RoundState.ALLOCATED
    _ask(world.charlie, the_round, lab)
    assert services.close_round(admin_a, the_round).state == RoundState.CLOSING


def test_a_failure_while_writing_rolls_everything_back_and_is_shown(
    world: World, admin_a: User, micro: User, lab: Resource, monkeypatch: pytest.MonkeyPatch
) -> None:
    the_round = _round(admin_a, lab)
    _ask(micro, the_round, lab)
    services.close_round(admin_a, the_round, background=True)
    real_conclude = rounds._conclude

    def conclude_then_fail(*args: Any, **kwargs: Any) -> None:
        real_conclude(*args, **kwargs)  # the first request's agreement is written …
        raise RuntimeError("disk full")  # … then the write fails

    monkeypatch.setattr(rounds, "_conclude", conclude_then_fail)
    assert services.run_closing_jobs() == 0
    failed = _reload(the_round)
    assert failed.state == RoundState.CLOSING and failed.job_step == JobStep.FAILED
    assert "disk full" in failed.job_error
    assert not RoundRequest.objects.filter(granted__isnull=False).exists()
    assert not CapacitySlot.objects.filter(booked__gt=0).exists()
    assert not AuditEvent.objects.filter(action="access.round.allocated").exists()
