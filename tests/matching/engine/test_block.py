"""The block-wise batch retrieval gives each query the hits the interactive search gives it."""

from __future__ import annotations

import random

import pytest

from synergy_hub.matching.engine.block import BlockSearcher
from synergy_hub.matching.engine.dense import HashingEncoder
from synergy_hub.matching.engine.lexical import FeedbackConfig
from synergy_hub.matching.engine.retrieval import HybridRetriever, RetrieverConfig

_EN = (
    "gpu cloud compute training model data lab testing certification export safety supply "
    "chain logistics design software license api sensor factory robot vision energy "
    "battery storage network security audit finance payment marketing retail"
)
_ZH = "算力 云计算 模型 训练 数据 实验室 检测 认证 出口 安全 供应链 物流 设计 软件 传感器"
WORDS_EN = tuple(_EN.split())
WORDS_ZH = tuple(_ZH.split())


def _text(rng: random.Random) -> str:
    words = WORDS_EN if rng.random() < 0.5 else WORDS_ZH
    if rng.random() < 0.2:
        words = WORDS_EN + WORDS_ZH
    joiner = "" if words is WORDS_ZH else " "
    title = joiner.join(rng.sample(words, 3))
    body = joiner.join(rng.choices(words, k=rng.randint(5, 25)))
    return f"{title}\n{body} {rng.randint(1, 5000)}"


def _retriever(size: int, hnsw_threshold: int, feedback: bool = True) -> HybridRetriever:
    rng = random.Random(size)
    docs = [(f"d{n:05d}", _text(rng)) for n in range(size)]
    config = RetrieverConfig() if feedback else RetrieverConfig(feedback=_no_feedback())
    return HybridRetriever.build(
        docs, encoder=HashingEncoder(64), config=config, hnsw_threshold=hnsw_threshold
    )


def _no_feedback() -> FeedbackConfig:
    return FeedbackConfig(docs=0)


def _queries(count: int) -> list[str]:
    rng = random.Random(7)
    queries = [_text(rng).replace("\n", " ")[: rng.randint(8, 80)] for _ in range(count)]
    return [*queries, "", "!!!", "zzzz unknown words only"]


def _same(left: list, right: list) -> None:  # type: ignore[type-arg]
    """Equal hits, but for neighbours whose scores agree to 1e-5 trading places.

    The batched products sum in another order than one query's (float32 BM25 sums,
    matrix-matrix against matrix-vector cosines): the last bits may differ, which can
    only swap near-ties (engine.block's notes).
    """
    assert len(left) == len(right)
    for a, b in zip(left, right, strict=True):
        assert a.score == pytest.approx(b.score, abs=1e-5)
        if a.doc_id == b.doc_id:
            assert (a.lexical_score is None) == (b.lexical_score is None)
            assert (a.dense_score is None) == (b.dense_score is None)
            if a.lexical_score is not None:
                assert a.lexical_score == pytest.approx(b.lexical_score, rel=1e-5, abs=1e-6)
            if a.dense_score is not None:
                assert a.dense_score == pytest.approx(b.dense_score, abs=1e-5)
    ids = {h.doc_id for h in left}
    swapped = [h for h in right if h.doc_id not in ids]
    assert all(abs(h.score - right[-1].score) < 1e-5 for h in swapped)


@pytest.mark.parametrize(("size", "hnsw_threshold"), [(800, 10_000), (1500, 500)])
def test_block_hits_equal_interactive_hits(size: int, hnsw_threshold: int) -> None:
    retriever = _retriever(size, hnsw_threshold)
    searcher = BlockSearcher(retriever)
    assert searcher.block_ready
    queries = _queries(120)
    rng = random.Random(3)
    some = frozenset(f"d{n:05d}" for n in rng.sample(range(size), size // 3))
    allowed = [some if n % 3 == 0 else None for n in range(len(queries))]
    answers = searcher.search(queries, 10, allowed=allowed)
    for query, filter_, answer in zip(queries, allowed, answers, strict=True):
        _same(answer.hits, retriever.search(query, 10, allowed_ids=filter_))
    assert all(hit.doc_id in some for hit in answers[0].hits)
    assert answers[-2].hits == [] and answers[-3].hits == []


def test_block_without_feedback_and_by_mode() -> None:
    retriever = _retriever(600, 10_000, feedback=False)
    searcher = BlockSearcher(retriever)
    queries = _queries(40)
    for mode in ("hybrid", "lexical", "dense"):
        answers = searcher.search(queries, 5, mode=mode)  # type: ignore[arg-type]
        for query, answer in zip(queries, answers, strict=True):
            _same(answer.hits, retriever.search(query, 5, mode=mode))  # type: ignore[arg-type]


def test_pending_updates_fall_back_to_one_query_at_a_time() -> None:
    retriever = _retriever(400, 10_000)
    retriever.upsert("new", "gpu cloud training pool\nfresh gpu cloud offer")
    retriever.remove("d00001")
    searcher = BlockSearcher(retriever)
    assert not searcher.block_ready
    queries = ["gpu cloud training", "检测 认证"]
    for query, answer in zip(queries, searcher.search(queries, 10), strict=True):
        _same(answer.hits, retriever.search(query, 10))
    assert "new" in [hit.doc_id for hit in searcher.search(["gpu cloud training"], 10)[0].hits]


def test_allowed_needs_one_filter_per_query() -> None:
    searcher = BlockSearcher(_retriever(100, 10_000))
    with pytest.raises(ValueError, match="allowed"):
        searcher.search(["gpu"], 10, allowed=[None, None])
