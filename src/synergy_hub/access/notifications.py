"""Tell both sides about each step: a notification in the site and an e-mail after commit.

A step taken by one side notifies every member of the other side's organisation; steps
the system takes (activation, expiry, completion) notify both sides. E-mails go out
through Django's mail backend only once the step's transaction has committed, in both
languages because the hub does not know each reader's preference.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Model
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from synergy_hub.access.models import Notification
from synergy_hub.accounts.models import Organisation, User, pick_language

logger = logging.getLogger(__name__)

VERBS: Mapping[str, Promise] = {
    "request.created": _("%(party)s requests access to %(resource)s."),
    "request.offered": _("%(party)s offered terms for %(resource)s."),
    "request.countered": _("%(party)s made a counter-offer for %(resource)s."),
    "request.accepted": _("%(party)s accepted your offer for %(resource)s: confirm the agreement."),
    "request.agreed": _("The agreement for %(resource)s is concluded."),
    "request.rejected": _("%(party)s rejected the request for %(resource)s and gave its reasons."),
    "request.withdrawn": _("%(party)s withdrew the request for %(resource)s."),
    "agreement.activated": _("The agreement for %(resource)s is now active."),
    "agreement.suspended": _("%(party)s suspended the agreement for %(resource)s, with reasons."),
    "agreement.resumed": _("%(party)s resumed the agreement for %(resource)s."),
    "agreement.restricted": _("%(party)s restricted the agreement for %(resource)s, with reasons."),
    "agreement.termination_notice": _(
        "%(party)s gave notice to terminate the agreement for %(resource)s."
    ),
    "agreement.termination_withdrawn": _(
        "%(party)s withdrew its notice to terminate the agreement for %(resource)s."
    ),
    "agreement.terminated": _("The agreement for %(resource)s is terminated."),
    "agreement.expired": _("The agreement for %(resource)s has expired."),
    "agreement.completed": _("The agreement for %(resource)s is completed: all quantity used."),
    "usage.denied": _("A use under the agreement for %(resource)s was denied."),
    "relationship.restriction_lifted": _(
        "%(party)s lifted its restriction of your relationship: read the statement."
    ),
    "relationship.suspension_lifted": _(
        "%(party)s lifted its suspension of your relationship: read the statement."
    ),
    "relationship.termination_lifted": _(
        "%(party)s withdrew its termination of your relationship before it took effect."
    ),
    "round.allocated": _(
        "The allocation round “%(resource)s” is allocated: read your allocation statement."
    ),
}


def message(verb: str, params: Mapping[str, Any]) -> str:
    """The notification's sentence in the active language."""
    template = VERBS.get(verb)
    if template is None:
        return verb
    values = {
        "resource": pick_language(params.get("resource_zh", ""), params.get("resource_en", "")),
        "party": pick_language(params.get("party_zh", ""), params.get("party_en", "")),
    }
    return str(template) % values


def params_for(resource: Any, party: Organisation | None) -> dict[str, str]:
    """The names a notification mentions, in both languages."""
    return {
        "resource_zh": resource.title_zh or resource.title_en,
        "resource_en": resource.title_en or resource.title_zh,
        "party_zh": (party.name_zh or party.name_en) if party else "",
        "party_en": (party.name_en or party.name_zh) if party else "",
    }


def members(organisations: Iterable[Organisation]) -> list[User]:
    """Active users of the organisations, each once."""
    ids = [org.pk for org in organisations]
    return list(
        User.objects.filter(memberships__organisation_id__in=ids, is_active=True)
        .distinct()
        .order_by("pk")
    )


def notify(
    *,
    verb: str,
    obj: Model,
    url: str,
    organisations: Iterable[Organisation],
    params: Mapping[str, Any],
) -> list[Notification]:
    """Notify every member of `organisations`; call inside the step's transaction."""
    recipients = members(organisations)
    created = Notification.objects.bulk_create(
        [
            Notification(
                recipient=user,
                verb=verb,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                url=url,
                params=dict(params),
            )
            for user in recipients
        ]
    )
    emails = [user.email for user in recipients if user.email]
    if emails:
        transaction.on_commit(lambda: _send(verb, dict(params), url, emails))
    return created


def _send(verb: str, params: dict[str, Any], url: str, emails: list[str]) -> None:
    texts = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            texts.append(message(verb, params))
    link = settings.SITE_URL.rstrip("/") + url
    subject = f"[Synergy Hub] {texts[1]}"[:200]
    body = f"{texts[0]}\n{link}\n\n{texts[1]}\n{link}\n"
    for email in emails:
        try:
            send_mail(subject, body, None, [email])
        except Exception:  # a mail server failure must not undo a committed step
            logger.exception("could not send the access notification %s to %s", verb, email)


def mark_read(user: User) -> int:
    """Mark all of the user's unread notifications read; returns how many."""
    from django.utils import timezone

    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )
