"""Deadline reminders gathered from every app that has deadlines.

Each app registers a source (in its AppConfig.ready) returning the items whose deadline is
near or past: a complaint a platform must acknowledge or decide, a fee change an SME may
still object to or leave before, a milestone report a project lead owes. The
`send_reminders` command (programmes) mails each organisation's members one digest and
records every item it reminded of, so a reminder goes out once per item and deadline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Reminder:
    """One deadline to remind an organisation of.

    `kind` and `key` name the item (`complaint.decide`, the complaint's id); `deadline` is
    part of its identity, so a moved deadline is reminded of again.
    """

    kind: str
    key: str
    deadline: datetime
    organisation_id: int
    text: str
    path: str


Source = Callable[[datetime], list[Reminder]]
_sources: list[Source] = []


def register(source: Source) -> None:
    """Add an app's source of reminders (registering the same function twice keeps one)."""
    if source not in _sources:
        _sources.append(source)


def collect(now: datetime) -> list[Reminder]:
    """Every registered source's reminders due at `now`."""
    return [reminder for source in _sources for reminder in source(now)]
