"""Batch matching on Dask: top-k resources for every open need, top-k SMEs for every resource.

The work is cut into chunks. Each chunk runs on a Dask worker, which sets Django up from
the same settings (same database, same index folder) and returns plain rows; the calling
process stores each chunk's rows and a `MatchChunk` marker in one transaction as soon as it
arrives, so an interrupted run resumes where it stopped (`resume=`). By default the work
runs on a `LocalCluster` of worker processes; pass a scheduler address (`tcp://host:8786`)
to use a real cluster whose workers can reach the database and the index folder.
"""

from __future__ import annotations

import bisect
import logging
import os
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Count, Exists, F, Max, OuterRef, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from synergy_hub.accounts.models import (
    Membership,
    Organisation,
    OrganisationKind,
    OrganisationStatus,
)
from synergy_hub.catalog.models import Need, Resource
from synergy_hub.catalog.vocabulary import NeedStatus
from synergy_hub.matching.batch_tasks import match_needs_chunk, match_outreach_chunk
from synergy_hub.matching.models import (
    MatchChunk,
    MatchRun,
    MatchRunKind,
    MatchRunStatus,
    NeedMatch,
    OutreachMatch,
)

logger = logging.getLogger(__name__)

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class BatchResult:
    """What a finished (or resumed) run did."""

    run: MatchRun
    items: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.items / self.seconds if self.seconds else 0.0


# --- caller side ----------------------------------------------------------------------------


def sme_profile_text(organisation: Organisation, needs: Sequence[str]) -> str:
    """What an SME is matched on: its names, industry and the words of its open needs."""
    return "\n".join(
        [
            organisation.name_zh,
            organisation.name_en,
            organisation.industry.name_zh,
            organisation.industry.name_en,
            *needs,
        ]
    )


def _build_sme_index(folder: Path) -> int:
    from synergy_hub.matching.engine.retrieval import HybridRetriever
    from synergy_hub.matching.index import store

    needs: dict[int, list[str]] = {}
    for organisation_id, title, description in Need.objects.filter(
        status=NeedStatus.OPEN
    ).values_list("organisation_id", "title", "description"):
        needs.setdefault(organisation_id, []).append(f"{title} {description}")
    smes = Organisation.objects.filter(
        kind=OrganisationKind.SME, status=OrganisationStatus.APPROVED
    ).select_related("industry")
    docs = [(str(o.pk), sme_profile_text(o, needs.get(o.pk, []))) for o in smes]
    HybridRetriever.build(docs, encoder=store().encoder()).save(folder)
    return len(docs)


def _chunks(ids: list[int], size: int, first: int = 0) -> Iterator[tuple[int, list[int]]]:
    for number, start in enumerate(range(0, len(ids), size), start=first):
        yield number, ids[start : start + size]


def _pending(run: MatchRun, ids: list[int]) -> tuple[set[int], list[tuple[int, list[int]]]]:
    """The numbers of the run's finished blocks, and the blocks still to do.

    Items inside a finished block's range of ids are skipped; the others (all of them for
    a new run; on a resume, those not finished, and needs opened since) are cut into new
    blocks numbered after the finished ones.
    """
    finished = list(run.chunks.values_list("number", "first_item", "last_item"))
    done = {number for number, _, _ in finished}
    ranges = sorted(
        (first, last) for _, first, last in finished if first is not None and last is not None
    )
    if len(ranges) < len(finished):  # blocks recorded without their range: by number
        return done, [(n, chunk) for n, chunk in _chunks(ids, run.chunk_size) if n not in done]
    starts = [first for first, _ in ranges]

    def covered(item: int) -> bool:
        at = bisect.bisect_right(starts, item) - 1
        return at >= 0 and item <= ranges[at][1]

    todo = [item for item in ids if not covered(item)]
    first = max(done) + 1 if done else 0
    pending = list(_chunks(todo, run.chunk_size, first))
    total = len(done) + len(pending)
    if total != run.total_chunks:
        MatchRun.objects.filter(pk=run.pk).update(total_chunks=total)
        run.total_chunks = total
    return done, pending


def _client(scheduler: str | None, workers: int) -> Any:
    from distributed import Client, LocalCluster

    if scheduler:
        return Client(scheduler), None
    cluster = LocalCluster(
        n_workers=workers,
        threads_per_worker=1,
        processes=True,
        dashboard_address=":0",
        silence_logs=logging.ERROR,
    )
    return Client(cluster), cluster


def _worker_env() -> dict[str, str]:
    """What a worker needs to open the same database and index as the caller."""
    env = {
        "DJANGO_SETTINGS_MODULE": os.environ.get(
            "DJANGO_SETTINGS_MODULE", "synergy_hub.config.settings"
        ),
        "SYNERGY_INDEX_DIR": str(settings.SYNERGY_INDEX_DIR),
        "SYNERGY_ENCODER": settings.SYNERGY_ENCODER,
    }
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        env["DATABASE_URL"] = f"sqlite:///{database['NAME']}"
    elif database["ENGINE"].endswith("postgresql"):
        env["DATABASE_URL"] = _postgres_url(database)
    elif os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    return env


def _postgres_url(database: Mapping[str, Any]) -> str:
    """The URL of the database this process uses (under tests: the test database)."""
    user = quote(str(database.get("USER") or ""), safe="")
    password = quote(str(database.get("PASSWORD") or ""), safe="")
    credentials = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = database.get("HOST") or ""
    port = f":{database['PORT']}" if database.get("PORT") else ""
    return f"postgres://{credentials}{host}{port}/{quote(str(database['NAME']), safe='')}"


def run_batch(
    kind: str,
    *,
    k: int = 10,
    chunk_size: int = 1000,
    scheduler: str | None = None,
    workers: int = 2,
    resume: MatchRun | None = None,
    progress: Progress | None = None,
) -> BatchResult:
    """Match every open need (kind "needs") or every resource (kind "outreach") in chunks."""
    from synergy_hub.matching.index import store

    index = store()
    index.retriever()  # build the index first if there is none, once, here
    if kind == MatchRunKind.NEEDS:
        ids = list(
            Need.objects.filter(
                status=NeedStatus.OPEN, organisation__status=OrganisationStatus.APPROVED
            )
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    else:
        ids = list(
            Resource.objects.filter(openness_list__state="published")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    if resume is not None:
        MatchRun.objects.filter(pk=resume.pk).update(status=MatchRunStatus.RUNNING, error="")
    run = resume or MatchRun.objects.create(
        kind=kind,
        k=k,
        chunk_size=chunk_size,
        total_items=len(ids),
        total_chunks=-(-len(ids) // chunk_size) if ids else 0,
        scheduler=scheduler or f"local:{workers}",
        index_generation=index.generation() or "",
    )
    done, pending = _pending(run, ids)
    env = _worker_env()
    sme_folder = ""
    if kind == MatchRunKind.OUTREACH:
        sme_folder = str(Path(settings.SYNERGY_INDEX_DIR) / f"smes-run-{run.pk}")
        if not Path(sme_folder, "retriever.json").exists():
            _build_sme_index(Path(sme_folder))
    started = time.perf_counter()
    items = 0
    client, cluster = _client(scheduler, workers)
    try:
        futures = {}
        for number, chunk in pending:
            if kind == MatchRunKind.NEEDS:
                future = client.submit(match_needs_chunk, chunk, run.k, env, pure=False)
            else:
                future = client.submit(
                    match_outreach_chunk, chunk, run.k, sme_folder, env, pure=False
                )
            futures[future] = (number, chunk)
        from distributed import as_completed

        for future in as_completed(futures):
            number, chunk = futures[future]
            _store_chunk(run, number, chunk, future.result())
            items += len(chunk)
            if progress is not None:
                progress(len(done) + 1, run.total_chunks)
                done.add(number)
    except BaseException as exc:
        MatchRun.objects.filter(pk=run.pk).update(
            status=MatchRunStatus.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        raise
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    if kind == MatchRunKind.NEEDS:
        run.refresh_from_db()
        if run.outreach_done_at is None:
            store_outreach(run)
        if run.digests_sent_at is None:
            send_digests(run)
    seconds = time.perf_counter() - started
    MatchRun.objects.filter(pk=run.pk).update(
        status=MatchRunStatus.COMPLETED,
        finished_at=timezone.now(),
        seconds=seconds,
        done_chunks=run.chunks.count(),
        error="",
    )
    run.refresh_from_db()
    return BatchResult(run, items, seconds)


def _store_chunk(run: MatchRun, number: int, ids: list[int], rows: list[dict[str, Any]]) -> None:
    """Store one chunk's results and mark it done, atomically (so a resume skips it).

    Rows the chunk may have left behind in an earlier, interrupted attempt are replaced.
    """
    with transaction.atomic():
        if run.kind == MatchRunKind.NEEDS:
            NeedMatch.objects.filter(run=run, need_id__in=ids).delete()
            NeedMatch.objects.bulk_create([NeedMatch(run=run, **row) for row in rows])
        else:
            OutreachMatch.objects.filter(run=run, resource_id__in=ids).delete()
            OutreachMatch.objects.bulk_create([OutreachMatch(run=run, **row) for row in rows])
        MatchChunk.objects.create(
            run=run,
            number=number,
            items=len(ids),
            first_item=min(ids) if ids else None,
            last_item=max(ids) if ids else None,
        )
        MatchRun.objects.filter(pk=run.pk).update(done_chunks=run.chunks.count())


# --- after a needs run: outreach from the same scores, one digest per SME ------------------


def store_outreach(run: MatchRun) -> int:
    """The reverse direction: for each resource, the k SMEs it serves best, from the run's scores.

    An SME's score for a resource is its best need's score for it (the disclosed total of
    the need's ranking); SMEs that turned outreach off are left out. Written in bulk, with
    the run's mark, in one transaction: a restarted run does it once.
    """
    best = (
        NeedMatch.objects.filter(run=run)
        .exclude(need__organisation__matching_preference__outreach=False)
        .values("resource_id", "need__organisation_id")
        .annotate(best=Max("score"))
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("resource_id")],
                order_by=[F("best").desc(), F("need__organisation_id").asc()],
            )
        )
        .filter(place__lte=run.k)
        .order_by()
    )
    rows = [
        OutreachMatch(
            run=run,
            resource_id=row["resource_id"],
            organisation_id=row["need__organisation_id"],
            rank=row["place"],
            score=row["best"],
            explanation={"total": round(row["best"], 6), "basis": "best_need_match"},
        )
        for row in best.iterator(chunk_size=10_000)
    ]
    with transaction.atomic():
        OutreachMatch.objects.filter(run=run).delete()
        OutreachMatch.objects.bulk_create(rows, batch_size=5_000)
        MatchRun.objects.filter(pk=run.pk).update(outreach_done_at=timezone.now())
    return len(rows)


def previous_needs_run(run: MatchRun) -> MatchRun | None:
    """The last completed needs run before `run` (what "new" matches are new against)."""
    return (
        MatchRun.objects.filter(
            kind=MatchRunKind.NEEDS, status=MatchRunStatus.COMPLETED, pk__lt=run.pk
        )
        .order_by("-pk")
        .first()
    )


def send_digests(run: MatchRun) -> int:
    """Tell each SME once about its new matches: one e-mail to each active member, per run.

    New: a (need, resource) pair the previous completed run did not list. SMEs that
    turned the digest off get nothing; the page "Matches for you" lists every match
    anyway. The run's mark commits first and the e-mails go out after the commit, so a
    restarted run never mails twice (a mail server failure loses that night's digest,
    never a match). Returns the organisations told.
    """
    matches = NeedMatch.objects.filter(run=run)
    previous = previous_needs_run(run)
    if previous is not None:
        matches = matches.exclude(
            Exists(
                NeedMatch.objects.filter(
                    run=previous, need=OuterRef("need"), resource=OuterRef("resource")
                )
            )
        )
    counts = {
        row["need__organisation_id"]: (row["matches"], row["needs"])
        for row in matches.exclude(need__organisation__matching_preference__digest=False)
        .values("need__organisation_id")
        .annotate(matches=Count("pk"), needs=Count("need", distinct=True))
        .order_by()
    }
    recipients: list[tuple[str, int, int]] = []
    members = (
        Membership.objects.filter(
            organisation_id__in=list(counts), user__is_active=True, user__email__gt=""
        )
        .order_by("organisation_id", "user_id")
        .values_list("organisation_id", "user__email")
    )
    seen: set[str] = set()
    for organisation_id, email in members.iterator(chunk_size=5_000):
        if email not in seen:
            seen.add(email)
            recipients.append((email, *counts[organisation_id]))
    with transaction.atomic():
        MatchRun.objects.filter(pk=run.pk).update(digests_sent_at=timezone.now())
        transaction.on_commit(lambda: _mail_digests(recipients))
    return len(counts)


def _digest_text(matches: int, needs: int) -> str:
    return _("%(matches)d new matches for %(needs)d of your needs.") % {
        "matches": matches,
        "needs": needs,
    }


def _mail_digests(recipients: Sequence[tuple[str, int, int]]) -> None:
    """Send the digests over one mail connection, in both languages (as other notices are)."""
    link = settings.SITE_URL.rstrip("/") + reverse("matching:for_you")
    messages = []
    for email, matches, needs in recipients:
        texts = []
        for language in ("zh-hans", "en"):
            with translation.override(language):
                texts.append(_digest_text(matches, needs))
        body = f"{texts[0]}\n{link}\n\n{texts[1]}\n{link}\n"
        messages.append(EmailMessage(f"[Synergy Hub] {texts[1]}"[:200], body, None, [email]))
    if not messages:
        return
    try:
        get_connection().send_messages(messages)
    except Exception:  # a mail server failure must not fail a finished run
        logger.exception("could not send %d match digests", len(messages))
