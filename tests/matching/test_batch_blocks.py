"""Block-wise batch matching: the interactive ranking, a crash and its restart, digests,
outreach preferences and who may see the pages."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.urls import reverse

import synergy_hub
from synergy_hub.catalog.models import Need
from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.matching import services
from synergy_hub.matching.batch import _worker_env, run_batch
from synergy_hub.matching.index import store
from synergy_hub.matching.models import (
    MatchChunk,
    MatchingPreference,
    MatchRun,
    NeedMatch,
    OutreachMatch,
)
from tests import factories
from tests.conftest import World
from tests.pages import client_for

pytestmark = pytest.mark.django_db(transaction=True)

OFFERS = [
    ("GPU computing pool", "A100 GPU hours for model training", "compute"),
    ("CE certification testing", "CE marking and safety tests for export", "testing_certification"),
    ("云端算力租用", "GPU服务器按小时租用，适合模型训练", "compute"),
    ("产品检验检测服务", "CNAS资质的产品安全检测与认证", "testing_certification"),
    ("Industrial data set", "Labelled defect images from factory lines", "data"),
    ("工业数据集", "工厂质检缺陷图像标注数据", "data"),
    ("Supply chain finance", "Working capital loans for suppliers", "supply_chain"),
    ("Robot vision kit", "Camera and model for robot vision on the line", "ai_model"),
]
WANTS = [
    ("GPU hours", "we need GPU hours to train a quality model", []),
    ("出口认证", "产品出口欧洲需要CE认证检测", ["testing_certification"]),
    ("训练数据", "需要工厂缺陷图像数据训练模型", []),
    ("Vision on the line", "a camera model to inspect parts by robot vision", []),
    ("Loans for suppliers", "working capital for our supply chain", ["supply_chain"]),
    ("算力", "GPU服务器租用", ["compute"]),
]


@pytest.fixture
def workers_can_open_the_database(settings: Any) -> None:
    """Workers are other processes: they need a database file, not the in-memory one."""
    name = str(settings.DATABASES["default"]["NAME"])
    if name == ":memory:" or "mode=memory" in name:
        pytest.skip("Dask workers cannot open an in-memory SQLite test database")


def _catalog(world: World, copies: int = 3) -> None:
    the_list = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    for copy in range(copies):
        for title, description, kind in OFFERS:
            factories.resource(
                the_list,
                resource_type=kind,
                title_en=f"{title} {copy}",
                title_zh=f"{title} {copy}" if not title.isascii() else "",
                description_en=description,
                description_zh=description if not description.isascii() else "",
            )


def _needs(world: World, count: int) -> list[Need]:
    rows = []
    for n in range(count):
        title, description, kinds = WANTS[n % len(WANTS)]
        owner, author = (world.sme, world.sam) if n % 2 else (world.other_sme, world.sid)
        rows.append(
            Need(
                organisation=owner,
                created_by=author,
                title=f"{title} {n}",
                description=description,
                resource_types=kinds,
            )
        )
    return Need.objects.bulk_create(rows)


def _values(explanation: dict[str, Any]) -> list[tuple[Any, ...]]:
    """The parameters but freshness (which moves with the clock between the two rankings)."""
    return [
        (p["name"], p["value"], p["weight"], p["contribution"])
        for p in explanation["parameters"]
        if p["name"] != "freshness"
    ]


def test_batch_top_k_is_the_interactive_top_k(
    world: World, workers_can_open_the_database: None
) -> None:
    _catalog(world)
    needs = _needs(world, 24)
    result = run_batch("needs", k=5, chunk_size=7, workers=1)
    assert result.run.status == "completed" and result.run.done_chunks == 4
    compared = 0
    for need in Need.objects.filter(pk__in=[n.pk for n in needs]).select_related("organisation"):
        interactive = services.match_need(need, limit=5)
        stored = list(NeedMatch.objects.filter(run=result.run, need=need).order_by("rank"))
        assert [m.resource_id for m in stored] == [i.resource.pk for i in interactive.items]
        for match, item in zip(stored, interactive.items, strict=True):
            assert match.score == pytest.approx(item.result.total, abs=1e-4)
            # (labels are in the language of the process that wrote them)
            assert _values(match.explanation) == _values(item.explanation())
            assert match.explanation["fair_exposure"] == item.explanation()["fair_exposure"]
        compared += len(stored)
    assert compared > 24  # most needs have several matches


def test_a_killed_run_restarts_and_matches_every_need_exactly_once(
    world: World, workers_can_open_the_database: None, tmp_path: Path
) -> None:
    """A real `synergy match` process group killed with SIGKILL midway, then resumed."""
    _catalog(world, copies=2)
    needs = _needs(world, 300)
    store().retriever()  # the index, built once here
    env = {**os.environ, **_worker_env(), "PYTHONPATH": str(Path(synergy_hub.__file__).parents[1])}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = [sys.executable, "-c", "from synergy_hub.cli import main; main()", "match"]
    log = (tmp_path / "first.log").open("w")
    first = subprocess.Popen(
        [*command, "--all", "--k", "3", "--chunk-size", "2", "--workers", "1"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 180
    done_before = 0
    while time.monotonic() < deadline and first.poll() is None:
        done_before = MatchChunk.objects.count()
        if done_before >= 5:
            break
        time.sleep(0.02)
    assert first.poll() is None, (tmp_path / "first.log").read_text()
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(timeout=30)
    run = MatchRun.objects.get()
    finished = dict(MatchChunk.objects.filter(run=run).values_list("number", "finished_at"))
    assert 5 <= len(finished) < run.total_chunks == 150
    assert run.status == "running"  # nobody was left to say otherwise

    second = subprocess.run(
        [*command, "--resume", str(run.pk), "--workers", "1"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert second.returncode == 0, second.stdout + second.stderr
    run.refresh_from_db()
    assert run.status == "completed" and run.done_chunks == 150
    # The chunks finished before the crash were not done again.
    for number, finished_at in finished.items():
        assert MatchChunk.objects.get(run=run, number=number).finished_at == finished_at
    assert MatchChunk.objects.filter(run=run).count() == 150
    # Every need matched exactly once: ranks 1..n, each once, for every need.
    per_need: dict[int, list[int]] = {}
    for need_id, rank in NeedMatch.objects.filter(run=run).values_list("need_id", "rank"):
        per_need.setdefault(need_id, []).append(rank)
    assert set(per_need) == {need.pk for need in needs}
    assert all(sorted(ranks) == list(range(1, len(ranks) + 1)) for ranks in per_need.values())
    assert all(1 <= len(ranks) <= 3 for ranks in per_need.values())


def test_one_digest_per_sme_member_and_outreach_respects_the_choice(
    world: World, workers_can_open_the_database: None
) -> None:
    _catalog(world, copies=1)
    _needs(world, 12)
    MatchingPreference.objects.create(organisation=world.other_sme, digest=False, outreach=False)
    mail.outbox.clear()
    run = run_batch("needs", k=3, chunk_size=5, workers=1).run
    assert run.outreach_done_at is not None and run.digests_sent_at is not None
    assert [message.to for message in mail.outbox] == [[world.sam.email]]
    count = NeedMatch.objects.filter(run=run, need__organisation=world.sme).count()
    assert f"{count} new matches for 6 of your needs" in mail.outbox[0].body
    outreach = OutreachMatch.objects.filter(run=run)
    assert outreach.exists()
    assert not outreach.filter(organisation=world.other_sme).exists()
    assert set(outreach.values_list("organisation", flat=True)) == {world.sme.pk}
    # The next run finds the same matches: nothing new, so no digest at all.
    mail.outbox.clear()
    run_batch("needs", k=3, chunk_size=5, workers=1)
    assert mail.outbox == []


def test_sme_sees_only_its_own_matches(world: World, workers_can_open_the_database: None) -> None:
    _catalog(world, copies=1)
    needs = _needs(world, 4)
    run_batch("needs", k=2, chunk_size=10, workers=1)
    own = [n for n in needs if n.organisation_id == world.sme.pk]
    other = [n for n in needs if n.organisation_id == world.other_sme.pk]
    page = client_for(world.sam, "en").get(reverse("matching:for_you"))
    assert page.status_code == 200
    text = page.content.decode()
    assert all(need.title in text for need in own)
    assert not any(need.title in text for need in other)


def test_matches_for_you_refuses_other_kinds(world: World) -> None:
    for user in (world.alice, world.officer):
        assert client_for(user).get(reverse("matching:for_you")).status_code == 403
    assert client_for().get(reverse("matching:for_you")).status_code == 302


def test_preferences_are_the_smes_own_and_audited(world: World) -> None:
    from synergy_hub.audit.models import AuditEvent

    url = reverse("matching:preferences")
    assert client_for(world.alice).post(url, {"digest": "on"}).status_code == 403
    assert not MatchingPreference.objects.exists()
    response = client_for(world.sam).post(url, {"digest": "on"})
    assert response.status_code == 302
    row = MatchingPreference.objects.get()
    assert (row.organisation, row.digest, row.outreach) == (world.sme, True, False)
    assert AuditEvent.objects.filter(action="matching.preference.changed").count() == 1
    assert client_for(world.sam).get(url).status_code == 405


def test_run_progress_page_is_for_officers_only(world: World) -> None:
    MatchRun.objects.create(kind="needs", total_items=10, total_chunks=4, done_chunks=1)
    url = reverse("matching:runs")
    page = client_for(world.officer, "en").get(url)
    assert page.status_code == 200 and "1 of 4 blocks" in page.content.decode()
    partial = client_for(world.officer, "en").get(url, headers={"HX-Request": "true"})
    assert "<h1>" not in partial.content.decode()
    for user in (world.sam, world.alice):
        assert client_for(user).get(url).status_code == 403
    assert client_for().get(url).status_code == 302


def test_a_resume_after_needs_changed_skips_only_finished_needs(
    world: World, workers_can_open_the_database: None
) -> None:
    """Blocks are skipped by the ids they covered, not by their number."""
    _catalog(world, copies=1)
    needs = _needs(world, 6)
    run = run_batch("needs", k=2, chunk_size=2, workers=1).run
    # A crash before block 1 was stored; meanwhile a need of block 0 closed, a new one opened.
    lost = MatchChunk.objects.get(run=run, number=1)
    lost_needs = [n.pk for n in needs[2:4]]
    NeedMatch.objects.filter(run=run, need_id__in=lost_needs).delete()
    lost.delete()
    Need.objects.filter(pk=needs[0].pk).update(status="closed")
    (added,) = _needs(world, 1)
    MatchRun.objects.filter(pk=run.pk).update(status="failed")
    run.refresh_from_db()
    again = run_batch("needs", resume=run, workers=1)
    assert again.items == 3  # the two lost needs and the new one, nothing else
    matched = set(NeedMatch.objects.filter(run=run).values_list("need_id", flat=True))
    assert set(lost_needs) | {added.pk} <= matched
    assert again.run.done_chunks == again.run.total_chunks == 4
