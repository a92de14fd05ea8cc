"""Tracking a pilot project: progress reports with evidence (size and type limits), the
officer's evaluation and the published replicable model; refusals for others."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from synergy_hub.accounts.models import User
from synergy_hub.programmes import rules, services
from synergy_hub.programmes.models import Application, PilotProject, ProjectReport
from tests.conftest import World
from tests.pages import client_for
from tests.permissions import assert_page_refused, assert_refused

PDF = b"%PDF-1.7\n" + b"0" * 100


@pytest.fixture(autouse=True)
def _evidence_folder(settings: Any, tmp_path: Path) -> Path:
    settings.SYNERGY_EVIDENCE_DIR = tmp_path / "evidence"
    return tmp_path / "evidence"


@pytest.fixture
def project(world: World, submitted: Application, reviewers: list[User]) -> PilotProject:
    for person in reviewers:
        assignment = services.assign_reviewer(world.officer, submitted, person)
        services.submit_scores(person, assignment, {"impact": 9, "feasibility": 9})
    services.close_call(world.officer, submitted.call)
    services.run_selection(world.officer, submitted.call)
    return PilotProject.objects.get()


def report_data(**overrides: Any) -> dict[str, Any]:
    return {"milestone": "模型上线", "kpi_report": "检出率96%", "status": "on_track"} | overrides


def test_evidence_rules() -> None:
    assert rules.evidence_problem("report.pdf", 100, PDF) is None
    assert rules.evidence_problem("report.pdf", 11 * 1024 * 1024, PDF) == rules.EVIDENCE_TOO_LARGE
    assert rules.evidence_problem("page.pdf", 100, b"<html>") == rules.EVIDENCE_TYPE
    assert rules.evidence_problem("tool.exe", 100, b"MZ") == rules.EVIDENCE_TYPE


def test_lead_reports_with_evidence_stored_under_the_data_folder(
    world: World, project: PilotProject, _evidence_folder: Path
) -> None:
    upload = SimpleUploadedFile("验收报告.pdf", PDF, content_type="application/pdf")
    report = services.report_progress(world.sam, project, report_data(status="at_risk"), upload)
    assert (_evidence_folder / report.evidence_path).read_bytes() == PDF
    assert report.evidence_size == len(PDF) and len(report.evidence_sha256) == 64
    project.refresh_from_db()
    assert project.status == "at_risk"


def test_wrong_files_and_fields_are_refused_and_nothing_is_kept(
    world: World, project: PilotProject, _evidence_folder: Path
) -> None:
    fake = SimpleUploadedFile("report.pdf", b"<html>hi</html>", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.report_progress(world.sam, project, report_data(milestone="nope"), fake)
    assert set(exc.value.error_dict) == {"milestone", "evidence"}
    assert not ProjectReport.objects.exists()
    assert not _evidence_folder.exists() or not any(_evidence_folder.iterdir())


def test_only_the_lead_reports_and_only_officers_evaluate(
    world: World, project: PilotProject
) -> None:
    assert_refused(
        world,
        lambda actor: services.report_progress(actor, project, report_data()),
        "sme_b",
        "other_platform",  # a partner, not the lead
        "officer",
    )
    assert_refused(
        world,
        lambda actor: services.evaluate_project(actor, project, evaluation="good"),
        "sme_a",
        "platform_operator",
    )


def test_evaluation_publishes_the_replicable_model_and_closes_reports(
    world: World, project: PilotProject
) -> None:
    services.evaluate_project(
        world.officer,
        project,
        evaluation="目标全部达成",
        replicable_model="平台算力+中小企业质检模式",
    )
    page = client_for(None, "zh-hans").get(f"/programmes/projects/{project.pk}/").content.decode()
    assert "平台算力+中小企业质检模式" in page
    with pytest.raises(ValidationError):
        services.report_progress(world.sam, project, report_data())


def test_report_page_upload_and_evidence_download_rights(
    world: World, project: PilotProject
) -> None:
    sam = client_for(world.sam, "en")
    response = sam.post(
        f"/programmes/projects/{project.pk}/report/",
        report_data() | {"evidence": SimpleUploadedFile("r.pdf", PDF)},
    )
    assert response.status_code == 302
    report = ProjectReport.objects.get()
    download = sam.get(f"/programmes/evidence/{report.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert (
        client_for(world.charlie, "en").get(f"/programmes/evidence/{report.pk}/").status_code == 200
    )
    assert_page_refused(world, "GET", f"/programmes/evidence/{report.pk}/", sme_b=404)
    public = client_for(None, "en").get(f"/programmes/projects/{project.pk}/").content.decode()
    assert "attached" in public and f"/programmes/evidence/{report.pk}/" not in public
