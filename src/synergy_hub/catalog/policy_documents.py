"""Usage-policy documents as the catalog stores them: ODRL JSON-LD read into field errors.

A resource carries its default usage policy; access builds offers and agreements from it.
Both read a submitted document here, so a bad policy is reported the same way, naming the
JSON path of each offending node, wherever it is entered.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from synergy_hub import odrl
from synergy_hub.validation import FieldErrors

#: Problems of one document reported at most (the first ten say what to fix).
MAX_PROBLEMS_REPORTED = 10


def read_policy(document: Any, errors: FieldErrors, field: str = "policy") -> odrl.Policy | None:
    """Read a JSON-LD policy; each problem becomes an error on `field` naming its JSON path."""
    if not isinstance(document, Mapping):
        errors.add(field, _("The policy must be a JSON object (ODRL JSON-LD)."), "invalid_policy")
        return None
    try:
        return odrl.policy_from_jsonld(document)
    except odrl.PolicyValidationError as exc:
        for problem in exc.problems[:MAX_PROBLEMS_REPORTED]:
            errors.add(
                field,
                _("%(path)s: %(message)s") % {"path": problem.path, "message": problem.message},
                problem.rule,
            )
        return None
