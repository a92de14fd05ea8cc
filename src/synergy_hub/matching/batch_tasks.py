"""The functions Dask workers run for batch matching.

This module imports nothing from Django at import time: a worker process unpickles these
functions before Django is set up, then each call configures Django (once per process)
from the environment the caller passed along, and imports what it needs.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any


def _ensure_django() -> None:
    """On a Dask worker process: configure Django with the caller's settings once."""
    import django
    from django.apps import apps

    if not apps.ready:
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "synergy_hub.config.settings")
        django.setup()


def match_needs_chunk(need_ids: Sequence[int], k: int, env: dict[str, str]) -> list[dict[str, Any]]:
    """Worker task: rank resources for each need of the chunk; returns rows to store."""
    os.environ.update(env)
    _ensure_django()
    from synergy_hub.catalog.models import Need
    from synergy_hub.matching.services import match_need

    rows: list[dict[str, Any]] = []
    needs = Need.objects.select_related("organisation").filter(pk__in=need_ids)
    for need in needs:
        outcome = match_need(need, limit=k)
        for item in outcome.items:
            rows.append(
                {
                    "need_id": need.pk,
                    "resource_id": item.resource.pk,
                    "rank": item.position,
                    "score": item.result.total,
                    "explanation": item.explanation(),
                }
            )
    return rows


def match_outreach_chunk(
    resource_ids: Sequence[int], k: int, sme_index: str, env: dict[str, str]
) -> list[dict[str, Any]]:
    """Worker task: rank eligible SMEs for each resource of the chunk."""
    os.environ.update(env)
    _ensure_django()
    from synergy_hub.accounts.models import Organisation
    from synergy_hub.catalog.eligibility import verdict_for
    from synergy_hub.catalog.models import Resource
    from synergy_hub.eligibility import Status
    from synergy_hub.matching import documents
    from synergy_hub.matching.index import store

    retriever = _sme_retriever(sme_index, store().encoder())
    rows: list[dict[str, Any]] = []
    resources = documents.with_fact_relations(Resource.objects.filter(pk__in=resource_ids))
    for resource in resources:
        hits = retriever.search(documents.document_text(resource), k * 5)
        if not hits:
            continue
        organisations = Organisation.objects.in_bulk([int(hit.doc_id) for hit in hits])
        top = max(hit.score for hit in hits) or 1.0
        rank = 0
        for hit in hits:
            organisation = organisations.get(int(hit.doc_id))
            if organisation is None:
                continue
            if verdict_for(resource, organisation).status is not Status.ELIGIBLE:
                continue
            rank += 1
            rows.append(
                {
                    "resource_id": resource.pk,
                    "organisation_id": organisation.pk,
                    "rank": rank,
                    "score": hit.score / top,
                    "explanation": {
                        "relevance": hit.score / top,
                        "lexical_rank": hit.lexical_rank,
                        "dense_rank": hit.dense_rank,
                        "eligible": True,
                    },
                }
            )
            if rank == k:
                break
    return rows


_sme_cache: dict[str, Any] = {}


def _sme_retriever(folder: str, encoder: Any) -> Any:
    from synergy_hub.matching.engine.retrieval import HybridRetriever

    if folder not in _sme_cache:
        _sme_cache[folder] = HybridRetriever.load(folder, encoder=encoder)
    return _sme_cache[folder]
