"""Bilingual retrieval: titles weighed in, languages kept, and an English encoder for English.

A small fake encoder stands in for a cross-language model: it maps a Chinese word and its
English translation to the same direction, which is what the real one learned to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest

from synergy_hub.matching.engine.dense import HashingEncoder, TextKind
from synergy_hub.matching.engine.fusion import Candidates, FusionConfig, fuse
from synergy_hub.matching.engine.lexical import FeedbackConfig, LexicalIndex
from synergy_hub.matching.engine.retrieval import (
    HybridRetriever,
    RetrieverConfig,
    document_vectors,
)

# Each concept: its English words and Chinese words map to one axis.
CONCEPTS = [
    ({"fraud", "risk"}, {"风控", "刷单"}),
    ({"gpu", "graphics"}, {"显卡", "算力"}),
    ({"steel", "testing"}, {"钢材", "检测"}),
    ({"dataset", "data"}, {"数据集", "数据"}),
]


class ConceptEncoder:
    """Encodes a text as the counts of the concepts it names, in either language."""

    name = "concepts"
    dimension = len(CONCEPTS) + 1

    def encode(self, texts: Sequence[str], *, kind: TextKind) -> np.ndarray:
        matrix = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            lowered = text.lower()
            for axis, (english, chinese) in enumerate(CONCEPTS):
                matrix[row, axis] = sum(w in lowered for w in english | chinese)
            matrix[row, -1] = 0.1  # never a zero vector
        return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)


class EnglishEncoder(HashingEncoder):
    """The English side: a different model, under its own name."""

    name = "english-only"

    def __init__(self) -> None:
        super().__init__(dimension=64)
        self.seen: list[str] = []

    def encode(self, texts: Sequence[str], *, kind: TextKind) -> np.ndarray:
        self.seen.extend(texts)
        return super().encode(texts, kind=kind)


CATALOG = [
    ("en-fraud", "Transaction fraud and risk control API\nScores orders in real time."),
    ("zh-pay", "聚合支付接口\n一次对接支持扫码支付，附交易数据报表，风控另计。"),
    ("zh-gpu", "显卡按小时出租\n成都算力平台，随开随停。"),
    ("en-steel", "Steel testing laboratory\nTensile and hardness testing."),
    ("mixed", "数据集 Dataset of defect images\n工业缺陷图像 with labels"),
]
PLAIN = RetrieverConfig(feedback=FeedbackConfig(docs=0), english_weight=0.0)


def test_each_document_keeps_its_language_through_updates_and_saving(tmp_path: Path) -> None:
    retriever = HybridRetriever.build(CATALOG, encoder=ConceptEncoder(), config=PLAIN)
    assert retriever.lexical.languages_of([d for d, _ in CATALOG]) == {
        "en-fraud": "en",
        "zh-pay": "zh",
        "zh-gpu": "zh",
        "en-steel": "en",
        "mixed": "mixed",
    }
    retriever.upsert("zh-gpu", "GPU rental by the hour\nChengdu")
    retriever.remove("en-steel")
    retriever.save(tmp_path / "index")
    loaded = HybridRetriever.load(tmp_path / "index", encoder=ConceptEncoder())
    assert loaded.lexical.languages_of(["zh-gpu", "en-steel", "zh-pay"]) == {
        "zh-gpu": "en",
        "zh-pay": "zh",
    }
    loaded.compact()
    assert loaded.lexical.languages_of(["zh-gpu", "zh-pay"]) == {"zh-gpu": "en", "zh-pay": "zh"}


def test_an_index_saved_before_languages_knows_none(tmp_path: Path) -> None:
    index = LexicalIndex.build([("a", ["steel"]), ("b", ["钢材"])])
    index.save(tmp_path / "lexical")
    assert LexicalIndex.load(tmp_path / "lexical").languages_of(["a", "b"]) == {}


def test_a_cross_language_match_is_not_buried_by_bm25_silence() -> None:
    """A Chinese query's only fraud-control resource is English: it must come first."""
    gated = HybridRetriever.build(CATALOG, encoder=ConceptEncoder(), config=PLAIN)
    ungated = HybridRetriever(
        gated.lexical,
        gated.dense,
        gated.encoder,
        config=RetrieverConfig(
            feedback=FeedbackConfig(docs=0), english_weight=0.0, language_gate=False
        ),
    )
    query = "防刷单 风控接口"  # shares "风控" with the Chinese payment API only
    assert gated.search(query, 3)[0].doc_id == "en-fraud"
    assert ungated.search(query, 3)[0].doc_id == "zh-pay"


def test_fusion_ranks_other_language_documents_by_the_encoder_alone() -> None:
    lexical = Candidates.from_ranked([("same", 9.0), ("other", 0.0), ("third", 1.0)])
    dense = Candidates.from_ranked([("other", 0.9), ("same", 0.5), ("third", 0.1)])
    config = FusionConfig(alpha=0.5, normalization="zscore")
    plain = [hit.doc_id for hit in fuse(lexical, dense, config)]
    gated = [hit.doc_id for hit in fuse(lexical, dense, config, other_language={"other"})]
    assert plain[0] == "same" and gated[0] == "other"


def test_fusion_mixes_in_the_english_encoder_for_the_documents_it_scored() -> None:
    lexical = Candidates.from_ranked([("a", 1.0), ("b", 1.0), ("c", 1.0)])
    dense = Candidates.from_ranked([("a", 0.9), ("b", 0.5), ("c", 0.1)])
    english = Candidates.from_ranked([("b", 0.9), ("a", 0.1)])  # c is not English
    config = FusionConfig(alpha=1.0, normalization="zscore")
    assert fuse(lexical, dense, config)[0].doc_id == "a"
    mixed = fuse(lexical, dense, config, english=english, english_weight=3.0)
    assert next(hit.doc_id for hit in mixed) == "b"
    # The hit still reports the cross-language encoder's own cosine.
    assert {hit.doc_id: hit.dense_score for hit in mixed}["b"] == pytest.approx(0.5)
    off = fuse(lexical, dense, config, english=english, english_weight=0.0)
    assert off[0].doc_id == "a"


def test_documents_are_encoded_with_their_title_weighed_in() -> None:
    encoder = ConceptEncoder()
    text = "Steel testing laboratory\nOther services: datasets, data and data."
    plain = encoder.encode([text], kind="document")[0]
    titled = document_vectors(encoder, [text], 0.3)[0]
    title = encoder.encode(["Steel testing laboratory"], kind="document")[0]
    expected = plain + 0.3 * title
    assert np.allclose(titled, expected / np.linalg.norm(expected))
    one_line = "Steel testing laboratory"
    assert np.allclose(document_vectors(encoder, [one_line], 0.3)[0], title)
    assert np.allclose(document_vectors(encoder, [text], 0.0)[0], plain)


def test_the_english_encoder_reads_only_english_documents_and_queries(tmp_path: Path) -> None:
    english = EnglishEncoder()
    retriever = HybridRetriever.build(
        CATALOG, encoder=ConceptEncoder(), english_encoder=english, config=RetrieverConfig()
    )
    assert retriever.english is not None and len(retriever.english) == 2
    assert all(ch < "\u4e00" for text in english.seen for ch in text)  # no Chinese text
    english.seen.clear()
    assert retriever.search("显卡 出租", 3)  # a Chinese query
    assert english.seen == []
    assert retriever.search("steel testing", 3)[0].doc_id == "en-steel"
    assert english.seen == ["steel testing"]
    # A document that stops being English leaves the English side.
    retriever.upsert("en-steel", "钢材检测实验室\n拉伸和硬度检测。")
    assert "en-steel" not in retriever.english
    retriever.save(tmp_path / "index")
    loaded = HybridRetriever.load(
        tmp_path / "index", encoder=ConceptEncoder(), english_encoder=EnglishEncoder()
    )
    assert loaded.english is not None and len(loaded.english) == 1
    # Without the English encoder here, the index still loads and answers.
    alone = HybridRetriever.load(tmp_path / "index", encoder=ConceptEncoder())
    assert alone.english is None and alone.search("steel testing", 3)
