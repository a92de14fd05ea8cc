"""What needs a programme officer's attention, gathered from every app that has some.

Each app registers a function (in its AppConfig.ready) that returns its items for an
officer: a count, what it counts and where the records are. The officer dashboard
(programmes) shows them all without importing the apps beside it (governance), which the
layers forbid.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Item:
    """One kind of work waiting for an officer: how many, what, and where to see them."""

    key: str
    label: str
    count: int
    href: str
    group: str


Source = Callable[[date], list[Item]]
_sources: list[Source] = []


def register(source: Source) -> None:
    """Add an app's source of items (registering the same function twice keeps one)."""
    if source not in _sources:
        _sources.append(source)


def collect(today: date) -> list[Item]:
    """Every registered app's items, in registration order."""
    return [item for source in _sources for item in source(today)]
