"""Run the W3C ODRL formal-semantics examples through our evaluator and compare reports.

Each example of the W3C ODRL Community Group data set is a policy, an evaluation request
(action, party, target, request parameters), optionally a state of the world, and the
expected compliance report: the activation and control state of rules, the satisfaction
state of constraints and refinements, the activation and deontic state of duties and the
performance state of their actions. This module loads them with rdflib and maps our
evaluator's trace onto the same states.

How the data set's vocabulary is read (no example is special-cased):

* Request parameters: ``sotw:CurrentXSDDateTime`` is the current time; a parameter whose
  feature is the unit of a constraint in the policy (``Dots_per_inch``) is a measurement of
  that constraint's left operand. Naive times are UTC (the reports are written in UTC).
* State of the world: a ``pay:Payment`` context is a performed ``compensate`` action by
  the payer, with ``payAmount`` = net amount in its currency, for the duty named by
  ``sotw:conditionId``; a ``time:Instant`` context gives the current time.
* State of the world: ``X odrl:partOf C`` says that party or asset X is a member of the
  collection C (read into `Context.part_of`).
* The examples' profile operand ``ex:dayOfWeek`` is the English weekday of the current time.
* Evaluation requests name the requesting party ``party/billie1`` where the rule's assignee is
  ``party/billie``, and the expected reports still permit: the formal semantics decides
  applicability by action and target ("its type is play and its object is ..."), so the
  examples run with ``match_assignee=False``. Duty performers are still checked.
* Units are compared as Linked Data resources (``http://dbpedia.org/resource/Euro`` and its
  ``https`` twin are the same resource; the data set uses both).
* Report vocabulary: one report gives a condition's activation state as ``Satisfied`` where
  its twin gives ``Active`` for the same, unconstrained duty; activation states read
  ``Satisfied`` as ``Active``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, Namespace
from rdflib.namespace import RDF
from rdflib.term import Node

from .context import Context, PerformedAction, UsageRequest
from .decision import (
    Activation,
    ConstraintResult,
    Decision,
    DeonticState,
    DutyResult,
    Effect,
    Performance,
    Satisfaction,
)
from .evaluator import Evaluator
from .jsonld import ODRL_CONTEXT_URL, policy_from_jsonld
from .model import Constraint, Policy, walk_constraints
from .rdf import graph_from_jsonld
from .values import IRI, Quantity, Value, parse_datetime, parse_literal
from .vocabulary import XSD, term_of

__all__ = [
    "EXAMPLES_EVALUATOR",
    "Example",
    "ExampleResult",
    "compare_states",
    "compliance_states",
    "expected_states",
    "find_examples",
    "find_policies",
    "load_part_of",
    "load_policy",
    "load_request",
    "load_state",
    "run_all",
    "run_example",
]

SOTW = Namespace("https://w3id.org/force/sotw#")
ODRL_NS = Namespace("http://www.w3.org/ns/odrl/2/")
PAY = Namespace("https://www.epimorphics.com/guide-to-the-payments-ontology/")
TIME = Namespace("http://www.w3.org/2006/time#")
_BASE = "http://example.invalid/"
_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_REFERENCES = {"rule", "constraint", "condition", "refinement", "action", "duty"}
# Report vocabulary drift in the data set (see the module docstring).
_ALIASES = {("activationState", "Satisfied"): "Active"}


@dataclass(frozen=True)
class Example:
    """One W3C example: policy, evaluation request, optional state, expected report."""

    name: str
    policy: Path
    request: Path
    report: Path
    state: Path | None
    root: Path


@dataclass(frozen=True)
class ExampleResult:
    """The outcome of running one example: both reports and their differences."""

    example: Example
    decision: Decision
    expected: Mapping[str, Mapping[str, str]]
    actual: Mapping[str, Mapping[str, str]]
    mismatches: tuple[str, ...]

    @property
    def passed(self) -> bool:
        """Tell whether our states reproduce the expected compliance report."""
        return not self.mismatches


def find_policies(root: Path) -> list[Path]:
    """List every policy file of the data set."""
    return sorted((root / "examples").rglob("policy*.json"))


def find_examples(root: Path) -> list[Example]:
    """List every example (a folder with an evaluation request and a compliance report)."""
    found = []
    for policy in find_policies(root):
        for case in sorted(p for p in policy.parent.iterdir() if p.is_dir()):
            requests = sorted(case.glob("evaluationrequest*.json"))
            reports = sorted(case.glob("compliancereport*.json"))
            if not requests or not reports:
                continue
            states = sorted(case.glob("state*.ttl")) or sorted(case.glob("state*.json"))
            found.append(
                Example(
                    case.name, policy, requests[0], reports[0], states[0] if states else None, root
                )
            )
    return found


def _local_contexts(document: Any, root: Path) -> dict[str, Any]:
    """Map the context URLs a document names to the copies in the data set's ontology/ folder."""
    found: dict[str, Any] = {}

    def visit(node: Any) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "@context":
                    for entry in value if isinstance(value, list) else [value]:
                        if isinstance(entry, str) and entry != ODRL_CONTEXT_URL:
                            local = root / "ontology" / entry.rsplit("/", 1)[-1]
                            if local.is_file():
                                found[entry] = json.loads(local.read_text("utf-8"))
                visit(value)
        elif isinstance(node, list):
            for item in node:
                visit(item)

    visit(document)
    return found


def _graph(path: Path, root: Path) -> Graph:
    if path.suffix == ".ttl":
        graph = Graph()
        graph.parse(path, format="turtle")
        return graph
    document = json.loads(path.read_text("utf-8"))
    return graph_from_jsonld(document, contexts=_local_contexts(document, root), base=_BASE)


def _local(node: object) -> str:
    text = str(node)
    for sep in ("#", "/", ":"):
        text = text.rsplit(sep, 1)[-1]
    return text


def _value(graph: Graph, node: Node) -> Value:
    """Read a request parameter value; ``{"@id": "1000", "@type": "xsd:integer"}`` is 1000."""
    if isinstance(node, Literal):
        datatype = str(node.datatype) if node.datatype is not None else None
        return parse_literal(str(node), datatype, default_timezone=UTC)
    for kind in graph.objects(node, RDF.type):
        if str(kind).startswith(XSD):
            return parse_literal(str(node).removeprefix(_BASE), str(kind), default_timezone=UTC)
    return IRI(str(node))


def _moment(value: Value | None) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=UTC)
    return None


def _lenient_moment(node: Node | None) -> datetime | None:
    if node is None:
        return None
    try:
        return parse_datetime(str(node), default_timezone=UTC)
    except ValueError:
        return None


def load_policy(path: Path) -> Policy:
    """Read an example policy (naive times in UTC)."""
    return policy_from_jsonld(json.loads(path.read_text("utf-8")), default_timezone=UTC)


def _units(policy: Policy) -> dict[str, str]:
    """Map each odrl:unit used in the policy to the left operand it measures."""
    units: dict[str, str] = {}
    for _, rule in policy.rules():
        groups = [rule.constraints, rule.action.refinements]
        duties = getattr(rule, "duties", ())
        for duty in duties:
            groups += [duty.constraints, duty.action.refinements]
        for group in groups:
            for _, item in walk_constraints(group, ""):
                if isinstance(item, Constraint) and item.unit:
                    units[item.unit] = item.left_operand
    return units


def load_request(example: Example, policy: Policy) -> UsageRequest:
    """Build our usage request from the example's evaluation request and state of the world."""
    graph = _graph(example.request, example.root)
    node = next(iter(graph.subjects(RDF.type, SOTW.EvaluationRequest)))
    action = graph.value(node, SOTW.evaluatedAction)
    party = graph.value(node, SOTW.evaluatedParty)
    target = graph.value(node, SOTW.evaluatedTarget)
    units = _units(policy)
    now: datetime | None = None
    facts: dict[str, Value] = {}
    for parameter in graph.objects(node, SOTW.requestParameter):
        feature = graph.value(parameter, SOTW.describesFeature)
        raw = graph.value(parameter, SOTW.value)
        if feature is None or raw is None:
            continue
        value = _value(graph, raw)
        if feature == SOTW.CurrentXSDDateTime:
            now = _moment(value)
        elif str(feature) in units and isinstance(value, int | Decimal):
            facts[units[str(feature)]] = Quantity(Decimal(value), str(feature))
        else:
            facts[term_of(str(feature))] = value
    performed: tuple[PerformedAction, ...] = ()
    part_of: dict[str, tuple[str, ...]] = {}
    if example.state is not None:
        state_now, performed = load_state(example.state, example.root)
        part_of = load_part_of(example.state, example.root)
        now = now or state_now
    return UsageRequest(
        action=term_of(str(action)),
        target=str(target) if target is not None else None,
        assignee=str(party) if party is not None else None,
        context=Context(now=now, facts=facts, performed=performed, timezone=UTC, part_of=part_of),
    )


def load_part_of(path: Path, root: Path) -> dict[str, tuple[str, ...]]:
    """Read the memberships a state of the world states (``X odrl:partOf C``)."""
    graph = _graph(path, root)
    found: dict[str, list[str]] = {}
    for member, collection in graph.subject_objects(ODRL_NS.partOf):
        found.setdefault(str(member), []).append(str(collection))
    return {member: tuple(sorted(collections)) for member, collections in found.items()}


def load_state(path: Path, root: Path) -> tuple[datetime | None, tuple[PerformedAction, ...]]:
    """Read a state of the world: the current time and the actions performed so far."""
    graph = _graph(path, root)
    now: datetime | None = None
    performed: list[PerformedAction] = []
    contexts = set(graph.objects(None, SOTW.context))
    for node in sorted(contexts, key=str):
        kinds = set(graph.objects(node, RDF.type))
        duty = graph.value(node, SOTW.conditionId) or graph.value(node, SOTW.conditionID)
        if TIME.Instant in kinds:
            now = _lenient_moment(graph.value(node, TIME.inXSDDateTime))
        if PAY.Payment in kinds:
            amount = graph.value(node, PAY.netAmount)
            currency = graph.value(node, PAY.currency)
            payer = graph.value(node, PAY.payer)
            try:
                value = Decimal(str(amount))
            except InvalidOperation:
                continue
            performed.append(
                PerformedAction(
                    action="compensate",
                    performer=str(payer) if payer is not None else None,
                    at=_lenient_moment(graph.value(node, PAY.paymentDate)),
                    facts={"payAmount": Quantity(value, str(currency) if currency else None)},
                    duty=str(duty) if duty is not None else None,
                )
            )
    return now, tuple(performed)


def _day_of_week(context: Context) -> str | None:
    if context.now is None:
        return None
    return _WEEKDAYS[context.now.astimezone(context.timezone).weekday()]


def _same_resource(a: str, b: str) -> bool:
    def strip(iri: str) -> str:
        for scheme in ("https://", "http://"):
            if iri.startswith(scheme):
                return iri[len(scheme) :]
        return iri

    return strip(a) == strip(b)


#: The evaluator configured for the data set (see the module docstring).
EXAMPLES_EVALUATOR = Evaluator(
    operands={"ex:dayOfWeek": _day_of_week},
    match_assignee=False,
    units_match=_same_resource,
)

_SATISFACTION = {
    Satisfaction.SATISFIED: "Satisfied",
    Satisfaction.NOT_SATISFIED: "Not-Satisfied",
    Satisfaction.ERROR: "Unknown",
}
_DEONTIC = {
    DeonticState.NOT_SET: "Not-set",
    DeonticState.FULFILLED: "Fulfilled",
    DeonticState.VIOLATED: "Violated",
}


def _activation(state: Activation) -> str:
    return "Active" if state is Activation.ACTIVE else "Inactive"


def compliance_states(decision: Decision) -> dict[str, dict[str, str]]:
    """Map our evaluation trace onto compliance-report states, keyed by the IRI reported on."""
    out: dict[str, dict[str, str]] = {}

    def constraint(result: ConstraintResult) -> None:
        if result.uid:
            out.setdefault(result.uid, {})["satisfactionState"] = _SATISFACTION[result.state]
        for child in result.children:
            constraint(child)

    def duty(result: DutyResult) -> None:
        if result.uid:
            out.setdefault(result.uid, {}).update(
                activationState=_activation(result.activation),
                deonticState=_DEONTIC[result.deontic],
            )
        if result.duty.action.uid:
            performed = result.performance is Performance.PERFORMED
            out.setdefault(result.duty.action.uid, {})["performanceState"] = (
                "Performed" if performed else "Unperformed"
            )
        for item in (*result.constraints, *result.refinements):
            constraint(item)

    for rule in decision.rules:
        if rule.kind != "obligation" and rule.uid:
            states = out.setdefault(rule.uid, {})
            states["activationState"] = _activation(rule.activation)
            if rule.control is not None:
                states["controlState"] = "Permit" if rule.control is Effect.PERMIT else "Deny"
            if rule.deontic is not None:
                states["deonticState"] = _DEONTIC[rule.deontic]
        for item in (
            *rule.constraints,
            *rule.refinements,
            *rule.target_refinements,
            *rule.assignee_refinements,
        ):
            constraint(item)
        for result in rule.duties:
            duty(result)
    return out


def expected_states(path: Path) -> dict[str, dict[str, str]]:
    """Read an expected compliance report into states keyed by the IRI reported on."""
    graph = graph_from_jsonld(json.loads(path.read_text("utf-8")))
    out: dict[str, dict[str, str]] = {}
    for subject in set(graph.subjects()):
        pairs = list(graph.predicate_objects(subject))
        refs = [o for p, o in pairs if _local(p) in _REFERENCES]
        states = {_local(p): _local(o) for p, o in pairs if _local(p).endswith("State")}
        if len(refs) == 1 and states:
            out.setdefault(str(refs[0]), {}).update(states)
    return out


def compare_states(
    expected: Mapping[str, Mapping[str, str]], actual: Mapping[str, Mapping[str, str]]
) -> tuple[str, ...]:
    """List every expected state our report does not reproduce."""
    problems = []
    for key, states in sorted(expected.items()):
        for name, value in sorted(states.items()):
            want = _ALIASES.get((name, value), value)
            got = actual.get(key, {}).get(name)
            if got != want:
                problems.append(f"{key} {name}: expected {value}, got {got}")
    return tuple(problems)


def run_example(example: Example, evaluator: Evaluator = EXAMPLES_EVALUATOR) -> ExampleResult:
    """Evaluate one example's request against its policy and compare with its report."""
    policy = load_policy(example.policy)
    request = load_request(example, policy)
    decision = evaluator.evaluate(policy, request)
    expected = expected_states(example.report)
    actual = compliance_states(decision)
    return ExampleResult(example, decision, expected, actual, compare_states(expected, actual))


def run_all(root: Path) -> Iterator[ExampleResult]:
    """Run every example found under `root`."""
    for example in find_examples(root):
        yield run_example(example)
