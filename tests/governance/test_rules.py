"""The governance rule sets, tested alone: notice periods, deadlines, statistics, disclosures."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from synergy_hub.governance import rules

PUBLISHED = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


def test_the_default_rule_set_is_the_prc_one_with_seven_days_notice() -> None:
    assert rules.DEFAULT_RULE_SET == "PRC"
    assert rules.rule_set("PRC").fee_notice_days.value == 7
    assert "Art. 34" in rules.rule_set("PRC").fee_notice_days.source


def test_the_eu_rule_set_asks_fifteen_days_and_cites_p2b_article_3() -> None:
    eu = rules.rule_set("EU-P2B")
    assert eu.fee_notice_days.value == 15
    assert "2019/1150 Art. 3(2)" in eu.fee_notice_days.source


@pytest.mark.parametrize(("code", "days"), [("PRC", 7), ("EU-P2B", 15)])
def test_a_change_on_the_last_day_of_notice_is_accepted_one_second_earlier_refused(
    code: str, days: int
) -> None:
    rule_set = rules.rule_set(code)
    earliest = PUBLISHED + timedelta(days=days)
    assert rules.earliest_effective(PUBLISHED, rule_set) == earliest
    rules.check_notice(PUBLISHED, earliest, rule_set)
    with pytest.raises(rules.NoticeTooShort) as refused:
        rules.check_notice(PUBLISHED, earliest - timedelta(seconds=1), rule_set)
    assert refused.value.earliest == earliest
    assert rule_set.fee_notice_days.source in str(refused.value)


def test_an_unknown_rule_set_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="EU-P2B"):
        rules.rule_set("XX")


def test_past_schedules_are_kept_at_least_three_years() -> None:
    assert rules.kept_until(PUBLISHED, rules.PRC_2026) >= PUBLISHED.replace(year=2029)


@pytest.mark.parametrize(("code", "acknowledge", "decide"), [("PRC", 3, 15), ("EU-P2B", 7, 30)])
def test_complaint_deadlines_follow_the_rule_set(code: str, acknowledge: int, decide: int) -> None:
    deadlines = rules.complaint_deadlines(PUBLISHED, rules.rule_set(code))
    assert deadlines.acknowledge_by == PUBLISHED + timedelta(days=acknowledge)
    assert deadlines.decide_by == PUBLISHED + timedelta(days=decide)


def test_numbers_the_law_does_not_fix_are_marked_provisional() -> None:
    for rule_set in rules.RULE_SETS.values():
        assert rule_set.complaint_acknowledge_days.status == "P"
        assert rule_set.complaint_decide_days.status == "P"
    assert rules.EU_P2B.fee_notice_days.status == "V"


def test_statistics_count_types_outcomes_and_handling_time() -> None:
    day = timedelta(days=1)
    facts = [
        rules.ComplaintFacts("fees", PUBLISHED, PUBLISHED + 2 * day, "upheld"),
        rules.ComplaintFacts("fees", PUBLISHED, PUBLISHED + 4 * day, "rejected"),
        rules.ComplaintFacts("ranking", PUBLISHED, PUBLISHED + 9 * day, "upheld"),
        rules.ComplaintFacts("data", PUBLISHED),
    ]
    figures = rules.complaint_statistics(facts)
    assert figures.total == 4
    assert figures.decided == 3
    assert figures.open == 1
    assert figures.main_types[0] == ("fees", 2)
    assert figures.outcomes == {"upheld": 2, "rejected": 1}
    assert figures.average_days == 5.0
    assert figures.median_days == 4.0


def test_statistics_of_nothing_have_no_handling_time() -> None:
    figures = rules.complaint_statistics([])
    assert figures.total == 0
    assert figures.average_days is None
    assert figures.median_days is None


def _parameter(weight: float, **overrides: object) -> dict[str, object]:
    return {
        "name_zh": "相关性",
        "name_en": "Relevance",
        "reason_zh": "回答搜索",
        "reason_en": "Answers the search",
        "weight": weight,
    } | overrides


def test_disclosed_parameters_must_sum_to_one_hundred() -> None:
    rules.check_parameters([_parameter(60), _parameter(40)])
    with pytest.raises(ValueError, match="sum to 100"):
        rules.check_parameters([_parameter(60), _parameter(30)])


def test_each_disclosed_parameter_gives_its_reason_in_both_languages() -> None:
    with pytest.raises(ValueError, match=r"parameters\[0\]\.reason_en"):
        rules.check_parameters([_parameter(100, reason_en=" ")])
    with pytest.raises(ValueError, match="at least one"):
        rules.check_parameters([])
    with pytest.raises(ValueError, match="weight"):
        rules.check_parameters([_parameter(True)])
