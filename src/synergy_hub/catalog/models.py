"""The catalog: the programme and its batches, openness lists with resources, SME needs."""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from synergy_hub.accounts.models import Industry, Organisation, Region
from synergy_hub.catalog.vocabulary import (
    AccessMode,
    ListState,
    NeedStatus,
    Period,
    Pillar,
    ResourceType,
    Unit,
)
from synergy_hub.languages import OtherLanguageTexts, pick_language

OPEN_LIST_STATES = [
    ListState.DRAFT,
    ListState.SUBMITTED,
    ListState.UNDER_REVIEW,
    ListState.RETURNED,
]


class Programme(models.Model):
    """The action plan the hub runs (2026–2028), with its summary in both languages."""

    code = models.SlugField(_("code"), unique=True)
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300)
    summary_zh = models.TextField(_("summary (Chinese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    start_year = models.PositiveSmallIntegerField(_("first year"))
    end_year = models.PositiveSmallIntegerField(_("last year"))

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_language(self.name_zh, self.name_en)

    @property
    def summary(self) -> str:
        return pick_language(self.summary_zh, self.summary_en)


class Batch(models.Model):
    """One of the plan's three releases of openness lists, open for submissions between dates."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="batches")
    number = models.PositiveSmallIntegerField(_("number"))
    name_zh = models.CharField(_("name (Chinese)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=200)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = _("batch")
        verbose_name_plural = _("batches")
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="unique_batch_number"),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=3), name="batch_number_1_to_3"
            ),
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="batch_closes_after_opening"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_language(self.name_zh, self.name_en)

    def is_open(self, today: datetime.date | None = None) -> bool:
        """Whether new lists may be drafted and submitted in this batch today."""
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on


class OpennessList(OtherLanguageTexts, models.Model):
    """One version of a publisher's openness list in a batch.

    Versions of the same list share a `series`; a published version is never changed, an
    edit creates the next version, and publishing it supersedes the previous one.
    """

    series = models.UUIDField(_("series"), default=uuid.uuid4, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    previous = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
        verbose_name=_("previous version"),
    )
    publisher = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="openness_lists"
    )
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="openness_lists")
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    summary_zh = models.TextField(_("summary (Chinese)"), blank=True)
    summary_en = models.TextField(_("summary (English)"), blank=True)
    #: Title and summary in languages other than the UI's two, by BCP 47 tag
    #: (decision 0013): {"de": {"title": …, "summary": …}}.
    translations = models.JSONField(_("other languages"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=14, choices=ListState.choices, default=ListState.DRAFT
    )
    return_reasons = models.TextField(_("reasons for return"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    superseded_at = models.DateTimeField(_("superseded"), null=True, blank=True)

    class Meta:
        ordering = ["batch__number", "publisher__name_zh", "-version"]
        verbose_name = _("openness list")
        verbose_name_plural = _("openness lists")
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="unique_list_version"),
            models.UniqueConstraint(
                fields=["series"],
                condition=Q(state=ListState.PUBLISHED),
                name="one_published_version_per_list",
            ),
            models.UniqueConstraint(
                fields=["series"],
                condition=Q(state__in=OPEN_LIST_STATES),
                name="one_open_version_per_list",
            ),
        ]
        indexes = [models.Index(fields=["state", "batch"])]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"

    @property
    def title(self) -> str:
        return self.shown(self.title_zh, self.title_en, "title")

    @property
    def summary(self) -> str:
        return self.shown(self.summary_zh, self.summary_en, "summary")


class Resource(OtherLanguageTexts, models.Model):
    """One item on an openness list: what is opened, to whom, how, at what price and capacity.

    `lineage` is shared by the copies of the same resource in successive list versions.
    """

    openness_list = models.ForeignKey(
        OpennessList, on_delete=models.CASCADE, related_name="resources"
    )
    lineage = models.UUIDField(_("lineage"), default=uuid.uuid4, db_index=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    resource_type = models.CharField(_("type"), max_length=24, choices=ResourceType.choices)
    pillar = models.CharField(_("pillar"), max_length=12, choices=Pillar.choices)
    title_zh = models.CharField(_("title (Chinese)"), max_length=200, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    #: Texts in languages other than the UI's two, by BCP 47 tag (decision 0013):
    #: {"de": {"title": …, "description": …, "keywords": […], "usage_terms": …}}.
    translations = models.JSONField(_("other languages"), default=dict, blank=True)
    industries = models.ManyToManyField(
        Industry, blank=True, related_name="+", verbose_name=_("industries served")
    )
    regions = models.ManyToManyField(
        Region, blank=True, related_name="+", verbose_name=_("regions served")
    )
    eligible_size_classes = models.JSONField(_("eligible size classes"), default=list, blank=True)
    eligible_tiers = models.JSONField(_("eligible tiers"), default=list, blank=True)
    access_mode = models.CharField(_("access mode"), max_length=12, choices=AccessMode.choices)
    price = models.DecimalField(
        _("price per unit (CNY)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    sme_discount_percent = models.PositiveSmallIntegerField(_("SME discount (%)"), default=0)
    unit = models.CharField(_("unit"), max_length=16, choices=Unit.choices)
    capacity = models.DecimalField(
        _("capacity"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    capacity_period = models.CharField(
        _("capacity period"), max_length=8, choices=Period.choices, blank=True
    )
    usage_terms_zh = models.TextField(_("usage terms (Chinese)"), blank=True)
    usage_terms_en = models.TextField(_("usage terms (English)"), blank=True)
    usage_policy = models.JSONField(_("usage policy (ODRL)"), null=True, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["openness_list", "position", "pk"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")
        indexes = [models.Index(fields=["resource_type", "access_mode"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(sme_discount_percent__lte=100), name="sme_discount_at_most_100"
            ),
            models.CheckConstraint(
                condition=Q(price__isnull=True) | Q(price__gte=0), name="price_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=0),
                name="capacity_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.shown(self.title_zh, self.title_en, "title")

    @property
    def description(self) -> str:
        return self.shown(self.description_zh, self.description_en, "description")

    @property
    def usage_terms(self) -> str:
        return self.shown(self.usage_terms_zh, self.usage_terms_en, "usage_terms")

    @property
    def sme_price(self) -> object:
        """The price after the SME discount, or None when the resource has no price."""
        if self.price is None:
            return None
        return (self.price * (100 - self.sme_discount_percent) / 100).quantize(self.price)


class Need(models.Model):
    """What an SME is looking for, in its own words plus structured wishes."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="needs")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    resource_types = models.JSONField(_("resource types wanted"), default=list, blank=True)
    region = models.ForeignKey(
        Region,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("region"),
    )
    budget = models.DecimalField(
        _("budget (CNY)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    wanted_from = models.DateField(_("wanted from"), null=True, blank=True)
    wanted_until = models.DateField(_("wanted until"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=NeedStatus.choices, default=NeedStatus.OPEN
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("need")
        verbose_name_plural = _("needs")
        indexes = [models.Index(fields=["status", "organisation"])]

    def __str__(self) -> str:
        return self.title

    def resource_type_labels(self) -> list[str]:
        """The wanted resource types by name in the active language (codes it no longer knows
        are shown as stored)."""
        return [
            str(ResourceType(code).label) if code in ResourceType.values else str(code)
            for code in self.resource_types or []
        ]


from synergy_hub.catalog.models_interop import (  # noqa: E402, F401
    HarvestRecord,
    HarvestRun,
    HarvestSource,
)
