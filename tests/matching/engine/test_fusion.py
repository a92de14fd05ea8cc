"""Fusion of lexical and dense result lists, on lists built by hand."""

from __future__ import annotations

import pytest

from synergy_hub.matching.engine.fusion import (
    Candidates,
    FusionConfig,
    fuse,
    normalize_scores,
    reciprocal_rank_fusion,
    weighted_score_fusion,
)


def test_rrf_sums_reciprocal_ranks() -> None:
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["b", "c", "d"]], k=60)
    assert fused["a"] == pytest.approx(1 / 61)
    assert fused["b"] == pytest.approx(1 / 62 + 1 / 61)
    assert fused["c"] == pytest.approx(1 / 63 + 1 / 62)
    assert fused["d"] == pytest.approx(1 / 63)
    assert sorted(fused, key=lambda d: -fused[d]) == ["b", "c", "a", "d"]


def test_rrf_weights_and_their_count() -> None:
    fused = reciprocal_rank_fusion([["a"], ["b"]], k=1, weights=[2.0, 1.0])
    assert fused == {"a": pytest.approx(1.0), "b": pytest.approx(0.5)}
    with pytest.raises(ValueError, match="one weight per ranking"):
        reciprocal_rank_fusion([["a"]], weights=[1.0, 2.0])


def test_min_max_and_z_score_normalisation() -> None:
    assert normalize_scores({"a": 2.0, "b": 4.0, "c": 3.0}, "minmax") == {
        "a": 0.0,
        "b": 1.0,
        "c": 0.5,
    }
    z = normalize_scores({"a": 1.0, "b": 3.0}, "zscore")
    assert z == {"a": pytest.approx(-1.0), "b": pytest.approx(1.0)}
    assert normalize_scores({"a": 5.0, "b": 5.0}, "minmax") == {"a": 1.0, "b": 1.0}
    assert normalize_scores({"a": 0.0}, "minmax") == {"a": 0.0}
    assert normalize_scores({"a": 5.0, "b": 5.0}, "zscore") == {"a": 0.0, "b": 0.0}
    assert normalize_scores({}, "minmax") == {}


def test_weighted_fusion_moves_from_lexical_to_dense_order_with_alpha() -> None:
    lexical = {"a": 10.0, "b": 5.0, "c": 0.0}
    dense = {"a": 0.1, "b": 0.3, "c": 0.9}
    lexical_first = weighted_score_fusion(lexical, dense, alpha=0.0)
    dense_first = weighted_score_fusion(lexical, dense, alpha=1.0)
    assert max(lexical_first, key=lexical_first.__getitem__) == "a"
    assert max(dense_first, key=dense_first.__getitem__) == "c"
    half = weighted_score_fusion(lexical, dense, alpha=0.5)
    # a: 0.5 * 1 + 0.5 * 0 = 0.5; b: 0.5 * 0.5 + 0.5 * 0.25 = 0.375; c: 0.5 * 1 = 0.5.
    assert half == {"a": pytest.approx(0.5), "b": pytest.approx(0.375), "c": pytest.approx(0.5)}


def test_weighted_fusion_gives_a_missing_document_the_list_floor() -> None:
    fused = weighted_score_fusion({"a": 2.0, "b": 1.0}, {"a": 0.5, "c": 0.9}, alpha=0.5)
    assert fused["b"] == pytest.approx(0.5 * 0.0 + 0.5 * 0.0)
    assert fused["c"] == pytest.approx(0.5 * 1.0 + 0.5 * 0.0)


def test_fuse_builds_hits_with_both_views_of_each_document() -> None:
    lexical = Candidates([("a", 8.0), ("b", 4.0)], {"a": 8.0, "b": 4.0, "c": 0.0})
    dense = Candidates([("c", 0.9), ("a", 0.7)], {"c": 0.9, "a": 0.7, "b": 0.2})
    hits = fuse(lexical, dense, FusionConfig(alpha=0.5, normalization="minmax"))
    assert [h.doc_id for h in hits] == ["a", "c", "b"]
    top = hits[0]
    assert (top.lexical_score, top.dense_score) == (8.0, 0.7)
    assert (top.lexical_rank, top.dense_rank) == (1, 2)
    assert hits[1].lexical_rank is None
    assert hits[1].lexical_score == 0.0
    assert all(0.0 <= h.score <= 1.0 for h in hits)
    config = FusionConfig(alpha=0.5, normalization="minmax")
    assert fuse(lexical, dense, config, limit=2) == hits[:2]
    assert fuse(lexical, dense, config, limit=0) == []


def test_fuse_with_rrf_and_with_one_side_missing() -> None:
    lexical = Candidates.from_ranked([("a", 3.0), ("b", 1.0)])
    dense = Candidates.from_ranked([("b", 0.8), ("c", 0.5)])
    rrf = fuse(lexical, dense, FusionConfig(method="rrf", rrf_k=60))
    assert rrf[0].doc_id == "b"
    alone = fuse(lexical, None, FusionConfig())
    assert [(h.doc_id, h.score, h.dense_score) for h in alone] == [
        ("a", 1.0, None),
        ("b", 0.0, None),
    ]
    assert fuse(None, None, FusionConfig()) == []


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"method": "sum"}, "method"),
        ({"alpha": 1.5}, "alpha"),
        ({"normalization": "rank"}, "normalization"),
        ({"rrf_k": 0}, "rrf_k"),
    ],
)
def test_fusion_config_refuses_bad_values(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValueError, match=field):
        FusionConfig(**kwargs)  # type: ignore[arg-type]
