"""Deadline reminders: one digest mail per person, each item reminded of once per deadline.

The items come from every app's registered source (`web.reminders`): complaints near
their acknowledge or decide deadline, fee changes an SME may still answer, milestone
reports due. `send_reminders` records what it sends in `SentReminder` (unique per item,
deadline and organisation) in one transaction, and the mails leave after it commits, so a
second run the same day sends nothing and a failed mail server undoes nothing.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation

from synergy_hub.access.notifications import members
from synergy_hub.accounts.models import Organisation
from synergy_hub.programmes.models import SentReminder
from synergy_hub.web import reminders

logger = logging.getLogger(__name__)
LANGUAGES = ("zh-hans", "en")


@dataclass(frozen=True)
class Digest:
    """The mails of one run: who gets which lines (for the command's report and tests)."""

    reminders: int
    mails: int


def _identity(r: reminders.Reminder) -> tuple[str, str, datetime, int]:
    return (r.kind, r.key, r.deadline, r.organisation_id)


def send_reminders(now: datetime | None = None) -> Digest:
    """Send every reminder due at `now` not sent before, as one digest per person."""
    now = now or timezone.now()
    texts: dict[tuple[str, str, datetime, int], list[str]] = defaultdict(list)
    due: dict[tuple[str, str, datetime, int], reminders.Reminder] = {}
    for language in LANGUAGES:
        with translation.override(language):
            for reminder in reminders.collect(now):
                texts[_identity(reminder)].append(reminder.text)
                due.setdefault(_identity(reminder), reminder)
    with transaction.atomic(durable=True):
        sent = set(
            SentReminder.objects.filter(
                kind__in={r.kind for r in due.values()},
                organisation_id__in={r.organisation_id for r in due.values()},
            ).values_list("kind", "key", "deadline", "organisation_id")
        )
        new = [r for identity, r in due.items() if identity not in sent]
        SentReminder.objects.bulk_create(
            SentReminder(
                kind=r.kind,
                key=r.key,
                deadline=r.deadline,
                organisation_id=r.organisation_id,
                sent_at=now,
            )
            for r in new
        )
        by_organisation: dict[int, list[reminders.Reminder]] = defaultdict(list)
        for r in new:
            by_organisation[r.organisation_id].append(r)
        organisations = Organisation.objects.in_bulk(list(by_organisation))
        mails: list[tuple[str, str]] = []
        site = settings.SITE_URL.rstrip("/")
        for organisation_id, items in sorted(by_organisation.items()):
            lines: list[str] = []
            for r in sorted(items, key=lambda r: (r.deadline, r.kind, r.key)):
                lines.extend(f"- {text}" for text in texts[_identity(r)])
                lines.append(f"  {site}{r.path}")
            body = "\n".join(lines) + "\n"
            for user in members([organisations[organisation_id]]):
                if user.email:
                    mails.append((user.email, body))

        def deliver() -> None:
            for email, body in mails:
                try:
                    send_mail("[Synergy Hub] 截止提醒 · Deadline reminders", body, None, [email])
                except Exception:  # a mail server failure must not undo what was recorded
                    logger.exception("could not send the deadline reminders to %s", email)

        transaction.on_commit(deliver)
    return Digest(reminders=len(new), mails=len(mails))
