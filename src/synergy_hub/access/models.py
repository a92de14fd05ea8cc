"""Access requests and their offers, agreements with ODRL policies, capacity and metered use.

A request names the resource version it was made on and the resource's `lineage`, so a
later version of the openness list never orphans a negotiation or an agreement.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from synergy_hub.access.vocabulary import (
    AgreementState,
    ExceptionGround,
    FairnessRule,
    JobStep,
    Party,
    Purpose,
    ReasonKind,
    RequestState,
    RoundState,
)
from synergy_hub.accounts.models import Organisation
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.vocabulary import Period


class AccessRequest(models.Model):
    """An SME's request to use a resource and the negotiation of its terms.

    The terms on the table are the latest `Offer` (by either side); `state` follows
    `access.workflow.NEGOTIATION`.
    """

    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="access_requests")
    resource_lineage = models.UUIDField(_("resource lineage"), db_index=True)
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="incoming_access_requests"
    )
    consumer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="access_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.TextField(_("purpose"))
    purpose_code = models.CharField(_("purpose category"), max_length=16, choices=Purpose.choices)
    intended_use = models.TextField(_("intended use of the data"), blank=True)
    state = models.CharField(
        _("state"), max_length=10, choices=RequestState.choices, default=RequestState.REQUESTED
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("access request")
        verbose_name_plural = _("access requests")
        indexes = [
            models.Index(fields=["provider", "state"]),
            models.Index(fields=["consumer", "state"]),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.resource}"

    @property
    def current_offer(self) -> Offer | None:
        """The terms now on the table: the latest offer by either side."""
        offers = list(self.offers.all())
        return max(offers, key=lambda o: o.sequence) if offers else None


class Offer(models.Model):
    """One set of proposed terms: the SME's request or counter-offer, or the provider's offer.

    Only provider offers carry a usage policy (ODRL JSON-LD); the SME's counter-offer keeps
    the policy last offered.
    """

    access_request = models.ForeignKey(
        AccessRequest, on_delete=models.CASCADE, related_name="offers"
    )
    sequence = models.PositiveIntegerField(_("number"))
    party = models.CharField(_("offered by"), max_length=8, choices=Party.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    price = models.DecimalField(
        _("price per unit (CNY)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=2)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    policy = models.JSONField(_("usage policy (ODRL)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["access_request", "sequence"]
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        constraints = [
            models.UniqueConstraint(
                fields=["access_request", "sequence"], name="unique_offer_sequence"
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="offer_quantity_positive"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="offer_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.access_request_id}/{self.sequence} ({self.party})"

    @property
    def total_price(self) -> Decimal | None:
        """Price per unit times quantity, or None without a price."""
        if self.price is None:
            return None
        return (self.price * self.quantity).quantize(Decimal("0.01"))


class Agreement(models.Model):
    """The terms both sides accepted, with the ODRL Agreement policy every use is checked against.

    `used_quantity` is the sum of permitted uses, kept here (under the row lock) so that the
    remaining quantity is known without summing the usage log.
    """

    access_request = models.OneToOneField(
        AccessRequest, on_delete=models.PROTECT, related_name="agreement"
    )
    uid = models.CharField(_("policy uid"), max_length=64, unique=True)
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="agreements")
    resource_lineage = models.UUIDField(_("resource lineage"), db_index=True)
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="provided_agreements"
    )
    consumer = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="agreements")
    unit = models.CharField(_("unit"), max_length=16)
    price = models.DecimalField(
        _("price per unit (CNY)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=2)
    used_quantity = models.DecimalField(
        _("used"), default=Decimal(0), max_digits=14, decimal_places=2
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    policy = models.JSONField(_("usage policy (ODRL)"))
    state = models.CharField(
        _("state"), max_length=10, choices=AgreementState.choices, default=AgreementState.AGREED
    )
    termination_notice_at = models.DateTimeField(_("notice of termination"), null=True, blank=True)
    termination_effective_at = models.DateTimeField(
        _("termination takes effect"), null=True, blank=True
    )
    created_at = models.DateTimeField(_("agreed"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        indexes = [
            models.Index(fields=["state", "starts_at"]),
            models.Index(fields=["state", "ends_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="agreement_quantity_positive"),
            models.CheckConstraint(
                condition=Q(used_quantity__gte=0) & Q(used_quantity__lte=F("quantity")),
                name="agreement_used_within_quantity",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="agreement_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.uid

    @property
    def starts_on(self) -> date:
        """The first day of the agreement, in the hub's time zone."""
        return timezone.localtime(self.starts_at, timezone.get_default_timezone()).date()

    @property
    def ends_on(self) -> date:
        """The last day of the agreement (it ends at the following midnight)."""
        last = self.ends_at - timedelta(microseconds=1)
        return timezone.localtime(last, timezone.get_default_timezone()).date()

    @property
    def remaining_quantity(self) -> Decimal:
        return self.quantity - self.used_quantity

    @property
    def used_percent(self) -> int:
        """Share of the quantity used, for progress bars."""
        return int(self.used_quantity * 100 / self.quantity) if self.quantity else 0


class StatementOfReasons(models.Model):
    """Why a request was rejected or an agreement restricted, suspended or terminated.

    It states the specific facts, the ground in the provider's terms, and how to seek
    redress; an early termination names its exception ground.
    """

    kind = models.CharField(_("kind"), max_length=12, choices=ReasonKind.choices)
    # Empty for a measure on the whole relationship between a platform and an SME (P2B Art 4,
    # governance): that statement names the two organisations, and the statements of the
    # agreements it suspends or terminates point to it through `measure`.
    access_request = models.ForeignKey(
        AccessRequest, null=True, blank=True, on_delete=models.CASCADE, related_name="statements"
    )
    agreement = models.ForeignKey(
        Agreement, null=True, blank=True, on_delete=models.CASCADE, related_name="statements"
    )
    provider = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    consumer = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    measure = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="carried_out_by",
        verbose_name=_("relationship measure"),
    )
    scope = models.TextField(_("measure and its scope"), max_length=2000, blank=True)
    # A restriction's recorded scope: the lineages of the resources it names, so that a later
    # version of the openness list stays covered (`access.measures` reads it).
    resource_lineages = models.JSONField(
        _("restricted resources (lineages)"), default=list, blank=True
    )
    automated = models.BooleanField(_("decided by automated means"), default=False)
    facts = models.TextField(_("facts"))
    ground = models.TextField(_("ground in the terms"))
    redress = models.TextField(_("how to seek redress"))
    exception = models.CharField(
        _("exception to the notice period"),
        max_length=24,
        choices=ExceptionGround.choices,
        blank=True,
    )
    effective_at = models.DateTimeField(_("takes effect"), null=True, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    party = models.CharField(_("given by"), max_length=8, choices=Party.choices)
    created_at = models.DateTimeField(_("given"), default=timezone.now)
    # A measure on the whole relationship is lifted (restriction, suspension) or withdrawn
    # (a termination before it takes effect) by the platform, with its reason.
    lifted_at = models.DateTimeField(_("lifted"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lifted by"),
    )
    lift_reason = models.TextField(_("why it was lifted"), max_length=2000, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("statement of reasons")
        verbose_name_plural = _("statements of reasons")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class CapacitySlot(models.Model):
    """One calendar period of a resource lineage's declared capacity and how much is booked.

    The row is the lock bookings take; the check constraint makes overbooking impossible
    even if a lock were skipped.
    """

    resource_lineage = models.UUIDField(_("resource lineage"))
    period = models.CharField(_("period"), max_length=8, choices=Period.choices)
    starts_on = models.DateField(_("starts"))
    capacity = models.DecimalField(_("capacity"), max_digits=14, decimal_places=2)
    booked = models.DecimalField(_("booked"), default=Decimal(0), max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["resource_lineage", "starts_on"]
        verbose_name = _("capacity slot")
        verbose_name_plural = _("capacity slots")
        constraints = [
            models.UniqueConstraint(
                fields=["resource_lineage", "period", "starts_on"], name="unique_capacity_slot"
            ),
            models.CheckConstraint(
                condition=Q(booked__gte=0) & Q(booked__lte=F("capacity")),
                name="slot_booked_within_capacity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.resource_lineage} {self.starts_on} {self.booked}/{self.capacity}"

    @property
    def free(self) -> Decimal:
        return self.capacity - self.booked


class Booking(models.Model):
    """Units of one capacity slot held for an access request (released when it ends early)."""

    slot = models.ForeignKey(CapacitySlot, on_delete=models.PROTECT, related_name="bookings")
    access_request = models.ForeignKey(
        AccessRequest, on_delete=models.CASCADE, related_name="bookings"
    )
    units = models.DecimalField(_("units"), max_digits=14, decimal_places=2)
    created_at = models.DateTimeField(_("booked"), default=timezone.now)
    released_at = models.DateTimeField(_("released"), null=True, blank=True)

    class Meta:
        ordering = ["slot__starts_on", "pk"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.CheckConstraint(condition=Q(units__gt=0), name="booking_units_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.access_request_id} @ {self.slot.starts_on}: {self.units}"


class UsageRecord(models.Model):
    """One metered use, permitted or denied, with the rule that decided (kept either way)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="usage")
    action = models.CharField(_("action"), max_length=40)
    quantity = models.DecimalField(_("quantity"), max_digits=14, decimal_places=2)
    occurred_at = models.DateTimeField(_("time of use"))
    permitted = models.BooleanField(_("permitted"))
    code = models.CharField(_("decision"), max_length=40)
    params = models.JSONField(_("decision details"), default=dict, blank=True)
    path = models.CharField(_("deciding rule"), max_length=200, blank=True)
    rule_path = models.CharField(_("rule"), max_length=200, blank=True)
    duties = models.JSONField(_("duties due"), default=list, blank=True)
    purpose = models.CharField(_("purpose"), max_length=40, blank=True)
    region = models.CharField(_("region"), max_length=6, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("recorded"), default=timezone.now)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("usage record")
        verbose_name_plural = _("usage records")
        indexes = [models.Index(fields=["agreement", "permitted"])]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="usage_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.quantity} ({'permit' if self.permitted else 'deny'})"


class Notification(models.Model):
    """A message to one user about a step of the access workflow (also sent by e-mail)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    verb = models.CharField(_("event"), max_length=40)
    object_type = models.CharField(_("object type"), max_length=80)
    object_id = models.CharField(_("object id"), max_length=64)
    url = models.CharField(_("link"), max_length=300)
    params = models.JSONField(_("details"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return f"{self.verb} → {self.recipient_id}"


class AllocationRound(models.Model):
    """A provider's capacity for a period, allocated at once among the requests collected.

    Instead of first come, first served, requests for the round's resources (equivalent
    resources of one provider — or of several, in a programme officer's capacity pool —
    with the same unit and capacity period) are collected while the
    round is open; closing it solves the allocation exactly (`synergy_hub.allocation`)
    with the disclosed priorities and fairness rule stored here, and records the solver's
    method, status and time.
    """

    #: The organiser: the provider, or for a capacity pool the programme office.
    provider = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="allocation_rounds"
    )
    #: A capacity pool: equivalent resources of several providers, declared by a programme
    #: officer; each agreement is still made with the provider of the resource allocated.
    is_pool = models.BooleanField(_("capacity pool across providers"), default=False)
    title = models.CharField(_("title"), max_length=200)
    resources = models.ManyToManyField(Resource, related_name="allocation_rounds")
    starts_on = models.DateField(_("period starts"))
    ends_on = models.DateField(_("period ends"))
    fairness = models.CharField(_("fairness rule"), max_length=16, choices=FairnessRule.choices)
    #: The priority weights disclosed when the round opened (see access.services.rounds).
    priorities = models.JSONField(_("disclosed priorities"), default=dict)
    state = models.CharField(
        _("state"), max_length=10, choices=RoundState.choices, default=RoundState.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(_("allocated"), null=True, blank=True)
    solver_method = models.CharField(_("solver method"), max_length=20, blank=True)
    solver_status = models.CharField(_("solver status"), max_length=20, blank=True)
    solver_seconds = models.FloatField(_("solver time (s)"), null=True, blank=True)
    #: Model size and objective: {"variables", "constraints", "objective": [weighted, fair]}.
    solver_details = models.JSONField(_("solver details"), default=dict, blank=True)
    #: A round closed in the background: its job's step ("" when none) and last error.
    job_step = models.CharField(
        _("allocation job"), max_length=10, choices=JobStep.choices, blank=True
    )
    job_error = models.TextField(_("allocation job error"), blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        verbose_name = _("allocation round")
        verbose_name_plural = _("allocation rounds")
        indexes = [models.Index(fields=["provider", "state"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="round_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RoundRequest(models.Model):
    """An SME's request in a round: units wanted, the least it accepts, its window.

    `weight` and `priority` are fixed when the round allocates; `granted`, `placement`
    and `reasons` are the result and the statement's facts (reason codes and numbers,
    worded in the reader's language when shown).
    """

    allocation_round = models.ForeignKey(
        AllocationRound, on_delete=models.CASCADE, related_name="requests"
    )
    consumer = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="round_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="+")
    flexible = models.BooleanField(_("any equivalent resource of the round"), default=False)
    quantity = models.PositiveIntegerField(_("quantity"))
    minimum = models.PositiveIntegerField(_("minimum acceptable quantity"), default=0)
    window_starts_on = models.DateField(_("earliest day"))
    window_ends_on = models.DateField(_("latest day"))
    purpose = models.TextField(_("purpose"))
    purpose_code = models.CharField(_("purpose category"), max_length=16, choices=Purpose.choices)
    created_at = models.DateTimeField(_("requested"), default=timezone.now)
    weight = models.PositiveIntegerField(_("priority weight"), null=True, blank=True)
    priority = models.JSONField(_("priority breakdown"), default=list, blank=True)
    granted = models.PositiveIntegerField(_("allocated"), null=True, blank=True)
    placement = models.JSONField(_("allocated slots"), default=list, blank=True)
    reasons = models.JSONField(_("why not more"), default=list, blank=True)
    agreements = models.ManyToManyField(Agreement, related_name="+", blank=True)

    class Meta:
        ordering = ["allocation_round", "created_at", "pk"]
        verbose_name = _("round request")
        verbose_name_plural = _("round requests")
        constraints = [
            models.UniqueConstraint(
                fields=["allocation_round", "consumer"], name="one_round_request_per_organisation"
            ),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="round_quantity_positive"),
            models.CheckConstraint(
                condition=Q(minimum__lte=F("quantity")), name="round_minimum_within_quantity"
            ),
            models.CheckConstraint(
                condition=Q(window_ends_on__gte=F("window_starts_on")),
                name="round_window_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.allocation_round_id}: {self.consumer} ({self.quantity})"
