"""Every change to the governance records: one function, one transaction, one audit event.

Each function checks who acts, validates (the rule modules decide, this module names the
field), writes and records the audit event in one durable transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Protocol

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from synergy_hub.access import services as access_services
from synergy_hub.access.models import AccessRequest, Agreement, StatementOfReasons
from synergy_hub.access.vocabulary import AgreementState, ExceptionGround, Party, ReasonKind
from synergy_hub.access.workflow import RUNNING_AGREEMENT_STATES, Actor
from synergy_hub.accounts.models import Organisation, OrganisationKind, User
from synergy_hub.accounts.permissions import PUBLISHER_KINDS, require_member
from synergy_hub.audit.services import record
from synergy_hub.catalog.models import Resource
from synergy_hub.governance import rules, selectors
from synergy_hub.governance.models import (
    Complaint,
    ComplaintEvidence,
    FeeItem,
    FeeNotice,
    FeeSchedule,
    Mediator,
    RankingDisclosure,
    RankingPreference,
)
from synergy_hub.governance.notifications import mail_fee_change
from synergy_hub.governance.vocabulary import (
    ComplaintCategory,
    ComplaintState,
    FeeBasis,
    FeeKind,
    Jurisdiction,
    NoticeResponse,
    Outcome,
    ScheduleState,
)
from synergy_hub.validation import FieldErrors

SME_KINDS = frozenset({OrganisationKind.SME})
RUNNING_STATES = [state.value for state in RUNNING_AGREEMENT_STATES]


def _error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: ValidationError(message, code=code)})


def _require_own_platform(user: Any, platform: Organisation) -> None:
    """Only a write member of the platform itself acts for it (403 otherwise)."""
    membership = require_member(user, kinds=PUBLISHER_KINDS)
    if membership.organisation_id != platform.pk:
        raise PermissionDenied(_("Only the platform's own members may do this."))


def _text(data: Mapping[str, Any], field: str, *, required: bool, limit: int) -> str:
    value = data.get(field) or ""
    if not isinstance(value, str):
        raise _error(field, _("Enter text."), "invalid")
    value = value.strip()
    if required and not value:
        raise _error(field, _("This field is required."), "required")
    if len(value) > limit:
        raise _error(field, _("At most %(limit)d characters.") % {"limit": limit}, "max_length")
    return value


def _decimal(value: Any, field: str, *, minimum: Decimal = Decimal(0)) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise _error(field, _("Enter a number."), "invalid") from None
    if not number.is_finite() or number < minimum:
        raise _error(field, _("Enter a non-negative number."), "min_value")
    return number


# --- fee schedules ------------------------------------------------------------------------


def _items(items: Sequence[Mapping[str, Any]]) -> list[FeeItem]:
    """Check the fee items of a schedule (at least one; known kinds and bases)."""
    if not items:
        raise _error("items", _("List at least one fee."), "required")
    checked = []
    for n, item in enumerate(items):
        kind, basis = item.get("kind"), item.get("basis")
        if kind not in FeeKind.values:
            raise _error(f"items.{n}.kind", _("Choose a known fee."), "invalid_choice")
        if basis not in FeeBasis.values:
            raise _error(f"items.{n}.basis", _("Choose a known basis."), "invalid_choice")
        rate = _decimal(item.get("rate"), f"items.{n}.rate")
        if basis == FeeBasis.PERCENTAGE and rate > 100:
            raise _error(f"items.{n}.rate", _("A percentage is at most 100."), "max_value")
        cap = item.get("cap")
        discount = _decimal(item.get("sme_discount_percent") or 0, f"items.{n}.sme_discount")
        if discount > 100:
            raise _error(
                f"items.{n}.sme_discount_percent", _("A percentage is at most 100."), "max_value"
            )
        tiers = item.get("tiers") or []
        if basis == FeeBasis.TIERED and not tiers:
            raise _error(f"items.{n}.tiers", _("A tiered fee lists its tiers."), "required")
        checked.append(
            FeeItem(
                kind=kind,
                basis=basis,
                rate=rate,
                unit=str(item.get("unit") or "")[:40],
                tiers=list(tiers),
                cap=None if cap in (None, "") else _decimal(cap, f"items.{n}.cap"),
                sme_discount_percent=discount,
                applies_to=str(item.get("applies_to") or "")[:300],
            )
        )
    return checked


def _collect(errors: FieldErrors, check: Any, *args: Any, **kwargs: Any) -> Any:
    """Run a check that raises at its first error; add that error to `errors` (None then)."""
    try:
        return check(*args, **kwargs)
    except ValidationError as exc:
        for field, found in exc.error_dict.items():
            for error in found:
                errors.add(field, ValidationError([error]).messages[0], str(error.code))
        return None


def clean_fee_schedule(data: Mapping[str, Any], errors: FieldErrors) -> dict[str, Any]:
    """Check a fee schedule draft; every field's error at once (the page asks in one round)."""
    jurisdiction = data.get("jurisdiction") or rules.DEFAULT_RULE_SET
    if jurisdiction not in Jurisdiction.values:
        errors.add("jurisdiction", _("Choose a known rule set."), "invalid_choice")
    return {
        "jurisdiction": jurisdiction,
        "summary_zh": _collect(errors, _text, data, "summary_zh", required=True, limit=2000),
        "summary_en": _collect(errors, _text, data, "summary_en", required=False, limit=4000),
        "items": _collect(errors, _items, data.get("items") or []),
    }


def draft_fee_schedule(user: User, data: Mapping[str, Any]) -> FeeSchedule:
    """A platform drafts the next version of its fee schedule (not public until published)."""
    membership = require_member(user, kinds=PUBLISHER_KINDS)
    platform = membership.organisation
    errors = FieldErrors()
    clean = clean_fee_schedule(data, errors)
    errors.raise_if_any()
    jurisdiction, summary_zh, summary_en, items = (
        clean["jurisdiction"],
        clean["summary_zh"],
        clean["summary_en"],
        clean["items"],
    )
    with transaction.atomic(durable=True):
        # The platform's row is the lock: two drafts at once get versions n and n + 1.
        Organisation.objects.select_for_update().filter(pk=platform.pk).first()
        last = FeeSchedule.objects.filter(platform=platform).order_by("-version").first()
        schedule = FeeSchedule.objects.create(
            platform=platform,
            version=(last.version + 1) if last else 1,
            jurisdiction=jurisdiction,
            summary_zh=summary_zh,
            summary_en=summary_en,
            created_by=user,
        )
        for item in items:
            item.schedule = schedule
        FeeItem.objects.bulk_create(items)
        record(
            actor=user,
            action="governance.fee_schedule.drafted",
            obj=schedule,
            organisation_id=platform.pk,
            after={"version": schedule.version, "items": len(items)},
        )
    return schedule


def affected_smes(platform: Organisation) -> list[int]:
    """SMEs with a request or an agreement with the platform: they are told of fee changes."""
    ids = set(
        AccessRequest.objects.filter(
            provider=platform, consumer__kind=OrganisationKind.SME
        ).values_list("consumer_id", flat=True)
    )
    ids |= set(
        Agreement.objects.filter(
            provider=platform, consumer__kind=OrganisationKind.SME
        ).values_list("consumer_id", flat=True)
    )
    return sorted(ids)


def publish_fee_schedule(
    user: User, schedule: FeeSchedule, effective_from: datetime, *, now: datetime | None = None
) -> FeeSchedule:
    """Publish a drafted schedule to apply from `effective_from`, and notify affected SMEs.

    The effective date must leave the notice period of the schedule's rule set (PRC: E-Commerce
    Law Art 34, 7 days; EU: P2B Art 3(2), 15 days); an earlier one is refused naming the rule.
    """
    _require_own_platform(user, schedule.platform)
    if schedule.state != ScheduleState.DRAFT:
        raise _error("state", _("Only a draft can be published."), "invalid_state")
    if timezone.is_naive(effective_from):
        raise _error("effective_from", _("Give the time zone."), "naive")
    now = now or timezone.now()
    rule_set = rules.rule_set(schedule.jurisdiction)
    try:
        rules.check_notice(now, effective_from, rule_set)
    except rules.NoticeTooShort as exc:
        raise _error(
            "effective_from",
            _(
                "A fee change applies at least %(days)d days after publication "
                "(%(source)s); the earliest date is %(earliest)s"
            )
            % {
                "days": rule_set.fee_notice_days.value,
                "source": rule_set.fee_notice_days.source,
                "earliest": formats.date_format(
                    timezone.localtime(exc.earliest), "DATETIME_FORMAT"
                ),
            },
            "notice_period",
        ) from None
    with transaction.atomic(durable=True):
        locked = FeeSchedule.objects.select_for_update().get(pk=schedule.pk)
        if locked.state != ScheduleState.DRAFT:
            raise _error("state", _("Only a draft can be published."), "invalid_state")
        locked.state = ScheduleState.PUBLISHED
        locked.published_at = now
        locked.effective_from = effective_from
        locked.save(update_fields=["state", "published_at", "effective_from"])
        smes = affected_smes(locked.platform)
        FeeNotice.objects.bulk_create(
            FeeNotice(schedule=locked, organisation_id=sme, created_at=now) for sme in smes
        )
        mail_fee_change(locked, smes)
        record(
            actor=user,
            action="governance.fee_schedule.published",
            obj=locked,
            organisation_id=locked.platform_id,
            after={
                "version": locked.version,
                "effective_from": effective_from.isoformat(),
                "rule_set": rule_set.code,
                "notified": smes,
            },
        )
    return locked


def answer_fee_notice(
    user: User, notice: FeeNotice, response: str, text: str = "", *, now: datetime | None = None
) -> FeeNotice:
    """An SME objects to a fee change, or says it leaves without penalty, before it applies.

    E-Commerce Law Art 34 and P2B Art 3(2): a business that does not accept a change may
    leave before it applies.
    """
    membership = require_member(user, kinds=SME_KINDS)
    if membership.organisation_id != notice.organisation_id:
        raise PermissionDenied(_("Only the notified SME may answer."))
    if response not in (NoticeResponse.OBJECTED, NoticeResponse.LEAVING):
        raise _error("response", _("Choose to object or to leave."), "invalid_choice")
    text = _text({"text": text}, "text", required=response == NoticeResponse.OBJECTED, limit=4000)
    now = now or timezone.now()
    effective_from = notice.schedule.effective_from
    if effective_from is not None and now >= effective_from:
        raise _error(
            "response", _("The change already applies; file a complaint instead."), "too_late"
        )
    with transaction.atomic(durable=True):
        locked = FeeNotice.objects.select_for_update().get(pk=notice.pk)
        before = {"response": locked.response}
        locked.response = response
        locked.response_text = text
        locked.responded_at = now
        locked.responded_by = user
        locked.save(update_fields=["response", "response_text", "responded_at", "responded_by"])
        ended = []
        if response == NoticeResponse.LEAVING and before["response"] != NoticeResponse.LEAVING:
            ended = _leave_without_penalty(user, locked)
        record(
            actor=user,
            action="governance.fee_notice.answered",
            obj=locked,
            organisation_id=locked.organisation_id,
            before=before,
            after={"response": response, "agreements_ended": ended, "penalty": None},
        )
    return locked


def _leave_without_penalty(user: User, notice: FeeNotice) -> list[int]:
    """End the SME's running agreements with the platform at once, before the change applies.

    E-Commerce Law Art 34 and P2B Art 3(2): a business that does not accept a change may
    leave. Each agreement ends through access's termination (its own statement of reasons,
    audit event and notification) with the ground `fee_change_refused`, which skips the
    30-day notice; no fee or penalty is charged for leaving (there is none to record).
    """
    schedule = notice.schedule
    reasons = {
        "facts": _(
            "Fee schedule version %(version)d of the provider, published on %(published)s, "
            "applies from %(effective)s; the SME does not accept it."
        )
        % {
            "version": schedule.version,
            "published": timezone.localdate(schedule.published_at).isoformat()
            if schedule.published_at
            else "—",
            "effective": timezone.localdate(schedule.effective_from).isoformat()
            if schedule.effective_from
            else "—",
        },
        "ground": _(
            "E-Commerce Law Art. 34 and Regulation (EU) 2019/1150 Art. 3(2): a business that "
            "does not accept a change of terms may leave before it applies, without penalty."
        ),
        "redress": _(
            "Either side may file a complaint with the hub's programme office about this end."
        ),
    }
    ended = []
    for agreement in relationship_agreements(schedule.platform_id, notice.organisation_id):
        access_services.terminate_agreement_in_transaction(
            user,
            agreement,
            Actor.CONSUMER,
            reasons,
            exception=ExceptionGround.FEE_CHANGE_REFUSED,
            effective_on=None,
            extra={"fee_schedule": schedule.pk, "penalty": None},
        )
        ended.append(agreement.pk)
    return ended


# --- ranking ------------------------------------------------------------------------------


def publish_ranking_disclosure(user: User, data: Mapping[str, Any]) -> RankingDisclosure:
    """A platform files a new version of its ranking disclosure (P2B Art 5 and 7)."""
    membership = require_member(user, kinds=PUBLISHER_KINDS)
    platform = membership.organisation
    parameters = data.get("parameters") or []
    try:
        rules.check_parameters(parameters)
    except ValueError as exc:
        raise _error("parameters", str(exc), "invalid") from None
    texts = {
        field: _text(data, field, required=True, limit=2000 if field.endswith("zh") else 4000)
        for field in ("paid_influence_zh", "paid_influence_en", "own_offers_zh", "own_offers_en")
    }
    with transaction.atomic(durable=True):
        Organisation.objects.select_for_update().filter(pk=platform.pk).first()  # the lock
        last = RankingDisclosure.objects.filter(platform=platform).order_by("-version").first()
        disclosure = RankingDisclosure.objects.create(
            platform=platform,
            version=(last.version + 1) if last else 1,
            parameters=[dict(item) for item in parameters],
            published_by=user,
            **texts,
        )
        record(
            actor=user,
            action="governance.ranking_disclosure.published",
            obj=disclosure,
            organisation_id=platform.pk,
            after={"version": disclosure.version, "parameters": disclosure.parameters},
        )
    return disclosure


def set_ranking_preference(user: User, *, non_personalised: bool) -> RankingPreference:
    """Switch the user's searches to or from the non-personalised ordering, at once.

    Algorithm Recommendation Provisions Art 17 and E-Commerce Law Art 18: an option not
    targeted at personal characteristics, honoured immediately.
    """
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("Log in to keep a choice for your account."))
    with transaction.atomic(durable=True):
        preference, _created = RankingPreference.objects.select_for_update().get_or_create(
            user=user
        )
        before = {"non_personalised": preference.non_personalised}
        preference.non_personalised = non_personalised
        preference.changed_at = timezone.now()
        preference.save(update_fields=["non_personalised", "changed_at"])
        record(
            actor=user,
            action="governance.ranking_preference.changed",
            obj=preference,
            before=before,
            after={"non_personalised": non_personalised},
        )
    return preference


# --- mediators and complaints -------------------------------------------------------------


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


# --- restriction, suspension and termination of a whole relationship ----------------------

MEASURE_KINDS = (ReasonKind.RESTRICTION, ReasonKind.SUSPENSION, ReasonKind.TERMINATION)
MEASURE_ACTIONS: dict[str, str] = {
    ReasonKind.RESTRICTION: "governance.relationship.restricted",
    ReasonKind.SUSPENSION: "governance.relationship.suspended",
    ReasonKind.TERMINATION: "governance.relationship.terminated",
}


def clean_measure(
    data: Mapping[str, Any], kind: str, platform: Organisation
) -> tuple[dict[str, Any], list[int]]:
    """The statement's fields (DSA Art 17(3): measure and scope, facts, ground, automated
    means, redress), every error at once; for a restriction, the platform's own resources.

    Writes nothing: the page's form also asks it in the same round as its own checks."""
    errors = FieldErrors()
    if kind not in MEASURE_KINDS:
        errors.add("kind", _("Choose restriction, suspension or termination."), "invalid_choice")
    clean: dict[str, Any] = dict(access_services.clean_statement(data, errors))
    clean["scope"] = errors.text("scope", data.get("scope"), max_length=2000, required=True)
    clean["automated"] = bool(data.get("automated"))
    clean["exception"] = access_services.clean_exception(data.get("exception"), errors)
    clean["effective_on"] = None
    raw_on = data.get("effective_on")
    if raw_on not in (None, ""):
        try:
            clean["effective_on"] = (
                raw_on if isinstance(raw_on, date) else date.fromisoformat(str(raw_on))
            )
        except ValueError:
            errors.add("effective_on", _("Enter a date as YYYY-MM-DD."), "invalid")
    resources: list[int] = []
    if kind == ReasonKind.RESTRICTION:
        raw = data.get("resources") or []
        try:
            resources = sorted({int(r) for r in raw})
        except (TypeError, ValueError):
            errors.add("resources", _("Enter resource ids."), "invalid")
        if not resources and not errors.has("resources"):
            errors.add("resources", _("A restriction names the resources it covers."), "required")
        elif resources:
            own = set(
                Resource.objects.filter(
                    pk__in=resources, openness_list__publisher=platform
                ).values_list("pk", flat=True)
            )
            if own != set(resources):
                errors.add("resources", _("Name only your own platform's resources."), "not_yours")
    errors.raise_if_any()
    return clean, resources


def relationship_agreements(platform_id: int, consumer_id: int) -> list[Agreement]:
    """The running agreements (agreed, active, suspended) between a platform and an SME."""
    return list(
        Agreement.objects.filter(
            provider_id=platform_id, consumer_id=consumer_id, state__in=RUNNING_STATES
        ).order_by("pk")
    )


def take_relationship_measure(
    user: User, consumer: Organisation, kind: str, data: Mapping[str, Any]
) -> StatementOfReasons:
    """A platform restricts, suspends or terminates its whole relationship with an SME.

    One statement of reasons (access's model) records the measure; the agreements it
    reaches are suspended or terminated through access's services, each with its own
    statement pointing to this one. The rules (`POLICY.md`):
    - restriction or suspension (P2B Art 4(1)): takes effect at once, the statement given
      when it does; a restriction suspends the agreements on the resources it names, a
      suspension every active agreement;
    - termination (P2B Art 4(2)): at least the rule set's termination notice (30 days)
      after the statement, unless an exception ground is recorded (P2B Art 4(4): a legal
      or regulatory obligation, an imperative reason, repeated infringement); every
      running agreement ends on that day;
    - the statement cites the facts and the ground (P2B Art 4(5)), says whether automated
      means decided and how to seek redress (DSA Art 17(3)); the SME may complain.
    """
    membership = require_member(user, kinds=PUBLISHER_KINDS)
    platform = membership.organisation
    if consumer.kind != OrganisationKind.SME or not (
        Agreement.objects.filter(provider=platform, consumer=consumer).exists()
        or AccessRequest.objects.filter(provider=platform, consumer=consumer).exists()
    ):
        raise _error(
            "consumer",
            _("Only an SME that has requested or agreed access with your platform."),
            "no_relationship",
        )
    clean, resources = clean_measure(data, kind, platform)
    now = timezone.now()
    # Time-driven steps first (an agreement due to start is active), each in its own
    # transaction as access runs them; the measure then sees the current states.
    access_services.advance_agreements(now, provider=platform, consumer=consumer)
    rule_set = selectors.rule_set_of(platform.pk)
    effective_at = now
    if kind == ReasonKind.TERMINATION:
        effective_at = _termination_effective_at(now, clean, rule_set)
    with transaction.atomic(durable=True):
        measure = StatementOfReasons.objects.create(
            kind=kind,
            provider=platform,
            consumer=consumer,
            author=user,
            party=Party.PROVIDER,
            facts=clean["facts"],
            ground=clean["ground"],
            redress=clean["redress"],
            scope=clean["scope"],
            automated=clean["automated"],
            exception=clean["exception"] if kind == ReasonKind.TERMINATION else "",
            effective_at=effective_at,
        )
        reasons = {k: clean[k] for k in ("facts", "ground", "redress")}
        touched: list[int] = []
        for agreement in relationship_agreements(platform.pk, consumer.pk):
            if kind == ReasonKind.TERMINATION:
                pending = agreement.termination_effective_at
                if pending is not None and (pending <= effective_at or not clean["exception"]):
                    continue  # its own notice runs (and ends it no later, or needs a ground)
                access_services.terminate_agreement_in_transaction(
                    user,
                    agreement,
                    Actor.PROVIDER,
                    reasons,
                    exception=clean["exception"],
                    effective_on=timezone.localdate(effective_at) if effective_at > now else None,
                    measure=measure,
                )
            elif agreement.state == AgreementState.ACTIVE and (
                kind == ReasonKind.SUSPENSION or agreement.resource_id in resources
            ):
                access_services.suspend_agreement_in_transaction(
                    user, agreement, Actor.PROVIDER, reasons, measure=measure
                )
            else:
                continue
            touched.append(agreement.pk)
        record(
            actor=user,
            action=MEASURE_ACTIONS[kind],
            obj=measure,
            organisation_id=platform.pk,
            after={
                "consumer": consumer.pk,
                "scope": clean["scope"],
                "automated": clean["automated"],
                "exception": measure.exception,
                "effective_at": effective_at.isoformat(),
                "resources": resources,
                "agreements": touched,
                "rule_set": rule_set.code,
            },
        )
    return measure


def _termination_effective_at(now: datetime, clean: Mapping[str, Any], rule_set: Any) -> datetime:
    """P2B Art 4(2): the rule set's notice (30 days) unless an Art 4(4) ground is recorded."""
    days = rule_set.termination_notice_days.value
    earliest = timezone.localdate(now) + timedelta(days=days)
    effective_on = clean["effective_on"]
    if clean["exception"]:
        if effective_on is None or effective_on <= timezone.localdate(now):
            return now
    else:
        effective_on = effective_on or earliest
        if effective_on < earliest:
            raise _error(
                "effective_on",
                _(
                    "Terminating the whole relationship takes effect at least %(days)d days "
                    "after the statement (%(source)s): the earliest day is %(earliest)s, "
                    "unless an exception ground is recorded (P2B Art. 4(4))."
                )
                % {
                    "days": days,
                    "source": rule_set.termination_notice_days.source,
                    "earliest": earliest.isoformat(),
                },
                "notice_too_short",
            )
    return timezone.make_aware(datetime.combine(effective_on, time.min))
