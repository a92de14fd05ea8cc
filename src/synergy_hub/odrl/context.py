"""What the evaluator is asked: the attempted use, who attempts it, and the facts around it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo

from .values import DEFAULT_TIMEZONE, Value, require_aware

__all__ = ["Context", "PerformedAction", "UsageRequest"]


@dataclass(frozen=True)
class PerformedAction:
    """An action recorded in the state of the world (a payment, an attribution, a use).

    `facts` describe how it was performed (``{"payAmount": Quantity(...)}``) and are what a
    duty's refinements are checked against; `duty` names the duty it was meant to fulfil
    when the record says so.
    """

    action: str
    performer: str | None = None
    target: str | None = None
    at: datetime | None = None
    facts: Mapping[str, Value] = field(default_factory=dict)
    duty: str | None = None

    def __post_init__(self) -> None:
        if self.at is not None:
            require_aware(self.at, "PerformedAction.at")


@dataclass(frozen=True)
class Context:
    """Facts about the moment of use that constraints are checked against.

    `prior_uses` counts earlier uses under the agreement; the `count` left operand sees
    ``prior_uses + 1``, the number this use would be. `elapsed` defaults to
    ``now - agreement_start``. `facts` holds any other left operand by its term (or IRI)
    and overrides the named fields. Date-only right operands are whole days in `timezone`.

    The state of the world about parties and assets: `part_of` maps a party or asset IRI
    to the collections it is ``odrl:partOf`` (a rule whose assignee or target is a
    collection covers its members); a node that `part_of` does not mention has unknown
    memberships, one mapped to ``()`` is a member of nothing. The vocabulary does not make
    ``partOf`` transitive, so list every collection (a county and its prefecture and
    province). `attributes` holds facts about a party or asset by IRI (``{"spatial":
    "440305"}``), against which the refinements of a collection are checked.
    """

    now: datetime | None = None
    agreement_start: datetime | None = None
    elapsed: timedelta | None = None
    prior_uses: int | None = None
    purpose: Value | None = None
    spatial: Value | None = None
    industry: Value | None = None
    recipient: Value | None = None
    facts: Mapping[str, Value] = field(default_factory=dict)
    performed: tuple[PerformedAction, ...] = ()
    timezone: tzinfo = DEFAULT_TIMEZONE
    part_of: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    attributes: Mapping[str, Mapping[str, Value]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # One IRI given where a list is expected stays one collection, not its characters.
        memberships = {
            node: (found,) if isinstance(found, str) else tuple(found)
            for node, found in self.part_of.items()
        }
        object.__setattr__(self, "part_of", memberships)
        if self.now is not None:
            require_aware(self.now, "Context.now")
        if self.agreement_start is not None:
            require_aware(self.agreement_start, "Context.agreement_start")
        if self.prior_uses is not None and self.prior_uses < 0:
            raise ValueError("Context.prior_uses cannot be negative")

    def memberships(self, node: str) -> tuple[str, ...] | None:
        """Return the collections `node` is partOf, or None when the state does not say."""
        return self.part_of.get(node)

    def elapsed_time(self) -> timedelta | None:
        """Return the time elapsed since the agreement started, when it can be known."""
        if self.elapsed is not None:
            return self.elapsed
        if self.now is not None and self.agreement_start is not None:
            return self.now - self.agreement_start
        return None

    def anchor(self) -> datetime | None:
        """Return the agreement start, which calendar durations (P1M, P1Y) are measured from."""
        if self.agreement_start is not None:
            return self.agreement_start
        if self.now is not None and self.elapsed is not None:
            return self.now - self.elapsed
        return None

    def fact(self, name: str) -> Value | None:
        """Return the value of a left operand from the named fields or `facts`, else None."""
        if name in self.facts:
            return self.facts[name]
        if name == "dateTime":
            return self.now
        if name == "elapsedTime":
            return self.elapsed_time()
        if name == "count":
            return None if self.prior_uses is None else self.prior_uses + 1
        if name in {"purpose", "spatial", "industry", "recipient"}:
            value: Value | None = getattr(self, name)
            return value
        return None


@dataclass(frozen=True)
class UsageRequest:
    """One attempted use: the action, the target resource, the requesting party and the context."""

    action: str
    target: str | None = None
    assignee: str | None = None
    context: Context = field(default_factory=Context)
