"""Programme targets, pilot calls with their applications and reviews, pilot projects,
service platforms and intelligent service application scenarios.

Every state change goes through `programmes.services`; the KPI are counted from these rows
(`programmes.selectors.kpi_counts`), never typed in.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from synergy_hub.access.models import Agreement
from synergy_hub.accounts.models import Organisation, Region
from synergy_hub.catalog.models import Programme, Resource
from synergy_hub.catalog.vocabulary import Pillar
from synergy_hub.languages import pick_language
from synergy_hub.programmes.vocabulary import (
    AiCapability,
    ApplicationState,
    CallState,
    Metric,
    PlatformState,
    ProjectStatus,
    ScenarioState,
)


class ParentOrganisation(models.Model):
    """An organisation's parent company, as declared to the programme office.

    Reviewers whose organisation shares a parent with an applicant are in conflict; the
    link is kept here until organisations carry their group structure themselves.
    """

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="declared_parent"
    )
    parent = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="declared_subsidiaries",
        verbose_name=_("parent organisation"),
    )

    class Meta:
        verbose_name = _("parent organisation")
        verbose_name_plural = _("parent organisations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(organisation=models.F("parent")), name="parent_is_another_org"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} ⊂ {self.parent_id}"


class ProgrammeTarget(models.Model):
    """A quantified goal of a programme (the plan's, or a province's own): metric, number, date."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="targets")
    metric = models.CharField(_("metric"), max_length=24, choices=Metric.choices)
    number = models.PositiveIntegerField(_("target number"))
    due_on = models.DateField(_("due on"))

    class Meta:
        ordering = ["programme", "due_on", "metric"]
        verbose_name = _("programme target")
        verbose_name_plural = _("programme targets")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "metric", "due_on"], name="unique_programme_target"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme_id}: {self.metric} ≥ {self.number} by {self.due_on}"


class PilotCall(models.Model):
    """A call for pilot-project applications with its budget, quotas, rubric and dates.

    `quotas` maps a group ("region:330000", "industry:C", "pillar:open") to the most
    projects it may receive; `rubric` is a list of {"key", "label_zh", "label_en",
    "weight"} criteria scored from 0 to `scale_max`.
    """

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="calls")
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    description_zh = models.TextField(_("description (Chinese)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    pillars = models.JSONField(_("pillars"), default=list)
    eligible_kinds = models.JSONField(_("eligible lead organisations"), default=list)
    themes = models.JSONField(_("scenario themes"), default=list, blank=True)
    budget = models.PositiveBigIntegerField(_("budget (CNY)"))
    quotas = models.JSONField(_("quotas"), default=dict, blank=True)
    min_sme_share = models.PositiveSmallIntegerField(_("minimum share of SME-led projects (%)"))
    max_projects = models.PositiveIntegerField(_("most projects"), null=True, blank=True)
    rubric = models.JSONField(_("rubric"), default=list)
    scale_max = models.PositiveSmallIntegerField(_("highest score per criterion"), default=10)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    review_by = models.DateField(_("review by"))
    decide_by = models.DateField(_("decision by"))
    state = models.CharField(
        _("state"), max_length=10, choices=CallState.choices, default=CallState.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        ordering = ["-opens_on", "pk"]
        verbose_name = _("pilot call")
        verbose_name_plural = _("pilot calls")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=models.F("opens_on")), name="call_closes_after_opening"
            ),
            models.CheckConstraint(
                condition=Q(min_sme_share__lte=100), name="call_sme_share_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return pick_language(self.title_zh, self.title_en)

    @property
    def description(self) -> str:
        return pick_language(self.description_zh, self.description_en)


class Application(models.Model):
    """A lead organisation's proposal to a call, with partners, resources, milestones, budget.

    `region`, `industry_code` and `sme_led` are copied from the lead on submission so that
    quotas count what was true when the application was made. `selection_reasons` holds
    the solver's explanation codes (`programmes.selection`).
    """

    call = models.ForeignKey(PilotCall, on_delete=models.PROTECT, related_name="applications")
    lead = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="pilot_applications"
    )
    partners = models.ManyToManyField(
        Organisation, blank=True, related_name="pilot_partnerships", verbose_name=_("partners")
    )
    title = models.CharField(_("title"), max_length=200)
    scenario = models.TextField(_("scenario"), max_length=5000)
    pillar = models.CharField(_("pillar"), max_length=12, choices=Pillar.choices)
    resources = models.ManyToManyField(
        Resource, blank=True, related_name="pilot_applications", verbose_name=_("resources used")
    )
    milestones = models.JSONField(_("milestones with KPIs"), default=list, blank=True)
    budget = models.PositiveBigIntegerField(_("requested budget (CNY)"))
    region = models.ForeignKey(
        Region, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    industry_code = models.CharField(_("industry"), max_length=4, blank=True)
    sme_led = models.BooleanField(_("SME-led"), default=False)
    state = models.CharField(
        _("state"), max_length=12, choices=ApplicationState.choices, default=ApplicationState.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    score = models.DecimalField(
        _("normalised score"), max_digits=6, decimal_places=4, null=True, blank=True
    )
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    selection_reasons = models.JSONField(_("reasons"), default=list, blank=True)
    override_reason = models.TextField(_("override reason"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["call", "pk"]
        verbose_name = _("pilot application")
        verbose_name_plural = _("pilot applications")
        indexes = [models.Index(fields=["call", "state"])]

    def __str__(self) -> str:
        return self.title


class ReviewAssignment(models.Model):
    """A reviewer asked to score one application; scores stay hidden from other reviewers.

    `reviewer_organisation` is fixed at assignment, when the conflict check ran.
    """

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="pilot_reviews"
    )
    reviewer_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_at = models.DateTimeField(_("assigned"), default=timezone.now)
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    total = models.DecimalField(
        _("weighted score"), max_digits=6, decimal_places=4, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("scored"), null=True, blank=True)
    outlier = models.BooleanField(_("outlying score"), default=False)

    class Meta:
        ordering = ["application", "pk"]
        verbose_name = _("review assignment")
        verbose_name_plural = _("review assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer"], name="unique_reviewer_per_application"
            )
        ]

    def __str__(self) -> str:
        return f"{self.reviewer_id} → {self.application_id}"


class PilotProject(models.Model):
    """A selected application being carried out: its status and final evaluation."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="project"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.ON_TRACK
    )
    started_on = models.DateField(_("started on"), default=timezone.localdate)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    final_evaluation = models.TextField(_("final evaluation"), blank=True)
    #: The "replicable model" write-up of a successful project, published on its page.
    replicable_model = models.TextField(_("replicable model"), blank=True)
    evaluated_at = models.DateTimeField(_("evaluated"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("pilot project")
        verbose_name_plural = _("pilot projects")

    def __str__(self) -> str:
        return str(self.application)


class ProjectReport(models.Model):
    """A progress report against one milestone: the KPI reached, the status, the evidence.

    The evidence file lives under `SYNERGY_EVIDENCE_DIR` (the data directory) by a random
    name; its original name, size and SHA-256 are kept here.
    """

    project = models.ForeignKey(PilotProject, on_delete=models.CASCADE, related_name="reports")
    milestone = models.CharField(_("milestone"), max_length=200)
    kpi_report = models.TextField(_("KPI reached"), max_length=5000)
    status = models.CharField(_("status"), max_length=10, choices=ProjectStatus.choices)
    evidence_name = models.CharField(_("evidence file"), max_length=200, blank=True)
    evidence_path = models.CharField(max_length=300, blank=True)
    evidence_size = models.PositiveIntegerField(null=True, blank=True)
    evidence_sha256 = models.CharField(max_length=64, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(_("reported"), default=timezone.now)

    class Meta:
        ordering = ["project", "reported_at", "pk"]
        verbose_name = _("project report")
        verbose_name_plural = _("project reports")

    def __str__(self) -> str:
        return f"{self.project_id}: {self.milestone}"


class ServicePlatform(models.Model):
    """A service platform: its operator, the services it offers, the SMEs it serves."""

    operator = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="service_platforms"
    )
    name_zh = models.CharField(_("name (Chinese)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=300, blank=True)
    services = models.TextField(_("services offered"), max_length=5000)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    pillar = models.CharField(_("pillar"), max_length=12, choices=Pillar.choices)
    smes_served = models.PositiveIntegerField(_("SMEs served"), default=0)
    resources = models.ManyToManyField(
        Resource, blank=True, related_name="service_platforms", verbose_name=_("resources used")
    )
    agreements = models.ManyToManyField(
        Agreement, blank=True, related_name="service_platforms", verbose_name=_("agreements")
    )
    state = models.CharField(
        _("state"), max_length=10, choices=PlatformState.choices, default=PlatformState.PROPOSED
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)

    class Meta:
        ordering = ["name_zh"]
        verbose_name = _("service platform")
        verbose_name_plural = _("service platforms")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return pick_language(self.name_zh, self.name_en)


class Scenario(models.Model):
    """An intelligent service application scenario: proposed → piloting → implemented.

    "Implemented" needs evidence and an officer's confirmation (`confirmed_by`).
    """

    proposer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="service_scenarios"
    )
    title_zh = models.CharField(_("title (Chinese)"), max_length=200)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    problem = models.TextField(_("problem"), max_length=5000)
    ai_capability = models.CharField(
        _("AI capability used"), max_length=10, choices=AiCapability.choices
    )
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    pillar = models.CharField(_("pillar"), max_length=12, choices=Pillar.choices)
    smes_served = models.PositiveIntegerField(_("SMEs served"), default=0)
    resources = models.ManyToManyField(
        Resource, blank=True, related_name="service_scenarios", verbose_name=_("resources used")
    )
    agreements = models.ManyToManyField(
        Agreement, blank=True, related_name="service_scenarios", verbose_name=_("agreements")
    )
    evidence = models.TextField(_("evidence of implementation"), blank=True, max_length=5000)
    state = models.CharField(
        _("state"), max_length=12, choices=ScenarioState.choices, default=ScenarioState.PROPOSED
    )
    created_at = models.DateTimeField(_("proposed"), default=timezone.now)
    implemented_at = models.DateTimeField(_("implemented"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = _("intelligent service application scenario")
        verbose_name_plural = _("intelligent service application scenarios")
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="implemented") | Q(confirmed_by__isnull=False),
                name="implemented_scenario_confirmed",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def awaiting_confirmation(self) -> bool:
        """Piloted with its evidence recorded: what an officer may confirm as implemented
        (`services.confirm_scenario_implemented` refuses anything else)."""
        return self.state == ScenarioState.PILOTING and bool(self.evidence.strip())

    @property
    def title(self) -> str:
        return pick_language(self.title_zh, self.title_en)


class SentReminder(models.Model):
    """A deadline reminder that was sent: the `send_reminders` command sends each once.

    The item is named by the registering app (`kind`, `key`) with its deadline, so the same
    deadline is never reminded of twice and a moved deadline is reminded of again.
    """

    kind = models.CharField(_("kind"), max_length=40)
    key = models.CharField(_("item"), max_length=40)
    deadline = models.DateTimeField(_("deadline"))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["-sent_at", "pk"]
        verbose_name = _("sent reminder")
        verbose_name_plural = _("sent reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "key", "deadline", "organisation"], name="reminder_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} {self.deadline:%Y-%m-%d}"
