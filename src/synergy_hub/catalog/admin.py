from django.contrib import admin

from synergy_hub.accounts.back_office import BackOfficeAdmin
from synergy_hub.catalog import selectors
from synergy_hub.catalog.models import Batch, Need, OpennessList, Programme, Resource
from synergy_hub.catalog.models_interop import HarvestRecord, HarvestRun, HarvestSource


@admin.register(Programme)
class ProgrammeAdmin(BackOfficeAdmin):
    list_display = ("code", "name_zh", "start_year", "end_year")

    def readable_by(self, user):
        return Programme.objects.all()  # public


@admin.register(Batch)
class BatchAdmin(BackOfficeAdmin):
    list_display = ("number", "name_zh", "name_en", "opens_on", "closes_on")

    def readable_by(self, user):
        return Batch.objects.all()  # public


class ResourceInline(admin.StackedInline):
    model = Resource
    extra = 0
    fields = ("resource_type", "title_zh", "title_en", "access_mode", "price", "unit", "capacity")
    show_change_link = True

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(BackOfficeAdmin):
    """Lists and resources change only through the review workflow: the back office reads them."""

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OpennessList)
class OpennessListAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "publisher", "batch", "version", "state", "published_at")
    list_filter = ("state", "batch")
    search_fields = ("title_zh", "title_en", "publisher__name_zh")
    inlines = [ResourceInline]

    def readable_by(self, user):
        return selectors.lists_visible_to(user)


@admin.register(Resource)
class ResourceAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "resource_type", "access_mode", "openness_list")
    list_filter = ("resource_type", "access_mode", "pillar")
    search_fields = ("title_zh", "title_en")

    def readable_by(self, user):
        return selectors.resources_visible_to(user)


@admin.register(Need)
class NeedAdmin(ReadOnlyAdmin):
    """An SME's needs change only through its own services (audited): the back office reads."""

    list_display = ("title", "organisation", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("title", "description")
    readonly_fields = ("organisation", "created_by")

    def readable_by(self, user):
        return selectors.needs_of_organisation(user)  # an officer's office has none


@admin.register(HarvestSource)
class HarvestSourceAdmin(ReadOnlyAdmin):
    """The catalogs publishers harvest, by canonical location and owner."""

    list_display = ("location", "kind", "owner", "created_at")
    list_filter = ("kind",)
    search_fields = ("location",)


@admin.register(HarvestRun)
class HarvestRunAdmin(ReadOnlyAdmin):
    """Harvests and their per-record reports, for the back office to read."""

    list_display = ("__str__", "publisher", "status", "started_at")
    list_filter = ("status",)


@admin.register(HarvestRecord)
class HarvestRecordAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "source_url", "last_harvested_at")
    search_fields = ("source_id", "source_url")
