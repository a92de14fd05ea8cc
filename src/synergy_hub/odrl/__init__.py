"""ODRL 2.2 usage policies: model, evaluator, JSON-LD and RDF forms, plain-language text.

A pure package (no Django): the access app stores an agreement's policy as JSON-LD and
asks `evaluate` about each metered use; `describe` explains the terms to an SME owner.

    policy = combine(research_only(target=res), count_limited(10_000, target=res))
    decision = evaluate(policy, UsageRequest("read", res, sme, Context(now=now, prior_uses=9)))
    decision.permitted, decision.code, decision.reason, decision.path, decision.duties

A rule may be about a `PartyCollection` or `AssetCollection`; the request's
`Context(part_of=...)` says which collections the requesting party and asset belong to.
"""

from .context import Context, PerformedAction, UsageRequest
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
from .describe import describe, describe_rules
from .errors import PolicyError, PolicyValidationError, Problem
from .evaluator import Evaluator, evaluate
from .jsonld import (
    ODRL_CONTEXT_URL,
    odrl_context,
    policy_from_json,
    policy_from_jsonld,
    policy_to_json,
    policy_to_jsonld,
)
from .model import (
    Action,
    AssetCollection,
    Constraint,
    ConstraintLike,
    Duty,
    LogicalConstraint,
    PartyCollection,
    Permission,
    Policy,
    Prohibition,
    node_iri,
)
from .reasons import REASONS
from .templates import (
    as_agreement,
    combine,
    count_limited,
    no_redistribution,
    region_limited,
    research_only,
    time_limited,
)
from .validation import check, validate
from .values import DEFAULT_TIMEZONE, IRI, Duration, Quantity, TypedLiteral
from .vocabulary import ODRL_ACTIONS, ActionHierarchy, ConflictStrategy, PolicyType

__all__ = [
    "DEFAULT_TIMEZONE",
    "IRI",
    "ODRL_ACTIONS",
    "ODRL_CONTEXT_URL",
    "REASONS",
    "Action",
    "ActionHierarchy",
    "Activation",
    "AssetCollection",
    "ConflictStrategy",
    "Constraint",
    "ConstraintLike",
    "ConstraintResult",
    "Context",
    "Decision",
    "DeonticState",
    "DueDuty",
    "Duration",
    "Duty",
    "DutyResult",
    "DutyTiming",
    "Effect",
    "Evaluator",
    "LogicalConstraint",
    "PartyCollection",
    "Performance",
    "PerformedAction",
    "Permission",
    "Policy",
    "PolicyError",
    "PolicyType",
    "PolicyValidationError",
    "Problem",
    "Prohibition",
    "Quantity",
    "RuleResult",
    "Satisfaction",
    "TypedLiteral",
    "UsageRequest",
    "as_agreement",
    "check",
    "combine",
    "count_limited",
    "describe",
    "describe_rules",
    "evaluate",
    "no_redistribution",
    "node_iri",
    "odrl_context",
    "policy_from_json",
    "policy_from_jsonld",
    "policy_to_json",
    "policy_to_jsonld",
    "region_limited",
    "research_only",
    "time_limited",
    "validate",
]
