"""Whether a platform's measure on its whole relationship with an SME blocks new access.

The one home of the rule; requests, round requests, bookings and the request page all ask
here. A measure (a `StatementOfReasons` without an agreement or a request, taken by the
platform through governance) blocks the SME's new requests for, and new bookings of, the
platform's resources while it is in force (P2B Art 4(1) and 4(2), `POLICY.md`):

- a suspension: every resource of the platform, from the moment it is taken;
- a termination: every resource, once it takes effect (during its notice period the
  relationship still runs, P2B Art 4(2), so new requests are still taken);
- a restriction: only the resources it names (their lineages, so a later version of the
  openness list stays covered); a restriction taken before its scope was recorded and
  that recorded none blocks every resource, as a suspension does.

A measure that was lifted (or a termination withdrawn before it took effect) no longer
blocks. Agreements already concluded are not touched here: the measure suspended or
terminated them when it was taken.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from synergy_hub.access.models import StatementOfReasons
from synergy_hub.access.vocabulary import ReasonKind
from synergy_hub.accounts.models import Organisation, OrganisationKind
from synergy_hub.catalog.models import Resource

MEASURE_KINDS = (ReasonKind.RESTRICTION, ReasonKind.SUSPENSION, ReasonKind.TERMINATION)


def relationship_measures() -> QuerySet[StatementOfReasons]:
    """Every measure on a whole relationship (not an agreement's or a request's statement)."""
    return StatementOfReasons.objects.filter(
        kind__in=MEASURE_KINDS,
        agreement__isnull=True,
        access_request__isnull=True,
        provider__isnull=False,
        consumer__isnull=False,
    )


def in_force(
    consumer_id: int, provider_ids: Iterable[int] | None = None, *, now: datetime | None = None
) -> list[StatementOfReasons]:
    """The measures in force against the SME (by the given platforms, or any), oldest first."""
    now = now or timezone.now()
    found = relationship_measures().filter(
        Q(effective_at__isnull=True) | Q(effective_at__lte=now),
        consumer_id=consumer_id,
        lifted_at__isnull=True,
    )
    if provider_ids is not None:
        found = found.filter(provider_id__in=list(provider_ids))
    return list(found.order_by("created_at", "pk"))


def covers(measure: StatementOfReasons, resource: Resource) -> bool:
    """Whether a measure in force reaches the resource (its platform's, and in its scope)."""
    if measure.provider_id != resource.openness_list.publisher_id:
        return False
    if measure.kind != ReasonKind.RESTRICTION or not measure.resource_lineages:
        return True
    return str(resource.lineage) in {str(lineage) for lineage in measure.resource_lineages}


def blocking(
    resource: Resource,
    consumer_id: int,
    *,
    now: datetime | None = None,
    measures: list[StatementOfReasons] | None = None,
) -> StatementOfReasons | None:
    """The first measure in force that blocks the SME's new access to the resource, if any.

    `measures` may hold the SME's measures in force, read once for many resources.
    """
    if measures is None:
        measures = in_force(consumer_id, [resource.openness_list.publisher_id], now=now)
    return next((m for m in measures if covers(m, resource)), None)


def blocked_among(
    resources: Iterable[Resource], organisation: Organisation | None
) -> dict[int, StatementOfReasons]:
    """Of the given resources, those a measure in force blocks for the organisation, by id,
    with the measure (one query for its measures; none for an organisation that is not an
    SME, as measures are taken against SMEs only)."""
    if organisation is None or organisation.kind != OrganisationKind.SME:
        return {}
    held = in_force(organisation.pk)
    if not held:
        return {}
    found = ((r, blocking(r, organisation.pk, measures=held)) for r in resources)
    return {resource.pk: measure for resource, measure in found if measure is not None}


def reason(measure: StatementOfReasons) -> str:
    """Why the SME cannot request: the measure, since when, and the statement to read."""
    since = (
        formats.date_format(timezone.localtime(measure.effective_at), "DATE_FORMAT")
        if measure.effective_at
        else "—"
    )
    texts = {
        # P2B Art 4(1): restricting the business's services, here the resources named.
        ReasonKind.RESTRICTION: _(
            "The provider has restricted its relationship with your organisation for this "
            "resource since %(since)s (statement #%(id)s): new requests and bookings are "
            "refused until the restriction is lifted."
        ),
        # P2B Art 4(1): suspension of the whole relationship.
        ReasonKind.SUSPENSION: _(
            "The provider has suspended its relationship with your organisation since "
            "%(since)s (statement #%(id)s): new requests and bookings are refused until the "
            "suspension is lifted."
        ),
        # P2B Art 4(2): termination, once its notice has run.
        ReasonKind.TERMINATION: _(
            "The provider terminated its relationship with your organisation on %(since)s "
            "(statement #%(id)s): new requests and bookings are refused."
        ),
    }
    return texts[ReasonKind(measure.kind)] % {"since": since, "id": measure.pk}


def problems(resource: Resource, organisation: Organisation | None) -> list[str]:
    """The measure in force against the organisation for the resource, in words (or none)."""
    if organisation is None:
        return []
    found = blocking(resource, organisation.pk)
    return [reason(found)] if found is not None else []


def error(measure: StatementOfReasons, field: str = "resource") -> ValidationError:
    """The refusal naming the field and the rule (code `relationship_<kind>`)."""
    return ValidationError(
        {field: ValidationError(reason(measure), code=f"relationship_{measure.kind}")}
    )


def require_none(
    resource: Resource, consumer_id: int, *, field: str = "resource", now: datetime | None = None
) -> None:
    """Refuse (ValidationError on `field`) when a measure in force blocks the SME's access."""
    found = blocking(resource, consumer_id, now=now)
    if found is not None:
        raise error(found, field)
