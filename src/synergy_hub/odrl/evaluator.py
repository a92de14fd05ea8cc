"""Decide whether one use is permitted by a policy, and say why.

Semantics, following the ODRL 2.2 Information Model and the W3C ODRL formal semantics:

* A permission *applies* to a request when its action includes the requested one
  (odrl:includedIn and the vocabulary's equivalences, see `actions`), its target is the
  requested target and its assignee the requesting party. A target or assignee that is an
  AssetCollection or PartyCollection covers its members: the requested target or party
  is the collection itself (when it has no refinements), or the state of the world says
  it is ``odrl:partOf`` the collection and it satisfies the collection's refinements
  (checked against the facts the state gives about that member, `Context.attributes`).
  It is *active* when all its constraints are satisfied and every duty that is due
  before use is fulfilled or inactive; it *permits* when it applies, is active and the
  refinements of its action hold for the attempted use.
* A prohibition applies the same way and *prohibits* when active with refinements holding.
* Nothing is permitted unless a permission permits it. When a permission and a prohibition
  both hold, the policy's conflict strategy decides: ``perm`` permits, ``prohibit``
  denies, and ``invalid`` (ODRL's default) voids the policy, which denies.
* Fail closed: a constraint that cannot be decided (unknown left operand or operator,
  missing fact, values that cannot be compared) stops a permission from permitting and
  makes a prohibition apply; an undecidable duty constraint keeps the duty active. A
  denial then names the undecidable constraint (``missing fact purpose``), not a conflict.
  The same holds for collection membership: a requested party or asset whose memberships
  the state of the world does not give (missing fact ``partOf``), or whose collection
  refinement cannot be decided, is covered by no permission and by every prohibition.
* The duties of a permission granted to a PartyCollection are each member's own: the
  requesting member must perform them.
* A duty is due before use unless it carries ``event gt/gteq/eq policyUsage``, the ODRL
  way of saying "after the use"; such duties, and the policy's active obligations, come
  back with a permit as the duties that become due.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import NamedTuple

from synergy_hub.eligibility.industries import industry_part_of
from synergy_hub.eligibility.regions import region_part_of

from .constraints import ConstraintChecker, Facts, OperandResolver, conj, first
from .context import PerformedAction, UsageRequest
from .decision import (
    Activation,
    ConstraintResult,
    Decision,
    DeonticState,
    DueDuty,
    DutyResult,
    DutyTiming,
    Effect,
    Performance,
    RuleResult,
    Satisfaction,
)
from .model import (
    Asset,
    Constraint,
    Duty,
    Party,
    PartyCollection,
    Permission,
    Policy,
    Prohibition,
)
from .operators import PartOf
from .values import IRI, Value
from .vocabulary import (
    ODRL_ACTIONS,
    POLICY_USAGE,
    ActionHierarchy,
    ConflictStrategy,
)

__all__ = ["Evaluator", "OperandResolver", "evaluate"]


_SAT, _NOT, _ERR = Satisfaction.SATISFIED, Satisfaction.NOT_SATISFIED, Satisfaction.ERROR


def _exact_unit(a: str, b: str) -> bool:
    return a == b


class Evaluator:
    """Evaluates usage requests against policies; configure once, then call `evaluate`.

    `operands` adds extension left operands (profile terms) computed from the context;
    `relations` overrides the part-of relation of a left operand (``spatial`` uses the GB/T
    2260 and ``industry`` the GB/T 4754 containment of `synergy_hub.eligibility`);
    `actions` is the action tree; `match_assignee=False` ignores the requesting party, as
    the W3C formal-semantics examples do; `units_match` compares odrl:unit IRIs.
    """

    def __init__(
        self,
        *,
        operands: Mapping[str, OperandResolver] | None = None,
        relations: Mapping[str, PartOf] | None = None,
        actions: ActionHierarchy = ODRL_ACTIONS,
        match_assignee: bool = True,
        units_match: Callable[[str, str], bool] | None = None,
    ) -> None:
        self.operands: Mapping[str, OperandResolver] = dict(operands or {})
        self.relations: dict[str, PartOf] = {
            "spatial": region_part_of,
            "industry": industry_part_of,
        }
        self.relations.update(relations or {})
        self.actions = actions
        self.match_assignee = match_assignee
        self.units_match = units_match or _exact_unit

    def evaluate(self, policy: Policy, request: UsageRequest) -> Decision:
        """Decide whether `request` is permitted by `policy`."""
        return _Run(self, policy, request).decide()


_DEFAULT = Evaluator()


def evaluate(policy: Policy, request: UsageRequest, evaluator: Evaluator | None = None) -> Decision:
    """Decide whether `request` is permitted by `policy` with the default (or given) evaluator."""
    return (evaluator or _DEFAULT).evaluate(policy, request)


def _fails_closed(rule: RuleResult) -> bool:
    """Tell whether a prohibition applies only because something could not be decided."""
    return rule.missing is not None or _ERR in {conj(part) for part in _decided_by(rule)}


def _decided_by(rule: RuleResult) -> tuple[tuple[ConstraintResult, ...], ...]:
    """The groups of constraint results a rule's state depends on, in reporting order."""
    return (
        rule.constraints,
        rule.refinements,
        rule.target_refinements,
        rule.assignee_refinements,
    )


class _Scope(NamedTuple):
    """Whether a rule applies to the request (None: cannot be told) and why not."""

    applies: bool | None
    mismatch: str | None = None
    missing: str | None = None
    target_refinements: tuple[ConstraintResult, ...] = ()
    assignee_refinements: tuple[ConstraintResult, ...] = ()


class _Membership(NamedTuple):
    """Whether a node is a party or asset, or a member of a collection (None: unknown)."""

    member: bool | None
    refinements: tuple[ConstraintResult, ...] = ()
    missing: str | None = None


def _label(path: str, uid: str | None) -> str:
    return f"{path} <{uid}>" if uid else path


def _is_policy_usage(value: Value) -> bool:
    text = value.value if isinstance(value, IRI) else value
    return text in {POLICY_USAGE, "policyUsage", "odrl:policyUsage"}


def _timing(duty: Duty) -> tuple[DutyTiming, frozenset[int]]:
    timing, marks = DutyTiming.BEFORE_USE, set()
    for i, item in enumerate(duty.constraints):
        if (
            isinstance(item, Constraint)
            and item.left_operand == "event"
            and _is_policy_usage(item.right_operand)
        ):
            marks.add(i)
            if item.operator in {"gt", "gteq", "eq"}:
                timing = DutyTiming.AFTER_USE
    return timing, frozenset(marks)


class _Run:
    """One evaluation: a policy, a request and the evaluator's configuration."""

    def __init__(self, evaluator: Evaluator, policy: Policy, request: UsageRequest) -> None:
        self.ev = evaluator
        self.policy = policy
        self.request = request
        self.context = request.context
        self.facts = Facts(evaluator.operands, request.context)
        self.constraints = ConstraintChecker(
            evaluator.relations, evaluator.units_match, request.context
        )

    # -- decision ------------------------------------------------------------------------

    def decide(self) -> Decision:
        results: list[RuleResult] = []
        for path, rule in self.policy.rules():
            if isinstance(rule, Permission):
                results.append(self._permission(path, rule))
            elif isinstance(rule, Prohibition):
                results.append(self._prohibition(path, rule))
            else:
                results.append(self._obligation(path, rule))
        trace = tuple(results)
        permissions = [r for r in trace if r.kind == "permission"]
        granting = [r for r in permissions if r.control is Effect.PERMIT]
        blocking = [r for r in trace if r.kind == "prohibition" and r.control is Effect.DENY]
        if blocking and granting:
            strategy = self.policy.conflict or ConflictStrategy.INVALID
            if strategy is ConflictStrategy.PERM:
                return self._permit(
                    granting[0],
                    trace,
                    "permitted_over_prohibition",
                    {"prohibition": _label(blocking[0].path, blocking[0].uid)},
                )
            if strategy is ConflictStrategy.INVALID and not _fails_closed(blocking[0]):
                b, g = blocking[0], granting[0]
                return self._deny(
                    "conflict_policy_void",
                    {"rule": _label(g.path, g.uid), "prohibition": _label(b.path, b.uid)},
                    b,
                    trace,
                )
        if blocking:
            return self._prohibited(blocking[0], trace)
        if granting:
            return self._permit(granting[0], trace, "permitted", {})
        return self._explain_denial(permissions, trace)

    def _params(self, extra: Mapping[str, str]) -> dict[str, str]:
        params = {
            "action": self.request.action,
            "target": self.request.target or "?",
            "assignee": self.request.assignee or "?",
        }
        params.update(extra)
        return params

    def _permit(
        self, rule: RuleResult, trace: tuple[RuleResult, ...], code: str, extra: Mapping[str, str]
    ) -> Decision:
        due = [
            DueDuty(d.path, d.uid, d.duty.action.name, d.timing, d.duty)
            for d in rule.duties
            if d.timing is DutyTiming.AFTER_USE and d.outstanding
        ]
        for result in trace:
            if result.kind == "obligation":
                due.extend(
                    DueDuty(d.path, d.uid, d.duty.action.name, d.timing, d.duty)
                    for d in result.duties
                    if d.outstanding
                )
        params = self._params({"rule": _label(rule.path, rule.uid), "path": rule.path, **extra})
        return Decision(
            Effect.PERMIT,
            code,
            params,
            path=rule.path,
            uid=rule.uid,
            rule_path=rule.path,
            rule_uid=rule.uid,
            duties=tuple(due),
            rules=trace,
        )

    def _deny(
        self,
        code: str,
        extra: Mapping[str, str],
        rule: RuleResult | None,
        trace: tuple[RuleResult, ...],
        *,
        at: ConstraintResult | DutyResult | None = None,
        duties: tuple[DueDuty, ...] = (),
    ) -> Decision:
        params = self._params(extra)
        if rule is not None:
            params.setdefault("rule", _label(rule.path, rule.uid))
            params.setdefault("path", rule.path)
        return Decision(
            Effect.DENY,
            code,
            params,
            path=at.path if at is not None else (rule.path if rule else None),
            uid=at.uid if at is not None else (rule.uid if rule else None),
            rule_path=rule.path if rule else None,
            rule_uid=rule.uid if rule else None,
            duties=duties,
            rules=trace,
        )

    def _prohibited(self, rule: RuleResult, trace: tuple[RuleResult, ...]) -> Decision:
        if rule.missing is not None:
            return self._deny(
                "missing_fact", {"fact": rule.missing, "path": rule.path}, rule, trace
            )
        for results in _decided_by(rule):
            if conj(results) is _ERR:
                culprit = first(results, _ERR)
                return self._deny(culprit.code, culprit.params, rule, trace, at=culprit)
        return self._deny("prohibited", {}, rule, trace)

    def _explain_denial(
        self, permissions: list[RuleResult], trace: tuple[RuleResult, ...]
    ) -> Decision:
        applicable = [r for r in permissions if r.applicable]
        if applicable:
            rule = applicable[0]
            state = conj(rule.constraints)
            if state is not _SAT:
                culprit = first(rule.constraints, state)
                return self._deny(culprit.code, culprit.params, rule, trace, at=culprit)
            blocked = [
                d for d in rule.duties if d.timing is DutyTiming.BEFORE_USE and d.outstanding
            ]
            if blocked:
                due = tuple(
                    DueDuty(d.path, d.uid, d.duty.action.name, d.timing, d.duty) for d in blocked
                )
                extra = {"path": blocked[0].path, "duty_action": blocked[0].duty.action.name}
                return self._deny(
                    "duty_not_fulfilled", extra, rule, trace, at=blocked[0], duties=due
                )
            state = conj(rule.refinements)
            if state is not _SAT:
                culprit = first(rule.refinements, state)
                return self._deny(culprit.code, culprit.params, rule, trace, at=culprit)
        for rule in permissions:
            if rule.mismatch == "undecided":
                results = (*rule.target_refinements, *rule.assignee_refinements)
                culprit = first(results, _ERR)
                return self._deny(culprit.code, culprit.params, rule, trace, at=culprit)
        missing = [r for r in permissions if r.missing is not None]
        if missing:
            rule = missing[0]
            fact = rule.missing or "?"
            return self._deny("missing_fact", {"fact": fact, "path": rule.path}, rule, trace)
        for rule in permissions:
            # A member left out by a collection's refinement: name the refinement.
            results = (*rule.target_refinements, *rule.assignee_refinements)
            if rule.mismatch in {"assignee", "target"} and conj(results) is _NOT:
                culprit = first(results, _NOT)
                return self._deny(culprit.code, culprit.params, rule, trace, at=culprit)
        if any(r.mismatch == "assignee" for r in permissions):
            return self._deny("assignee_not_covered", {}, None, trace)
        if any(r.mismatch == "target" for r in permissions):
            return self._deny("target_not_covered", {}, None, trace)
        return self._deny("no_permission", {}, None, trace)

    # -- rules ---------------------------------------------------------------------------

    def _applies(self, path: str, rule: Permission | Prohibition) -> _Scope:
        """Tell whether the rule is about the requested action, target and party."""
        if not self.ev.actions.includes(rule.action.name, self.request.action):
            return _Scope(False, "action")
        target_refinements: tuple[ConstraintResult, ...] = ()
        target = rule.target or self.policy.target
        if target is not None:
            where = f"{path}.target" if rule.target else "target"
            found = self._covers(target, self.request.target, where, "target")
            target_refinements = found.refinements
            if found.member is not True:
                return self._outside(found, "target", target_refinements, ())
        if self.ev.match_assignee:
            assignee = rule.assignee or self.policy.assignee
            if assignee is not None:
                where = f"{path}.assignee" if rule.assignee else "assignee"
                found = self._covers(assignee, self.request.assignee, where, "assignee")
                if found.member is not True:
                    return self._outside(found, "assignee", target_refinements, found.refinements)
                return _Scope(True, None, None, target_refinements, found.refinements)
        return _Scope(True, None, None, target_refinements)

    @staticmethod
    def _outside(
        found: _Membership,
        role: str,
        target_refinements: tuple[ConstraintResult, ...],
        assignee_refinements: tuple[ConstraintResult, ...],
    ) -> _Scope:
        if found.member is False:
            return _Scope(False, role, None, target_refinements, assignee_refinements)
        if found.missing is not None:
            return _Scope(
                None, "missing_fact", found.missing, target_refinements, assignee_refinements
            )
        return _Scope(None, "undecided", None, target_refinements, assignee_refinements)

    def _covers(self, ref: Party | Asset, node: str | None, path: str, role: str) -> _Membership:
        """Tell whether `node` is the party or asset `ref`, or a member of the collection `ref`."""
        if node is None:
            return _Membership(None, (), role)
        if isinstance(ref, str):
            return _Membership(node == ref)
        names = {name for name in (ref.uid, ref.source) if name}
        if node in names and not ref.refinements:
            return _Membership(True)  # the collection itself, as a whole
        memberships = self.context.memberships(node)
        if memberships is None:
            return _Membership(None, (), "partOf")
        if not names.intersection(memberships):
            return _Membership(False)
        about = self.context.attributes.get(node, {})
        facts = Facts(self.ev.operands, self.context, about=about)
        # Reported as constraints on the member ("requires spatial isPartOf 440000").
        results = tuple(
            self.constraints.check(item, f"{path}.refinement[{i}]", facts, "constraint")
            for i, item in enumerate(ref.refinements)
        )
        state = conj(results)
        return _Membership(True if state is _SAT else (False if state is _NOT else None), results)

    def _performer(self, assignee: Party | None) -> Party | None:
        """Who must perform a rule's duties: each member of an assignee collection, for itself."""
        if isinstance(assignee, PartyCollection) and self.request.assignee is not None:
            return self.request.assignee
        return assignee

    def _is(self, ref: Party | Asset | None, node: str | None, path: str) -> bool:
        """Tell whether a performed action's party or asset is certainly `ref` (or a member)."""
        if ref is None:
            return True
        return self._covers(ref, node, path, "").member is True

    def _permission(self, path: str, rule: Permission) -> RuleResult:
        constraints = self.constraints.check_all(rule.constraints, path, "constraint", self.facts)
        refinements = self.constraints.check_all(
            rule.action.refinements, f"{path}.action", "refinement", self.facts
        )
        performer = self._performer(rule.assignee or self.policy.assignee)
        duties = tuple(
            self._duty(f"{path}.duty[{i}]", duty, performer) for i, duty in enumerate(rule.duties)
        )
        blocked = any(d.timing is DutyTiming.BEFORE_USE and d.outstanding for d in duties)
        active = conj(constraints) is _SAT and not blocked
        scope = self._applies(path, rule)
        control: Effect | None = None
        if scope.applies:
            permits = active and conj(refinements) is _SAT
            control = Effect.PERMIT if permits else Effect.DENY
        return RuleResult(
            path,
            "permission",
            rule,
            applicable=scope.applies is True,
            mismatch=scope.mismatch,
            activation=Activation.ACTIVE if active else Activation.INACTIVE,
            control=control,
            constraints=constraints,
            refinements=refinements,
            duties=duties,
            missing=scope.missing,
            target_refinements=scope.target_refinements,
            assignee_refinements=scope.assignee_refinements,
        )

    def _prohibition(self, path: str, rule: Prohibition) -> RuleResult:
        constraints = self.constraints.check_all(rule.constraints, path, "constraint", self.facts)
        refinements = self.constraints.check_all(
            rule.action.refinements, f"{path}.action", "refinement", self.facts
        )
        # Fail closed: a prohibition whose constraints cannot be decided is in force.
        active = conj(constraints) is not _NOT
        scope = self._applies(path, rule)
        prohibits = scope.applies is not False and active and conj(refinements) is not _NOT
        violated = active and any(
            self._violates(path, rule, record) for record in self.context.performed
        )
        return RuleResult(
            path,
            "prohibition",
            rule,
            applicable=scope.applies is not False,
            mismatch=scope.mismatch,
            activation=Activation.ACTIVE if active else Activation.INACTIVE,
            control=Effect.DENY if prohibits else None,
            constraints=constraints,
            refinements=refinements,
            deontic=DeonticState.VIOLATED if violated else DeonticState.NOT_SET,
            missing=scope.missing,
            target_refinements=scope.target_refinements,
            assignee_refinements=scope.assignee_refinements,
        )

    def _violates(self, path: str, rule: Prohibition, record: PerformedAction) -> bool:
        if not self.ev.actions.includes(rule.action.name, record.action):
            return False
        target = rule.target or self.policy.target
        assignee = rule.assignee or self.policy.assignee
        if not self._is(target, record.target, f"{path}.target"):
            return False
        if not self._is(assignee, record.performer, f"{path}.assignee"):
            return False
        facts = Facts(self.ev.operands, self.context, record)
        refinements = self.constraints.check_all(rule.action.refinements, "", "refinement", facts)
        return conj(refinements) is _SAT

    def _obligation(self, path: str, duty: Duty) -> RuleResult:
        result = self._duty(path, duty, self._performer(self.policy.assignee))
        return RuleResult(
            path,
            "obligation",
            duty,
            applicable=True,
            mismatch=None,
            activation=result.activation,
            control=None,
            constraints=result.constraints,
            refinements=result.refinements,
            duties=(result,),
            deontic=result.deontic,
        )

    def _duty(self, path: str, duty: Duty, assignee: Party | None) -> DutyResult:
        timing, marks = _timing(duty)
        results = []
        for i, item in enumerate(duty.constraints):
            here = f"{path}.constraint[{i}]"
            if i in marks:
                results.append(ConstraintResult(here, item, _SAT, "duty_timing", {"path": here}))
            else:
                results.append(self.constraints.check(item, here, self.facts, "constraint"))
        constraints = tuple(results)
        # Fail closed: a duty whose constraints cannot be decided is in force.
        active = conj(constraints) is not _NOT
        refinements, performed = self._performance(path, duty, duty.assignee or assignee)
        return DutyResult(
            path,
            duty,
            timing,
            Activation.ACTIVE if active else Activation.INACTIVE,
            Performance.PERFORMED if performed else Performance.UNPERFORMED,
            DeonticState.FULFILLED if active and performed else DeonticState.NOT_SET,
            constraints,
            refinements,
        )

    def _performance(
        self, path: str, duty: Duty, performer: Party | None
    ) -> tuple[tuple[ConstraintResult, ...], bool]:
        """Find a performed action in the state of the world that fulfils the duty's action."""
        now: datetime | None = self.context.now
        first: tuple[ConstraintResult, ...] = ()
        for record in self.context.performed:
            if not self.ev.actions.includes(duty.action.name, record.action):
                continue
            if record.duty is not None and duty.uid is not None and record.duty != duty.uid:
                continue
            if not self._is(performer, record.performer, f"{path}.assignee"):
                continue
            if not self._is(duty.target, record.target, f"{path}.target"):
                continue
            if record.at is not None and now is not None and record.at > now:
                continue
            facts = Facts(self.ev.operands, self.context, record)
            refinements = self.constraints.check_all(
                duty.action.refinements, f"{path}.action", "refinement", facts
            )
            if conj(refinements) is _SAT:
                return refinements, True
            first = first or refinements
        return first, False
