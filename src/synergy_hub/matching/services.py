"""Search and matching as the product uses them: retrieve, filter, rank, explain, re-rank.

`search_resources` is the one path every page and API call takes: hybrid retrieval over
the published catalog (restricted to the hard filters without losing recall), the
relevance floor (close or weaker matches), eligibility, the disclosed weighted ranking,
FA*IR fair re-ranking and exposure accounting.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from synergy_hub.accounts.models import Organisation, OrganisationKind
from synergy_hub.accounts.permissions import require_member
from synergy_hub.audit.services import record
from synergy_hub.catalog.eligibility import seeker_of, unconfirmed_note
from synergy_hub.catalog.models import Need
from synergy_hub.catalog.query import MAX_RANKED_PAGE, MAX_RANKED_RESULTS, ResourceQuery
from synergy_hub.catalog.selectors import filter_resources, published_resources
from synergy_hub.catalog.vocabulary import NeedStatus
from synergy_hub.eligibility import Seeker, Status, Verdict, verdict
from synergy_hub.matching import documents
from synergy_hub.matching.configuration import ActiveConfiguration, active_configuration
from synergy_hub.matching.disclosure import labels
from synergy_hub.matching.engine import fair, filters, match_quality, ranking
from synergy_hub.matching.engine.candidates import Candidate, SearchFilters
from synergy_hub.matching.engine.exposure import ExposureAccumulator, ExposureReport
from synergy_hub.matching.engine.fusion import Hit
from synergy_hub.matching.engine.match_quality import AnswerQuality, MatchAssessment, MatchQuality
from synergy_hub.matching.engine.retrieval import HybridRetriever
from synergy_hub.matching.index import store
from synergy_hub.matching.models import (
    ExposureSnapshot,
    MatchingPreference,
    MatchRun,
    MatchRunKind,
    MatchRunStatus,
    NeedMatch,
)

logger = logging.getLogger(__name__)

DEFAULT_DEPTH = 100
"""Fused candidates ranked by the disclosed parameters: twice FA*IR's window of 50, and
five pages of 20 (measured: 200 cost 10 ms more at p95 on 100,000 resources)."""


# --- search --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankedResource:
    """One result as shown: the resource, its place, and everything that explains it."""

    resource: Any
    position: int
    position_before_fairness: int
    protected: bool
    result: ranking.ScoredResult
    hit: Hit
    eligibility: Verdict = field(default_factory=Verdict)
    match: MatchAssessment | None = None

    @property
    def match_quality(self) -> MatchQuality:
        """Return "close" when the result passes the relevance floor, otherwise "weaker"."""
        return self.match.quality if self.match is not None else "close"

    @property
    def unconfirmed_note(self) -> str:
        """What the seeker must do before its eligibility is confirmed ("" when it is)."""
        return unconfirmed_note(self.eligibility)

    def explanation(self) -> dict[str, Any]:
        """The "why this ranks here" data: each parameter's value, weight and contribution."""
        words = labels()
        return {
            "config_version": self.result.config_version,
            "total": round(self.result.total, 6),
            "parameters": [
                {
                    "name": name,
                    "label": words.get(name, name),
                    "value": round(part.value, 6),
                    "weight": part.weight,
                    "contribution": round(part.contribution, 6),
                }
                for name, part in self.result.contributions.items()
            ],
            "fair_exposure": {
                "protected_group": self.protected,
                "position_before": self.position_before_fairness,
                "position": self.position,
            },
            "retrieval": {
                "relevance": round(self.result.relevance, 6),
                "lexical_rank": self.hit.lexical_rank,
                "dense_rank": self.hit.dense_rank,
                "match_quality": self.match_quality,
                "cosine": _rounded(self.match.cosine if self.match else None),
                "coverage": _rounded(self.match.coverage if self.match else None),
                "evidence": _rounded(self.match.evidence if self.match else None),
                "floor": _rounded(self.match.required if self.match else None),
            },
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


@dataclass
class SearchOutcome:
    """A page of ranked results plus what the page needs to explain the whole list.

    The ranking holds the `close_count` close matches first, then the weaker ones; the
    answer's `match_quality` is "close" when there is at least one close match, otherwise
    "none" (no close match).
    """

    query: str
    items: list[RankedResource]
    total: int
    excluded: int
    excluded_reasons: Counter[str] = field(default_factory=Counter)
    config_version: str = ""
    elapsed_ms: float = 0.0
    close_count: int = 0
    ranked_ids: list[int] = field(default_factory=list)
    """Every ranked result's resource id, in order (the page's facets count them)."""
    eligibility_counts: Counter[str] = field(default_factory=Counter)
    """Every candidate's eligibility for the seeker: "eligible", "not_eligible", "unknown"."""

    @property
    def match_quality(self) -> AnswerQuality:
        """Return "close" when at least one result is a close match, otherwise "none"."""
        return "close" if self.close_count else "none"

    @property
    def close_items(self) -> list[RankedResource]:
        """This page's close matches (they come before its weaker ones)."""
        return [item for item in self.items if item.match_quality == "close"]

    @property
    def weaker_items(self) -> list[RankedResource]:
        """This page's weaker matches."""
        return [item for item in self.items if item.match_quality == "weaker"]

    @property
    def unconfirmed(self) -> int:
        """Results on this page whose eligibility the seeker's known facts cannot settle."""
        return sum(1 for item in self.items if item.eligibility.status is Status.UNKNOWN)


def allowed_ids(catalog_filters: Mapping[str, Any]) -> set[str] | None:
    """Lineage keys that pass the catalog's hard filters (None = no restriction)."""
    active = {key: value for key, value in catalog_filters.items() if value}
    if not active:
        return None
    types = active.pop("resource_types", None)
    queryset = filter_resources(published_resources(), **active)
    if types:
        queryset = queryset.filter(resource_type__in=list(types))
    return {lineage.hex for lineage in queryset.values_list("lineage", flat=True)}


def search_resources(
    query: str,
    *,
    catalog_filters: Mapping[str, Any] | None = None,
    engine_filters: SearchFilters | None = None,
    seeker: Seeker | None = None,
    limit: int = 20,
    offset: int = 0,
    depth: int = DEFAULT_DEPTH,
    now: datetime | None = None,
    record_exposure: bool = True,
    personalised: bool = True,
    include_ineligible: bool = False,
) -> SearchOutcome:
    """Rank published resources for a query and explain every result.

    With `include_ineligible` the resources the seeker is not eligible for are ranked too
    (each carries its verdict, so the page says why it is not open to the seeker); only
    the user's own filters exclude.

    With `personalised=False` (the non-personalised ordering the user chose) nothing about
    the seeker is used: no eligibility filter, and only relevance, price and freshness rank.

    Each result is judged against the index's relevance floor (`match_quality`): close
    matches are ranked first, weaker ones after them, each part by the disclosed ranking
    and re-ranked by FA*IR on its own, so fair exposure never lifts a weaker match above
    a close one and positions run on across pages.

    A page reaches at most `MAX_RANKED_RESULTS` deep (`catalog.query`): a deeper offset is
    refused naming the field, so no caller can ask for a search a million results deep.
    """
    started = time.perf_counter()
    seeker = (seeker or Seeker()) if personalised else Seeker()
    engine_filters = engine_filters or SearchFilters()
    now = now or timezone.now()
    limit = max(1, min(limit, MAX_RANKED_PAGE))
    offset = max(0, offset)
    if offset + limit > MAX_RANKED_RESULTS:
        raise ValidationError(
            {
                "offset": ValidationError(
                    _("A search ranks at most the first %(max)d results.")
                    % {"max": MAX_RANKED_RESULTS},
                    code="max_depth",
                )
            }
        )
    index = store()
    retriever = index.retriever()
    prepared = retriever.prepare_query(query)  # encodes while the filters are read
    config = active_configuration()
    if not personalised:
        config = replace(config, ranking=ranking.non_personalised(config.ranking))
    allowed = allowed_ids(catalog_filters or {})
    if allowed is not None and not allowed:
        return SearchOutcome(query, [], 0, 0, config_version=config.ranking.version)
    scope = index.generation()

    def read_facts(doc_ids: list[str]) -> object:
        return documents.facts_for(doc_ids, scope=scope)

    hits = retriever.search(
        prepared, max(depth, offset + limit), allowed_ids=allowed, on_lexical=read_facts
    )
    ranked = rank_hits(
        prepared.text,
        hits,
        retriever,
        seeker,
        engine_filters,
        config,
        now,
        scope=scope,
        include_ineligible=include_ineligible,
    )
    if ranked is None:
        return SearchOutcome(query, [], 0, 0, config_version=config.ranking.version)
    reranked = ranked.results
    if record_exposure and offset == 0:
        record_served(reranked, shown=limit, config_version=config.ranking.version)
    # Full rows only for the page shown (the candidates were ranked on their facts).
    page = list(enumerate(reranked, start=1))[offset : offset + limit]
    rows = documents.resources_by_pk(result.facts.resource_id for _, result in page)
    items = [
        ranked.item(rows[result.facts.resource_id], position, result, seeker, config)
        for position, result in page
        if result.facts.resource_id in rows  # withdrawn between the two reads
    ]
    excluded = ranked.excluded
    reasons: Counter[str] = Counter()
    for _candidate, found in excluded:
        reasons.update(found.failed)
    return SearchOutcome(
        query=query,
        items=items,
        total=len(reranked),
        excluded=len(excluded),
        excluded_reasons=reasons,
        config_version=config.ranking.version,
        elapsed_ms=(time.perf_counter() - started) * 1000,
        close_count=ranked.close_count,
        ranked_ids=[result.facts.resource_id for result in reranked],
        eligibility_counts=ranked.standing,
    )


@dataclass(frozen=True)
class RankedHits:
    """One query's hits after the floor, eligibility, the disclosed ranking and FA*IR."""

    results: list[ranking.ScoredResult]
    before: dict[int, int]
    hit_of: dict[int, Hit]
    judged: dict[str, MatchAssessment]
    excluded: list[tuple[Candidate, Verdict]]
    close_count: int
    standing: Counter[str]
    """Every candidate's eligibility for the seeker ("eligible", "not_eligible", "unknown")."""

    def item(
        self,
        resource: Any,
        position: int,
        result: ranking.ScoredResult,
        seeker: Seeker,
        config: ActiveConfiguration,
    ) -> RankedResource:
        """The explained result at `position` (`resource`: its row, None for stored matches)."""
        resource_id = result.facts.resource_id
        hit = self.hit_of[resource_id]
        return RankedResource(
            resource=resource,
            position=position,
            position_before_fairness=self.before[resource_id],
            protected=config.fairness.group(result.facts),
            result=result,
            hit=hit,
            eligibility=verdict(result.facts, seeker),
            match=self.judged[hit.doc_id],
        )


def rank_hits(
    text: str,
    hits: list[Hit],
    retriever: HybridRetriever,
    seeker: Seeker,
    engine_filters: SearchFilters,
    config: ActiveConfiguration,
    now: datetime,
    *,
    scope: str | None,
    analysed: list[str] | None = None,
    include_ineligible: bool = False,
) -> RankedHits | None:
    """Rank one query's retrieved hits as every search does; None when none is a match.

    The step after retrieval, shared by the interactive search and the batch matcher
    (which retrieves for a block of needs at once): the relevance floor (close matches
    first), the candidates' facts, eligibility, the disclosed weighted ranking and FA*IR
    on the close and the weaker part each. `analysed`: the query's terms, when known. With
    `include_ineligible` the resources the seeker is not eligible for are ranked too.
    """
    hits = [hit for hit in hits if match_quality.is_match(hit)]
    if not hits:
        return None
    judged = match_quality.assess(
        text,
        hits,
        retriever.lexical,
        retriever.floor,
        analysed=analysed,
        crowding=retriever.crowding(hit.doc_id for hit in hits),
    )
    facts = documents.facts_for((hit.doc_id for hit in hits), scope=scope)
    top = max(hit.score for hit in hits) or 1.0
    hit_of: dict[int, Hit] = {}
    candidates = []
    for hit in hits:
        resource_facts = facts.get(hit.doc_id)
        if resource_facts is None:  # withdrawn since the index was written
            continue
        hit_of[resource_facts.resource_id] = hit
        relevance = min(1.0, max(0.0, hit.score / top))
        candidates.append(Candidate(resource_facts, relevance))
    kept, excluded = filters.partition(
        candidates, Seeker() if include_ineligible else seeker, engine_filters
    )
    standing: Counter[str] = Counter(
        str(verdict(candidate.facts, seeker).status) for candidate in candidates
    )
    scored = ranking.score(kept, seeker, engine_filters, config.ranking, now)

    def is_close(result: ranking.ScoredResult) -> bool:
        return judged[hit_of[result.facts.resource_id].doc_id].quality == "close"

    close = [result for result in scored if is_close(result)]
    weaker = [result for result in scored if not is_close(result)]
    before = {result.facts.resource_id: n for n, result in enumerate(close + weaker, start=1)}
    reranked = fair.rerank_results(close, config.fairness) + fair.rerank_results(
        weaker, config.fairness
    )
    return RankedHits(reranked, before, hit_of, judged, excluded, len(close), standing)


def engine_filters_of(query: ResourceQuery) -> SearchFilters:
    """The query's hard filters as the engine checks them on each candidate."""

    def one(value: str | None) -> frozenset[str]:
        return frozenset({value}) if value else frozenset()

    return SearchFilters(
        resource_types=one(query.resource_type),
        access_modes=one(query.access_mode),
        regions=one(query.region),
        industries=one(query.industry),
    )


def search_catalog(
    query: ResourceQuery,
    seeker: Seeker,
    *,
    record_exposure: bool = True,
    personalised: bool = True,
    include_ineligible: bool = False,
) -> SearchOutcome:
    """The ranked search of the catalog page and the API, from a checked resource query."""
    return search_resources(
        query.words,
        catalog_filters=query.filters(),
        engine_filters=engine_filters_of(query),
        seeker=seeker,
        limit=query.limit,
        offset=query.offset,
        record_exposure=record_exposure,
        personalised=personalised,
        include_ineligible=include_ineligible,
    )


def need_query(need: Need) -> str:
    """The text a need is matched with."""
    return f"{need.title}\n{need.description}"


def match_need(need: Need, *, limit: int = 10, record_exposure: bool = False) -> SearchOutcome:
    """The best resources for an SME's need, explained, for the need's own organisation."""
    return search_resources(
        need_query(need),
        catalog_filters={"resource_types": need.resource_types},
        seeker=seeker_of(need.organisation, region=need.region_id),
        limit=limit,
        record_exposure=record_exposure,
    )


# --- batch matching: what an SME sees and chooses -----------------------------------------


@dataclass(frozen=True)
class StoredMatches:
    """An SME's matches from the last completed batch run, by need."""

    run: MatchRun | None
    by_need: list[tuple[Need, list[NeedMatch]]]

    @property
    def count(self) -> int:
        return sum(len(matches) for _, matches in self.by_need)


def matches_for(organisation: Organisation) -> StoredMatches:
    """The organisation's open needs' matches from the last completed needs run (two queries)."""
    run = (
        MatchRun.objects.filter(kind=MatchRunKind.NEEDS, status=MatchRunStatus.COMPLETED)
        .order_by("-pk")
        .first()
    )
    if run is None:
        return StoredMatches(None, [])
    rows = (
        NeedMatch.objects.filter(
            run=run, need__organisation=organisation, need__status=NeedStatus.OPEN
        )
        .select_related("need", "resource")
        .order_by("need_id", "rank")
    )
    by_need: dict[int, tuple[Need, list[NeedMatch]]] = {}
    for row in rows:
        by_need.setdefault(row.need_id, (row.need, []))[1].append(row)
    return StoredMatches(run, list(by_need.values()))


def matching_preference(organisation: Organisation) -> MatchingPreference:
    """The organisation's batch-matching choices (the defaults when it made none)."""
    found = MatchingPreference.objects.filter(organisation=organisation).first()
    return found or MatchingPreference(organisation=organisation)


def set_matching_preference(user: Any, *, digest: bool, outreach: bool) -> MatchingPreference:
    """An SME member chooses whether it gets match digests and is listed for outreach."""
    membership = require_member(user, kinds=frozenset({OrganisationKind.SME}))
    organisation = membership.organisation
    with transaction.atomic():
        row, _created = MatchingPreference.objects.select_for_update().get_or_create(
            organisation=organisation
        )
        before = {"digest": row.digest, "outreach": row.outreach}
        row.digest, row.outreach, row.updated_at = bool(digest), bool(outreach), timezone.now()
        row.save(update_fields=["digest", "outreach", "updated_at"])
        record(
            actor=user,
            action="matching.preference.changed",
            obj=row,
            organisation_id=organisation.pk,
            before=before,
            after={"digest": row.digest, "outreach": row.outreach},
        )
    return row


# --- exposure ------------------------------------------------------------------------------


class _ExposureBuffer:
    """Served rankings summed in memory and written to the day's snapshot now and then.

    The write happens on a background thread, so no search waits for it; inside a
    transaction (a test, a management command) it happens at once, with the transaction.
    `flush` waits for a write in progress, so a report never misses what was counted.
    """

    # A write merges the day's snapshot (tens of kilobytes of JSON at 100,000 resources,
    # 13 ms of the interpreter's time that the searches beside it wait for): once a
    # minute, or every thousand rankings, keeps it off nearly every search. A crash loses
    # at most that interval's counts.
    FLUSH_EVERY = 1000
    FLUSH_SECONDS = 60.0

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.write_lock = threading.Lock()
        self.pending: dict[str, ExposureAccumulator] = {}
        self.count = 0
        self.last_flush = time.monotonic()
        self.flushing = False

    def add(self, results: list[ranking.ScoredResult], shown: int, config_version: str) -> None:
        with self.lock:
            self.pending.setdefault(config_version, ExposureAccumulator()).add_results(
                results, shown=shown
            )
            self.count += 1
            due = self.count >= self.FLUSH_EVERY or (
                time.monotonic() - self.last_flush > self.FLUSH_SECONDS
            )
        if not due:
            return
        if transaction.get_connection().in_atomic_block:
            self.flush()
            return
        with self.lock:
            if self.flushing:
                return
            self.flushing = True
        threading.Thread(target=self._flush_in_background, name="exposure-flush").start()

    def _flush_in_background(self) -> None:
        try:
            self.flush()
        except Exception:  # the counts of one interval are lost, never a search
            logger.exception("could not write the exposure snapshot")
        finally:
            with self.lock:
                self.flushing = False
            connections.close_all()

    def flush(self) -> None:
        with self.write_lock:
            self._write()

    def _write(self) -> None:
        with self.lock:
            pending, self.pending, self.count = self.pending, {}, 0
            self.last_flush = time.monotonic()
        today = timezone.localdate()
        for version, accumulator in pending.items():
            with transaction.atomic():
                snapshot = (
                    ExposureSnapshot.objects.select_for_update()
                    .filter(day=today, config_version=version)
                    .first()
                )
                if snapshot is None:
                    ExposureSnapshot.objects.create(
                        day=today,
                        config_version=version,
                        rankings=accumulator.rankings,
                        data=accumulator.to_dict(),
                    )
                    continue
                merged = ExposureAccumulator.from_dict(snapshot.data).merge(accumulator)
                snapshot.data = merged.to_dict()
                snapshot.rankings = merged.rankings
                snapshot.updated_at = timezone.now()
                snapshot.save(update_fields=["data", "rankings", "updated_at"])


_buffer = _ExposureBuffer()


def record_served(results: list[ranking.ScoredResult], *, shown: int, config_version: str) -> None:
    """Count one served ranking for the exposure report."""
    _buffer.add(results, shown, config_version)


def flush_exposure() -> None:
    """Write the rankings counted in this process to the database now."""
    _buffer.flush()


def exposure_report(since: date | None = None, until: date | None = None) -> ExposureReport:
    """Exposure against relevance per provider size class and per provider, over a period."""
    flush_exposure()
    snapshots = ExposureSnapshot.objects.all()
    if since is not None:
        snapshots = snapshots.filter(day__gte=since)
    if until is not None:
        snapshots = snapshots.filter(day__lte=until)
    total = ExposureAccumulator()
    for snapshot in snapshots:
        total = total.merge(ExposureAccumulator.from_dict(snapshot.data))
    return total.report()
