"""Pure rules of pilot calls: eligibility reasons, conflicts of interest, scores, outliers."""

from __future__ import annotations

import pytest

from synergy_hub.programmes import rules


def facts(**overrides: object) -> rules.ApplicationFacts:
    values: dict[str, object] = {
        "lead_kind": "sme",
        "partner_kinds": ["platform"],
        "eligible_kinds": ["sme", "platform", "provider"],
        "pillar": "innovation",
        "call_pillars": ["innovation"],
        "resource_published": [True],
        "milestone_count": 1,
        "call_open": True,
    }
    values.update(overrides)
    return rules.ApplicationFacts(**values)  # type: ignore[arg-type]


def test_a_complete_application_is_eligible() -> None:
    assert rules.eligibility_problems(facts()) == []


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"call_open": False}, rules.CALL_CLOSED),
        (
            {"eligible_kinds": ["sme"], "lead_kind": "platform", "partner_kinds": ["sme"]},
            rules.LEAD_KIND,
        ),
        ({"partner_kinds": ["provider"], "lead_kind": "platform"}, rules.NO_SME),
        ({"partner_kinds": ["sme"]}, rules.NO_PUBLISHER),
        ({"pillar": "open"}, rules.PILLAR_NOT_IN_CALL),
        ({"resource_published": []}, rules.NO_RESOURCE),
        ({"resource_published": [True, False]}, rules.RESOURCE_NOT_PUBLISHED),
        ({"milestone_count": 0}, rules.NO_MILESTONE),
    ],
)
def test_each_missing_condition_is_named(overrides: dict[str, object], reason: str) -> None:
    assert reason in rules.eligibility_problems(facts(**overrides))


def test_all_reasons_are_reported_together() -> None:
    found = rules.eligibility_problems(facts(partner_kinds=[], milestone_count=0))
    assert found == [rules.NO_PUBLISHER, rules.NO_MILESTONE]


def test_reviewer_of_a_party_is_in_conflict() -> None:
    assert rules.conflicts(1, [1, 2], {}, []) == [rules.CONFLICT_PARTY]


def test_reviewer_sharing_a_parent_is_in_conflict() -> None:
    assert rules.conflicts(3, [1, 2], {3: 9, 2: 9}, []) == [rules.CONFLICT_GROUP]
    # The parent itself reviewing its subsidiary's application is in the same group.
    assert rules.conflicts(9, [1, 2], {2: 9}, []) == [rules.CONFLICT_GROUP]


def test_reviewer_with_an_agreement_is_in_conflict() -> None:
    assert rules.conflicts(3, [1, 2], {}, [(3, 2)]) == [rules.CONFLICT_AGREEMENT]
    assert rules.conflicts(3, [1, 2], {}, [(1, 3)]) == [rules.CONFLICT_AGREEMENT]


def test_an_unrelated_reviewer_has_no_conflict() -> None:
    assert rules.conflicts(3, [1, 2], {1: 8, 3: 9}, [(3, 7)]) == []


def test_weighted_score_is_normalised_to_the_scale() -> None:
    rubric = [rules.Criterion("a", 60), rules.Criterion("b", 40)]
    assert rules.weighted_score(rubric, {"a": 10, "b": 5}, 10) == pytest.approx(0.8)


def test_a_score_far_from_the_others_is_flagged() -> None:
    assert rules.outliers([0.8, 0.82, 0.79, 0.2]) == [False, False, False, True]


def test_close_scores_are_not_flagged_and_few_scores_never() -> None:
    assert rules.outliers([0.7, 0.7, 0.72]) == [False, False, False]
    assert rules.outliers([0.1, 0.9]) == [False, False]
