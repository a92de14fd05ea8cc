"""What the evaluator returns: the decision, its reason, the duties due and a full trace.

The trace keeps the states the ODRL formal semantics speaks of: a constraint is satisfied
or not, a rule is active or inactive, a duty is active and then fulfilled, an action is
performed or not. The W3C compliance-report adapter reads them from here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from .model import ConstraintLike, Duty, LogicalConstraint, Rule
from .reasons import render

__all__ = [
    "Activation",
    "ConstraintResult",
    "Decision",
    "DeonticState",
    "DueDuty",
    "DutyResult",
    "DutyTiming",
    "Effect",
    "Performance",
    "RuleResult",
    "Satisfaction",
]


class Effect(StrEnum):
    """Permit or deny: the outcome of a decision and the control state of a rule."""

    PERMIT = "permit"
    DENY = "deny"


class Satisfaction(StrEnum):
    """Satisfaction state of a constraint; ERROR means it could not be decided."""

    SATISFIED = "satisfied"
    NOT_SATISFIED = "not_satisfied"
    ERROR = "error"


class Activation(StrEnum):
    """Activation state of a rule or duty."""

    ACTIVE = "active"
    INACTIVE = "inactive"


class DeonticState(StrEnum):
    """Deontic state of a duty or prohibition: not set yet, fulfilled or violated."""

    NOT_SET = "not_set"
    FULFILLED = "fulfilled"
    VIOLATED = "violated"


class Performance(StrEnum):
    """Whether a duty's action has been performed according to the state of the world."""

    PERFORMED = "performed"
    UNPERFORMED = "unperformed"


class DutyTiming(StrEnum):
    """When a duty is due relative to the use: before it (a condition) or after it."""

    BEFORE_USE = "before_use"
    AFTER_USE = "after_use"


@dataclass(frozen=True)
class ConstraintResult:
    """The outcome of one constraint or refinement, with sub-results for logical ones."""

    path: str
    constraint: ConstraintLike
    state: Satisfaction
    code: str
    params: Mapping[str, str] = field(default_factory=dict)
    children: tuple[ConstraintResult, ...] = ()

    @property
    def uid(self) -> str | None:
        """The uid of the constraint, if it has one."""
        return self.constraint.uid

    @property
    def reason(self) -> str:
        """English explanation of the outcome."""
        return render(self.code, self.params)

    def culprit(self) -> ConstraintResult:
        """Return the innermost result that explains this one's state."""
        if (
            not isinstance(self.constraint, LogicalConstraint)
            or self.state is Satisfaction.SATISFIED
        ):
            return self
        if self.constraint.operator in {"and", "andSequence"} or self.state is Satisfaction.ERROR:
            for child in self.children:
                if child.state is self.state:
                    return child.culprit()
        return self


@dataclass(frozen=True)
class DutyResult:
    """The states of one duty: active or not, performed or not, fulfilled or not."""

    path: str
    duty: Duty
    timing: DutyTiming
    activation: Activation
    performance: Performance
    deontic: DeonticState
    constraints: tuple[ConstraintResult, ...] = ()
    refinements: tuple[ConstraintResult, ...] = ()

    @property
    def uid(self) -> str | None:
        """The uid of the duty, if it has one."""
        return self.duty.uid

    @property
    def outstanding(self) -> bool:
        """Tell whether the duty is active and not yet fulfilled."""
        return self.activation is Activation.ACTIVE and self.deontic is not DeonticState.FULFILLED


@dataclass(frozen=True)
class RuleResult:
    """The states of one permission, prohibition or obligation for this request.

    `mismatch` says why the rule does not apply (``action``, ``target``, ``assignee``,
    ``missing_fact`` or ``undecided`` when a collection's refinement cannot be decided);
    `target_refinements` and `assignee_refinements` are the refinements of a target or
    assignee collection, checked against the requested asset or party.
    """

    path: str
    kind: str
    rule: Rule
    applicable: bool
    mismatch: str | None
    activation: Activation
    control: Effect | None
    constraints: tuple[ConstraintResult, ...] = ()
    refinements: tuple[ConstraintResult, ...] = ()
    duties: tuple[DutyResult, ...] = ()
    deontic: DeonticState | None = None
    missing: str | None = None
    target_refinements: tuple[ConstraintResult, ...] = ()
    assignee_refinements: tuple[ConstraintResult, ...] = ()

    @property
    def uid(self) -> str | None:
        """The uid of the rule, if it has one."""
        return self.rule.uid


@dataclass(frozen=True)
class DueDuty:
    """A duty the requesting party has to perform, and whether before or after the use."""

    path: str
    uid: str | None
    action: str
    timing: DutyTiming
    duty: Duty


@dataclass(frozen=True)
class Decision:
    """Permit or deny, the deciding rule and constraint, a reason, and the duties that are due.

    `path` names the deciding node (``permission[0].constraint[1]``) and `uid` its uid;
    `rule_path` and `rule_uid` name the rule it belongs to. `code` and `params` let the
    Django layer translate the reason; `reason` is the English text.
    """

    effect: Effect
    code: str
    params: Mapping[str, str] = field(default_factory=dict)
    path: str | None = None
    uid: str | None = None
    rule_path: str | None = None
    rule_uid: str | None = None
    duties: tuple[DueDuty, ...] = ()
    rules: tuple[RuleResult, ...] = ()

    @property
    def permitted(self) -> bool:
        """Tell whether the use is permitted."""
        return self.effect is Effect.PERMIT

    @property
    def reason(self) -> str:
        """English explanation of the decision."""
        return render(self.code, self.params)

    def __str__(self) -> str:
        return self.reason
