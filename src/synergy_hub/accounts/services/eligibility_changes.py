"""Size class, tier and region changes, requested with evidence and reviewed by the
programme office (decision 0017).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub.accounts.models import (
    EligibilityChange,
    EligibilityChangeStatus,
    Organisation,
    OrganisationKind,
    Role,
    User,
)
from synergy_hub.accounts.permissions import require_member, require_officer
from synergy_hub.accounts.services.profile import (
    ELIGIBILITY_FIELDS,
    changes_eligibility,
    organisation_snapshot,
    validate_organisation_fields,
)
from synergy_hub.audit.services import record
from synergy_hub.validation import FieldErrors

#: Evidence for a change request: at most this many bytes, of these kinds (by content).
EVIDENCE_MAX_BYTES = 2 * 1024 * 1024
EVIDENCE_TYPES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}


def _evidence_type(errors: FieldErrors, evidence: Any) -> tuple[bytes, str, str]:
    """Read the uploaded evidence within its bounds; (content, file name, content type)."""
    if evidence is None:
        errors.add(
            "evidence", _("Attach a document that shows the new figures or tier."), "required"
        )
        return b"", "", ""
    size = int(getattr(evidence, "size", 0) or 0)
    if size > EVIDENCE_MAX_BYTES:
        errors.add(
            "evidence",
            _("The file is larger than %(max)d MB.") % {"max": EVIDENCE_MAX_BYTES // (1024 * 1024)},
            "too_large",
        )
        return b"", "", ""
    content = evidence.read(EVIDENCE_MAX_BYTES + 1)
    if len(content) > EVIDENCE_MAX_BYTES:
        errors.add(
            "evidence",
            _("The file is larger than %(max)d MB.") % {"max": EVIDENCE_MAX_BYTES // (1024 * 1024)},
            "too_large",
        )
        return b"", "", ""
    kind = next((t for magic, t in EVIDENCE_TYPES.items() if content.startswith(magic)), None)
    if kind is None:
        errors.add("evidence", _("Upload a PDF, PNG or JPEG file."), "invalid_type")
        return b"", "", ""
    name = str(getattr(evidence, "name", "") or "evidence")[-200:]
    return content, name, kind


def request_eligibility_change(
    actor: User,
    organisation: Organisation,
    data: Mapping[str, Any],
    evidence: Any,
    *,
    basis: Mapping[str, Any] | None = None,
) -> EligibilityChange:
    """Ask the programme office to accept new figures, a new tier or a new region (the
    organisation's administrators only).

    The organisation keeps its current size class, tier and region until an officer
    approves; one request may wait at a time. `basis` records what the hub computed that
    the request rests on (a kept tier evaluation), for the officer.
    """
    membership = require_member(actor, roles=frozenset({Role.ADMIN}), approved=False)
    if (
        membership.organisation_id != organisation.pk
        or organisation.kind == OrganisationKind.AUTHORITY
    ):
        raise PermissionDenied(_("You may only request changes for your own organisation."))
    errors = FieldErrors()
    current = organisation_snapshot(organisation)
    proposed = {f: data.get(f, current[f]) for f in ELIGIBILITY_FIELDS}
    clean = validate_organisation_fields(
        current | proposed | {"kind": organisation.kind}, errors, exclude_pk=organisation.pk
    )
    explanation = errors.text("explanation", data.get("explanation"), max_length=2000)
    content, name, kind = _evidence_type(errors, evidence)
    if not errors.errors and not changes_eligibility(organisation, clean):
        errors.add(
            "tier",
            _(
                "This changes neither the size class, the tier nor the region: edit the "
                "profile instead."
            ),
            "no_change",
        )
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        locked = Organisation.objects.select_for_update().get(pk=organisation.pk)
        if locked.eligibility_changes.filter(status=EligibilityChangeStatus.PENDING).exists():
            raise ValidationError(
                {
                    "tier": ValidationError(
                        _("A change request is already awaiting review."), code="pending"
                    )
                }
            )
        change = EligibilityChange.objects.create(
            organisation=locked,
            requested_by=actor,
            industry=clean["industry"],
            region=clean["region"],
            region_before=locked.region_id,
            employees=clean["employees"],
            revenue=clean["revenue"],
            total_assets=clean["total_assets"],
            size_class_before=locked.size_class,
            size_class=clean["size_class"],
            tier_before=locked.tier,
            tier=clean["tier"],
            explanation=explanation,
            evidence=content,
            evidence_name=name,
            evidence_type=kind,
            basis=dict(basis or {}),
        )
        record(
            actor=actor,
            action="accounts.eligibility_change.requested",
            obj=change,
            organisation_id=locked.pk,
            before={
                "size_class": locked.size_class,
                "tier": locked.tier,
                "region": locked.region_id,
            },
            after={
                "size_class": change.size_class,
                "tier": change.tier,
                "region": change.region_id,
                "basis": change.basis,
                "evidence": {"name": name, "type": kind, "bytes": len(content)},
            },
        )
    return change


def decide_eligibility_change(
    officer: User, change: EligibilityChange, *, approve: bool, reason: str = ""
) -> EligibilityChange:
    """Approve (the new figures, size class and tier take effect) or reject with reasons."""
    require_officer(officer)
    errors = FieldErrors()
    reason = errors.text("reason", reason, max_length=4000, required=not approve)
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        locked = EligibilityChange.objects.select_for_update().get(pk=change.pk)
        if locked.status != EligibilityChangeStatus.PENDING:
            raise ValidationError(
                {
                    "status": ValidationError(
                        _("Only pending requests can be decided."), code="invalid_state"
                    )
                }
            )
        organisation = Organisation.objects.select_for_update().get(pk=locked.organisation_id)
        before = organisation_snapshot(organisation)
        locked.status = (
            EligibilityChangeStatus.APPROVED if approve else EligibilityChangeStatus.REJECTED
        )
        locked.decided_by = officer
        locked.decided_at = timezone.now()
        locked.reason = reason
        locked.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        if approve:
            organisation.industry = locked.industry
            organisation.employees = locked.employees
            organisation.revenue = locked.revenue
            organisation.total_assets = locked.total_assets
            organisation.size_class = locked.size_class
            organisation.tier = locked.tier
            if locked.region_id is not None:
                organisation.region_id = locked.region_id
            organisation.save(
                update_fields=[
                    "region",
                    "industry",
                    "employees",
                    "revenue",
                    "total_assets",
                    "size_class",
                    "tier",
                ]
            )
        record(
            actor=officer,
            action="accounts.eligibility_change.approved"
            if approve
            else "accounts.eligibility_change.rejected",
            obj=locked,
            organisation_id=organisation.pk,
            before=before,
            after=organisation_snapshot(organisation) | {"reason": reason},
        )
    return locked
