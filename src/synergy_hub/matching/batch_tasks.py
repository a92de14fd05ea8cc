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
    """Worker task: rank resources for each need of the chunk, as one block; rows to store.

    Retrieval runs for the whole block (`engine.block`), then each need's hits are ranked
    by the step every search takes (`services.rank_hits`): the same floor, eligibility,
    disclosed ranking and fair exposure, and the same explanation as the need's page.
    """
    os.environ.update(env)
    _ensure_django()
    from django.utils import timezone

    from synergy_hub.catalog.eligibility import seeker_of
    from synergy_hub.catalog.models import Need
    from synergy_hub.matching import services
    from synergy_hub.matching.configuration import active_configuration
    from synergy_hub.matching.engine.candidates import SearchFilters
    from synergy_hub.matching.index import store

    index = store()
    scope = index.generation()
    searcher = _block_searcher(index)
    retriever = searcher.retriever
    config = active_configuration()
    now = timezone.now()
    needs = list(
        Need.objects.select_related("organisation")
        .filter(pk__in=need_ids)
        .order_by("pk")
        .only(
            "pk",
            "title",
            "description",
            "resource_types",
            "region_id",
            "organisation__size_class",
            "organisation__tier",
            "organisation__region_id",
            "organisation__industry_id",
        )
    )
    filters = [_allowed_for(scope, need.resource_types) for need in needs]
    depth = max(services.DEFAULT_DEPTH, k)
    answers = searcher.search([services.need_query(need) for need in needs], depth, allowed=filters)
    rows: list[dict[str, Any]] = []
    no_filters = SearchFilters()
    for need, allowed, answer in zip(needs, filters, answers, strict=True):
        if allowed is not None and not allowed:
            continue
        seeker = seeker_of(need.organisation, region=need.region_id)
        ranked = services.rank_hits(
            answer.text,
            answer.hits,
            retriever,
            seeker,
            no_filters,
            config,
            now,
            scope=scope,
            analysed=answer.terms,
        )
        if ranked is None:
            continue
        for position, result in enumerate(ranked.results[:k], start=1):
            item = ranked.item(None, position, result, seeker, config)
            rows.append(
                {
                    "need_id": need.pk,
                    "resource_id": result.facts.resource_id,
                    "rank": position,
                    "score": result.total,
                    "explanation": item.explanation(),
                }
            )
    return rows


_searchers: dict[str, Any] = {}
_filters: dict[tuple[str | None, tuple[str, ...]], frozenset[str] | None] = {}


def _block_searcher(index: Any) -> Any:
    """The worker's block searcher over the current index generation, made once per process.

    An index with pending updates is compacted into a private copy first (a BM25 segment
    and a graph in this process's memory), so that every block takes the batched path.
    """
    from synergy_hub.matching.engine.block import BlockSearcher
    from synergy_hub.matching.engine.retrieval import HybridRetriever

    name = index.generation() or ""
    searcher = _searchers.get(name)
    if searcher is None:
        searcher = BlockSearcher(index.retriever())
        if not searcher.block_ready:
            private = HybridRetriever.load(
                index.root / name,
                encoder=index.encoder(),
                english_encoder=index.english_encoder(),
            )
            private.compact()
            searcher = BlockSearcher(private)
        _searchers.clear()
        _searchers[name] = searcher
    return searcher


def _allowed_for(scope: str | None, resource_types: Sequence[str]) -> frozenset[str] | None:
    """The index ids a need's resource types allow (None: any), one set per distinct filter."""
    from synergy_hub.matching import services

    key = (scope, tuple(sorted(resource_types or ())))
    if key not in _filters:
        allowed = services.allowed_ids({"resource_types": list(key[1])})
        _filters[key] = None if allowed is None else frozenset(allowed)
    return _filters[key]


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
