"""The openness-list state machine, alone."""

from __future__ import annotations

import pytest

from synergy_hub.catalog.workflow import (
    IllegalTransition,
    State,
    Transition,
    allowed_transitions,
    is_editable,
    next_state,
)


@pytest.mark.parametrize(
    ("state", "transition", "target"),
    [
        (State.DRAFT, Transition.SUBMIT, State.SUBMITTED),
        (State.RETURNED, Transition.SUBMIT, State.SUBMITTED),
        (State.SUBMITTED, Transition.START_REVIEW, State.UNDER_REVIEW),
        (State.SUBMITTED, Transition.RETURN, State.RETURNED),
        (State.UNDER_REVIEW, Transition.RETURN, State.RETURNED),
        (State.UNDER_REVIEW, Transition.PUBLISH, State.PUBLISHED),
        (State.PUBLISHED, Transition.SUPERSEDE, State.SUPERSEDED),
    ],
)
def test_allowed_transitions(state: State, transition: Transition, target: State) -> None:
    assert next_state(state, transition) == target


@pytest.mark.parametrize(
    ("state", "transition"),
    [
        (State.DRAFT, Transition.PUBLISH),
        (State.SUBMITTED, Transition.PUBLISH),
        (State.PUBLISHED, Transition.SUBMIT),
        (State.PUBLISHED, Transition.RETURN),
        (State.SUPERSEDED, Transition.PUBLISH),
        (State.SUPERSEDED, Transition.SUBMIT),
        (State.DRAFT, Transition.START_REVIEW),
    ],
)
def test_illegal_transitions(state: State, transition: Transition) -> None:
    with pytest.raises(IllegalTransition):
        next_state(state, transition)


def test_only_drafts_and_returned_lists_are_editable() -> None:
    assert {s for s in State if is_editable(s)} == {State.DRAFT, State.RETURNED}


def test_actions_per_actor() -> None:
    assert allowed_transitions(State.UNDER_REVIEW, "officer") == [
        Transition.RETURN,
        Transition.PUBLISH,
    ]
    assert allowed_transitions(State.UNDER_REVIEW, "publisher") == []
    assert allowed_transitions(State.DRAFT, "publisher") == [Transition.SUBMIT]
