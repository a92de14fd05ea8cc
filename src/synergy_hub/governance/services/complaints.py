"""Mediators, complaints and their evidence, and the platform's steps on a complaint."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub.accounts.models import Organisation, User
from synergy_hub.accounts.permissions import PUBLISHER_KINDS, require_member
from synergy_hub.audit.services import record
from synergy_hub.governance import rules, selectors
from synergy_hub.governance.models import (
    Complaint,
    ComplaintEvidence,
    Mediator,
)
from synergy_hub.governance.services._common import (
    SME_KINDS,
    _error,
    _require_own_platform,
    _text,
)
from synergy_hub.governance.vocabulary import (
    ComplaintCategory,
    ComplaintState,
    Outcome,
)


def add_mediator(user: User, data: Mapping[str, Any]) -> Mediator:
    """A platform names a mediator for out-of-court settlement (P2B Art 12)."""
    membership = require_member(user, kinds=PUBLISHER_KINDS)
    name_zh = _text(data, "name_zh", required=True, limit=200)
    name_en = _text(data, "name_en", required=False, limit=200)
    contact = _text(data, "contact", required=True, limit=300)
    with transaction.atomic(durable=True):
        mediator = Mediator.objects.create(
            platform=membership.organisation, name_zh=name_zh, name_en=name_en, contact=contact
        )
        record(
            actor=user,
            action="governance.mediator.added",
            obj=mediator,
            organisation_id=membership.organisation_id,
            after={"name_zh": name_zh, "contact": contact},
        )
    return mediator


MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
MAX_EVIDENCE_FILES = 10
EVIDENCE_TYPES = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".txt": "text/plain",
}


class Upload(Protocol):
    """What the services read of an uploaded file (Django's UploadedFile has it)."""

    name: str | None
    size: int | None

    def read(self, size: int = -1, /) -> bytes: ...


def check_evidence(uploads: Sequence[Upload], already: int = 0) -> None:
    """Check evidence files without storing them (the page asks in the same round as its
    own checks); each file is rewound for the service that stores it."""
    try:
        _evidence(uploads, already)
    finally:
        for upload in uploads:
            rewind = getattr(upload, "seek", None)
            if rewind is not None:
                rewind(0)


def _evidence(uploads: Sequence[Upload], already: int) -> list[tuple[str, str, bytes]]:
    """Check evidence files: known types (PDF, PNG, JPEG, text), at most 5 MiB, at most 10."""
    if already + len(uploads) > MAX_EVIDENCE_FILES:
        raise _error(
            "evidence",
            _("At most %(n)d files per complaint.") % {"n": MAX_EVIDENCE_FILES},
            "max_files",
        )
    checked = []
    for upload in uploads:
        name = (upload.name or "evidence").rsplit("/", 1)[-1][:200]
        suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if suffix not in EVIDENCE_TYPES:
            raise _error(
                "evidence",
                _("%(name)s: only PDF, PNG, JPEG or text files.") % {"name": name},
                "file_type",
            )
        data = upload.read(MAX_EVIDENCE_BYTES + 1)
        if len(data) > MAX_EVIDENCE_BYTES:
            raise _error(
                "evidence", _("%(name)s: at most 5 MiB a file.") % {"name": name}, "file_size"
            )
        checked.append((name, EVIDENCE_TYPES[suffix], data))
    return checked


def _store_evidence(
    user: User, complaint: Complaint, files: list[tuple[str, str, bytes]]
) -> list[ComplaintEvidence]:
    return ComplaintEvidence.objects.bulk_create(
        ComplaintEvidence(
            complaint=complaint,
            name=name,
            content_type=content_type,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            data=data,
            uploaded_by=user,
        )
        for name, content_type, data in files
    )


def add_evidence(user: User, complaint: Complaint, uploads: Sequence[Upload]) -> Complaint:
    """The complaining SME adds evidence to its complaint until the platform decides."""
    membership = require_member(user, kinds=SME_KINDS)
    if membership.organisation_id != complaint.complainant_id:
        raise PermissionDenied(_("Only the complaining SME may add evidence."))
    if not uploads:
        raise _error("evidence", _("Choose a file."), "required")
    files = _evidence(uploads, complaint.evidence.count())
    with transaction.atomic(durable=True):
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.decided_at is not None:
            raise _error("evidence", _("The complaint is already decided."), "invalid_state")
        stored = _store_evidence(user, locked, files)
        record(
            actor=user,
            action="governance.complaint.evidence_added",
            obj=locked,
            organisation_id=locked.complainant_id,
            after={"files": [[e.name, e.size, e.sha256] for e in stored]},
        )
    return locked


def file_complaint(
    user: User,
    platform: Organisation,
    data: Mapping[str, Any],
    *,
    evidence: Sequence[Upload] = (),
    now: datetime | None = None,
) -> Complaint:
    """An SME complains, free of charge, about a platform's conduct; deadlines follow its rules."""
    membership = require_member(user, kinds=SME_KINDS)
    if platform.kind not in PUBLISHER_KINDS:
        raise _error("platform", _("Choose a platform or service provider."), "invalid_choice")
    category = data.get("category")
    if category not in ComplaintCategory.values:
        raise _error("category", _("Choose a known type of complaint."), "invalid_choice")
    subject = _text(data, "subject", required=True, limit=200)
    description = _text(data, "description", required=True, limit=8000)
    files = _evidence(evidence, 0)
    now = now or timezone.now()
    rule_set = selectors.rule_set_of(platform.pk)
    deadlines = rules.complaint_deadlines(now, rule_set)
    with transaction.atomic(durable=True):
        complaint = Complaint.objects.create(
            complainant=membership.organisation,
            platform=platform,
            filed_by=user,
            category=category,
            subject=subject,
            description=description,
            rule_set=rule_set.code,
            filed_at=now,
            acknowledge_by=deadlines.acknowledge_by,
            decide_by=deadlines.decide_by,
        )
        stored = _store_evidence(user, complaint, files)
        record(
            actor=user,
            action="governance.complaint.filed",
            obj=complaint,
            organisation_id=membership.organisation_id,
            after={
                "platform": platform.pk,
                "category": category,
                "rule_set": rule_set.code,
                "evidence": [[e.name, e.size, e.sha256] for e in stored],
            },
        )
    return complaint


# Which complaint states each step may start from: the one home of these transitions, read
# by the services below and by the complaint page to offer only the steps that can be taken.
ACKNOWLEDGEABLE = frozenset({ComplaintState.FILED})
DECIDABLE = frozenset({ComplaintState.FILED, ComplaintState.ACKNOWLEDGED})
ESCALATED = frozenset({ComplaintState.MEDIATION, ComplaintState.OFFICE})


def complaint_steps(complaint: Complaint) -> dict[str, bool]:
    """The steps a complaint's state allows next (who may take them is checked apart)."""
    return {
        "acknowledge": complaint.state in ACKNOWLEDGEABLE,
        "decide": complaint.state in DECIDABLE,
        "escalate": complaint.state not in ESCALATED,
    }


def _platform_step(
    user: User, complaint: Complaint, allowed: frozenset[str], action: str, **changes: Any
) -> Complaint:
    _require_own_platform(user, complaint.platform)
    with transaction.atomic(durable=True):
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.state not in allowed:
            raise _error("state", _("The complaint is not in a state for this."), "invalid_state")
        before = {"state": locked.state}
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.save(update_fields=list(changes))
        record(
            actor=user,
            action=action,
            obj=locked,
            organisation_id=locked.platform_id,
            before=before,
            after={key: str(value) for key, value in changes.items()},
        )
    return locked


def acknowledge_complaint(
    user: User, complaint: Complaint, *, now: datetime | None = None
) -> Complaint:
    """The platform confirms it received the complaint."""
    return _platform_step(
        user,
        complaint,
        ACKNOWLEDGEABLE,
        "governance.complaint.acknowledged",
        state=ComplaintState.ACKNOWLEDGED,
        acknowledged_at=now or timezone.now(),
    )


def decide_complaint(
    user: User, complaint: Complaint, outcome: str, reasons: str, *, now: datetime | None = None
) -> Complaint:
    """The platform gives its individual outcome with reasons (P2B Art 11(1))."""
    if outcome not in Outcome.values:
        raise _error("outcome", _("Choose a known outcome."), "invalid_choice")
    reasons = _text({"reasons": reasons}, "reasons", required=True, limit=8000)
    now = now or timezone.now()
    acknowledged = complaint.acknowledged_at or now
    return _platform_step(
        user,
        complaint,
        DECIDABLE,
        "governance.complaint.decided",
        state=ComplaintState.DECIDED,
        acknowledged_at=acknowledged,
        decided_at=now,
        outcome=outcome,
        reasons=reasons,
    )


def escalate_complaint(
    user: User, complaint: Complaint, *, mediator_id: int | None = None
) -> Complaint:
    """The SME takes its complaint to one of the platform's mediators or to the office."""
    membership = require_member(user, kinds=SME_KINDS)
    if membership.organisation_id != complaint.complainant_id:
        raise PermissionDenied(_("Only the complaining SME may escalate."))
    mediator = None
    if mediator_id is not None:
        mediator = Mediator.objects.filter(pk=mediator_id, platform=complaint.platform).first()
        if mediator is None:
            raise _error("mediator", _("Choose one of the platform's mediators."), "invalid")
    with transaction.atomic(durable=True):
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.state in ESCALATED:
            raise _error("state", _("The complaint is already escalated."), "invalid_state")
        before = {"state": locked.state}
        locked.state = ComplaintState.MEDIATION if mediator else ComplaintState.OFFICE
        locked.mediator = mediator
        locked.escalated_at = timezone.now()
        locked.save(update_fields=["state", "mediator", "escalated_at"])
        record(
            actor=user,
            action="governance.complaint.escalated",
            obj=locked,
            organisation_id=locked.complainant_id,
            before=before,
            after={"state": locked.state, "mediator": mediator_id},
        )
    return locked
