"""Which openness list a harvest writes into, and making it (callers hold the transaction).

A source harvested before goes back to the list it went to: its open draft, or a new
draft version of it once it has been published; a first harvest drafts a new list.
"""

from __future__ import annotations

import uuid

from django.utils.translation import gettext as _

from synergy_hub.accounts.models import Organisation, User
from synergy_hub.catalog import workflow
from synergy_hub.catalog.models import Batch, OpennessList, Resource
from synergy_hub.catalog.models_interop import HarvestRun, HarvestStatus
from synergy_hub.catalog.services import (
    MAX_TITLE,
    create_list_in_transaction,
    create_new_version_in_transaction,
)
from synergy_hub.catalog.vocabulary import ListState

from .mapping import split_languages
from .records import ParsedCatalog


class HarvestRefused(Exception):
    """The source cannot be harvested into this publisher now; the message says why."""


def list_title(parsed: ParsedCatalog, key: str) -> tuple[str, str]:
    zh, en = split_languages(parsed.title, [], "title")
    if not zh and not en:
        en = _("Harvested from %(source)s") % {"source": key}
    return zh[:MAX_TITLE], en[:MAX_TITLE]


def previous_series(publisher: Organisation, key: str) -> uuid.UUID | None:
    run = (
        HarvestRun.objects.filter(
            publisher=publisher,
            source_key=key,
            status=HarvestStatus.COMPLETED,
            openness_list__isnull=False,
        )
        .select_related("openness_list")
        .order_by("-started_at", "-pk")
        .first()
    )
    return run.openness_list.series if run is not None and run.openness_list else None


def previous_list(publisher: Organisation, key: str) -> OpennessList | None:
    """The latest version of the list this source was harvested into before, if any."""
    series = previous_series(publisher, key)
    if series is None:
        return None
    latest = (
        OpennessList.objects.filter(series=series)
        .select_related("batch")
        .order_by("-version")
        .first()
    )
    if latest is not None and latest.state in workflow.REVIEW_QUEUE_STATES:
        raise HarvestRefused(
            _(
                "The list harvested from this source before (version %(version)d) is under "
                "review; harvest again once it has been published or returned."
            )
            % {"version": latest.version}
        )
    return latest


def require_open(batch: Batch) -> None:
    if not batch.is_open():
        raise HarvestRefused(
            _("Batch %(number)d is not open for submissions (open %(opens)s to %(closes)s).")
            % {"number": batch.number, "opens": batch.opens_on, "closes": batch.closes_on}
        )


def draft_for_writing(
    actor: User,
    publisher: Organisation,
    batch: Batch,
    parsed: ParsedCatalog,
    key: str,
    previous: OpennessList | None,
) -> tuple[OpennessList, bool]:
    """The editable list to write into: the previous draft, its next version, or a new list."""
    if previous is not None:
        if previous.state == ListState.PUBLISHED:
            return create_new_version_in_transaction(actor, previous), True
        return previous, False
    # `list_title` gives a title within the limits, so the list needs no further checks.
    title_zh, title_en = list_title(parsed, key)
    created = create_list_in_transaction(
        actor, publisher, batch, {"title_zh": title_zh, "title_en": title_en}
    )
    return created, True


def resources_by_lineage(openness_list: OpennessList | None) -> dict[uuid.UUID, Resource]:
    if openness_list is None:
        return {}
    resources = openness_list.resources.select_related("openness_list").prefetch_related(
        "regions", "industries"
    )
    return {r.lineage: r for r in resources}
