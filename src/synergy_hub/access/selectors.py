"""Scoped reads of the access workflow: only the two parties see a request or agreement.

Missing and "not yours" both answer 404. Reading an agreement first brings its state up
to date (a lazy `advance_agreements`), so no scheduler is needed for it to be right.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet, Sum
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from synergy_hub.access import workflow
from synergy_hub.access.models import (
    AccessRequest,
    Agreement,
    AllocationRound,
    Booking,
    CapacitySlot,
    Notification,
    Offer,
    RoundRequest,
    StatementOfReasons,
    UsageRecord,
)
from synergy_hub.access.services import advance_agreement, advance_agreements
from synergy_hub.access.vocabulary import RoundState
from synergy_hub.accounts.permissions import is_officer, organisation_of
from synergy_hub.catalog import selectors as catalog_selectors
from synergy_hub.catalog.models import Resource
from synergy_hub.catalog.vocabulary import ListState


def side_of(user: Any, provider_id: int, consumer_id: int) -> workflow.Actor | None:
    """Which side the user's organisation is on (None for everyone else)."""
    organisation = organisation_of(user)
    if organisation is None:
        return None
    if organisation.pk == provider_id:
        return workflow.Actor.PROVIDER
    if organisation.pk == consumer_id:
        return workflow.Actor.CONSUMER
    return None


def requests_of_party(user: Any) -> QuerySet[AccessRequest]:
    """Requests the user's organisation is a party to: the only ones anyone reads, programme
    officers included (decision 0016); the API, pages and back office all ask here.
    """
    organisation = organisation_of(user)
    if organisation is None:
        return AccessRequest.objects.none()
    return AccessRequest.objects.filter(Q(provider=organisation) | Q(consumer=organisation))


def requests_for(
    user: Any, *, role: str | None = None, state: str | None = None
) -> QuerySet[AccessRequest]:
    """The requests of the user's organisation, as provider ("incoming") or SME ("outgoing")."""
    organisation = organisation_of(user)
    queryset = requests_of_party(user)
    if organisation is not None and role == "provider":
        queryset = queryset.filter(provider=organisation)
    elif organisation is not None and role == "consumer":
        queryset = queryset.filter(consumer=organisation)
    if state:
        queryset = queryset.filter(state=state)
    return queryset.select_related(
        "resource", "provider", "consumer", "agreement"
    ).prefetch_related(
        Prefetch("offers", queryset=Offer.objects.order_by("sequence")),
        Prefetch("bookings", queryset=Booking.objects.select_related("slot")),
        "statements",
    )


def request_for_party(user: Any, pk: int) -> AccessRequest:
    """One request the user's organisation is a party to, else 404."""
    found = (
        requests_of_party(user)
        .select_related("resource__openness_list__batch", "provider", "consumer", "requested_by")
        .prefetch_related(
            Prefetch("offers", queryset=Offer.objects.order_by("sequence")),
            "statements",
            Prefetch("bookings", queryset=Booking.objects.select_related("slot")),
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404("access request not found")
    return found


def agreements_of_party(user: Any) -> QuerySet[Agreement]:
    """Agreements the user's organisation is a party to (as for requests, decision 0016)."""
    organisation = organisation_of(user)
    if organisation is None:
        return Agreement.objects.none()
    return Agreement.objects.filter(Q(provider=organisation) | Q(consumer=organisation))


def agreements_for(user: Any, *, state: str | None = None) -> QuerySet[Agreement]:
    """The agreements of the user's organisation, brought up to date first."""
    organisation = organisation_of(user)
    if organisation is not None:
        advance_agreements(timezone.now(), pk__in=agreements_of_party(user).values("pk"))
    queryset = agreements_of_party(user)
    if state:
        queryset = queryset.filter(state=state)
    return queryset.select_related("resource", "provider", "consumer").prefetch_related(
        "statements"
    )


def agreement_for_party(user: Any, pk: int) -> Agreement:
    """One agreement the user's organisation is a party to (up to date), else 404."""
    found = agreements_of_party(user).filter(pk=pk).select_related("resource").first()
    if found is None:
        raise Http404("agreement not found")
    advance_agreement(found)
    return (
        Agreement.objects.select_related(
            "resource__openness_list", "provider", "consumer", "access_request"
        )
        .prefetch_related("statements")
        .get(pk=found.pk)
    )


def usage_visible_to(user: Any) -> QuerySet[UsageRecord]:
    """Usage records of the agreements the user's organisation is a party to."""
    return UsageRecord.objects.filter(agreement__in=agreements_of_party(user))


def statements_visible_to(user: Any) -> QuerySet[StatementOfReasons]:
    """Statements of reasons given in requests the user's organisation is a party to."""
    return StatementOfReasons.objects.filter(access_request__in=requests_of_party(user))


def capacity_visible_to(user: Any) -> QuerySet[CapacitySlot]:
    """Capacity slots of the resources the user may read (the API's capacity calendar)."""
    lineages = catalog_selectors.resources_visible_to(user).values("lineage")
    return CapacitySlot.objects.filter(resource_lineage__in=lineages)


def usage_of(agreement: Agreement) -> QuerySet[UsageRecord]:
    """The agreement's usage log, newest first (both sides read the same log)."""
    return agreement.usage.select_related("recorded_by").order_by("-occurred_at", "-pk")


def permitted_use_by_day(agreement: Agreement, *, days: int = 60) -> list[tuple[Any, Any]]:
    """(date, quantity used that day) for the last `days` days with permitted use, oldest first."""
    rows = (
        agreement.usage.filter(permitted=True)
        .annotate(day=TruncDate("occurred_at"))
        .values("day")
        .annotate(total=Sum("quantity"))
        .order_by("-day")
        .values_list("day", "total")[:days]
    )
    return list(rows)[::-1]


def requestable_resource(user: Any, pk: int) -> Resource:
    """A resource on a currently published list (the only ones that can be requested)."""
    found = (
        Resource.objects.filter(pk=pk, openness_list__state=ListState.PUBLISHED)
        .select_related("openness_list__publisher", "openness_list__batch")
        .prefetch_related("regions", "industries")
        .first()
    )
    if found is None:
        raise Http404("resource not found")
    return found


def notifications_for(user: Any) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def unread_count(user: Any) -> int:
    return notifications_for(user).filter(read_at__isnull=True).count()


def _rounds_of(user: Any) -> QuerySet[AllocationRound]:
    """Rounds the user may see: its provider's, open ones, and those it requested in
    (every round for the programme office, which reads their reports)."""
    organisation = organisation_of(user)
    if organisation is None:
        return AllocationRound.objects.none()
    if is_officer(user):
        return AllocationRound.objects.all()
    return AllocationRound.objects.filter(
        Q(provider=organisation) | Q(state=RoundState.OPEN) | Q(requests__consumer=organisation)
    ).distinct()


def rounds_for(user: Any) -> QuerySet[AllocationRound]:
    """The rounds listed for the user, newest first."""
    return _rounds_of(user).select_related("provider").prefetch_related("resources")


def round_for_viewer(user: Any, pk: int) -> AllocationRound:
    """One round the user may see, else 404."""
    found = rounds_for(user).filter(pk=pk).first()
    if found is None:
        raise Http404("allocation round not found")
    return found


def round_requests_for(user: Any, the_round: AllocationRound) -> QuerySet[RoundRequest]:
    """The round's requests: all for its provider, the user's own for anyone else."""
    organisation = organisation_of(user)
    queryset = the_round.requests.select_related("consumer", "resource")
    if organisation is None:
        return queryset.none()
    if organisation.pk == the_round.provider_id:
        return queryset
    return queryset.filter(consumer=organisation)


def round_requests_visible_to(user: Any) -> QuerySet[RoundRequest]:
    """Round requests of the user's organisation, as requester or as the round's organiser
    (a programme office sees the requests of its own capacity pools, no others)."""
    organisation = organisation_of(user)
    if organisation is None:
        return RoundRequest.objects.none()
    return RoundRequest.objects.filter(
        Q(consumer=organisation) | Q(allocation_round__provider=organisation)
    )


def round_request_for(user: Any, pk: int) -> RoundRequest:
    """One round request, for its requester or the round's provider, else 404."""
    found = (
        round_requests_visible_to(user)
        .filter(pk=pk)
        .select_related("allocation_round__provider", "consumer", "resource")
        .prefetch_related("agreements")
        .first()
    )
    if found is None:
        raise Http404("round request not found")
    return found


def round_for_report(user: Any, pk: int) -> AllocationRound:
    """A round's report: for its provider and the programme office, else 404."""
    organisation = organisation_of(user)
    found = None
    if organisation is not None:
        rounds = AllocationRound.objects.select_related("provider")
        if not is_officer(user):
            rounds = rounds.filter(provider=organisation)
        found = rounds.filter(pk=pk).first()
    if found is None:
        raise Http404("allocation round not found")
    return found
