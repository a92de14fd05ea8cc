"""Ranking configurations, exposure tallies and stored batch-matching results."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from synergy_hub.accounts.models import Organisation
from synergy_hub.catalog.models import Need, Resource


class RankingConfiguration(models.Model):
    """One version of the disclosed ranking (weights and fair-exposure settings).

    Versions are never edited: a change is a new version, activated by a programme officer;
    the public "How ranking works" page is generated from the active one.
    """

    version = models.CharField(_("version"), max_length=40, unique=True)
    ranking = models.JSONField(_("ranking parameters"))
    fairness = models.JSONField(_("fair-exposure settings"))
    note = models.TextField(_("reason for the change"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    activated_at = models.DateTimeField(_("activated"), null=True, blank=True)

    class Meta:
        ordering = ["-activated_at", "-created_at"]
        verbose_name = _("ranking configuration")
        verbose_name_plural = _("ranking configurations")

    def __str__(self) -> str:
        return self.version


class ExposureSnapshot(models.Model):
    """Exposure and relevance summed over the rankings served on one day under one config."""

    day = models.DateField(_("day"))
    config_version = models.CharField(_("ranking version"), max_length=40)
    rankings = models.PositiveIntegerField(_("rankings served"), default=0)
    data = models.JSONField(_("tallies"))
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-day"]
        verbose_name = _("exposure snapshot")
        verbose_name_plural = _("exposure snapshots")
        constraints = [
            models.UniqueConstraint(fields=["day", "config_version"], name="one_snapshot_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.config_version} ({self.rankings})"


class MatchRunKind(models.TextChoices):
    NEEDS = "needs", _("Resources for every open need")
    OUTREACH = "outreach", _("Candidate SMEs for every resource")


class MatchRunStatus(models.TextChoices):
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    FAILED = "failed", _("Failed")


class MatchRun(models.Model):
    """A batch-matching job; its chunks are recorded as they finish so it can resume."""

    kind = models.CharField(_("kind"), max_length=10, choices=MatchRunKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=MatchRunStatus.choices, default=MatchRunStatus.RUNNING
    )
    k = models.PositiveSmallIntegerField(_("results per item"), default=10)
    chunk_size = models.PositiveIntegerField(default=500)
    total_items = models.PositiveIntegerField(default=0)
    total_chunks = models.PositiveIntegerField(default=0)
    done_chunks = models.PositiveIntegerField(default=0)
    scheduler = models.CharField(_("scheduler"), max_length=200, blank=True)
    index_generation = models.CharField(max_length=80, blank=True)
    config_version = models.CharField(max_length=40, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    seconds = models.FloatField(null=True, blank=True)
    error = models.TextField(blank=True)
    #: A needs run's last steps, each done once (a restarted run skips what is recorded):
    #: the reverse direction (candidate SMEs per resource, from the same scores) and the
    #: SMEs' digests of their new matches.
    outreach_done_at = models.DateTimeField(null=True, blank=True)
    digests_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} {self.status}"


class MatchChunk(models.Model):
    """A finished chunk of a run (its results are stored with it, in the same transaction)."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="chunks")
    number = models.PositiveIntegerField()
    items = models.PositiveIntegerField()
    #: The block's first and last item (ids, ascending): a resumed run skips exactly the
    #: items finished blocks covered, even when needs were opened or closed meanwhile.
    first_item = models.PositiveBigIntegerField(null=True, blank=True)
    last_item = models.PositiveBigIntegerField(null=True, blank=True)
    finished_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "number"], name="one_result_per_chunk")
        ]

    def __str__(self) -> str:
        return f"run {self.run_id} chunk {self.number}"


class NeedMatch(models.Model):
    """A stored match of a need to a resource from a batch run, with its explanation."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="need_matches")
    need = models.ForeignKey(Need, on_delete=models.CASCADE, related_name="matches")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    explanation = models.JSONField()

    class Meta:
        ordering = ["need", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["run", "need", "rank"], name="one_need_match_per_rank")
        ]

    def __str__(self) -> str:
        return f"need {self.need_id} #{self.rank}: resource {self.resource_id}"


class OutreachMatch(models.Model):
    """A stored candidate SME for a resource (for the provider's outreach)."""

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="outreach_matches")
    resource = models.ForeignKey(Resource, on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveSmallIntegerField()
    score = models.FloatField()
    explanation = models.JSONField()

    class Meta:
        ordering = ["resource", "rank"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "resource", "rank"], name="one_outreach_match_per_rank"
            )
        ]

    def __str__(self) -> str:
        return f"resource {self.resource_id} #{self.rank}: organisation {self.organisation_id}"


class MatchingPreference(models.Model):
    """What an SME wants from batch matching: a digest of its new matches, and outreach.

    Without a row both are on (the defaults); an SME that turns outreach off is never
    listed as a candidate for a provider's resource, one that turns the digest off gets
    no notification or e-mail about its new matches (the page still shows them).
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="matching_preference"
    )
    digest = models.BooleanField(_("send us a digest of new matches"), default=True)
    outreach = models.BooleanField(
        _("list us as a candidate for providers' new resources"), default=True
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        verbose_name = _("matching preference")
        verbose_name_plural = _("matching preferences")

    def __str__(self) -> str:
        return f"{self.organisation_id}: digest {self.digest}, outreach {self.outreach}"


class CatalogGeneration(models.Model):
    """How many changes the search index must reflect have been committed (one row).

    Incremented, under a row lock, in the transaction of each change (a publication),
    so the numbers commit in order. `epoch` names this database's line of changes: an
    index written for another database (or before a restore of an older one) is told
    apart even when the numbers happen to agree.
    """

    value = models.PositiveBigIntegerField(default=0)
    epoch = models.UUIDField(default=uuid.uuid4)

    class Meta:
        verbose_name = _("catalog generation")

    def __str__(self) -> str:
        return f"{self.epoch.hex[:8]}:{self.value}"


class CatalogChange(models.Model):
    """One committed change the index must reflect: a list version published (and the one
    it superseded), numbered by the catalog generation it made."""

    generation = models.PositiveBigIntegerField(unique=True)
    published = models.ForeignKey(
        "catalog.OpennessList", on_delete=models.CASCADE, related_name="+"
    )
    superseded = models.ForeignKey(
        "catalog.OpennessList", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["generation"]
        verbose_name = _("catalog change")

    def __str__(self) -> str:
        return f"#{self.generation} list {self.published_id}"
