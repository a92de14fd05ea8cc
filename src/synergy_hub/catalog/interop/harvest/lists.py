"""Which openness list a harvest writes into, and making it (callers hold the transaction).

A source harvested before goes back to the list it went to: its open draft, or a new
draft version of it once it has been published; a first harvest drafts a new list.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from synergy_hub.accounts.models import Organisation, User
from synergy_hub.catalog import workflow
from synergy_hub.catalog.models import Batch, OpennessList, Resource
from synergy_hub.catalog.models_interop import HarvestRun, HarvestSource, HarvestStatus
from synergy_hub.catalog.services import (
    MAX_TITLE,
    create_list_in_transaction,
    create_new_version_in_transaction,
)
from synergy_hub.catalog.vocabulary import ListState

from .fetch import FetchedSource
from .mapping import Languages
from .records import ParsedCatalog


class HarvestRefused(Exception):
    """The source cannot be harvested into this publisher now; the message says why."""


def list_texts(parsed: ParsedCatalog, source: FetchedSource) -> dict[str, Any]:
    """The new list's title: the catalog's, in every language it gives one.

    Chinese and English go to their fields, other languages to the list's translations.
    A catalog titled in other languages only also gets "Harvested from …" in Chinese and
    English (each written in its own language whatever the caller's locale), so that the
    list reads in the UI's languages; a catalog without a title gets only that.
    """
    titles = Languages(parsed.languages).split(parsed.title, "title", [], MAX_TITLE)
    zh, en = titles.zh, titles.en
    translations = {tag: {"title": title} for tag, title in sorted(titles.others.items())}
    if not zh and not en:
        name = source.url or source.location.rsplit("/", 1)[-1]
        with translation.override("zh-hans"):
            zh = _("Harvested from %(source)s") % {"source": name}
        with translation.override("en"):
            en = _("Harvested from %(source)s") % {"source": name}
    return {"title_zh": zh[:MAX_TITLE], "title_en": en[:MAX_TITLE], "translations": translations}


def previous_series(source: HarvestSource | None) -> uuid.UUID | None:
    if source is None:
        return None
    run = (
        HarvestRun.objects.filter(
            harvest_source=source,
            status=HarvestStatus.COMPLETED,
            openness_list__isnull=False,
        )
        .select_related("openness_list")
        .order_by("-started_at", "-pk")
        .first()
    )
    return run.openness_list.series if run is not None and run.openness_list else None


def previous_list(source: HarvestSource | None) -> OpennessList | None:
    """The latest version of the list this source was harvested into before, if any."""
    series = previous_series(source)
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
    source: FetchedSource,
    previous: OpennessList | None,
) -> tuple[OpennessList, bool]:
    """The editable list to write into: the previous draft, its next version, or a new list."""
    if previous is not None:
        if previous.state == ListState.PUBLISHED:
            return create_new_version_in_transaction(actor, previous), True
        return previous, False
    # `list_texts` gives titles within the limits, so the list needs no further checks.
    created = create_list_in_transaction(actor, publisher, batch, list_texts(parsed, source))
    return created, True


def resources_by_lineage(openness_list: OpennessList | None) -> dict[uuid.UUID, Resource]:
    if openness_list is None:
        return {}
    resources = openness_list.resources.select_related("openness_list").prefetch_related(
        "regions", "industries"
    )
    return {r.lineage: r for r in resources}
