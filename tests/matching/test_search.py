"""Search through the product: index kept in step with publication, explained fair rankings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from synergy_hub.accounts.models import OrganisationKind
from synergy_hub.catalog import services as catalog
from synergy_hub.catalog.eligibility import seeker_of
from synergy_hub.catalog.models import OpennessList
from synergy_hub.catalog.vocabulary import ListState
from synergy_hub.matching import documents
from synergy_hub.matching.engine.ranking import PARAMETERS
from synergy_hub.matching.index import store
from synergy_hub.matching.services import match_need, search_resources
from tests import factories
from tests.conftest import World


@pytest.fixture
def catalog_lists(world: World) -> OpennessList:
    """A published list: GPU compute, a Chinese testing service, an English-only dataset."""
    the_list = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    factories.resource(
        the_list,
        title_zh="GPU算力资源池",
        title_en="GPU computing pool",
        description_zh="面向中小企业开放A800 GPU算力，支持模型训练。",
        description_en="A800 GPU capacity for model training.",
    )
    factories.resource(
        the_list,
        resource_type="testing_certification",
        title_zh="出口产品检验检测认证",
        title_en="",
        description_zh="CE认证与安全检测，中小企业优先。",
        description_en="",
        regions=["330000"],
        unit="test_slot",
    )
    factories.resource(
        the_list,
        resource_type="dataset",
        access_mode="open",
        price=None,
        title_zh="",
        title_en="Supply-chain price dataset",
        description_zh="",
        description_en="Monthly price index of suppliers.",
        unit="download",
        eligible_size_classes=["micro"],
    )
    return the_list


def titles(outcome: Any) -> list[str]:
    return [item.resource.title_en or item.resource.title_zh for item in outcome.items]


def test_chinese_and_english_queries_find_their_resources(catalog_lists: OpennessList) -> None:
    assert titles(search_resources("GPU 算力", record_exposure=False))[0] == "GPU computing pool"
    assert titles(search_resources("检测认证", record_exposure=False))[0] == "出口产品检验检测认证"
    assert (
        titles(search_resources("price index", record_exposure=False))[0]
        == "Supply-chain price dataset"
    )


def test_every_result_is_explained(catalog_lists: OpennessList) -> None:
    item = search_resources("GPU", record_exposure=False).items[0]
    why = item.explanation()
    assert [p["name"] for p in why["parameters"]] == list(PARAMETERS)
    assert abs(sum(p["contribution"] for p in why["parameters"]) - why["total"]) < 1e-5
    assert why["fair_exposure"]["position"] == 1 and why["config_version"] == "default-1"


@pytest.mark.parametrize(
    "query",
    [
        "",
        "   ",
        "!!!",
        "😀😀",
        "'; DROP TABLE catalog_resource; --",
        "GPU" * 4000,
        "中文 mixed English 123",
    ],
)
def test_bad_queries_give_sensible_results(catalog_lists: OpennessList, query: str) -> None:
    outcome = search_resources(query, record_exposure=False)
    assert outcome.total >= 0


def test_hard_filters_and_eligibility(world: World, catalog_lists: OpennessList) -> None:
    only_datasets = search_resources(
        "price GPU 检测", catalog_filters={"resource_type": "dataset"}, record_exposure=False
    )
    assert titles(only_datasets) == ["Supply-chain price dataset"]
    in_beijing = search_resources(
        "检测认证", catalog_filters={"region": "110000"}, record_exposure=False
    )
    assert "出口产品检验检测认证" not in titles(in_beijing)  # serves Zhejiang only
    small_sme = seeker_of(world.sme)  # size class "small"
    outcome = search_resources("price dataset", seeker=small_sme, record_exposure=False)
    assert "Supply-chain price dataset" not in titles(outcome)  # micro enterprises only
    assert outcome.excluded >= 1 and "eligible_size_class" in outcome.excluded_reasons


def test_publication_updates_the_index_without_rebuild(
    world: World, catalog_lists: OpennessList, django_capture_on_commit_callbacks: Any
) -> None:
    search_resources("GPU", record_exposure=False)  # builds the index
    generation = store().generation()
    draft = catalog.create_new_version(world.alice, catalog_lists)
    gpu = draft.resources.get(title_en="GPU computing pool")
    catalog.update_resource(
        world.alice,
        gpu,
        {"title_en": "H100 inference cluster", "description_en": "H100 inference for SMEs"},
    )
    dataset = draft.resources.get(title_en="Supply-chain price dataset")
    catalog.remove_resource(world.alice, dataset)
    catalog.submit_list(world.alice, draft)
    catalog.start_review(world.officer, draft)
    with django_capture_on_commit_callbacks(execute=True):
        catalog.publish_list(world.officer, draft)
    assert store().generation() != generation
    assert (
        titles(search_resources("H100 inference", record_exposure=False))[0]
        == "H100 inference cluster"
    )
    assert "Supply-chain price dataset" not in titles(
        search_resources("price index", record_exposure=False)
    )


def test_need_matches_use_the_needs_words_and_types(
    world: World, catalog_lists: OpennessList
) -> None:
    need = factories.need(
        world.sme,
        world.sam,
        title="出口欧洲要做CE认证",
        description="产品出口欧洲，需要CE认证和安全检测",
        resource_types=["testing_certification"],
    )
    outcome = match_need(need)
    assert titles(outcome) == ["出口产品检验检测认证"]


def test_fair_exposure_lifts_a_small_provider(world: World) -> None:
    big = factories.openness_list(
        world.platform_a, world.batch, world.alice, state=ListState.PUBLISHED
    )
    small_org = factories.organisation(
        OrganisationKind.PROVIDER, size_class="micro", employees=8, revenue=Decimal(100)
    )
    small_user = factories.user(small_org)
    small = factories.openness_list(small_org, world.batch, small_user, state=ListState.PUBLISHED)
    for n in range(12):
        factories.resource(
            big, title_en=f"GPU computing pool GPU GPU {n}", description_en="GPU GPU GPU"
        )
    factories.resource(small, title_en="GPU rental", description_en="a few GPUs")
    outcome = search_resources("GPU", limit=20, record_exposure=False)
    small_item = next(i for i in outcome.items if i.resource.title_en == "GPU rental")
    assert small_item.protected
    assert small_item.position < small_item.position_before_fairness


def test_lean_facts_equal_the_full_rows_facts(world: World, catalog_lists: OpennessList) -> None:
    """Search ranks candidates on facts read as plain values; they must equal the model's."""
    draft = factories.openness_list(world.platform_c, world.batch, world.charlie)
    unpublished = factories.resource(draft, title_en="Draft only")
    resources = list(documents.with_fact_relations(catalog_lists.resources.all()))
    lean = documents.facts_for([documents.doc_id(r) for r in [*resources, unpublished]])
    assert set(lean) == {documents.doc_id(r) for r in resources}  # drafts are not searchable
    for resource in resources:
        assert lean[documents.doc_id(resource)] == documents.facts_of(resource)


@pytest.mark.django_db(transaction=True)
def test_first_searches_share_one_build(catalog_lists: OpennessList) -> None:
    """Searches that arrive while the index is missing wait for one build, not one each."""
    import threading

    index = store()
    assert index.generation() is None
    builds: list[str] = []
    real_rebuild = index._rebuild

    def counted(progress: Any) -> str:
        name = real_rebuild(progress)
        builds.append(name)
        return name

    index._rebuild = counted  # type: ignore[method-assign]
    try:
        seen: list[int] = []

        def search() -> None:
            from django.db import connection

            try:
                seen.append(len(index.retriever()))
            finally:
                connection.close()

        threads = [threading.Thread(target=search) for _ in range(3)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        del index._rebuild
    assert len(builds) == 1 and seen == [3, 3, 3]
    assert index.ensure_built() == builds[0]  # an existing index is kept


def test_facts_are_cached_per_index_generation(world: World, catalog_lists: OpennessList) -> None:
    """Facts are read once per generation; a new generation reads them again."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    keys = [documents.doc_id(r) for r in catalog_lists.resources.all()]
    first = documents.facts_for(keys, scope="gen-a")
    with CaptureQueriesContext(connection) as queries:
        again = documents.facts_for(keys, scope="gen-a")
    assert again == first and len(queries) == 0
    world.platform_a.employees, world.platform_a.size_class = 12, "small"
    world.platform_a.save(update_fields=["employees", "size_class"])
    assert {f.provider_size_class for f in documents.facts_for(keys, scope="gen-a").values()} == {
        "large"
    }
    fresh = documents.facts_for(keys, scope="gen-b")
    assert {f.provider_size_class for f in fresh.values()} == {"small"}
    assert documents.facts_for(keys) == fresh  # no scope: always read


def test_cached_facts_share_their_code_sets(world: World, catalog_lists: OpennessList) -> None:
    """Equal sets of codes are one object across facts, so a big cache stays cheap to scan."""
    factories.resource(catalog_lists, title_en="Second pool", regions=["330000"])
    by_key = documents.facts_for(documents.doc_id(r) for r in catalog_lists.resources.all())
    zhejiang = [f.regions for f in by_key.values() if f.regions == frozenset({"330000"})]
    assert len(zhejiang) == 2 and zhejiang[0] is zhejiang[1]
    empty_tiers = {id(f.eligible_tiers) for f in by_key.values()}
    assert len(empty_tiers) == 1


@pytest.mark.django_db(transaction=True)
def test_loading_a_large_index_settles_the_heap(
    catalog_lists: OpennessList, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large index is loaded, then the heap is frozen and full collections made rarer."""
    import gc

    from synergy_hub.matching import index as index_module

    index = store()
    index.ensure_built()
    threshold = gc.get_threshold()
    monkeypatch.setattr(index_module, "SETTLE_HEAP_FROM", 10**9)
    index.retriever()
    assert gc.get_freeze_count() == 0  # a small catalog leaves the collector alone
    monkeypatch.setattr(index_module, "SETTLE_HEAP_FROM", 3)
    index._loaded = None
    try:
        assert len(index.retriever()) == 3
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold()[2] == index_module.FULL_COLLECTION_AFTER
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


def test_result_rows_carry_their_regions_and_industries(
    world: World, catalog_lists: OpennessList
) -> None:
    """A result page's rows answer `regions.all()` without a query, in code order."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    resource = catalog_lists.resources.get(resource_type="testing_certification")
    resource.regions.set(["440000", "330000"])
    resource.industries.set(["C"])
    rows = documents.resources_by_pk([resource.pk])
    with CaptureQueriesContext(connection) as queries:
        regions = [region.code for region in rows[resource.pk].regions.all()]
        industries = [industry.code for industry in rows[resource.pk].industries.all()]
    assert (regions, industries, len(queries)) == (["330000", "440000"], ["C"], 0)
    assert list(rows[resource.pk].regions.all()) == list(resource.regions.order_by("code"))


@pytest.mark.django_db(transaction=True)
def test_exposure_is_written_in_the_background(catalog_lists: OpennessList) -> None:
    """Outside a transaction a due write runs on its own thread; a report waits for it."""
    import threading

    from synergy_hub.matching import services
    from synergy_hub.matching.models import ExposureSnapshot

    buffer = services._buffer
    writers: list[str] = []
    real_write = buffer._write

    def counted() -> None:
        writers.append(threading.current_thread().name)
        real_write()

    buffer._write = counted  # type: ignore[method-assign]
    buffer.FLUSH_EVERY = 25
    try:
        for _ in range(25):
            search_resources("GPU")
        for thread in threading.enumerate():
            if thread.name == "exposure-flush":
                thread.join()
        assert writers == ["exposure-flush"]
        assert ExposureSnapshot.objects.get().rankings == 25
        search_resources("GPU")  # counted, not yet written: the report writes it first
        report = services.exposure_report()
    finally:
        del buffer._write
        del buffer.FLUSH_EVERY
    assert ExposureSnapshot.objects.get().rankings == report.rankings == 26
