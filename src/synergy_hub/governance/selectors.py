"""Scoped reads of the governance records: 404 for "missing" and for "not yours".

Published fee schedules, disclosures, mediators and complaint statistics are public; a
draft schedule is seen only by its platform; a complaint only by the SME that filed it,
the platform it is about, and programme officers.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub.access.models import StatementOfReasons
from synergy_hub.accounts.models import Organisation, OrganisationKind
from synergy_hub.accounts.permissions import PUBLISHER_KINDS, is_officer, organisation_of
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.governance import burden, rules
from synergy_hub.governance.models import (
    Complaint,
    ComplaintEvidence,
    FeeNotice,
    FeeSchedule,
    Mediator,
    RankingDisclosure,
    RankingPreference,
)
from synergy_hub.governance.vocabulary import ComplaintState, ScheduleState
from synergy_hub.web import attention, reminders


def platforms() -> QuerySet[Organisation]:
    """Organisations that publish resources and so owe the fair-ecosystem duties."""
    return Organisation.objects.filter(kind__in=PUBLISHER_KINDS).order_by("pk")


def platform(pk: int) -> Organisation:
    """A platform or provider by id (404 for any other organisation)."""
    found = platforms().filter(pk=pk).first()
    if found is None:
        raise Http404("platform not found")
    return found


def schedules_visible_to(user: Any) -> QuerySet[FeeSchedule]:
    """Every published schedule (history included) and the user's own platform's drafts."""
    organisation = organisation_of(user)
    visible = Q(state=ScheduleState.PUBLISHED)
    if organisation is not None:
        visible |= Q(platform=organisation)
    return FeeSchedule.objects.filter(visible).select_related("platform").prefetch_related("items")


def schedule_for_viewer(user: Any, pk: int) -> FeeSchedule:
    """A schedule the user may read (404 for another platform's draft)."""
    found = schedules_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404("fee schedule not found")
    return found


def schedule_for_platform(user: Any, pk: int) -> FeeSchedule:
    """A schedule of the user's own platform (404 for everyone else's)."""
    organisation = organisation_of(user)
    found = FeeSchedule.objects.filter(pk=pk, platform=organisation).first()
    if organisation is None or found is None:
        raise Http404("fee schedule not found")
    return found


def in_force(platform_id: int, at: datetime) -> FeeSchedule | None:
    """The schedule that applied at `at`: what an agreement made then refers to."""
    return (
        FeeSchedule.objects.filter(
            platform_id=platform_id, state=ScheduleState.PUBLISHED, effective_from__lte=at
        )
        .order_by("-effective_from", "-version")
        .first()
    )


def notices_for(user: Any) -> QuerySet[FeeNotice]:
    """The fee notices of the user's organisation, newest first."""
    organisation = organisation_of(user)
    if organisation is None:
        return FeeNotice.objects.none()
    return FeeNotice.objects.filter(organisation=organisation).select_related(
        "schedule", "schedule__platform"
    )


def notice_for_owner(user: Any, pk: int) -> FeeNotice:
    """One notice of the user's organisation (404 for anyone else's)."""
    found = notices_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404("fee notice not found")
    return found


def disclosures() -> QuerySet[RankingDisclosure]:
    """Every version of every platform's ranking disclosure (they are public)."""
    return RankingDisclosure.objects.select_related("platform")


def current_disclosures() -> list[RankingDisclosure]:
    """Each platform's latest disclosure."""
    latest: dict[int, RankingDisclosure] = {}
    for disclosure in disclosures().order_by("platform_id", "-version"):
        latest.setdefault(disclosure.platform_id, disclosure)
    return list(latest.values())


def is_non_personalised(user: Any) -> bool:
    """Whether the user chose the non-personalised ordering (False for visitors)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return RankingPreference.objects.filter(user=user, non_personalised=True).exists()


def mediators_of(platform_id: int) -> QuerySet[Mediator]:
    """The mediators a platform names (public)."""
    return Mediator.objects.filter(platform_id=platform_id)


def rule_set_of(platform_id: int) -> rules.RuleSet:
    """A platform's rule set: that of its latest published fee schedule, else the default."""
    latest = (
        FeeSchedule.objects.filter(platform_id=platform_id, state=ScheduleState.PUBLISHED)
        .order_by("-version")
        .values_list("jurisdiction", flat=True)
        .first()
    )
    return rules.rule_set(latest or rules.DEFAULT_RULE_SET)


def mediator_shortfall(platform_id: int) -> int:
    """How many more mediators the platform must name (P2B Art 12: at least two)."""
    required = rule_set_of(platform_id).min_mediators.value
    return max(0, required - Mediator.objects.filter(platform_id=platform_id).count())


def complaints_for(user: Any) -> QuerySet[Complaint]:
    """Complaints the user may see: its SME's own, those about its platform, all for officers."""
    queryset = Complaint.objects.select_related("platform", "complainant", "mediator")
    if is_officer(user):
        return queryset
    organisation = organisation_of(user)
    if organisation is None:
        return Complaint.objects.none()
    if organisation.kind == OrganisationKind.SME:
        return queryset.filter(complainant=organisation)
    return queryset.filter(platform=organisation)


def complaint_for_party(user: Any, pk: int) -> Complaint:
    """One complaint the user may see (404 for missing and for "not yours")."""
    found = complaints_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404("complaint not found")
    return found


def evidence_for_party(user: Any, complaint_id: int, pk: int) -> ComplaintEvidence:
    """One evidence file of a complaint the user may see (404 otherwise)."""
    complaint = complaint_for_party(user, complaint_id)
    found = ComplaintEvidence.objects.filter(complaint=complaint, pk=pk).first()
    if found is None:
        raise Http404("evidence not found")
    return found


def statistics_by_platform(year: int) -> dict[int, rules.ComplaintStatistics]:
    """Each platform's figures for `year`, from one query (platforms without complaints absent)."""
    facts: dict[int, list[rules.ComplaintFacts]] = {}
    rows = Complaint.objects.filter(filed_at__year=year).values_list(
        "platform_id", "category", "filed_at", "decided_at", "outcome"
    )
    for platform_id, category, filed_at, decided_at, outcome in rows:
        facts.setdefault(platform_id, []).append(
            rules.ComplaintFacts(category, filed_at, decided_at, outcome)
        )
    return {pk: rules.complaint_statistics(items) for pk, items in facts.items()}


def mediator_shortfalls(platform_ids: list[int]) -> dict[int, int]:
    """How many more mediators each platform must name, in two queries for all of them."""
    counts = dict(
        Mediator.objects.filter(platform_id__in=platform_ids)
        .values("platform_id")
        .annotate(n=Count("pk"))
        .values_list("platform_id", "n")
    )
    latest: dict[int, str] = {}
    for platform_id, jurisdiction in (
        FeeSchedule.objects.filter(platform_id__in=platform_ids, state=ScheduleState.PUBLISHED)
        .order_by("platform_id", "-version")
        .values_list("platform_id", "jurisdiction")
    ):
        latest.setdefault(platform_id, jurisdiction)
    return {
        pk: max(
            0,
            rules.rule_set(latest.get(pk, rules.DEFAULT_RULE_SET)).min_mediators.value
            - counts.get(pk, 0),
        )
        for pk in platform_ids
    }


def complaint_statistics(year: int, platform_id: int | None = None) -> rules.ComplaintStatistics:
    """P2B Art 11(4)'s figures for the complaints filed in `year` (one platform or all)."""
    queryset = Complaint.objects.filter(filed_at__year=year)
    if platform_id is not None:
        queryset = queryset.filter(platform_id=platform_id)
    return rules.complaint_statistics(
        rules.ComplaintFacts(category, filed_at, decided_at, outcome)
        for category, filed_at, decided_at, outcome in queryset.values_list(
            "category", "filed_at", "decided_at", "outcome"
        )
    )


@dataclass(frozen=True)
class PlatformBurden:
    """One platform's monthly fees for the typical SME, per published version."""

    platform: Organisation
    points: list[burden.Point]

    @property
    def current(self) -> burden.Point | None:
        return self.points[-1] if self.points else None


def fee_burden(sales: Decimal, units: Decimal, *, sme: bool = True) -> list[PlatformBurden]:
    """Each platform's fee burden over its published versions (two queries in all).

    Versions announced but not yet in force are included (flagged before they apply).
    """
    threshold = Decimal(settings.SYNERGY_FEE_INCREASE_FLAG_PERCENT)
    schedules = (
        FeeSchedule.objects.filter(state=ScheduleState.PUBLISHED)
        .select_related("platform")
        .prefetch_related("items")
        .order_by("platform_id", "effective_from", "version")
    )
    versions: dict[int, list[tuple[int, datetime, list[burden.Fee]]]] = {}
    owners: dict[int, Organisation] = {}
    for schedule in schedules:
        if schedule.effective_from is None:
            continue
        owners[schedule.platform_id] = schedule.platform
        fees = [
            burden.Fee(
                basis=item.basis,
                rate=item.rate,
                cap=item.cap,
                sme_discount_percent=item.sme_discount_percent,
                tiers=list(item.tiers or []),
            )
            for item in schedule.items.all()
        ]
        versions.setdefault(schedule.platform_id, []).append(
            (schedule.version, schedule.effective_from, fees)
        )
    return [
        PlatformBurden(
            owners[pk],
            burden.series(rows, sales, units, sme=sme, threshold_percent=threshold),
        )
        for pk, rows in versions.items()
    ]


# --- relationship measures ------------------------------------------------------------------


def measures_for(user: Any) -> QuerySet[StatementOfReasons]:
    """Measures on whole relationships the user may see: its platform's, those against its
    SME, all for officers (404 elsewhere: nobody else sees them)."""
    queryset = StatementOfReasons.objects.filter(
        agreement__isnull=True, access_request__isnull=True, provider__isnull=False
    ).select_related("provider", "consumer")
    if is_officer(user):
        return queryset.order_by("-created_at", "-pk")
    organisation = organisation_of(user)
    if organisation is None:
        return StatementOfReasons.objects.none()
    return queryset.filter(Q(provider=organisation) | Q(consumer=organisation)).order_by(
        "-created_at", "-pk"
    )


def measure_for_party(user: Any, pk: int) -> StatementOfReasons:
    """One measure the user may see (404 for "missing" and "not yours" alike)."""
    found = measures_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404("measure not found")
    return found


def measure_consumer(pk: int) -> Organisation:
    """The SME a measure is to reach (404 if there is no such SME)."""
    found = Organisation.objects.filter(pk=pk, kind=OrganisationKind.SME).first()
    if found is None:
        raise Http404("organisation not found")
    return found


def related_smes(platform: Organisation) -> QuerySet[Organisation]:
    """The SMEs that have requested or agreed access with the platform (measure choices)."""
    return Organisation.objects.filter(
        Q(access_requests__provider=platform) | Q(agreements__provider=platform),
        kind=OrganisationKind.SME,
    ).distinct()


def own_resource_choices(platform: Organisation) -> list[tuple[int, str]]:
    """The platform's resources on published lists, for naming what a restriction covers."""
    rows = Resource.objects.filter(
        openness_list__publisher=platform, openness_list__state=ListState.PUBLISHED
    ).order_by("pk")
    return [(r.pk, str(r)) for r in rows[:500]]


# --- what needs an officer's attention, and reminders --------------------------------------

NEAR_DEADLINE_DAYS = 2
OPEN_COMPLAINT_STATES = (ComplaintState.FILED, ComplaintState.ACKNOWLEDGED)


def complaints_near_deadline(now: datetime, days: int = NEAR_DEADLINE_DAYS) -> QuerySet[Complaint]:
    """Complaints whose next deadline (acknowledge, then decide) falls within `days` days or
    has passed: not acknowledged by `acknowledge_by`, or not decided by `decide_by`."""
    soon = now + timedelta(days=days)
    return Complaint.objects.filter(
        Q(state=ComplaintState.FILED, acknowledge_by__lte=soon)
        | Q(state__in=OPEN_COMPLAINT_STATES, decide_by__lte=soon)
    ).select_related("platform", "complainant")


def complaints_with_the_office() -> QuerySet[Complaint]:
    """Complaints escalated to the programme office."""
    return Complaint.objects.filter(state=ComplaintState.OFFICE)


def attention_items(today: date) -> list[attention.Item]:
    """Governance's share of the officer dashboard."""
    complaints = reverse("governance:complaints")
    return [
        attention.Item(
            "complaints_near_deadline",
            _("Complaints at or near a deadline (%(days)d days)") % {"days": NEAR_DEADLINE_DAYS},
            complaints_near_deadline(timezone.now()).count(),
            complaints,
            _("Complaints"),
        ),
        attention.Item(
            "complaints_with_office",
            _("Complaints escalated to the programme office"),
            complaints_with_the_office().count(),
            complaints,
            _("Complaints"),
        ),
    ]


FEE_NOTICE_REMINDER_DAYS = 3


def deadline_reminders(now: datetime) -> list[reminders.Reminder]:
    """Complaints a platform must acknowledge or decide within two days (or is late with),
    and fee changes an SME has not answered that apply within three days."""
    items = []
    for complaint in complaints_near_deadline(now):
        path = reverse("governance:complaint", args=[complaint.pk])
        if complaint.state == ComplaintState.FILED and complaint.acknowledge_by <= now + timedelta(
            days=NEAR_DEADLINE_DAYS
        ):
            kind, deadline = "complaint.acknowledge", complaint.acknowledge_by
            text = _("Acknowledge the complaint “%(subject)s” by %(date)s")
        else:
            kind, deadline = "complaint.decide", complaint.decide_by
            text = _("Decide the complaint “%(subject)s” by %(date)s")
        items.append(
            reminders.Reminder(
                kind=kind,
                key=str(complaint.pk),
                deadline=deadline,
                organisation_id=complaint.platform_id,
                text=text
                % {
                    "subject": complaint.subject,
                    "date": timezone.localtime(deadline).strftime("%Y-%m-%d %H:%M"),
                },
                path=path,
            )
        )
    notices = FeeNotice.objects.filter(
        response="",
        schedule__effective_from__gt=now,
        schedule__effective_from__lte=now + timedelta(days=FEE_NOTICE_REMINDER_DAYS),
    ).select_related("schedule__platform")
    for notice in notices:
        effective = notice.schedule.effective_from
        assert effective is not None  # filtered above
        items.append(
            reminders.Reminder(
                kind="fee_notice.answer",
                key=str(notice.pk),
                deadline=effective,
                organisation_id=notice.organisation_id,
                text=_(
                    "%(platform)s's fee change applies on %(date)s: object or leave "
                    "without penalty before then"
                )
                % {
                    "platform": notice.schedule.platform.name,
                    "date": timezone.localtime(effective).strftime("%Y-%m-%d %H:%M"),
                },
                path=reverse("governance:notices"),
            )
        )
    return items
