"""Tracking pilot projects: progress reports with evidence files, the final evaluation and
the replicable model."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub.accounts.models import (
    Organisation,
    User,
)
from synergy_hub.accounts.permissions import require_officer
from synergy_hub.audit.services import record
from synergy_hub.catalog.services.fields import choice
from synergy_hub.programmes import rules
from synergy_hub.programmes.models import (
    PilotProject,
    ProjectReport,
)
from synergy_hub.programmes.services.common import (
    MAX_TEXT,
    applicant_of,
    lock_row,
    refuse_state,
)
from synergy_hub.programmes.vocabulary import (
    ProjectStatus,
)
from synergy_hub.validation import FieldErrors


def require_project_lead(actor: User, project: PilotProject) -> Organisation:
    """Refuse anyone but a member (write role) of the project's lead organisation."""
    organisation = applicant_of(actor)
    if project.application.lead_id != organisation.pk:
        raise PermissionDenied(_("This project belongs to another organisation."))
    return organisation


def _store_evidence(upload: Any) -> tuple[str, int, str]:
    """Write an uploaded file under the evidence folder by a random name; (path, size, sha256)."""
    folder = Path(settings.SYNERGY_EVIDENCE_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    relative = f"{uuid.uuid4().hex}{Path(upload.name).suffix.lower()[:8]}"
    digest = hashlib.sha256()
    size = 0
    with open(folder / relative, "xb") as out:
        for chunk in upload.chunks():
            size += len(chunk)
            digest.update(chunk)
            out.write(chunk)
    return relative, size, digest.hexdigest()


def evidence_file(report: ProjectReport) -> Path:
    """Where a report's evidence is stored (for the download view)."""
    return Path(settings.SYNERGY_EVIDENCE_DIR) / report.evidence_path


def report_progress(
    actor: User, project: PilotProject, data: Mapping[str, Any], evidence: Any = None
) -> ProjectReport:
    """The lead reports a milestone's KPI and the project's status, with optional evidence.

    Evidence is at most 10 MB of PDF, PNG, JPEG, DOCX or XLSX, checked by its first bytes;
    the file is written before the transaction and removed again if the report is refused.
    """
    lead = require_project_lead(actor, project)
    errors = FieldErrors()
    titles = [m.get("title", "") for m in project.application.milestones]
    milestone = choice(errors, "milestone", data.get("milestone"), titles, required=True)
    kpi_report = errors.text(
        "kpi_report", data.get("kpi_report"), max_length=MAX_TEXT, required=True
    )
    status = choice(errors, "status", data.get("status"), ProjectStatus.values, required=True)
    if evidence is not None:
        head = evidence.read(16)
        evidence.seek(0)
        problem = rules.evidence_problem(evidence.name or "", evidence.size or 0, head)
        if problem == rules.EVIDENCE_TOO_LARGE:
            errors.add("evidence", _("The file is larger than 10 MB."), problem)
        elif problem:
            errors.add(
                "evidence", _("Only PDF, PNG, JPEG, DOCX or XLSX files are accepted."), problem
            )
    errors.raise_if_any()
    stored = _store_evidence(evidence) if evidence is not None else ("", None, "")
    try:
        with transaction.atomic(durable=True):
            locked = lock_row(PilotProject, project.pk)
            if locked.evaluated_at is not None:
                raise refuse_state(_("The project has been evaluated; reports are closed."))
            report = ProjectReport.objects.create(
                project=locked,
                milestone=milestone,
                kpi_report=kpi_report,
                status=status,
                evidence_name=(evidence.name or "")[:200] if evidence is not None else "",
                evidence_path=stored[0],
                evidence_size=stored[1],
                evidence_sha256=stored[2],
                reported_by=actor,
            )
            before = {"status": locked.status}
            locked.status = status
            locked.save(update_fields=["status"])
            record(
                actor=actor,
                action="programmes.project.reported",
                obj=report,
                organisation_id=lead.pk,
                before=before,
                after={
                    "milestone": milestone,
                    "status": status,
                    "evidence_sha256": stored[2],
                },
            )
    except BaseException:
        if stored[0]:
            (Path(settings.SYNERGY_EVIDENCE_DIR) / stored[0]).unlink(missing_ok=True)
        raise
    return report


def evaluate_project(
    actor: User,
    project: PilotProject,
    *,
    evaluation: str,
    replicable_model: str = "",
) -> PilotProject:
    """An officer records the final evaluation; a successful project's replicable model
    write-up is published on its page."""
    require_officer(actor)
    errors = FieldErrors()
    evaluation = errors.text("evaluation", evaluation, max_length=MAX_TEXT, required=True)
    replicable_model = errors.text("replicable_model", replicable_model, max_length=MAX_TEXT * 2)
    errors.raise_if_any()
    with transaction.atomic(durable=True):
        locked = lock_row(PilotProject, project.pk)
        if locked.evaluated_at is not None:
            raise refuse_state(_("The project has already been evaluated."))
        before = {"status": locked.status}
        locked.final_evaluation = evaluation
        locked.replicable_model = replicable_model
        locked.evaluated_at = timezone.now()
        locked.status = ProjectStatus.DONE
        locked.save(
            update_fields=["final_evaluation", "replicable_model", "evaluated_at", "status"]
        )
        record(
            actor=actor,
            action="programmes.project.evaluated",
            obj=locked,
            organisation_id=locked.application.lead_id,
            before=before,
            after={
                "status": locked.status,
                "evaluation": evaluation,
                "replicable_model": bool(replicable_model),
            },
        )
    return locked
