"""Back office for the programme office's records; workflows change them through services."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet

from synergy_hub.accounts.back_office import BackOfficeAdmin
from synergy_hub.programmes.models import (
    Application,
    ParentOrganisation,
    PilotCall,
    PilotProject,
    ProgrammeTarget,
    ProjectReport,
    ReviewAssignment,
    Scenario,
    ServicePlatform,
)


class OfficeRecordsAdmin(BackOfficeAdmin):
    """The programme office's own records: its officers read them all, as the API lets them
    (decision 0016); only the operator edits, and workflows go through the services."""

    def readable_by(self, user: Any) -> QuerySet[Any] | None:
        return self.model._default_manager.all()


@admin.register(ProgrammeTarget)
class ProgrammeTargetAdmin(OfficeRecordsAdmin):
    list_display = ("programme", "metric", "number", "due_on")


@admin.register(ParentOrganisation)
class ParentOrganisationAdmin(OfficeRecordsAdmin):
    list_display = ("organisation", "parent")
    raw_id_fields = ("organisation", "parent")


class ReadOnlyAdmin(OfficeRecordsAdmin):
    """Calls, applications, reviews and registries change only through their services."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PilotCall)
class PilotCallAdmin(ReadOnlyAdmin):
    list_display = ("title_zh", "state", "opens_on", "closes_on", "budget")
    list_filter = ("state",)


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("title", "call", "lead", "state", "score", "rank")
    list_filter = ("state",)


@admin.register(ReviewAssignment)
class ReviewAssignmentAdmin(ReadOnlyAdmin):
    list_display = ("application", "reviewer", "submitted_at", "outlier")


@admin.register(PilotProject)
class PilotProjectAdmin(ReadOnlyAdmin):
    list_display = ("application", "status", "started_on")


@admin.register(ServicePlatform)
class ServicePlatformAdmin(ReadOnlyAdmin):
    list_display = ("name_zh", "operator", "state", "region")


@admin.register(Scenario)
class ScenarioAdmin(ReadOnlyAdmin):
    list_display = ("title_zh", "proposer", "state", "ai_capability")


@admin.register(ProjectReport)
class ProjectReportAdmin(ReadOnlyAdmin):
    list_display = ("project", "milestone", "status", "reported_at", "evidence_name")
