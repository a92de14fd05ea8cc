"""The negotiation and agreement state machines as pure tables: every move, allowed or not."""

from __future__ import annotations

import itertools

import pytest

from synergy_hub.access import workflow
from synergy_hub.access.workflow import Actor, AgreementState, RequestState, Transition

NEGOTIATION_MOVES = {
    (RequestState.REQUESTED, Transition.OFFER, Actor.PROVIDER): RequestState.OFFERED,
    (RequestState.OFFERED, Transition.OFFER, Actor.PROVIDER): RequestState.OFFERED,
    (RequestState.OFFERED, Transition.COUNTER, Actor.CONSUMER): RequestState.REQUESTED,
    (RequestState.OFFERED, Transition.ACCEPT, Actor.CONSUMER): RequestState.ACCEPTED,
    (RequestState.REQUESTED, Transition.AGREE, Actor.PROVIDER): RequestState.AGREED,
    (RequestState.ACCEPTED, Transition.AGREE, Actor.PROVIDER): RequestState.AGREED,
    **{
        (state, Transition.REJECT, Actor.PROVIDER): RequestState.REJECTED
        for state in (RequestState.REQUESTED, RequestState.OFFERED, RequestState.ACCEPTED)
    },
    **{
        (state, Transition.WITHDRAW, Actor.CONSUMER): RequestState.WITHDRAWN
        for state in (RequestState.REQUESTED, RequestState.OFFERED, RequestState.ACCEPTED)
    },
}

AGREEMENT_MOVES = {
    (AgreementState.AGREED, Transition.ACTIVATE, Actor.SYSTEM): AgreementState.ACTIVE,
    (AgreementState.ACTIVE, Transition.SUSPEND, Actor.PROVIDER): AgreementState.SUSPENDED,
    (AgreementState.SUSPENDED, Transition.RESUME, Actor.PROVIDER): AgreementState.ACTIVE,
    (AgreementState.ACTIVE, Transition.COMPLETE, Actor.SYSTEM): AgreementState.COMPLETED,
    **{
        (state, Transition.EXPIRE, Actor.SYSTEM): AgreementState.EXPIRED
        for state in (AgreementState.AGREED, AgreementState.ACTIVE, AgreementState.SUSPENDED)
    },
    **{
        (state, Transition.TERMINATE, actor): AgreementState.TERMINATED
        for state in (AgreementState.AGREED, AgreementState.ACTIVE, AgreementState.SUSPENDED)
        for actor in Actor
    },
}

NEGOTIATION_TRANSITIONS = [t for t in Transition if t in workflow.NEGOTIATION]
AGREEMENT_TRANSITIONS = [t for t in Transition if t in workflow.AGREEMENT]


@pytest.mark.parametrize(
    ("state", "transition", "actor"),
    list(itertools.product(RequestState, NEGOTIATION_TRANSITIONS, Actor)),
)
def test_every_negotiation_move(state: str, transition: Transition, actor: Actor) -> None:
    expected = NEGOTIATION_MOVES.get((RequestState(state), transition, actor))
    if expected is None:
        with pytest.raises(workflow.IllegalTransition):
            workflow.next_request_state(state, transition, actor)
    else:
        assert workflow.next_request_state(state, transition, actor) is expected


@pytest.mark.parametrize(
    ("state", "transition", "actor"),
    list(itertools.product(AgreementState, AGREEMENT_TRANSITIONS, Actor)),
)
def test_every_agreement_move(state: str, transition: Transition, actor: Actor) -> None:
    expected = AGREEMENT_MOVES.get((AgreementState(state), transition, actor))
    if expected is None:
        with pytest.raises(workflow.IllegalTransition):
            workflow.next_agreement_state(state, transition, actor)
    else:
        assert workflow.next_agreement_state(state, transition, actor) is expected


def test_terminal_states_allow_nothing() -> None:
    for state in (RequestState.AGREED, RequestState.REJECTED, RequestState.WITHDRAWN):
        assert all(not workflow.request_actions(state, actor) for actor in Actor)
    for state in (AgreementState.COMPLETED, AgreementState.EXPIRED, AgreementState.TERMINATED):
        assert all(not workflow.agreement_actions(state, actor) for actor in Actor)


def test_actions_offered_to_each_side() -> None:
    assert workflow.request_actions("requested", Actor.PROVIDER) == [
        Transition.OFFER,
        Transition.AGREE,
        Transition.REJECT,
    ]
    assert workflow.request_actions("offered", Actor.CONSUMER) == [
        Transition.COUNTER,
        Transition.ACCEPT,
        Transition.WITHDRAW,
    ]
    assert workflow.agreement_actions("active", Actor.CONSUMER) == [Transition.TERMINATE]


def test_agreement_transitions_are_not_negotiation_steps() -> None:
    with pytest.raises(workflow.IllegalTransition):
        workflow.next_request_state("requested", Transition.ACTIVATE, Actor.SYSTEM)
    with pytest.raises(workflow.IllegalTransition):
        workflow.next_agreement_state("active", Transition.OFFER, Actor.PROVIDER)


def test_names_follow_the_dataspace_protocol() -> None:
    assert {s.value for s in RequestState} >= {"requested", "offered", "accepted", "agreed"}
    assert {s.value for s in AgreementState} >= {"active", "terminated"}
