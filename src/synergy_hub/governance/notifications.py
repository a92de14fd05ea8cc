"""E-mail affected SMEs about a published fee change, after the change has committed.

The notice itself is a `FeeNotice` row (what the SME sees in the hub); the e-mail only
points to it, in both languages because the hub does not know each reader's preference.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from synergy_hub.access.notifications import members
from synergy_hub.accounts.models import Organisation
from synergy_hub.governance.models import FeeSchedule
from synergy_hub.languages import pick_language

logger = logging.getLogger(__name__)


def _text(schedule: FeeSchedule) -> str:
    when = schedule.effective_from
    return _("%(platform)s changes its fees from %(date)s: %(summary)s") % {
        "platform": schedule.platform.name,
        "date": formats.date_format(timezone.localtime(when), "DATETIME_FORMAT") if when else "",
        "summary": pick_language(schedule.summary_zh, schedule.summary_en),
    }


def mail_fee_change(schedule: FeeSchedule, organisation_ids: Sequence[int]) -> None:
    """Queue the e-mails for after commit; call inside the publishing transaction."""
    organisations = list(Organisation.objects.filter(pk__in=organisation_ids))
    emails = [user.email for user in members(organisations) if user.email]
    if not emails:
        return
    texts = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            texts.append(_text(schedule))
    link = settings.SITE_URL.rstrip("/") + reverse("governance:notices")
    subject = f"[Synergy Hub] {texts[1]}"[:200]
    body = f"{texts[0]}\n{link}\n\n{texts[1]}\n{link}\n"

    def send() -> None:
        for email in emails:
            try:
                send_mail(subject, body, None, [email])
            except Exception:  # a mail server failure must not undo a committed change
                logger.exception("could not send the fee change notice to %s", email)

    transaction.on_commit(send)
