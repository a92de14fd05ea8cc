"""Translated explanations of usage decisions, keyed by the evaluator's machine codes.

The ODRL package explains a decision in English by `code` and `params`; the same pair is
stored with every usage record and rendered here in the reader's language, so both sides
read why a use was permitted or denied, and by which rule.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from synergy_hub.access.vocabulary import AgreementState

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


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


def explain(code: str, params: Mapping[str, Any] | None = None) -> str:
    """The decision in the active language, with its parameters filled in."""
    template = MESSAGES.get(code)
    if template is None:
        return f"{code} ({(params or {}).get('path', '')})"
    values = _Blank(params or {})
    if values.get("state") in AgreementState.values:
        values["state"] = str(AgreementState(values["state"]).label)
    return str(template) % values
