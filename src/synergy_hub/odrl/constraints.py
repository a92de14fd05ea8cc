"""Constraints and refinements checked against the facts: satisfied, not, or undecidable.

The part of the evaluator (`evaluator`) that reads left operands from the request context,
a performed action or a collection member's facts (`Facts`), compares them with the
operators of `operators`, and combines logical constraints (and, or, xone, andSequence),
failing closed: what cannot be decided is an ERROR with the reason as its code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from .context import Context, PerformedAction
from .decision import ConstraintResult, Satisfaction
from .model import Constraint, ConstraintLike, LogicalConstraint
from .operators import Comparison, OperatorError, PartOf, apply, display
from .values import Value
from .vocabulary import LEFT_OPERANDS, LOGICAL_OPERATORS, OPERATORS

__all__ = ["ConstraintChecker", "Facts", "OperandResolver", "conj", "first"]

#: Computes the value of an extension left operand from the context (None: not known).
OperandResolver = Callable[[Context], Value | None]

_SAT, _NOT, _ERR = Satisfaction.SATISFIED, Satisfaction.NOT_SATISFIED, Satisfaction.ERROR

# Machine codes for a constraint that is decidably not satisfied, by left operand and
# operator ("*" for any operator).
_FAILURE_CODES: Mapping[tuple[str, str], str] = MappingProxyType(
    {
        ("dateTime", "lt"): "expired",
        ("dateTime", "lteq"): "expired",
        ("dateTime", "gt"): "not_yet_valid",
        ("dateTime", "gteq"): "not_yet_valid",
        ("count", "lt"): "count_limit_reached",
        ("count", "lteq"): "count_limit_reached",
        ("elapsedTime", "lt"): "elapsed_time_exceeded",
        ("elapsedTime", "lteq"): "elapsed_time_exceeded",
        ("spatial", "*"): "outside_region",
        ("purpose", "*"): "purpose_not_allowed",
        ("industry", "*"): "industry_not_allowed",
        ("recipient", "*"): "recipient_not_allowed",
    }
)


class Facts:
    """Where constraint left operands get their values.

    The request context, a performed action (for a duty's refinements), or the facts the
    state of the world gives about one party or asset (for a collection's refinements).
    """

    def __init__(
        self,
        operands: Mapping[str, OperandResolver],
        context: Context,
        record: PerformedAction | None = None,
        about: Mapping[str, Value] | None = None,
    ) -> None:
        self._operands = operands
        self._context = context
        self._record = record
        self._about = about

    def known(self, name: str) -> bool:
        if name in LEFT_OPERANDS or name in self._operands:
            return True
        if self._about is not None:
            return name in self._about
        source = self._record.facts if self._record else self._context.facts
        return name in source

    def value(self, name: str) -> Value | None:
        if self._about is not None:
            return self._about.get(name)
        if self._record is not None:
            if name in self._record.facts:
                return self._record.facts[name]
            if name == "dateTime":
                return self._record.at
            return None
        found = self._context.fact(name)
        if found is None and name in self._operands:
            found = self._operands[name](self._context)
        return found


def conj(results: tuple[ConstraintResult, ...]) -> Satisfaction:
    """The state of constraints that must all hold: NOT beats ERROR beats SATISFIED."""
    states = {r.state for r in results}
    if _NOT in states:
        return _NOT
    if _ERR in states:
        return _ERR
    return _SAT


def first(results: tuple[ConstraintResult, ...], state: Satisfaction) -> ConstraintResult:
    """The innermost result that made a group `state`: what a denial names."""
    return next(r for r in results if r.state is state).culprit()


class ConstraintChecker:
    """Checks constraints for one request: the evaluator's relations and unit comparison,
    the request context's time zone and anchor."""

    def __init__(
        self,
        relations: Mapping[str, PartOf],
        units_match: Callable[[str, str], bool],
        context: Context,
    ) -> None:
        self._relations = relations
        self._units_match = units_match
        self._context = context

    def check_all(
        self, items: tuple[ConstraintLike, ...], path: str, key: str, facts: Facts
    ) -> tuple[ConstraintResult, ...]:
        role = "refinement" if key == "refinement" else "constraint"
        return tuple(
            self.check(item, f"{path}.{key}[{i}]" if path else f"{key}[{i}]", facts, role)
            for i, item in enumerate(items)
        )

    def check(self, item: ConstraintLike, path: str, facts: Facts, role: str) -> ConstraintResult:
        if isinstance(item, LogicalConstraint):
            return self._logical(item, path, facts, role)
        return self._atomic(item, path, facts, role)

    def _comparison(self, left_operand: str) -> Comparison:
        return Comparison(
            part_of=self._relations.get(left_operand, Comparison.part_of),
            timezone=self._context.timezone,
            anchor=self._context.anchor(),
            units_match=self._units_match,
        )

    def _atomic(self, item: Constraint, path: str, facts: Facts, role: str) -> ConstraintResult:
        params = {
            "path": path,
            "left_operand": item.left_operand,
            "operator": item.operator,
            "right_operand": display(item.right_operand),
            "unit": item.unit or "",
        }
        if not facts.known(item.left_operand):
            return ConstraintResult(path, item, _ERR, "unknown_left_operand", params)
        if item.operator not in OPERATORS:
            return ConstraintResult(path, item, _ERR, "unknown_operator", params)
        value = facts.value(item.left_operand)
        if value is None:
            params["fact"] = item.left_operand
            return ConstraintResult(path, item, _ERR, "missing_fact", params)
        params["actual"] = display(value)
        try:
            holds = apply(
                item.operator,
                value,
                item.right_operand,
                unit=item.unit,
                how=self._comparison(item.left_operand),
            )
        except OperatorError as error:
            params["detail"] = error.message
            return ConstraintResult(path, item, _ERR, error.code, params)
        if holds:
            return ConstraintResult(path, item, _SAT, "satisfied", params)
        code = _FAILURE_CODES.get(
            (item.left_operand, item.operator),
            _FAILURE_CODES.get((item.left_operand, "*"), f"{role}_not_satisfied"),
        )
        return ConstraintResult(path, item, _NOT, code, params)

    def _logical(
        self, item: LogicalConstraint, path: str, facts: Facts, role: str
    ) -> ConstraintResult:
        params = {"path": path, "operator": item.operator}
        if item.operator not in LOGICAL_OPERATORS or not item.constraints:
            return ConstraintResult(path, item, _ERR, "unknown_operator", params)
        children: list[ConstraintResult] = []
        for i, sub in enumerate(item.constraints):
            result = self.check(sub, f"{path}.{item.operator}[{i}]", facts, role)
            children.append(result)
            if item.operator == "andSequence" and result.state is not _SAT:
                break
        done = tuple(children)
        states = [r.state for r in done]
        satisfied, errors = states.count(_SAT), states.count(_ERR)
        if item.operator in {"and", "andSequence"}:
            state = conj(done)
        elif item.operator == "or":
            state = _SAT if satisfied else (_ERR if errors else _NOT)
        else:  # xone
            if satisfied >= 2:
                state = _NOT
            elif errors:
                state = _ERR
            else:
                state = _SAT if satisfied == 1 else _NOT
        if state is _SAT:
            return ConstraintResult(path, item, _SAT, "satisfied", params, done)
        if state is _ERR or item.operator in {"and", "andSequence"}:
            inner = first(done, state)
            return ConstraintResult(path, item, state, inner.code, inner.params, done)
        if item.operator == "xone" and satisfied >= 2:
            params["count"] = str(satisfied)
            return ConstraintResult(path, item, _NOT, "not_exactly_one", params, done)
        return ConstraintResult(path, item, _NOT, "no_alternative_satisfied", params, done)
