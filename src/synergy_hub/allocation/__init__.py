"""Allocation of scarce capacity among competing requests, solved exactly (pure Python).

A round's capacity (units per resource and slot) is shared among requests that each ask
for a quantity, accept no less than a minimum (or nothing), fit a window of slots and may
take any of several equivalent resources. `solve` maximises the disclosed objective with
OR-Tools and `explain` says, for each request, which constraint kept it from getting
more. No Django here: access builds the `Problem` from its rows and turns the result into
agreements and statements.
"""

from synergy_hub.allocation.explain import Reason, Statement, explain
from synergy_hub.allocation.problem import (
    TRANCHES,
    Fairness,
    Problem,
    Request,
    SlotKey,
    tranches,
    utility,
)
from synergy_hub.allocation.solve import Method, Result, solve

__all__ = [
    "TRANCHES",
    "Fairness",
    "Method",
    "Problem",
    "Reason",
    "Request",
    "Result",
    "SlotKey",
    "Statement",
    "explain",
    "solve",
    "tranches",
    "utility",
]
