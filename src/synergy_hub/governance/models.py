"""Fee schedules and their notices, ranking disclosures and preferences, mediators, complaints.

Published records never change: a new fee schedule or disclosure is a new version, so the
history a platform must keep (3 years for fees) is simply every row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from synergy_hub.accounts.models import Organisation
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


class FeeSchedule(models.Model):
    """One version of a platform's fee standards, applying from `effective_from`."""

    platform = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="fee_schedules"
    )
    version = models.PositiveIntegerField(_("version"))
    jurisdiction = models.CharField(
        _("rule set"), max_length=8, choices=Jurisdiction.choices, default=Jurisdiction.PRC
    )
    state = models.CharField(
        _("state"), max_length=10, choices=ScheduleState.choices, default=ScheduleState.DRAFT
    )
    summary_zh = models.TextField(_("what changes (Chinese)"), max_length=2000)
    summary_en = models.TextField(_("what changes (English)"), max_length=4000, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    effective_from = models.DateTimeField(_("effective from"), null=True, blank=True)

    class Meta:
        ordering = ["platform_id", "-version"]
        verbose_name = _("fee schedule")
        verbose_name_plural = _("fee schedules")
        constraints = [
            models.UniqueConstraint(fields=["platform", "version"], name="fee_schedule_version")
        ]

    def __str__(self) -> str:
        return f"{self.platform_id} v{self.version}"


class FeeItem(models.Model):
    """One fee of a schedule: what it is, how it is computed, its cap and SME discount."""

    schedule = models.ForeignKey(FeeSchedule, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("fee"), max_length=16, choices=FeeKind.choices)
    basis = models.CharField(_("basis"), max_length=12, choices=FeeBasis.choices)
    rate = models.DecimalField(_("rate"), max_digits=12, decimal_places=4)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    tiers = models.JSONField(_("volume tiers"), default=list, blank=True)
    cap = models.DecimalField(_("cap"), max_digits=14, decimal_places=2, null=True, blank=True)
    sme_discount_percent = models.DecimalField(
        _("SME discount (%)"), max_digits=5, decimal_places=2, default=0
    )
    applies_to = models.CharField(_("applies to"), max_length=300, blank=True)

    class Meta:
        ordering = ["schedule_id", "pk"]
        verbose_name = _("fee item")
        verbose_name_plural = _("fee items")

    def __str__(self) -> str:
        return f"{self.kind} {self.rate}"


class FeeNotice(models.Model):
    """A published fee change told to one affected SME, and what the SME answered."""

    schedule = models.ForeignKey(FeeSchedule, on_delete=models.PROTECT, related_name="notices")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="fee_notices"
    )
    created_at = models.DateTimeField(_("notified"), default=timezone.now)
    response = models.CharField(
        _("answer"), max_length=10, choices=NoticeResponse.choices, blank=True, default=""
    )
    response_text = models.TextField(_("objection"), max_length=4000, blank=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("fee notice")
        verbose_name_plural = _("fee notices")
        constraints = [
            models.UniqueConstraint(fields=["schedule", "organisation"], name="fee_notice_once")
        ]

    def __str__(self) -> str:
        return f"{self.schedule_id} → {self.organisation_id}"


class RankingDisclosure(models.Model):
    """One version of a platform's ranking disclosure (P2B Art 5 and 7; Algorithm Art 16)."""

    platform = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="ranking_disclosures"
    )
    version = models.PositiveIntegerField(_("version"))
    parameters = models.JSONField(_("main parameters"))
    paid_influence_zh = models.TextField(_("payment and ranking (Chinese)"), max_length=2000)
    paid_influence_en = models.TextField(_("payment and ranking (English)"), max_length=4000)
    own_offers_zh = models.TextField(_("own offers (Chinese)"), max_length=2000)
    own_offers_en = models.TextField(_("own offers (English)"), max_length=4000)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        ordering = ["platform_id", "-version"]
        verbose_name = _("ranking disclosure")
        verbose_name_plural = _("ranking disclosures")
        constraints = [
            models.UniqueConstraint(fields=["platform", "version"], name="disclosure_version")
        ]

    def __str__(self) -> str:
        return f"{self.platform_id} v{self.version}"


class RankingPreference(models.Model):
    """A user's choice of the non-personalised ordering (Algorithm Provisions Art 17)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ranking_preference"
    )
    non_personalised = models.BooleanField(_("non-personalised ordering"), default=False)
    changed_at = models.DateTimeField(_("changed"), default=timezone.now)

    class Meta:
        verbose_name = _("ranking preference")
        verbose_name_plural = _("ranking preferences")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.non_personalised}"


class Mediator(models.Model):
    """A mediator a platform names for out-of-court settlement (P2B Art 12)."""

    platform = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="mediators")
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    contact = models.CharField(_("contact"), max_length=300)
    added_at = models.DateTimeField(_("added"), default=timezone.now)

    class Meta:
        ordering = ["platform_id", "pk"]
        verbose_name = _("mediator")
        verbose_name_plural = _("mediators")

    def __str__(self) -> str:
        return self.name_zh


class Complaint(models.Model):
    """An SME's complaint about a platform's conduct, with its deadlines and outcome."""

    complainant = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="complaints_filed"
    )
    platform = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="complaints_received"
    )
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("type"), max_length=12, choices=ComplaintCategory.choices)
    subject = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"), max_length=8000)
    rule_set = models.CharField(_("rule set"), max_length=8, choices=Jurisdiction.choices)
    state = models.CharField(
        _("state"), max_length=14, choices=ComplaintState.choices, default=ComplaintState.FILED
    )
    filed_at = models.DateTimeField(_("filed"), default=timezone.now)
    acknowledge_by = models.DateTimeField(_("acknowledge by"))
    decide_by = models.DateTimeField(_("decide by"))
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    outcome = models.CharField(
        _("outcome"), max_length=10, choices=Outcome.choices, blank=True, default=""
    )
    reasons = models.TextField(_("reasons"), max_length=8000, blank=True)
    mediator = models.ForeignKey(
        Mediator, on_delete=models.PROTECT, null=True, blank=True, related_name="complaints"
    )
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        indexes = [
            models.Index(fields=["platform", "filed_at"]),
            models.Index(fields=["complainant", "filed_at"]),
        ]

    def __str__(self) -> str:
        return self.subject

    @property
    def overdue(self) -> bool:
        """Whether the platform has let a deadline pass (acknowledgement or decision)."""
        now = timezone.now()
        if self.acknowledged_at is None and now > self.acknowledge_by:
            return True
        return (
            self.decided_at is None
            and self.state in ("filed", "acknowledged")
            and (now > self.decide_by)
        )


class ComplaintEvidence(models.Model):
    """A file the SME gives in support of its complaint, kept in the database.

    Evidence is small (at most 5 MiB a file) and read only by the complaint's parties, so it
    lives with the complaint (one backup, the same access rule) rather than in a media folder.
    """

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="evidence")
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)

    class Meta:
        ordering = ["complaint_id", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.name
