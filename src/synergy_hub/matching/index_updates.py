"""Keep the index in step with publications: new versions replace, dropped resources leave."""

from __future__ import annotations

import logging
from typing import Any

from synergy_hub.catalog.models import OpennessList, Resource
from synergy_hub.matching import documents
from synergy_hub.matching.index import store

logger = logging.getLogger(__name__)


def changes_for(
    published: OpennessList, superseded: OpennessList | None
) -> tuple[dict[str, str], set[str]]:
    """The documents to upsert and the keys to remove when `published` replaces `superseded`."""
    upserts = {
        documents.doc_id(resource): documents.document_text(resource)
        for resource in Resource.objects.filter(openness_list=published)
    }
    removals: set[str] = set()
    if superseded is not None:
        old = set(
            Resource.objects.filter(openness_list=superseded).values_list("lineage", flat=True)
        )
        removals = {lineage.hex for lineage in old} - set(upserts)
    return upserts, removals


def on_list_published(
    sender: Any, openness_list: OpennessList, superseded: OpennessList | None, **_: Any
) -> None:
    """Signal receiver: update the index after a list version was published."""
    index = store()
    if index.generation() is None:
        return  # the first search builds the whole index
    upserts, removals = changes_for(openness_list, superseded)
    try:
        index.apply(upserts, removals)
    except Exception:  # an index problem must not undo a publication that has committed
        logger.exception("index update failed; run `synergy index rebuild`")
