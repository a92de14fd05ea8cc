"""The hybrid retriever end to end, with the model-free encoder standing in for a real one."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from synergy_hub.matching.engine.dense import HashingEncoder, get_encoder
from synergy_hub.matching.engine.fusion import FusionConfig
from synergy_hub.matching.engine.lexical import FeedbackConfig
from synergy_hub.matching.engine.retrieval import (
    MAX_QUERY_CHARS,
    HybridRetriever,
    RetrieverConfig,
    clean_query,
)

CATALOG = [
    ("gpu", "GPU computing power rental: A100 hours for model training"),
    ("steel", "Steel strength testing and inspection certification laboratory"),
    ("retail", "Retail sales dataset with daily transactions"),
    ("api", "Logistics tracking API for small manufacturers"),
    ("zh-gpu", "算力租赁：面向中小企业的GPU算力服务"),
    ("zh-lab", "钢材强度检测认证实验室，提供中试服务"),
    ("zh-data", "工业数据集开放：设备运行数据与质量检测数据"),
]


NO_FEEDBACK = FeedbackConfig(docs=0)


class UnregisteredEncoder(HashingEncoder):
    """A real encoder under a name the registry does not know, as after a model is dropped."""

    name = "not-in-this-install"


@pytest.fixture
def retriever() -> HybridRetriever:
    return HybridRetriever.build(CATALOG, encoder=get_encoder("hashing"))


def ids(hits: list) -> list[str]:
    return [hit.doc_id for hit in hits]


def test_build_reports_progress_per_batch() -> None:
    calls: list[tuple[int, int | None]] = []
    HybridRetriever.build(
        CATALOG, progress=lambda done, total: calls.append((done, total)), batch_size=3
    )
    assert calls == [(3, 7), (6, 7), (7, 7)]
    unsized: list[tuple[int, int | None]] = []
    HybridRetriever.build(iter(CATALOG), progress=lambda d, t: unsized.append((d, t)), batch_size=5)
    assert unsized == [(5, None), (7, None)]


@pytest.mark.parametrize("mode", ["hybrid", "lexical", "dense"])
def test_each_mode_finds_the_obvious_document(retriever: HybridRetriever, mode: str) -> None:
    assert ids(retriever.search("steel strength testing", 3, mode=mode))[0] == "steel"  # type: ignore[arg-type]
    assert ids(retriever.search("算力租赁", 3, mode=mode))[0] == "zh-gpu"  # type: ignore[arg-type]


def test_hybrid_hits_carry_both_scores_and_ranks(retriever: HybridRetriever) -> None:
    hits = retriever.search("GPU rental", 5)
    top = hits[0]
    assert top.doc_id in {"gpu", "zh-gpu"}
    assert top.lexical_score is not None and top.lexical_score > 0
    assert top.dense_score is not None
    assert top.lexical_rank is not None and top.dense_rank is not None
    assert all(0.0 <= hit.score <= 1.0 for hit in hits)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)


def test_allowed_ids_restrict_results_without_losing_matches(retriever: HybridRetriever) -> None:
    allowed = ["zh-lab", "retail"]
    hits = retriever.search("检测 testing", 10, allowed_ids=allowed)
    assert set(ids(hits)) <= set(allowed)
    assert "zh-lab" in ids(hits)
    assert retriever.search("检测", 10, allowed_ids=[]) == []


BAD_QUERIES = [
    "",
    "   ",
    "!!! ??? ...",
    "😀🚀🎉",
    "\x00\x01\x02",
    "x" * 10_000,
    "算力 " * 5_000,
    "'; DROP TABLE resources; -- SELECT * FROM users WHERE 1=1",
    'title:"gpu" AND (NOT steel) OR *',
    "混合 mixed 查询 query ＧＰＵ",
    "the of and",
]


@pytest.mark.parametrize("query", BAD_QUERIES)
@pytest.mark.parametrize("mode", ["hybrid", "lexical", "dense"])
def test_bad_queries_never_raise(retriever: HybridRetriever, query: str, mode: str) -> None:
    hits = retriever.search(query, 5, mode=mode)  # type: ignore[arg-type]
    assert len(hits) <= 5


@pytest.mark.parametrize("query", ["", "   ", "!!! ??? ...", "😀🚀🎉", "\x00\x01\x02"])
def test_queries_with_nothing_to_search_for_return_nothing(
    retriever: HybridRetriever, query: str
) -> None:
    assert retriever.search(query, 5) == []


def test_sql_looking_and_mixed_queries_are_just_words(retriever: HybridRetriever) -> None:
    assert "retail" not in ids(retriever.search("'; DROP TABLE users; --", 5, mode="lexical"))
    assert ids(retriever.search("混合 GPU 算力 rental", 2))[0] in {"gpu", "zh-gpu"}


def test_long_queries_are_truncated_and_odd_arguments_tolerated(retriever: HybridRetriever) -> None:
    assert len(clean_query("a" * 10_000)) == MAX_QUERY_CHARS
    assert clean_query(None) == ""
    assert clean_query("tab\tand\x00nul") == "tab and nul"
    assert retriever.search("steel", 0) == []
    assert retriever.search("steel", -3) == []
    assert len(retriever.search("GPU 算力 steel data", 10_000)) <= len(CATALOG)


def test_upsert_and_remove_show_in_the_next_search(retriever: HybridRetriever) -> None:
    retriever.upsert("kiln", "Ceramics kiln rental for pilot-scale firing")
    assert ids(retriever.search("ceramics kiln", 1)) == ["kiln"]
    assert ids(retriever.search("ceramics kiln", 1, mode="dense")) == ["kiln"]
    retriever.upsert("steel", "Steel strength testing for bridges")
    assert ids(retriever.search("bridges", 1)) == ["steel"]
    assert retriever.remove("kiln")
    assert not retriever.remove("kiln")
    assert "kiln" not in ids(retriever.search("ceramics kiln", 10))
    assert "kiln" not in retriever
    retriever.compact()
    assert ids(retriever.search("bridges", 1)) == ["steel"]


def test_save_and_load_round_trip(retriever: HybridRetriever, tmp_path: Path) -> None:
    retriever.upsert("kiln", "Ceramics kiln rental")
    retriever.save(tmp_path)
    loaded = HybridRetriever.load(tmp_path)
    assert loaded.has_dense
    assert loaded.encoder is get_encoder("hashing")
    for query in ("ceramics kiln", "算力", "testing laboratory"):
        assert loaded.search(query, 5) == retriever.search(query, 5)
    assert loaded.config == retriever.config


def test_a_custom_configuration_is_saved_with_the_index(tmp_path: Path) -> None:
    config = RetrieverConfig(k1=0.9, b=0.4, fusion=FusionConfig(method="rrf", rrf_k=10), depth=20)
    built = HybridRetriever.build(CATALOG, encoder=HashingEncoder(), config=config)
    built.save(tmp_path)
    loaded = HybridRetriever.load(tmp_path)
    assert loaded.config == config
    assert (loaded.lexical.k1, loaded.lexical.b) == (0.9, 0.4)


def test_load_refuses_a_different_encoder(retriever: HybridRetriever, tmp_path: Path) -> None:
    retriever.save(tmp_path)
    with pytest.raises(ValueError, match="built with 'hashing'"):
        HybridRetriever.load(tmp_path, encoder=UnregisteredEncoder())


def test_load_without_the_encoder_falls_back_to_lexical_search(tmp_path: Path) -> None:
    HybridRetriever.build(CATALOG, encoder=UnregisteredEncoder()).save(tmp_path)
    # A handler of our own, not pytest's caplog: the suite also runs with `-p no:logging`.
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.WARNING)
    handler.emit = records.append  # type: ignore[method-assign]
    logger = logging.getLogger("synergy_hub.matching.engine.retrieval")
    logger.addHandler(handler)
    try:
        loaded = HybridRetriever.load(tmp_path)
    finally:
        logger.removeHandler(handler)
    assert not loaded.has_dense
    assert any("dense search off" in record.getMessage() for record in records)
    assert ids(loaded.search("steel testing", 1)) == ["steel"]
    assert loaded.search("steel testing", 1, mode="dense") == []


def test_a_lexical_only_retriever_still_answers_hybrid_searches(tmp_path: Path) -> None:
    lexical = HybridRetriever.build(CATALOG)
    assert not lexical.has_dense
    hits = lexical.search("steel testing", 2)
    assert ids(hits)[0] == "steel"
    assert hits[0].score == 1.0
    assert hits[0].dense_score is None
    lexical.save(tmp_path)
    assert ids(HybridRetriever.load(tmp_path).search("steel", 1)) == ["steel"]


def test_constructor_checks_encoder_and_index_agree() -> None:
    built = HybridRetriever.build(CATALOG, encoder=HashingEncoder(dimension=32))
    with pytest.raises(ValueError, match="needs its encoder"):
        HybridRetriever(built.lexical, built.dense)
    with pytest.raises(ValueError, match="32-d"):
        HybridRetriever(built.lexical, built.dense, HashingEncoder(dimension=64))


# -- pseudo-relevance feedback ---------------------------------------------------------------------

FEEDBACK_CATALOG = [
    ("steel", "Steel strength testing laboratory with tensile certification"),
    ("steel-2", "Steel fatigue testing and tensile certification for bridges"),
    ("cnas", "Tensile certification laboratory accredited by CNAS"),
    ("bakery", "Bakery ovens rental"),
]
FEEDBACK = FeedbackConfig(docs=2, terms=5, original_weight=0.5)


def test_feedback_finds_documents_in_the_words_of_the_best_matches() -> None:
    plain = HybridRetriever.build(FEEDBACK_CATALOG, config=RetrieverConfig(feedback=NO_FEEDBACK))
    expanded = HybridRetriever.build(FEEDBACK_CATALOG, config=RetrieverConfig(feedback=FEEDBACK))
    assert "cnas" not in ids(plain.search("steel testing", 4, mode="lexical"))
    hits = expanded.search("steel testing", 4, mode="lexical")
    assert ids(hits)[:2] == ["steel", "steel-2"] or ids(hits)[:2] == ["steel-2", "steel"]
    assert "cnas" in ids(hits)
    assert "bakery" not in ids(hits)
    # The reported BM25 score is the query's own: the CNAS laboratory shares no word with it.
    cnas = next(hit for hit in hits if hit.doc_id == "cnas")
    assert cnas.lexical_score == 0.0
    assert cnas.lexical_rank is not None and cnas.score > 0
    assert all(hit.lexical_score for hit in hits if hit.doc_id != "cnas")


def test_feedback_keeps_filtered_search_exact() -> None:
    retriever = HybridRetriever.build(
        FEEDBACK_CATALOG, encoder=HashingEncoder(), config=RetrieverConfig(feedback=FEEDBACK)
    )
    everything = retriever.search("steel testing", 10)
    allowed = {"cnas", "bakery", "steel-2"}
    filtered = retriever.search("steel testing", 10, allowed_ids=allowed)
    assert ids(filtered) == [d for d in ids(everything) if d in allowed]
    lexical = retriever.search("steel testing", 10, allowed_ids=allowed, mode="lexical")
    assert ids(lexical) == ["steel-2", "cnas"]


def test_hybrid_hits_report_the_query_own_bm25_score(retriever: HybridRetriever) -> None:
    plain = HybridRetriever(
        retriever.lexical,
        retriever.dense,
        retriever.encoder,
        config=RetrieverConfig(feedback=NO_FEEDBACK),
    )
    for hit in retriever.search("steel testing", 7):
        own = plain.lexical.scores_for(["steel", "test"], [hit.doc_id])[hit.doc_id]
        assert hit.lexical_score == pytest.approx(own)


def test_default_configuration_and_saved_configurations_round_trip() -> None:
    shipped = RetrieverConfig()  # decision 0010
    assert shipped.feedback == FeedbackConfig(docs=5, terms=10, original_weight=0.3)
    assert shipped.title_weight == 0.3 and shipped.language_gate
    assert shipped.fusion == FusionConfig(alpha=0.7, normalization="minmax")
    assert (shipped.k1, shipped.b, shipped.english_weight) == (0.9, 0.9, 1.0)
    config = RetrieverConfig(feedback=FEEDBACK)
    assert RetrieverConfig.from_json(config.to_json()) == config
    # A configuration saved before feedback and title weights existed keeps ranking as it
    # did, and documents added to its index are encoded as its others were.
    old = {"k1": 2.5, "b": 0.9, "fusion": {"method": "weighted", "alpha": 0.4}, "depth": 100}
    loaded = RetrieverConfig.from_json(old)
    assert not loaded.feedback.enabled and loaded.title_weight == 0.0
