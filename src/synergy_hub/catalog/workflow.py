"""The openness-list state machine as a pure table (no database).

draft → submitted → under review → published (→ superseded by the next published version),
or returned with reasons; a returned list is edited and submitted again. Only drafts and
returned lists are editable: a published version never changes.
"""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    UNDER_REVIEW = "under_review"
    RETURNED = "returned"
    PUBLISHED = "published"
    SUPERSEDED = "superseded"


class Transition(StrEnum):
    SUBMIT = "submit"
    START_REVIEW = "start_review"
    RETURN = "return"
    PUBLISH = "publish"
    SUPERSEDE = "supersede"


# transition -> (allowed source states, target state, who performs it)
TRANSITIONS: dict[Transition, tuple[frozenset[State], State, str]] = {
    Transition.SUBMIT: (frozenset({State.DRAFT, State.RETURNED}), State.SUBMITTED, "publisher"),
    Transition.START_REVIEW: (frozenset({State.SUBMITTED}), State.UNDER_REVIEW, "officer"),
    Transition.RETURN: (
        frozenset({State.SUBMITTED, State.UNDER_REVIEW}),
        State.RETURNED,
        "officer",
    ),
    Transition.PUBLISH: (frozenset({State.UNDER_REVIEW}), State.PUBLISHED, "officer"),
    Transition.SUPERSEDE: (frozenset({State.PUBLISHED}), State.SUPERSEDED, "system"),
}

EDITABLE_STATES = frozenset({State.DRAFT, State.RETURNED})
REVIEW_QUEUE_STATES = frozenset({State.SUBMITTED, State.UNDER_REVIEW})


class IllegalTransition(Exception):
    """Raised when a transition is not allowed from the list's current state."""

    def __init__(self, transition: Transition, state: State) -> None:
        super().__init__(f"cannot {transition.value} a list that is {state.value}")
        self.transition = transition
        self.state = state


def next_state(state: State | str, transition: Transition) -> State:
    """Return the state after `transition`, or raise IllegalTransition."""
    current = State(state)
    sources, target, _actor = TRANSITIONS[transition]
    if current not in sources:
        raise IllegalTransition(transition, current)
    return target


def is_editable(state: State | str) -> bool:
    """Whether resources and title may still change in this state."""
    return State(state) in EDITABLE_STATES


def allowed_transitions(state: State | str, actor: str) -> list[Transition]:
    """The transitions `actor` ("publisher" or "officer") may perform from `state`."""
    current = State(state)
    return [
        t
        for t, (sources, _target, who) in TRANSITIONS.items()
        if current in sources and who == actor
    ]
