"""Harvest bookkeeping: the sources publishers harvest, each run, and each record's origin.

Imported at the end of `catalog.models` so that Django registers the models with the
catalog app; related models are named by string to keep the import one-way.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class HarvestStatus(models.TextChoices):
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")


class HarvestSourceKind(models.TextChoices):
    URL = "url", _("URL")
    FILE = "file", _("File")


class HarvestSource(models.Model):
    """An outside catalog that a publisher harvests: where it is and which publisher owns it.

    `location` is the source's canonical identity: an http(s) URL without fragment (scheme
    and host in lower case, no default port), or the `file://` URI of a file's resolved
    absolute path, so two files of the same name in different folders are two sources.
    Records harvested from one source are only ever updated or removed by that source.
    """

    owner = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="harvest_sources",
        verbose_name=_("owner"),
    )
    kind = models.CharField(_("kind"), max_length=8, choices=HarvestSourceKind.choices)
    location = models.CharField(_("location"), max_length=2000)
    #: SHA-256 of `location`: unique per owner (a URL may be longer than an index allows).
    identity = models.CharField(_("identity"), max_length=64, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["owner", "location"]
        verbose_name = _("harvest source")
        verbose_name_plural = _("harvest sources")
        constraints = [
            models.UniqueConstraint(fields=["owner", "identity"], name="unique_harvest_source")
        ]

    def __str__(self) -> str:
        return self.location


class HarvestRun(models.Model):
    """One harvest of an external catalog into a publisher's draft list, with its report."""

    publisher = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="harvest_runs"
    )
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    source = models.CharField(_("source"), max_length=2000)  # as given
    harvest_source = models.ForeignKey(
        HarvestSource,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="runs",
        verbose_name=_("harvest source"),
    )
    source_format = models.CharField(_("source format"), max_length=20, blank=True)
    openness_list = models.ForeignKey(
        "catalog.OpennessList",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="harvest_runs",
        verbose_name=_("openness list"),
    )
    status = models.CharField(_("status"), max_length=10, choices=HarvestStatus.choices)
    counts = models.JSONField(_("counts"), default=dict, blank=True)
    report = models.JSONField(_("report"), default=dict, blank=True)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), default=timezone.now)

    class Meta:
        ordering = ["-started_at", "-pk"]
        verbose_name = _("harvest run")
        verbose_name_plural = _("harvest runs")
        indexes = [models.Index(fields=["harvest_source", "status"])]

    def __str__(self) -> str:
        return f"{self.source} → {self.publisher_id} ({self.status})"


class HarvestRecord(models.Model):
    """Where a harvested resource came from, so that harvesting the source again updates it.

    A record links a source identifier (dct:identifier, data.json `identifier`, a CKAN id or
    the node IRI) to the lineage that its resource keeps across list versions.
    """

    harvest_source = models.ForeignKey(
        HarvestSource,
        on_delete=models.CASCADE,
        related_name="records",
        verbose_name=_("harvest source"),
    )
    source_id = models.CharField(_("source identifier"), max_length=500)
    source_url = models.CharField(_("source URL"), max_length=2000)
    lineage = models.UUIDField(_("lineage"), unique=True)
    checksum = models.CharField(_("checksum"), max_length=64)
    first_harvested_at = models.DateTimeField(_("first harvested"), default=timezone.now)
    last_harvested_at = models.DateTimeField(_("last harvested"), default=timezone.now)
    last_run = models.ForeignKey(
        HarvestRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["harvest_source", "source_id"]
        verbose_name = _("harvest record")
        verbose_name_plural = _("harvest records")
        constraints = [
            models.UniqueConstraint(
                fields=["harvest_source", "source_id"], name="unique_harvest_source_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.lineage}"
