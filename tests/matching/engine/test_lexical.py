"""The BM25 index: search, filters, incremental updates, persistence and memory mapping."""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest

from synergy_hub.matching.engine import storage
from synergy_hub.matching.engine.lexical import FeedbackConfig, LexicalIndex, query_weights
from synergy_hub.matching.engine.text import analyze

CATALOG = {
    "gpu": "GPU computing power rental: A100 hours for model training",
    "steel": "Steel strength testing and inspection certification laboratory",
    "retail": "Retail sales dataset with daily transactions from 2020 to 2025",
    "api": "Logistics tracking API for small manufacturers",
    "zh-gpu": "算力租赁：面向中小企业的GPU算力服务",
    "zh-lab": "钢材强度检测认证实验室，提供中试服务",
}


def build(docs: dict[str, str] = CATALOG) -> LexicalIndex:
    return LexicalIndex.build((doc_id, analyze(body)) for doc_id, body in docs.items())


def ids(hits: list[tuple[str, float]]) -> list[str]:
    return [doc_id for doc_id, _ in hits]


def test_search_ranks_matching_documents_in_both_languages() -> None:
    index = build()
    assert ids(index.search(analyze("steel testing lab"), 3))[0] == "steel"
    assert ids(index.search(analyze("GPU 算力"), 2)) == ["zh-gpu", "gpu"]
    assert ids(index.search(analyze("检测认证"), 1)) == ["zh-lab"]


def test_a_tie_at_the_cut_is_decided_by_the_document_id() -> None:
    """Equal scores at the k-th place: the lower ids are kept, whatever the partition does."""
    twins = {f"twin{n:02d}": "gpu cloud rental" for n in range(40)}
    index = build({**twins, "best": "gpu cloud rental gpu cloud", "other": "steel"})
    for k in (1, 2, 5, 17, 39):
        found = index.search(analyze("gpu cloud"), k)
        assert ids(found) == ["best", *sorted(twins)[: k - 1]]
    # Filtered, the same rule among the allowed documents.
    allowed = {"twin30", "twin07", "twin19", "twin02"}
    assert ids(index.search(analyze("gpu cloud"), 2, allowed)) == ["twin02", "twin07"]


def test_search_returns_only_matching_documents_and_nothing_for_no_terms() -> None:
    index = build()
    assert index.search(analyze("quantum teleportation"), 10) == []
    assert index.search([], 10) == []
    assert index.search(analyze("steel"), 0) == []
    hits = index.search(analyze("testing"), 10)
    assert all(score > 0 for _, score in hits)


def test_allowed_ids_filter_keeps_every_allowed_match() -> None:
    rng = random.Random(3)
    docs = {f"d{i}": "alpha " * rng.randint(1, 5) + "beta " * rng.randint(0, 5) for i in range(500)}
    index = build(docs)
    allowed = set(rng.sample(sorted(docs), 10))
    hits = index.search(analyze("alpha beta"), 10, allowed_ids=allowed)
    assert set(ids(hits)) == allowed
    everything = dict(index.search(analyze("alpha beta"), 500))
    expected = sorted(allowed, key=lambda d: (-everything[d], d))
    assert ids(hits) == expected


def test_upsert_and_remove_are_visible_without_a_rebuild() -> None:
    index = build()
    index.upsert("cloud", analyze("Cloud GPU cluster for SMEs"))
    assert "cloud" in ids(index.search(analyze("gpu cluster"), 3))
    index.upsert("steel", analyze("Ceramics kiln rental"))
    assert "steel" not in ids(index.search(analyze("steel testing"), 10))
    assert ids(index.search(analyze("kiln"), 10)) == ["steel"]
    assert index.remove("gpu")
    assert not index.remove("gpu")
    assert "gpu" not in ids(index.search(analyze("gpu"), 10))
    assert index.remove("cloud")
    assert index.search(analyze("cluster"), 10) == []
    assert len(index) == len(CATALOG) - 1 + 0
    assert "gpu" not in index
    assert "steel" in index


def test_delta_documents_score_like_segment_documents() -> None:
    index = build()
    index.upsert("copy", analyze(CATALOG["steel"]))
    scores = dict(index.search(analyze("steel strength testing"), 10))
    assert scores["copy"] == pytest.approx(scores["steel"], rel=1e-5)


def test_an_index_built_empty_grows_by_upserts() -> None:
    index = LexicalIndex.build([])
    assert index.search(analyze("gpu"), 5) == []
    index.upsert("a", analyze("gpu rental"))
    index.upsert("b", analyze("steel testing"))
    assert ids(index.search(analyze("gpu"), 5)) == ["a"]
    assert len(index) == 2


def test_scores_for_fills_in_any_indexed_document() -> None:
    index = build()
    index.upsert("new", analyze("steel"))
    scores = index.scores_for(analyze("steel"), ["steel", "gpu", "new", "unknown"])
    assert scores["steel"] > 0
    assert scores["gpu"] == 0.0
    assert scores["new"] > 0
    assert "unknown" not in scores


def test_save_and_load_memory_mapped_round_trip(tmp_path: Path) -> None:
    index = build()
    index.save(tmp_path)
    loaded = LexicalIndex.load(tmp_path, mmap=True)
    query = analyze("gpu testing 算力")
    assert loaded.search(query, 5) == index.search(query, 5)
    bm25 = loaded._segment.bm25
    assert bm25 is not None
    assert storage.is_memory_mapped(bm25.scores["data"])
    assert storage.is_memory_mapped(loaded._segment.term_ids)
    # Handed out as plain arrays: slicing them costs no np.memmap overhead.
    assert type(loaded._segment.term_ids) is np.ndarray
    assert (loaded.k1, loaded.b) == (index.k1, index.b)


def test_pending_updates_survive_save_and_load(tmp_path: Path) -> None:
    index = build()
    index.save(tmp_path)
    segment_files = {p.name for p in tmp_path.iterdir() if p.name.startswith("segment-")}
    index.upsert("cloud", analyze("cloud cluster"))
    index.remove("retail")
    index.save(tmp_path)
    # The segment is reused, not rewritten: readers may have it mapped.
    assert {p.name for p in tmp_path.iterdir() if p.name.startswith("segment-")} == segment_files
    loaded = LexicalIndex.load(tmp_path)
    assert ids(loaded.search(analyze("cluster"), 5)) == ["cloud"]
    assert loaded.search(analyze("retail"), 5) == []
    assert len(loaded) == len(index)


def test_compaction_folds_updates_into_a_new_segment(tmp_path: Path) -> None:
    index = build()
    index.save(tmp_path)
    reader = LexicalIndex.load(tmp_path)
    index.upsert("cloud", analyze("cloud cluster"))
    index.remove("retail")
    index.compact()
    index.save(tmp_path)
    assert len([p for p in tmp_path.iterdir() if p.name.startswith("segment-")]) == 1
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("delta-")]
    fresh = LexicalIndex.load(tmp_path)
    assert ids(fresh.search(analyze("cluster"), 5)) == ["cloud"]
    assert fresh.search(analyze("retail"), 5) == []
    # A process that mapped the old segment keeps working after it was replaced.
    assert ids(reader.search(analyze("retail"), 5)) == ["retail"]


def test_needs_compaction_once_updates_outgrow_a_tenth_of_the_segment() -> None:
    index = build({f"d{i}": f"word{i}" for i in range(100)})
    for i in range(256):
        index.upsert(f"n{i}", ["new"])
    assert not index.needs_compaction
    index.upsert("one-more", ["new"])
    assert index.needs_compaction


# -- weighted queries and pseudo-relevance feedback -----------------------------------------------


def test_a_term_list_and_its_counts_as_weights_score_alike() -> None:
    index = build()
    terms = analyze("steel steel testing GPU")
    weights = {"steel": 2.0, "test": 1.0, "gpu": 1.0}
    assert index.search(terms, 5) == index.search(weights, 5)
    assert query_weights(terms) == weights
    assert query_weights({"a": 1.0, "b": 0.0}) == {"a": 1.0}


def test_segment_scores_match_bm25s_own_scoring() -> None:
    index = build()
    terms = analyze("GPU testing 算力 steel steel")
    bm25 = index._segment.bm25
    assert bm25 is not None
    ids_ = [index._segment.vocab[t] for t in terms if t in index._segment.vocab]
    expected = bm25.get_scores_from_ids(ids_)
    ours = index.score(terms).of(CATALOG)
    assert [ours[d] for d in CATALOG] == pytest.approx(expected.tolist(), rel=1e-6)


def test_weighted_scores_are_linear_in_the_weights_in_segment_and_delta() -> None:
    index = build()
    index.upsert("copy", analyze(CATALOG["steel"]))
    one = index.scores_for({"steel": 1.0, "test": 0.5}, ["steel", "copy"])
    two = index.scores_for({"steel": 2.0, "test": 1.0}, ["steel", "copy"])
    assert two["steel"] == pytest.approx(2 * one["steel"], rel=1e-6)
    assert two["copy"] == pytest.approx(2 * one["copy"], rel=1e-6)
    assert one["copy"] == pytest.approx(one["steel"], rel=1e-5)


def test_scores_read_once_give_search_and_scores_for() -> None:
    index = build()
    terms = analyze("testing GPU")
    scores = index.score(terms)
    assert scores.top(3) == index.search(terms, 3)
    assert scores.of(["gpu", "retail"]) == index.scores_for(terms, ["gpu", "retail"])
    assert scores.top(0) == []
    assert index.score([]).top(5) == []


FEEDBACK_DOCS = {
    "steel": "steel strength testing laboratory with tensile certification",
    "steel-2": "steel fatigue testing and tensile certification for bridges",
    "cnas": "tensile certification laboratory accredited by CNAS",
    "bakery": "bakery ovens rental",
}


def test_feedback_adds_the_terms_of_the_best_documents() -> None:
    index = build(FEEDBACK_DOCS)
    query = analyze("steel testing")
    expanded = index.expand(query, FeedbackConfig(docs=2, terms=3, original_weight=0.5))
    # The two steel documents share "steel", "test", "tensil" and "certif"; the three most
    # frequent of their terms join the query, whose own terms keep half the weight.
    assert set(expanded) - set(query) <= {"tensil", "certif", "laboratori", "fatigu", "bridg"}
    assert set(expanded) > set(query)
    assert sum(expanded.values()) == pytest.approx(1.0)
    assert expanded["steel"] >= 0.25
    assert len(expanded) <= len(set(query)) + 3
    # Scored with the expansion, the CNAS laboratory (no query word) is found.
    assert "cnas" not in ids(index.search(query, 4))
    assert "cnas" in ids(index.search(expanded, 4))
    assert "bakery" not in ids(index.search(expanded, 4))


def test_feedback_changes_nothing_when_off_or_when_nothing_matches() -> None:
    index = build(FEEDBACK_DOCS)
    query = analyze("steel testing")
    assert index.expand(query, FeedbackConfig(docs=0)) == query_weights(query)
    assert index.expand(query, FeedbackConfig(original_weight=1.0)) == query_weights(query)
    assert index.expand(analyze("quantum"), FeedbackConfig()) == {"quantum": 1.0}
    assert index.expand([], FeedbackConfig()) == {}


def test_feedback_reads_delta_documents_and_skips_removed_ones() -> None:
    index = build(FEEDBACK_DOCS)
    index.remove("steel-2")
    index.upsert("new", analyze("steel testing with ultrasonic probes"))
    feedback = FeedbackConfig(docs=2, terms=40, original_weight=0.5)
    expanded = index.expand(analyze("steel testing"), feedback)
    assert "ultrason" in expanded
    assert "fatigu" not in expanded


def test_feedback_is_deterministic() -> None:
    index = build(FEEDBACK_DOCS)
    query = analyze("certification")
    first = index.expand(query, FeedbackConfig(docs=3, terms=2))
    assert all(index.expand(query, FeedbackConfig(docs=3, terms=2)) == first for _ in range(5))


@pytest.mark.parametrize(
    ("values", "message"),
    [({"docs": -1}, "docs"), ({"terms": 0}, "terms"), ({"original_weight": 1.5}, "original")],
)
def test_feedback_settings_are_checked(values: dict[str, float], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FeedbackConfig(**values)  # type: ignore[arg-type]
