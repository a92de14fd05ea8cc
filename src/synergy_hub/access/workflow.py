"""The access state machines as pure tables (no database), named after the Dataspace Protocol.

Negotiation (an access request):

    requested ──offer──▶ offered ──accept──▶ accepted ──agree──▶ agreed
        ▲                  │  ▲ (offer: revise)                    ▲
        └─────counter──────┘  └─────────────┘                      │
    requested ─────────────────────agree───────────────────────────┘
    requested | offered | accepted ──reject──▶ rejected   (provider, with reasons)
    requested | offered | accepted ──withdraw─▶ withdrawn (SME)

Agreement (made when a request is agreed; DSP "finalized" is our "active"):

    agreed ──activate──▶ active ──complete──▶ completed   (all quantity used)
    active ──suspend──▶ suspended ──resume──▶ active       (provider, with reasons)
    agreed | active | suspended ──expire──▶ expired        (end of period)
    agreed | active | suspended ──terminate─▶ terminated   (either side, with reasons)

`activate`, `complete` and `expire` are performed by the system (`advance_agreements`);
a termination with notice is performed by the system when its notice period has run.
"""

from __future__ import annotations

from enum import StrEnum


class RequestState(StrEnum):
    REQUESTED = "requested"
    OFFERED = "offered"
    ACCEPTED = "accepted"
    AGREED = "agreed"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class AgreementState(StrEnum):
    AGREED = "agreed"
    ACTIVE = "active"
    SUSPENDED = "suspended"
    COMPLETED = "completed"
    EXPIRED = "expired"
    TERMINATED = "terminated"


class Actor(StrEnum):
    CONSUMER = "consumer"
    PROVIDER = "provider"
    SYSTEM = "system"


class Transition(StrEnum):
    # negotiation
    OFFER = "offer"
    COUNTER = "counter"
    ACCEPT = "accept"
    AGREE = "agree"
    REJECT = "reject"
    WITHDRAW = "withdraw"
    # agreement
    ACTIVATE = "activate"
    SUSPEND = "suspend"
    RESUME = "resume"
    COMPLETE = "complete"
    EXPIRE = "expire"
    TERMINATE = "terminate"


_R = RequestState
_A = AgreementState
_OPEN_NEGOTIATION = frozenset({_R.REQUESTED, _R.OFFERED, _R.ACCEPTED})
_RUNNING = frozenset({_A.AGREED, _A.ACTIVE, _A.SUSPENDED})
_EITHER = frozenset({Actor.CONSUMER, Actor.PROVIDER})
_PROVIDER = frozenset({Actor.PROVIDER})
_CONSUMER = frozenset({Actor.CONSUMER})
_SYSTEM = frozenset({Actor.SYSTEM})

# transition -> (allowed source states, target state, who may perform it)
NEGOTIATION: dict[Transition, tuple[frozenset[RequestState], RequestState, frozenset[Actor]]] = {
    Transition.OFFER: (frozenset({_R.REQUESTED, _R.OFFERED}), _R.OFFERED, _PROVIDER),
    Transition.COUNTER: (frozenset({_R.OFFERED}), _R.REQUESTED, _CONSUMER),
    Transition.ACCEPT: (frozenset({_R.OFFERED}), _R.ACCEPTED, _CONSUMER),
    Transition.AGREE: (frozenset({_R.REQUESTED, _R.ACCEPTED}), _R.AGREED, _PROVIDER),
    Transition.REJECT: (_OPEN_NEGOTIATION, _R.REJECTED, _PROVIDER),
    Transition.WITHDRAW: (_OPEN_NEGOTIATION, _R.WITHDRAWN, _CONSUMER),
}

AGREEMENT: dict[Transition, tuple[frozenset[AgreementState], AgreementState, frozenset[Actor]]] = {
    Transition.ACTIVATE: (frozenset({_A.AGREED}), _A.ACTIVE, _SYSTEM),
    Transition.SUSPEND: (frozenset({_A.ACTIVE}), _A.SUSPENDED, _PROVIDER),
    Transition.RESUME: (frozenset({_A.SUSPENDED}), _A.ACTIVE, _PROVIDER),
    Transition.COMPLETE: (frozenset({_A.ACTIVE}), _A.COMPLETED, _SYSTEM),
    Transition.EXPIRE: (_RUNNING, _A.EXPIRED, _SYSTEM),
    Transition.TERMINATE: (_RUNNING, _A.TERMINATED, _EITHER | _SYSTEM),
}

#: Negotiation states in which the request still waits for someone.
OPEN_REQUEST_STATES = _OPEN_NEGOTIATION
#: Agreement states in which the agreement still binds both sides.
RUNNING_AGREEMENT_STATES = _RUNNING
#: Negotiation states in which capacity is held for the request.
HOLDING_STATES = frozenset({_R.ACCEPTED, _R.AGREED})


class IllegalTransition(Exception):
    """Raised when a transition is not allowed from the current state or by this actor."""

    def __init__(self, transition: Transition, state: str, actor: Actor) -> None:
        super().__init__(f"{actor.value} cannot {transition.value} from {state}")
        self.transition = transition
        self.state = state
        self.actor = actor


def next_request_state(state: str, transition: Transition, actor: Actor) -> RequestState:
    """Return the negotiation state after `transition` by `actor`, or raise IllegalTransition."""
    if transition not in NEGOTIATION:
        raise IllegalTransition(transition, state, actor)
    sources, target, actors = NEGOTIATION[transition]
    if RequestState(state) not in sources or actor not in actors:
        raise IllegalTransition(transition, state, actor)
    return target


def next_agreement_state(state: str, transition: Transition, actor: Actor) -> AgreementState:
    """Return the agreement state after `transition` by `actor`, or raise IllegalTransition."""
    if transition not in AGREEMENT:
        raise IllegalTransition(transition, state, actor)
    sources, target, actors = AGREEMENT[transition]
    if AgreementState(state) not in sources or actor not in actors:
        raise IllegalTransition(transition, state, actor)
    return target


def request_actions(state: str, actor: Actor) -> list[Transition]:
    """The negotiation transitions `actor` may perform from `state` (for buttons and API)."""
    current = RequestState(state)
    return [t for t, (src, _t, who) in NEGOTIATION.items() if current in src and actor in who]


def agreement_actions(state: str, actor: Actor) -> list[Transition]:
    """The agreement transitions `actor` may perform from `state`."""
    current = AgreementState(state)
    return [t for t, (src, _t, who) in AGREEMENT.items() if current in src and actor in who]
