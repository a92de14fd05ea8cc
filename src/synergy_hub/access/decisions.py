"""Translated explanations of usage decisions, keyed by the evaluator's machine codes.

The ODRL package explains a decision in English by `code` and `params`; the same pair is
stored with every usage record and rendered here in the reader's language, so both sides
read why a use was permitted or denied, and by which rule.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from synergy_hub.access.vocabulary import AgreementState, UsageAction

MESSAGES: Mapping[str, Promise] = {
    # decisions of the ODRL evaluator (see synergy_hub.odrl.reasons)
    "permitted": _("Permitted by %(rule)s."),
    "permitted_over_prohibition": _(
        "Permitted by %(rule)s: the policy's conflict strategy lets it override %(prohibition)s."
    ),
    "prohibited": _("Denied: %(rule)s prohibits “%(action)s”."),
    "conflict_policy_void": _(
        "Denied: %(rule)s and %(prohibition)s both apply to “%(action)s”, and a policy in "
        "conflict is void."
    ),
    "no_permission": _("Denied: no permission in the policy covers the action “%(action)s”."),
    "target_not_covered": _("Denied: no permission for “%(action)s” covers this resource."),
    "assignee_not_covered": _(
        "Denied: this organisation is not the assignee of any permission for “%(action)s”."
    ),
    "missing_fact": _("Denied: %(path)s needs the fact “%(fact)s”, which was not given."),
    "unknown_left_operand": _(
        "Denied: %(path)s uses the unknown term “%(left_operand)s”; unknown terms deny."
    ),
    "unknown_operator": _(
        "Denied: %(path)s uses the unknown operator “%(operator)s”; unknown terms deny."
    ),
    "type_mismatch": _(
        "Denied: %(path)s cannot be checked: %(left_operand)s %(operator)s %(right_operand)s "
        "with %(left_operand)s = %(actual)s."
    ),
    "indeterminate": _(
        "Denied: %(path)s cannot be decided: %(left_operand)s %(operator)s %(right_operand)s "
        "with %(left_operand)s = %(actual)s."
    ),
    "unit_mismatch": _("Denied: %(path)s cannot be checked: %(detail)s."),
    "expired": _(
        "Denied: the permission has expired: %(path)s allows it while the time is "
        "%(operator)s %(right_operand)s, and it is now %(actual)s."
    ),
    "not_yet_valid": _(
        "Denied: the permission is not valid yet: %(path)s allows it from %(right_operand)s, "
        "and it is now %(actual)s."
    ),
    "count_limit_reached": _(
        "Denied: the number of uses is reached: %(path)s allows count %(operator)s "
        "%(right_operand)s, and this would be use number %(actual)s."
    ),
    "elapsed_time_exceeded": _(
        "Denied: the allowed period is over: %(path)s allows %(right_operand)s, and "
        "%(actual)s has elapsed."
    ),
    "outside_region": _(
        "Denied: region %(actual)s is outside the area allowed by %(path)s "
        "(%(operator)s %(right_operand)s)."
    ),
    "purpose_not_allowed": _(
        "Denied: the purpose “%(actual)s” is not allowed by %(path)s "
        "(%(operator)s %(right_operand)s)."
    ),
    "industry_not_allowed": _(
        "Denied: industry %(actual)s is not allowed by %(path)s (%(operator)s %(right_operand)s)."
    ),
    "recipient_not_allowed": _(
        "Denied: recipient %(actual)s is not allowed by %(path)s (%(operator)s %(right_operand)s)."
    ),
    "constraint_not_satisfied": _(
        "Denied: %(path)s requires %(left_operand)s %(operator)s %(right_operand)s, but "
        "%(left_operand)s is %(actual)s."
    ),
    "refinement_not_satisfied": _(
        "Denied: %(path)s limits the action to %(left_operand)s %(operator)s "
        "%(right_operand)s, but %(left_operand)s is %(actual)s."
    ),
    "no_alternative_satisfied": _("Denied: none of the alternatives of %(path)s holds."),
    "not_exactly_one": _("Denied: exactly one alternative of %(path)s must hold; %(count)s do."),
    "duty_not_fulfilled": _(
        "Denied: %(rule)s requires the duty %(path)s (“%(duty_action)s”) to be fulfilled first."
    ),
    # decisions of the agreement itself
    "agreement_not_active": _("Denied: the agreement is %(state)s, not active."),
    "outside_agreement_period": _(
        "Denied: the use at %(actual)s is outside the agreement period (%(start)s to %(end)s)."
    ),
    "quantity_exceeded": _(
        "Denied: the use of %(requested)s would exceed the agreed quantity; "
        "%(remaining)s of %(quantity)s remain."
    ),
}


#: The nodes of a policy path (``permission[0].constraint[1]``), each with its number.
_NODES: Mapping[str, Promise] = {
    "permission": _("permission %(n)s"),
    "prohibition": _("prohibition %(n)s"),
    "obligation": _("obligation %(n)s"),
    "duty": _("duty %(n)s"),
    "constraint": _("condition %(n)s"),
    "refinement": _("refinement %(n)s"),
    "remedy": _("remedy %(n)s"),
    "consequence": _("consequence %(n)s"),
    "and": _("part %(n)s"),
    "or": _("alternative %(n)s"),
    "xone": _("alternative %(n)s"),
    "andSequence": _("step %(n)s"),
}
#: Nodes without a number, and the checks of the agreement itself (not of its policy).
_NAMED: Mapping[str, Promise] = {
    "target": _("the resources it covers"),
    "assignee": _("whom it is granted to"),
    "assigner": _("who grants it"),
    "agreement.quantity": _("the agreed quantity"),
    "agreement.period": _("the agreement period"),
    "agreement.state": _("the agreement's state"),
}
_OPERATORS: Mapping[str, str] = {
    "eq": "=",
    "neq": "≠",
    "gt": ">",
    "gteq": "≥",
    "lt": "<",
    "lteq": "≤",
}
_OPERATOR_WORDS: Mapping[str, Promise] = {
    "isA": _("is a"),
    "isPartOf": _("is within"),
    "isAllOf": _("is all of"),
    "isAnyOf": _("is one of"),
    "isNoneOf": _("is none of"),
    "hasPart": _("contains"),
}
_LEFT_OPERANDS: Mapping[str, Promise] = {
    "count": _("the number of uses"),
    "dateTime": _("the time of use"),
    "elapsedTime": _("the time elapsed"),
    "spatial": _("the region of use"),
    "purpose": _("the purpose"),
    "industry": _("the industry"),
    "recipient": _("the recipient"),
}
_STEP = re.compile(r"^([A-Za-z]+)\[(\d+)\]$")


def rule_name(path: str | None) -> str:
    """A policy path in words: ``permission[0].constraint[1]`` is "condition 2 of permission 1".

    Unknown shapes are returned as given rather than guessed at.
    """
    if not path:
        return ""
    path = path.split(" <", 1)[0]  # the evaluator appends a rule's uid in angle brackets
    if path in _NAMED:
        return str(_NAMED[path])
    words = []
    for step in path.split("."):
        match = _STEP.match(step)
        if match and match.group(1) in _NODES:
            words.append(str(_NODES[match.group(1)]) % {"n": int(match.group(2)) + 1})
        elif step in _NAMED:
            words.append(str(_NAMED[step]))
        else:
            return path
    text = words[0]
    for inner in words[1:]:
        text = str(_("%(inner)s of %(outer)s")) % {"inner": inner, "outer": text}
    return text


def action_name(action: str | None) -> str:
    """An ODRL action in words, from the metering vocabulary where it names it."""
    if not action:
        return ""
    if action in UsageAction.values:
        return str(UsageAction(action).label)
    return action


def operator_name(operator: str | None) -> str:
    if not operator:
        return ""
    if operator in _OPERATORS:
        return _OPERATORS[operator]
    if operator in _OPERATOR_WORDS:
        return str(_OPERATOR_WORDS[operator])
    return operator


def left_operand_name(left: str | None) -> str:
    if not left:
        return ""
    return str(_LEFT_OPERANDS[left]) if left in _LEFT_OPERANDS else left


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


def explain(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The decision in the active language, with its parameters filled in, in words."""
    template = MESSAGES.get(code)
    if template is None:
        return f"{code} ({rule_name((params or {}).get('path', ''))})"
    values = _Blank(params or {})
    if values.get("state") in AgreementState.values:
        values["state"] = str(AgreementState(values["state"]).label)
    for key in ("rule", "prohibition", "path"):
        if key in values:
            values[key] = rule_name(str(values[key]))
    for key in ("action", "duty_action"):
        if key in values:
            values[key] = action_name(str(values[key]))
    if "operator" in values:
        values["operator"] = operator_name(str(values["operator"]))
    if "left_operand" in values:
        values["left_operand"] = left_operand_name(str(values["left_operand"]))
    return str(template) % values
