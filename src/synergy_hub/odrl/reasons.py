"""English reason templates keyed by machine code; the Django layer translates by the same keys.

Every template is filled from the decision's `params`, so a translation only needs the
code and the params, never the English text.
"""

from __future__ import annotations

from collections.abc import Mapping

__all__ = ["REASONS", "render"]

REASONS: Mapping[str, str] = {
    "permitted": "Permitted by {rule}.",
    "permitted_over_prohibition": (
        "Permitted by {rule}: the policy's conflict strategy 'perm' lets it override {prohibition}."
    ),
    "prohibited": "Denied: {rule} prohibits '{action}'.",
    "conflict_policy_void": (
        "Denied: {rule} and {prohibition} both apply to '{action}'; under the conflict "
        "strategy 'invalid' a policy in conflict is void."
    ),
    "no_permission": "Denied: no permission in the policy covers the action '{action}'.",
    "target_not_covered": "Denied: no permission for '{action}' covers the target {target}.",
    "assignee_not_covered": (
        "Denied: {assignee} is not the assignee of any permission for '{action}'."
    ),
    "missing_fact": "Denied: missing fact {fact}, needed by {path}.",
    "unknown_left_operand": (
        "Denied: {path} uses the unknown left operand '{left_operand}'; unknown terms fail closed."
    ),
    "unknown_operator": (
        "Denied: {path} uses the unknown operator '{operator}'; unknown terms fail closed."
    ),
    "type_mismatch": (
        "Denied: {path} cannot be checked: {left_operand} {operator} {right_operand} "
        "with {left_operand} = {actual} ({detail})."
    ),
    "indeterminate": (
        "Denied: {path} cannot be decided: {left_operand} {operator} {right_operand} "
        "with {left_operand} = {actual} ({detail})."
    ),
    "unit_mismatch": "Denied: {path} cannot be checked: {detail}.",
    "expired": (
        "Denied: the permission has expired: {path} allows it while dateTime {operator} "
        "{right_operand}, and it is now {actual}."
    ),
    "not_yet_valid": (
        "Denied: the permission is not yet valid: {path} allows it from dateTime {operator} "
        "{right_operand}, and it is now {actual}."
    ),
    "count_limit_reached": (
        "Denied: the usage limit is reached: {path} allows count {operator} {right_operand}, "
        "and this would be use number {actual}."
    ),
    "elapsed_time_exceeded": (
        "Denied: the allowed period is over: {path} allows it while elapsedTime {operator} "
        "{right_operand}, and {actual} has elapsed."
    ),
    "outside_region": (
        "Denied: region {actual} is outside the area allowed by {path} "
        "(spatial {operator} {right_operand})."
    ),
    "purpose_not_allowed": (
        "Denied: purpose {actual} is not allowed by {path} (purpose {operator} {right_operand})."
    ),
    "industry_not_allowed": (
        "Denied: industry {actual} is not allowed by {path} (industry {operator} {right_operand})."
    ),
    "recipient_not_allowed": (
        "Denied: recipient {actual} is not allowed by {path} "
        "(recipient {operator} {right_operand})."
    ),
    "constraint_not_satisfied": (
        "Denied: {path} requires {left_operand} {operator} {right_operand}, "
        "but {left_operand} is {actual}."
    ),
    "refinement_not_satisfied": (
        "Denied: {path} refines the action to {left_operand} {operator} {right_operand}, "
        "but {left_operand} is {actual}."
    ),
    "no_alternative_satisfied": "Denied: none of the alternatives of {path} ({operator}) holds.",
    "not_exactly_one": (
        "Denied: {path} (xone) needs exactly one alternative to hold, and {count} do."
    ),
    "duty_not_fulfilled": (
        "Denied: {rule} requires the duty {path} ('{duty_action}') to be fulfilled first."
    ),
    "satisfied": "{path} is satisfied.",
    "duty_timing": "{path} says when the duty is due.",
}


class _Defaults(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


def render(code: str, params: Mapping[str, str]) -> str:
    """Fill the English template for `code` with `params` (unknown codes fall back to the code)."""
    template = REASONS.get(code, code.replace("_", " ") + " ({path}).")
    return template.format_map(_Defaults(params))
