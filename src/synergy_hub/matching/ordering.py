"""Which ordering a user's searches use: the disclosed one or the non-personalised one.

The non-personalised ordering (Algorithm Recommendation Provisions Art 17, E-Commerce Law
Art 18, DSA Art 38) ranks by relevance, freshness and list price only. The user's choice is
a governance record, and governance sits above matching in the layers, so governance
registers its reader here when the apps load (docs/decisions/0020): matching asks without
importing it, and without a reader every search is the disclosed, personalised one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_reader: Callable[[Any], bool] | None = None


def register_preference(reader: Callable[[Any], bool]) -> None:
    """Install the function that tells whether a user chose the non-personalised ordering."""
    global _reader
    _reader = reader


def non_personalised_for(user: Any) -> bool:
    """Whether the user's searches use the non-personalised ordering."""
    return bool(_reader(user)) if _reader is not None else False


PERSONALISED = "personalised"
NON_PERSONALISED = "non_personalised"


def personalised_for(user: Any, requested: str | None = None) -> bool:
    """Whether to personalise a search: the request's explicit choice, else the user's own."""
    if requested:
        return requested != NON_PERSONALISED
    return not non_personalised_for(user)
